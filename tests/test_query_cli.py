"""The query commands on the bundled data: help with examples, JSON shapes, tables and errors."""
import json

import pytest
from click.testing import CliRunner

from cli import main
from commands.queries import COMMANDS


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def as_json(*args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_help_has_an_example_and_the_shared_options(command):
    result = run(command.name, "--help")
    assert result.exit_code == 0
    example = result.output.split("Example:\n", 1)[1]
    assert example.split()[:2] == ["espoo-net", command.name]
    assert "--as-of" in result.output and "--format" in result.output


def test_commands_are_registered():
    assert {c.name for c in COMMANDS} == {"path", "intro", "clusters", "brokers", "suggest", "neighbours", "themes"}
    assert all(main.get_command(None, c.name) is c for c in COMMANDS)


def test_path_json_shape():
    r = as_json("path", "Enter Espoo", "SK hynix")
    assert set(r) >= {"routes"} and 1 <= len(r["routes"]) <= 3
    p = r["routes"][0]
    assert {"nodes", "hops", "cost"} <= set(p)
    assert p["nodes"][0] == "enter-espoo" and p["nodes"][-1] == "sk-hynix"
    assert {"from", "to", "from_name", "to_name", "strength", "band"} <= set(p["hops"][0])
    [tie, *_] = p["hops"][0].get("ties") or [p["hops"][0]["tie"]]
    assert {"source", "target", "kind", "since", "until", "status", "sources"} <= set(tie)
    assert "paths" not in r  # the same word as intro: routes


def test_intro_json_shape_and_table():
    r = as_json("intro", "SK hynix")
    assert r["target"] == "sk-hynix" and r["routes"]
    assert {"introducer", "nodes", "score", "hops", "explanation"} <= set(r["routes"][0])
    table = run("intro", "SK hynix").output
    assert "introducer" in table and "band" in table and "(3 parties) on 2022-10-11" in table


def test_intro_as_of_2021_reaches_sochi():
    assert as_json("intro", "sochi", "--as-of", "2021-06-01")["routes"][0]["introducer"] == "espoo"
    assert "No route from our side reaches it." in run("intro", "sochi").output


def test_clusters_json_shape():
    r = as_json("clusters", "--theme", "quantum", "--algorithm", "leiden")
    assert set(r) >= {"clusters", "modularity"}
    assert {"members", "themes", "bridges"} <= set(r["clusters"][0])
    assert "modularity" in run("clusters").output


@pytest.mark.parametrize("args, key", [
    (("brokers", "--top", "3"), "brokers"),
    (("suggest", "iqm"), "suggestions"),
    (("neighbours", "cbnu", "--depth", "2"), "neighbours"),
    (("themes",), "themes"),
])
def test_other_commands(args, key):
    assert as_json(*args)[key]
    assert run(*args).exit_code == 0


def test_unknown_entity_lists_the_closest():
    result = run("path", "espo", "cbnu")
    assert result.exit_code == 1 and "closest" in result.output


def test_no_route_is_exit_1():
    result = run("path", "espoo", "gatchina")
    assert result.exit_code == 1 and "no route" in result.output


def test_bad_date_is_usage_error():
    assert run("intro", "cbnu", "--as-of", "yesterday").exit_code == 2
