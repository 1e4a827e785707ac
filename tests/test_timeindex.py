"""The array-based time and upkeep queries (`queries.timeindex`) give exactly the answers of a
walk over every relation (tests/support/upkeep_reference.py, the code they replaced), on
generated networks with published dates, shared file lines and every status."""
from __future__ import annotations

import json

import pytest

from bench.generate import generate
from graph.interchange import json_default
from graph.model import build_graph
from queries.review import REVIEW_REASONS, review
from queries.timeindex import Rows, time_index
from queries.timeline import changes
from tests.support import upkeep_reference as reference


@pytest.fixture(scope="module")
def G():
    G = build_graph(generate(1500, degree=12.0, seed=3))
    locations = {}
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        if i % 7 == 0 and d.get("sources"):  # some sources say when the page was published
            d["sources"] = [{**d["sources"][0], "published": ("2024-05", "2019", "2025-11-30")[i % 3]}]
        if d.get("status") == "ended" and i % 2:
            d["until"] = None  # ended, but not when
        if i % 3:  # two of three relations have a file and line; some share a line
            locations[d["id"]] = (f"f{i % 4}.yaml", i // 2)
    for i, (n, d) in enumerate(G.nodes(data=True)):
        if i % 2:
            locations[n] = (f"f{i % 3}.yaml", i)
        if i % 11 == 0:
            d["confidence"] = "low"
        if d.get("kind") == "person" and i % 2:  # some role texts say the role has ended
            d["role"] = "Head of Things" + ("", " (2015 - June 2020)", "", " (former)")[i % 8 // 2]
    G.graph["locations"] = locations
    return G


def as_list(rows):
    assert isinstance(rows, Rows)
    return list(rows)


@pytest.mark.parametrize("since, until, kinds", [
    ("2021-06-01", "2026-01-01", ()), ("2010", "2010", ()), ("2024-02-29", "2024-03-01", ()),
    ("1900", "2030", ()), ("2018-06", "2022", ("party_to", "collaborates_with", "works_for")),
])
def test_changes_match_the_walk(G, since, until, kinds):
    got, want = changes(G, since, until, relations=kinds), reference.changes(G, since, until, kinds=kinds)
    assert list(got) == list(want)
    for key in ("began", "ended", "changed", "first_seen"):
        assert as_list(got[key]) == want[key], key
    assert got["began"] == want["began"] and len(got["began"]) == len(want["began"])


def test_changes_on_a_theme_match_the_walk(G):
    got, want = changes(G, "2015", "2025", theme="quantum"), reference.changes(G, "2015", "2025", theme="quantum")
    for key in ("began", "ended", "changed", "first_seen"):
        assert as_list(got[key]) == want[key], key


@pytest.mark.parametrize("on, older_than", [("2026-01-01", "2y"), ("2020-06-15", "6m"), ("2040-01-01", "1y")])
def test_review_matches_the_walk(G, on, older_than):
    got, want = review(G, older_than=older_than, on=on), reference.review(G, older_than=older_than, on=on)
    assert (got["on"], got["stale_before"]) == (want["on"], want["stale_before"])
    assert as_list(got["items"]) == want["items"]
    assert {i["reason"] for i in want["items"]} == set(REVIEW_REASONS)


def test_review_on_today_matches_the_walk(G):
    # today the status decides whether a tie holds (graph.model.is_active)
    assert as_list(review(G)["items"]) == reference.review(G)["items"]


def test_rows_read_like_a_list(G):
    rows = changes(G, "2000", "2026")["began"]
    assert len(rows) > 10 and rows[-1] == list(rows)[-1] and rows[2:5] == list(rows)[2:5]
    assert json.loads(json.dumps(rows, default=json_default))[0]["id"] == rows[0]["id"]
    with pytest.raises(IndexError):
        rows[len(rows)]
    assert rows.map(lambda r: r["id"])[0] == rows[0]["id"]


def test_the_index_is_built_once_per_graph(G):
    assert time_index(G) is time_index(G)


def test_a_large_graph_read_from_files_keeps_its_arrays_in_the_cache(tmp_path, monkeypatch):
    import queries.timeindex as timeindex
    from loaders import load_graph
    from tests.support.upkeepdata import write_upkeep_data

    write_upkeep_data(tmp_path)
    monkeypatch.setattr(timeindex, "LARGE_GRAPH", 1)  # the upkeep data counts as large here
    first = time_index(load_graph(tmp_path))
    monkeypatch.setattr(timeindex, "_build_arrays", lambda G: pytest.fail("built again"))
    again = load_graph(tmp_path)
    assert (time_index(again).s_lo == first.s_lo).all()
    assert [r["id"] for r in changes(again, "2022-06-01", "2025-12-31")["ended"]] == ["espoo--partner-city--kyiv--2020"]
