"""Neighbourhoods: every kind of tie, by distance, with the ties that lead there."""
import pytest

from graph.errors import EspooNetError
from queries.neighbours import neighbours
from tests.support.minigraph import ent, graph_of, rel


@pytest.fixture(scope="module")
def G():
    entities = [ent("a", "company", themes=["ai"]), ent("b", "company", themes=["ai"]),
                ent("c", "company", themes=["climate"]), ent("fi", "country", "Finland"),
                ent("d", "company", themes=["ai"])]
    relations = [rel("a", "collaborates_with", "b"), rel("c", "supplier_to", "a"), rel("a", "located_in", "fi"),
                 rel("b", "collaborates_with", "d"), rel("c", "collaborates_with", "d"),
                 rel("a", "invests_in", "d", status="ended", until="2020")]
    return graph_of(entities, relations)


def test_depth_one_lists_every_kind_of_tie(G):
    r = neighbours(G, "a")
    assert [(n["id"], n["distance"]) for n in r["neighbours"]] == [("b", 1), ("c", 1), ("fi", 1)]
    c = next(n for n in r["neighbours"] if n["id"] == "c")
    assert c["ties"][0]["kind"] == "supplier_to" and c["ties"][0]["direction"] == "in" and c["ties"][0]["from"] == "a"


def test_depth_two_records_every_tie_from_the_nearer_ring(G):
    r = neighbours(G, "a", depth=2)
    d = next(n for n in r["neighbours"] if n["id"] == "d")
    assert d["distance"] == 2 and sorted(t["from"] for t in d["ties"]) == ["b", "c"]


def test_theme_and_as_of(G):
    assert [n["id"] for n in neighbours(G, "a", theme="ai")["neighbours"]] == ["b", "fi"]
    assert "d" in [n["id"] for n in neighbours(G, "a", as_of="2019-06-01")["neighbours"]]
    with pytest.raises(EspooNetError):
        neighbours(G, "a", depth=0)
