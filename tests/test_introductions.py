"""Warm introductions on a small graph worked out by hand, and on the bundled data.

Our side: h1 (a city), h2 (a company), hp (a person working for h1). Viewed on 2024-05-20, so
the two signatures of the agreement m (dated that day) have recency 1 and every undated tie 0.75.
Score = product of tie strengths × 0.85 per hop after the first. The agreement m has two
parties, so signing it together is one hop of sqrt(0.8 × 0.8) / (2 - 1) = 0.8.

    hp ─contact_for→ t                       0.6                                 = 0.6
    h2 ═[m: party_to ×2]═ y ─collab─ t       0.8 × 0.375 × 0.85                  = 0.255
    h2 ─collab 0.9─ x ─collab─ t             0.675 × 0.375 × 0.85                = 0.21515625
    h1 ─collab─ x ─collab─ t                 0.375 × 0.375 × 0.85                = 0.11953125

(Before shared activities were folded, the agreement route counted three hops, 0.1734, and
came third; the document m was a stop of its own.) Diversity: after hp→t, h2→y→t and h2→x→t,
the first hops are ruled out and x costs log 2 more; h1→x→t is the only way left.
"""
import pytest

from graph.errors import EntityNotFound, EspooNetError
from graph.schema import SCHEMA
from queries.explain import hop_ties
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
        ["hp", "t"], ["h2", "y", "t"], ["h2", "x", "t"], ["h1", "x", "t"]]
    assert [x["score"] for x in r["routes"]] == pytest.approx(
        [0.6, 0.8 * 0.375 * 0.85, 0.675 * 0.375 * 0.85, 0.375 * 0.375 * 0.85], abs=1e-6)
    assert [x["band"] for x in r["routes"]] == ["warm", "lukewarm", "lukewarm", "lukewarm"]
    firsts = [tuple(x["nodes"][:2]) for x in r["routes"]]
    assert len(set(firsts)) == len(firsts)  # every route starts a different way


def test_introducer_is_the_first_person_else_the_home_organisation(G):
    r = introductions(G, "t", as_of=DAY)
    assert [x["introducer"] for x in r["routes"]] == ["hp", "h2", "h2", "h1"]
    assert r["routes"][0]["introducer_name"] == "Hanna Home"


def test_explanation_one_line_per_hop_with_date_strength_and_source(G):
    route = introductions(G, "t", as_of=DAY)["routes"][1]
    assert route["explanation"] == [
        'Home Oy and Ycorp University signed "Deal M" on 2024-05-20: warm (0.80) '
        '[https://example.org/r/h2--party-to--m--2024-05-20 and 1 more]',
        "Ycorp University collaborates with Target Co (undated): warm (0.38) [https://example.org/r/y--collaborates-with--t]",
    ]
    first = route["hops"][0]
    assert [[t["kind"] for t in hop_ties(h)] for h in route["hops"]] == [["party_to", "party_to"], ["collaborates_with"]]
    assert (first["via"], first["parties"], first["strength"]) == ("m", 2, pytest.approx(0.8))
    assert [r["source"] for r in first["ties"]] == ["h2", "y"]


def test_k_and_from(G):
    assert [x["nodes"] for x in introductions(G, "t", k=2, as_of=DAY)["routes"]] == [["hp", "t"], ["h2", "y", "t"]]
    from_h1 = introductions(G, "t", from_="Home City", as_of=DAY)["routes"]
    # from h1 only; the rest of our side is then just part of the network (h1 ← hp → t)
    assert [x["nodes"] for x in from_h1][:2] == [["h1", "hp", "t"], ["h1", "x", "t"]]
    assert from_h1[0]["introducer"] == "hp"


def test_max_hops(G):
    # the agreement is one hop: h2 ═ y ─ t fits in two
    assert [x["nodes"] for x in introductions(G, "t", max_hops=2, as_of=DAY)["routes"]] == [
        ["hp", "t"], ["h2", "y", "t"], ["h2", "x", "t"], ["h1", "x", "t"]]
    assert [x["nodes"] for x in introductions(G, "t", max_hops=1, as_of=DAY)["routes"]] == [["hp", "t"]]


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


def test_every_participation_kind_has_a_together_phrase():
    for name, kind in SCHEMA.relation_kinds.items():
        assert len(kind.phrase) == 2 and "{s}" in kind.phrase[0] and "{t}" in kind.phrase[0], name
        if kind.family == "activity":
            assert kind.together and "{x}" in kind.together, name


def test_bundled_intro_to_sk_hynix_ends_with_the_m15x_agreement_as_one_hop(bundled):
    r = introductions(bundled, "SK hynix")
    assert r["target"] == "sk-hynix"
    assert r["routes"], "no route within the default 4 hops"
    for route in r["routes"]:
        assert len(route["explanation"]) == len(route["hops"]) == len(route["nodes"]) - 1
        assert not any(bundled.nodes[n]["kind"] in SCHEMA.activity_kinds for n in route["nodes"])
        assert all(t["kind"] not in ("operates_in", "located_in", "headquartered_in", "key_market")
                   for h in route["hops"] for t in hop_ties(h))
    last = r["routes"][0]["hops"][-1]
    assert (last["via"], last["parties"]) == ("sk-hynix-m15x-investment-2022", 3)
    assert '"SK hynix M15X investment agreement' in r["routes"][0]["explanation"][-1]
    assert "(3 parties) on 2022-10-11" in r["routes"][0]["explanation"][-1]


def test_bundled_2021_view_reaches_the_russian_twin_towns_today_does_not(bundled):
    for town in ("gatchina", "sochi"):
        past = introductions(bundled, town, as_of="2021-06-01")
        assert past["routes"][0]["nodes"] == ["espoo", town]
        assert "twin towns" in past["routes"][0]["explanation"][0]
        assert introductions(bundled, town)["routes"] == []
