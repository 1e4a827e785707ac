"""A tie's dates and status as `show`, the map pages and the explorer print them: one form of the
dates (a tie known only by its end reads 'until 2022', never a bare year that looks like its start),
and, in a view of a past day, the tie's status on that day (with today's beside it)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import cli
from graph.durations import tie_dates
from graph.model import as_of, status_on
from queries.entities import describe
from tests.support.minigraph import ent, graph_of, rel

S = '[{url: "https://example.org/a", seen: 2026-11-22}]'
DATA = f"""\
entities:
  - {{id: espoo, kind: city, name: Espoo, home: true, country: FI, sources: {S}}}
  - {{id: gatchina, kind: city, name: Gatchina, country: RU, sources: {S}}}
  - {{id: ubc, kind: network, name: Union of the Baltic Cities, sources: {S}}}
relations:
  - {{source: espoo, kind: twin_town, target: gatchina, since: 1968, until: 2022-03-03, status: ended, sources: {S}}}
  - {{source: gatchina, kind: member_of, target: ubc, until: 2022, status: ended, sources: {S}}}
  - {{source: espoo, kind: member_of, target: ubc, since: 2023, sources: {S}}}
"""


def test_dates_as_words_are_never_a_bare_year():
    assert tie_dates("1968", "2022-03-03") == "1968–2022-03-03"
    assert tie_dates(None, "2022") == "until 2022"
    assert tie_dates("2022", None) == "since 2022"
    assert tie_dates(None, None) == "undated"


def test_status_on_a_day_is_what_the_dates_say_then():
    twin = {"since": "1968", "until": "2022-03-03", "status": "ended"}
    assert status_on(twin, "2021-06-01") == "active"
    assert status_on(twin, "2022-03-03") == "active"  # its last day
    assert status_on(twin, "2022-03-04") == "ended"
    assert status_on(twin, "1967-12-31") == "not begun"
    assert status_on(twin) == "ended"  # today: as recorded
    assert status_on({"since": "2010", "until": "2020", "status": "suspended"}, "2021") == "suspended"
    assert status_on({"since": "2010", "status": "unknown"}, "2015") == "unknown"
    assert status_on({"since": "2010", "status": "planned"}, "2015") == "planned"


@pytest.fixture
def G():
    return graph_of(
        [ent("espoo", "city", "Espoo"), ent("gatchina", "city", "Gatchina"), ent("ubc", "network", "UBC")],
        [rel("espoo", "twin_town", "gatchina", since="1968", until="2022-03-03", status="ended"),
         rel("gatchina", "member_of", "ubc", until="2022", status="ended")])


def test_a_tie_known_only_by_its_end_held_before_it(G):
    """The membership that ended in 2022 (no since) held on 2021-06-01: a 2021 view lists it."""
    assert G.number_of_edges() == 2
    assert as_of(G, "2021-06-01").number_of_edges() == 2
    assert as_of(G, "2023-01-01").number_of_edges() == 0


def test_describe_as_of_gives_the_status_on_that_day(G):
    rows = [r for g in describe(G, "gatchina", as_of="2021-06-01")["relations"] for r in g["relations"]]
    assert {(r["other"], r["dates"], r["status"], r["status_now"]) for r in rows} == {
        ("espoo", "1968–2022-03-03", "active", "ended"), ("ubc", "until 2022", "active", "ended")}
    rows = [r for g in describe(G, "gatchina", include_inactive=True)["relations"] for r in g["relations"]]
    assert {(r["other"], r["status"]) for r in rows} == {("espoo", "ended"), ("ubc", "ended")}


def show(tmp_path, *args):
    (tmp_path / "net.yaml").write_text(DATA, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["show", *args, "--data", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_show_prints_unambiguous_dates_and_the_status_on_the_day(tmp_path):
    out = show(tmp_path, "gatchina", "--as-of", "2021-06-01")
    assert "-> Union of the Baltic Cities [ubc]  until 2022  active (now ended)" in out
    assert "<- Espoo [espoo]  1968–2022-03-03  active (now ended)" in out
    out = show(tmp_path, "gatchina", "--all")
    assert "[ubc]  until 2022  ended" in out and "(now" not in out
    out = show(tmp_path, "ubc", "--as-of", "2021-06-01", "--all")
    assert "<- Espoo [espoo]  since 2023  not begun (now active)" in out
    d = json.loads(show(tmp_path, "espoo", "--as-of", "2021-06-01", "--format", "json"))
    (twin,) = [r for g in d["relations"] for r in g["relations"] if r["kind"] == "twin_town"]
    assert (twin["dates"], twin["status"], twin["status_now"]) == ("1968–2022-03-03", "active", "ended")


def test_map_edges_carry_the_same_dates_and_the_status_on_the_view_day(G):
    from maps.html import map_data
    from maps.options import MapOptions
    from maps.view import build_view

    def edges(**options):
        return {e["to"]: (e["dates"], e.get("status", "active"))
                for e in map_data(build_view(G, MapOptions(**options)), compact=True)["edges"]}

    assert edges(as_of="2021-06-01") == {"gatchina": ("1968–2022-03-03", "active"), "ubc": ("until 2022", "active")}
    assert edges() == {}  # today both have ended
