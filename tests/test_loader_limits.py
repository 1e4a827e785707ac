"""Loaders with limits: alias bombs, long values, control characters, files that are skipped,
Excel's CSV, duplicate and clashing columns, theme word clashes, self-loops, mutual ties twice."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from graph.errors import InvalidData
from loaders import load_dataset
from tests.test_validation import GOOD, SRC, only, problems_of

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_a_yaml_alias_bomb_fails_fast_with_one_short_problem(tmp_path):
    started = time.monotonic()
    problems = problems_of(tmp_path, BOMB)
    assert time.monotonic() - started < 5
    assert len(problems) == 1 and problems[0].line == 6  # two *e of 9^5 values each: past the budget
    assert "YAML aliases (*e here) repeat more than 100,000 values" in problems[0].message
    assert len(str(problems[0])) < 250


def test_a_few_anchors_as_yaml_dump_writes_them_still_load(tmp_path):
    import yaml

    source = {"url": "https://www.espoo.fi/en", "seen": "2026-11-22"}
    doc = {"entities": [{"id": f"city-{i}", "kind": "city", "name": f"City {i}", "sources": [source]}
                        for i in range(3)]}
    text = yaml.safe_dump(doc)
    assert "&id001" in text and "*id001" in text
    (tmp_path / "dumped.yaml").write_text(text, encoding="utf-8")
    assert len(load_dataset(tmp_path).entities) == 3


def test_a_star_in_text_is_not_an_alias(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD + f"  - {{id: astar, kind: institute, name: A*STAR, sources: {SRC}}}\n",
                                      encoding="utf-8")
    assert "A*STAR" in {e.name for e in load_dataset(tmp_path).entities}


def test_a_long_value_is_cut_in_its_message(tmp_path):
    body = GOOD + f"  - {{id: long, kind: city, name: Long, themes: [{'x' * 5000}], sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "themes")
    assert "more characters)" in p.message and len(str(p)) < 600


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x9b", "\x7f"])
def test_control_characters_are_refused_in_text(tmp_path, char):
    escaped = char.encode("unicode_escape").decode()
    body = GOOD + f'  - {{id: evil, kind: city, name: "Evil{escaped}]0;owned", sources: {SRC}}}\n'
    p = only(problems_of(tmp_path, body), "name")
    assert "control character" in p.message and p.line == 8
    assert char not in str(p)


def test_tabs_and_newlines_stay_allowed(tmp_path):
    (tmp_path / "ok.yaml").write_text(
        GOOD + f'  - {{id: tabbed, kind: city, name: Tabbed, description: "one\\ttwo\\nthree", sources: {SRC}}}\n',
        encoding="utf-8")
    assert {e.id: e.description for e in load_dataset(tmp_path).entities}["tabbed"] == "one\ttwo\nthree"


# --- files that are not read are reported -------------------------------------------------------

def test_a_symlink_a_fifo_and_an_unreadable_folder_are_each_a_problem(tmp_path, monkeypatch):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "elsewhere.yaml").write_text("themes:\n", encoding="utf-8")
    os.mkdir(tmp_path / "sub")
    (tmp_path / "sub" / "link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (tmp_path / "linked-folder").symlink_to(tmp_path / "sub")
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkdir(tmp_path / "locked")
    real = os.scandir

    def scandir(path="."):  # tests run as root here, where chmod 000 would not stop a read
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    said = {Path(p.file).name: p.message for p in info.value.problems}
    assert set(said) == {"link.yaml", "linked-folder", "pipe.yaml", "locked"}, info.value.problems
    assert "symbolic link" in said["link.yaml"] and "symbolic link" in said["linked-folder"]
    assert "FIFO" in said["pipe.yaml"] and "cannot be read" in said["locked"]


def test_validate_says_so_on_the_command_line(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.csv")
    result = CliRunner().invoke(cli.main, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 1 and "pipe.csv: is not a regular file" in result.output
    assert "Traceback" not in result.output


# --- CSV as Excel writes it ----------------------------------------------------------------------

def test_excel_csv_with_a_bom_and_semicolons_reads(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    rows = ["id;name;country;sources", "helsinki;Helsinki;FI;https://www.hel.fi/en 2026-11-22",
            'tallinn;"Tallinn; the capital";EE;https://www.tallinn.ee 2026-11-22']
    (tmp_path / "cities.csv").write_bytes("\ufeff".encode() + "\r\n".join(rows).encode() + b"\r\n")
    names = {e.id: e.name for e in load_dataset(tmp_path).entities}
    assert names["helsinki"] == "Helsinki" and names["tallinn"] == "Tallinn; the capital"


def test_excel_csv_with_a_bom_and_commas_reads(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "cities.csv").write_text("\ufeffid,name,country,sources\nturku,Turku,FI,https://www.turku.fi 2026-11-22\n",
                                         encoding="utf-8")
    assert "turku" in {e.id for e in load_dataset(tmp_path).entities}


def test_a_duplicate_column_and_a_clashing_kind_are_problems(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "cities.csv").write_text(
        "id,name,name,kind,sources\n"
        "turku,Turku,Åbo,city,https://www.turku.fi 2026-11-22\n"
        "nokia,Nokia,Nokia,company,https://www.nokia.com 2026-11-22\n", encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    got = [(p.line, p.field, p.message) for p in info.value.problems]
    assert got == [(1, "name", "is a column twice"),
                   (3, "kind", "'company' clashes with the file's kind 'city' (from its name)")]


# --- clashes across records, reported at both places ----------------------------------------------

def test_a_theme_synonym_that_is_another_themes_id(tmp_path):
    body = GOOD.replace("synonyms: [artificial intelligence]", "synonyms: [artificial intelligence, Quantum]")
    body = body.replace("{id: quantum, label", "{id: quantum, synonyms: [qt], label")
    p = only(problems_of(tmp_path, body), "id")
    assert p.line == 3 and "'quantum'" in p.message and "theme 'ai'" in p.message and p.message.endswith("bad.yaml:2")


def test_a_self_loop(tmp_path):
    body = GOOD + f"relations:\n  - {{source: espoo, target: espoo, kind: twin_town, sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "target")
    assert p.line == 9 and "'espoo' is tied to itself" in p.message


def test_a_mutual_tie_written_both_ways(tmp_path):
    body = GOOD + ("relations:\n"
                   f"  - {{source: espoo, target: nomme, kind: twin_town, since: 1960, sources: {SRC}}}\n"
                   f"  - {{source: nomme, target: espoo, kind: twin_town, since: 1960, sources: {SRC}}}\n")
    p = only(problems_of(tmp_path, body), "source")
    assert p.line == 10 and p.message.endswith("the other way round at " + str(tmp_path / "bad.yaml") + ":9")


def test_a_directed_tie_both_ways_is_two_facts(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD + (
        "relations:\n"
        f"  - {{source: ossi, target: espoo, kind: contact_for, sources: {SRC}}}\n"
        f"  - {{source: espoo, target: nomme, kind: twin_town, since: 1960, sources: {SRC}}}\n"
        f"  - {{source: nomme, target: espoo, kind: twin_town, since: 1990, sources: {SRC}}}\n"), encoding="utf-8")
    assert len(load_dataset(tmp_path).relations) == 3


def test_a_raw_control_character_in_yaml_is_one_line_with_its_line(tmp_path):
    body = GOOD + "  - {id: raw, kind: city, name: Raw\x1b[2J, sources: " + SRC + "}\n"
    p = problems_of(tmp_path, body)
    assert [(x.line, x.message) for x in p] == [
        (8, "holds the character '\\x1b', which YAML does not allow (control characters are not allowed)")]
    assert "\n" not in str(p[0]) and "\x1b" not in str(p[0])
