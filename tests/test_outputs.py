"""Outputs that cannot hurt: formula cells neutralised, files replaced whole or not at all, and
every bad setting or size a one-line error."""
from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from exports import write_csv, write_json
from loaders.interchange import read_json
from maps.output import atomic_output
from tests.support.minigraph import ent, graph_of, rel

HOSTILE = {"name": "=HYPERLINK(\"http://evil.example\",\"click\")", "description": "+1+cmd|' /C calc'!A0",
           "role": "-2+3", "city": "@SUM(A1:A9)", "aliases": ["\tTabbed", "\rReturn"]}


@pytest.fixture
def hostile_graph():
    G = graph_of([ent("a", "city"), ent("b", "city")], [rel("a", "twin_town", "b")])
    G.nodes["a"].update(HOSTILE)
    G.nodes["b"].update(name="Plain", lat=-33.87, lon=151.21)
    return G


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_cells_that_start_a_formula_get_a_quote(hostile_graph, tmp_path):
    nodes, *_ = write_csv(hostile_graph, tmp_path)
    a, b = rows(nodes)
    assert a["Label"] == "'" + HOSTILE["name"]
    assert a["description"] == "'+1+cmd|' /C calc'!A0" and a["role"] == "'-2+3" and a["city"] == "'@SUM(A1:A9)"
    assert a["aliases"] == "'\tTabbed; \rReturn"
    assert (b["Label"], b["lat"], b["lon"]) == ("Plain", "-33.87", "151.21")  # numbers are not formulas
    for row in (a, b):
        assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for v in row.values())


def test_a_failed_write_leaves_the_old_file_whole_and_no_litter(tmp_path):
    out = tmp_path / "net.json"
    out.write_text("the good old export\n")
    os.chmod(out, 0o640)
    with pytest.raises(RuntimeError):
        with atomic_output(out) as tmp:
            tmp.write_text("half of a new")
            raise RuntimeError("disk full, power cut, Ctrl-C...")
    assert out.read_text() == "the good old export\n" and os.listdir(tmp_path) == ["net.json"]
    with atomic_output(out) as tmp:
        tmp.write_text("new")
    assert out.read_text() == "new" and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["net.json"]


def test_a_device_is_written_in_place_never_replaced():
    with atomic_output("/dev/null") as tmp:
        assert tmp == Path("/dev/null")
        tmp.write_text("gone")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_json_round_trip_keeps_hostile_text(hostile_graph, tmp_path):
    hostile_graph.nodes["a"]["aliases"] = ["=1", "@2"]  # no control characters: the loader refuses those
    write_json(hostile_graph, tmp_path / "g.json")
    back = read_json(tmp_path / "g.json").nodes["a"]
    assert back["name"] == HOSTILE["name"] and back["aliases"] == ["=1", "@2"]


# --- one-line errors --------------------------------------------------------------------------------

def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "cypher"])
def test_export_to_a_full_disk(fmt):
    result = CliRunner().invoke(cli.main, ["export", fmt, "--out", "/dev/full"])
    assert one_line_error(result, 1) == "Error: No space left on device: /dev/full"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_map_into_a_read_only_folder_keeps_the_old_one_and_leaves_no_litter(tmp_path):
    result = CliRunner().invoke(cli.main, ["map", "--out", str(tmp_path / "x" / "map.html")])
    assert result.exit_code == 0
    before = (tmp_path / "x" / "map.html").read_bytes()
    os.chmod(tmp_path / "x", 0o500)  # no new file can be made there (not even by root: see below)
    try:
        result = CliRunner().invoke(cli.main, ["map", "--theme", "ai", "--out", str(tmp_path / "x" / "map.html")])
    finally:
        os.chmod(tmp_path / "x", 0o700)
    if result.exit_code == 1:  # as a user; root may write anyway, and then the map is simply new
        assert "Traceback" not in result.output
        assert (tmp_path / "x" / "map.html").read_bytes() == before
    assert os.listdir(tmp_path / "x") == ["map.html"]


@pytest.mark.parametrize("size", ["100000x100000", "300x200", "799x1080", "1920x449", "1920x8001"])
def test_map_size_out_of_range(size, tmp_path):
    result = CliRunner().invoke(cli.main, ["map", "--size", size, "--out", str(tmp_path / "m.png")])
    message = one_line_error(result, 2)
    assert "is out of range (from 800x450 to 8000x8000)" in message
    w, h = (int(x) for x in size.split("x"))
    assert ("too small for the title, legend and caption" in message) == (w < 800 or h < 450)
    assert not (tmp_path / "m.png").exists()


@pytest.mark.parametrize("env, said", [
    ({"NEO4J_URI": "bolt://[::1"}, "Neo4j URI 'bolt://[::1' cannot be read (Invalid IPv6 URL)"),
    ({"NEO4J_URI": "bolt://me:s3cret@[::1"}, "Neo4j URI 'bolt://[::1' cannot be read"),
    ({"NEO4J_URI": "bolt://localhost:99999"}, "cannot be read (Port out of range 0-65535)"),
    ({"NEO4J_RETRY_SECONDS": "-5"}, "retry time (--neo4j-retry-seconds, NEO4J_RETRY_SECONDS) -5.0 is not a number of seconds from 0 up"),
    ({"NEO4J_RETRY_SECONDS": "nan"}, "is not a number of seconds from 0 up"),
])
def test_bad_neo4j_settings(env, said):
    for args in (["neo4j", "status"], ["intro", "SK hynix", "--backend", "neo4j"]):
        result = CliRunner().invoke(cli.main, args, env=env)
        line = one_line_error(result, 2)
        assert said in line and "s3cret" not in result.output


def test_a_negative_retry_option():
    result = CliRunner().invoke(cli.main, ["neo4j", "status", "--neo4j-retry-seconds", "-1"])
    assert "is not a number of seconds from 0 up" in one_line_error(result, 2)


# --- control characters never reach the terminal raw ------------------------------------------------

NASTY = "Evil\x1b]0;owned\x07\x1b[2J\x9b31m\x7f"


def test_emit_escapes_control_characters_in_tables_and_json(capsys):
    import json

    from commands.options import emit, table

    emit("table", [[NASTY, 1]], lambda rows: table(rows, ["name", "n"]))
    out = capsys.readouterr().out
    assert "Evil\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\x7f" in out
    assert not any(c in out for c in "\x1b\x07\x9b\x7f")
    emit("json", {"name": NASTY}, str)
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\x9b\x7f") and json.loads(out) == {"name": NASTY}


def test_an_error_naming_a_hostile_value_is_escaped(tmp_path):
    result = CliRunner().invoke(cli.main, ["show", NASTY])
    assert result.exit_code == 1 and not any(c in result.output for c in "\x1b\x07\x9b\x7f")


def test_progress_in_a_log_writes_only_finished_stages():
    import io
    from commands.options import Progress
    log = io.StringIO()  # not a terminal
    progress = Progress(delay=0.0, stream=log)
    for done in range(0, 101, 10):
        progress("reading files", done, 100)
    progress("checking", 5, 0)  # no total: nothing to finish, nothing written
    assert log.getvalue() == "reading files: 100/100 100%\n"
