"""Warm introductions on a small graph worked out by hand, and on the bundled data.

Our side: h1 (a city), h2 (a company), hp (a person working for h1). Viewed on 2024-05-20, so
the two signatures of the agreement m (dated that day) have recency 1 and every undated tie 0.75.
Score = product of tie strengths × 0.85 per hop after the first.

    hp ─contact_for→ t                       0.6                                 = 0.6
    h2 ─collab 0.9─ x ─collab─ t             0.675 × 0.375 × 0.85                = 0.21515625
    h2 ─party_to→ m ←party_to─ y ─collab─ t  0.8 × 0.8 × 0.375 × 0.85²           = 0.1734
    h1 ─collab─ x ─collab─ t                 0.375 × 0.375 × 0.85                = 0.11953125

Diversity: after hp→t and h2→x→t, the first hops hp–t and h2–x are ruled out and x costs
log 2 more, so the third route found is the agreement route (0.1734 beats 0.1195 / 2).
"""
import pytest

from graph.errors import EntityNotFound, EspooNetError
from graph.schema import SCHEMA
from queries.explain import PHRASES
from queries.introductions import introductions
from tests.support.minigraph import ent, graph_of, rel

DAY = "2024-05-20"


@pytest.fixture(scope="module")
def G():
    entities = [
        ent("h1", "city", "Home City", home=True, country="FI"),
        ent("h2", "company", "Home Oy", home=True, country="FI"),
        ent("hp", "person", "Hanna Home", home=True),
        ent("m", "agreement", "Deal M"),
        ent("t", "company", "Target Co", themes=["ai"], country="KR"),
        ent("x", "company", "Xcorp", themes=["ai"]),
        ent("y", "university", "Ycorp University"),
        ent("z", "company", "Zeta"),
        ent("w", "company", "Wallflower", themes=["quantum"], country="JP"),
        ent("v", "institute", "Vista Institute", themes=["quantum"], country="KR"),
        ent("q", "company", "Quanta", country="JP"),
    ]
    relations = [
        rel("hp", "works_for", "h1"),
        rel("hp", "contact_for", "t"),
        rel("h2", "collaborates_with", "x", strength=0.9),
        rel("x", "collaborates_with", "t"),
        rel("h2", "party_to", "m", since=DAY),
        rel("y", "party_to", "m", since=DAY),
        rel("y", "collaborates_with", "t"),
        rel("h1", "collaborates_with", "x"),
        rel("hp", "contact_for", "z"),
        rel("h1", "collaborates_with", "v"),  # v shares w's theme (quantum), q its country (JP)
        rel("x", "collaborates_with", "q"),
        rel("w", "collaborates_with", "h2", status="ended", until="2020"),
    ]
    return graph_of(entities, relations)


def test_routes_ranked_and_diverse(G):
    r = introductions(G, "Target Co", as_of=DAY)
    assert [x["nodes"] for x in r["routes"]] == [
        ["hp", "t"], ["h2", "x", "t"], ["h2", "m", "y", "t"], ["h1", "x", "t"]]
    assert [x["score"] for x in r["routes"]] == pytest.approx(
        [0.6, 0.675 * 0.375 * 0.85, 0.8 * 0.8 * 0.375 * 0.85 ** 2, 0.375 * 0.375 * 0.85], abs=1e-6)
    firsts = [tuple(x["nodes"][:2]) for x in r["routes"]]
    assert len(set(firsts)) == len(firsts)  # every route starts a different way


def test_introducer_is_the_first_person_else_the_home_organisation(G):
    r = introductions(G, "t", as_of=DAY)
    assert [x["introducer"] for x in r["routes"]] == ["hp", "h2", "h2", "h1"]
    assert r["routes"][0]["introducer_name"] == "Hanna Home"


def test_explanation_one_line_per_hop_with_date_and_source(G):
    route = introductions(G, "t", as_of=DAY)["routes"][2]
    assert route["explanation"] == [
        'Home Oy signed "Deal M" with Ycorp University on 2024-05-20 [https://example.org/r/h2--party-to--m--2024-05-20]',
        'Ycorp University is a party to "Deal M", signed on 2024-05-20 [https://example.org/r/y--party-to--m--2024-05-20]',
        "Ycorp University collaborates with Target Co (undated) [https://example.org/r/y--collaborates-with--t]",
    ]
    assert [h["kind"] for h in route["hops"]] == ["party_to", "party_to", "collaborates_with"]


def test_k_and_from(G):
    assert [x["nodes"] for x in introductions(G, "t", k=2, as_of=DAY)["routes"]] == [["hp", "t"], ["h2", "x", "t"]]
    from_h1 = introductions(G, "t", from_="Home City", as_of=DAY)["routes"]
    # from h1 only; the rest of our side is then just part of the network (h1 ← hp → t)
    assert [x["nodes"] for x in from_h1][:2] == [["h1", "hp", "t"], ["h1", "x", "t"]]
    assert from_h1[0]["introducer"] == "hp"


def test_max_hops(G):
    assert [x["nodes"] for x in introductions(G, "t", max_hops=2, as_of=DAY)["routes"]] == [
        ["hp", "t"], ["h2", "x", "t"], ["h1", "x", "t"]]


def test_single_threaded(G):
    only_hp = introductions(G, "zeta", as_of=DAY)
    assert [x["nodes"] for x in only_hp["routes"]] == [["hp", "z"]]
    assert only_hp["single_threaded"] and only_hp["single_thread"] == "hp"
    many = introductions(G, "t", as_of=DAY)
    assert not many["single_threaded"] and many["single_thread"] is None


def test_no_route_names_the_nearest_sharing_themes_or_country(G):
    r = introductions(G, "Wallflower", as_of=DAY)  # its only tie ended in 2020
    assert r["routes"] == [] and not r["single_threaded"]
    nearest = {n["id"]: n for n in r["nearest"]}
    assert set(nearest) == {"v", "q"}
    assert nearest["v"]["shared_themes"] == ["quantum"] and nearest["v"]["score"] == pytest.approx(0.375)
    assert nearest["q"]["same_country"] == "JP"
    assert nearest["q"]["score"] == pytest.approx(0.675 * 0.375 * 0.85, abs=1e-6)  # h2 → x → q
    assert [n["id"] for n in r["nearest"]] == ["v", "q"]


def test_errors(G):
    with pytest.raises(EspooNetError, match="our side"):
        introductions(G, "h2")
    with pytest.raises(EntityNotFound):
        introductions(G, "nobody at all")


def test_identical_across_runs(G):
    G.graph.pop("_routing_graphs", None)
    first = introductions(G, "t", as_of=DAY)
    G.graph.pop("_routing_graphs", None)
    assert introductions(G, "t", as_of=DAY) == first


def test_every_relation_kind_has_a_phrase():
    assert set(PHRASES) == set(SCHEMA.relation_kinds)


def test_bundled_intro_to_sk_hynix_runs_through_the_2024_chungbuk_mou(bundled):
    r = introductions(bundled, "SK hynix")
    assert r["target"] == "sk-hynix"
    via_mou = [x for x in r["routes"] if "enter-espoo-chungbuk-mou-2024" in x["nodes"]]
    assert via_mou, "no route through the Chungbuk MoU"
    route = via_mou[0]
    assert route["introducer"] in ("enter-espoo", "ossi-ritvos")
    assert len(route["explanation"]) == len(route["hops"]) == len(route["nodes"]) - 1
    signed = route["explanation"][0]
    assert "2024-05-20" in signed and "[https://" in signed and "Chungbuk" in signed


def test_bundled_2021_view_reaches_the_russian_twin_towns_today_does_not(bundled):
    for town in ("gatchina", "sochi"):
        past = introductions(bundled, town, as_of="2021-06-01")
        assert past["routes"][0]["nodes"] == ["espoo", town]
        assert "twin towns" in past["routes"][0]["explanation"][0]
        assert introductions(bundled, town)["routes"] == []
