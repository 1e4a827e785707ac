"""What a tie means (graph/schema.yaml families), each rule on a small graph worked out by hand.

Every tie here is dated DAY unless said otherwise, so recency is 1 and a signature (party_to)
is worth its default 0.8, a participation (participated_in) 0.3.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from graph.errors import NoPath
from graph.model import is_active, on_theme
from graph.schema import SCHEMA
from loaders import load_dataset
from queries.centrality import brokers
from queries.clusters import clusters
from queries.introductions import introductions
from queries.neighbours import neighbours
from queries.paths import find_paths
from queries.routing import routing_graph
from queries.strength import tie_strength
from tests.support.minigraph import ent, graph_of, rel

DAY = "2024-05-20"


# --- place ties never route -------------------------------------------------------------------

@pytest.fixture(scope="module")
def placed():
    entities = [ent("a", "company", "Alpha", home=True), ent("b", "company", "Beta"), ent("m", "city", "Munich"),
                ent("k", "country", "Germany")]
    relations = [rel("a", "operates_in", "m", since=DAY), rel("b", "headquartered_in", "m", since=DAY),
                 rel("b", "located_in", "k", since=DAY), rel("a", "key_market", "k", since=DAY)]
    return graph_of(entities, relations)


def test_being_somewhere_is_not_knowing_someone(placed):
    with pytest.raises(NoPath):
        find_paths(placed, "a", "b", as_of=DAY)
    assert introductions(placed, "Munich", as_of=DAY)["routes"] == []
    assert clusters(placed, as_of=DAY)["clusters"] == []
    assert brokers(placed, as_of=DAY)["brokers"] == []
    # the ties stay in the graph, for geography and neighbourhoods
    assert [n["id"] for n in neighbours(placed, "m", as_of=DAY)["neighbours"]] == ["a", "b"]


def test_intro_to_a_place_says_who_of_our_side_is_there(placed):
    r = introductions(placed, "Munich", as_of=DAY)
    assert r["routes"] == []
    assert [(p["id"], p["relation"]) for p in r["present"]] == [("a", SCHEMA.relation_kinds["operates_in"].label)]
    assert introductions(placed, "b", as_of=DAY)["present"] == []  # a company: nobody is "in" it


def test_every_kind_is_in_one_family_and_only_place_does_not_route():
    assert {rk.family for rk in SCHEMA.relation_kinds.values()} == set(SCHEMA.families)
    assert {k for k, rk in SCHEMA.relation_kinds.items() if not rk.route} == {
        "located_in", "headquartered_in", "operates_in", "key_market"}


# --- shared activities are one hop, weaker the more participants --------------------------------

@pytest.fixture(scope="module")
def signed():
    """a and b signed the bilateral m2; a, c and 24 others (o0..o23) the 26-party m26."""
    others = [f"o{i:02d}" for i in range(24)]
    entities = [ent("a", "city", "Alpha", home=True), ent("b", "company", "Beta"), ent("c", "company", "Gamma"),
                ent("m2", "agreement", "Bilateral MoU"), ent("m26", "agreement", "Climate Contract")]
    entities += [ent(o, "company") for o in others]
    relations = [rel(x, "party_to", "m2", since=DAY) for x in ("a", "b")]
    relations += [rel(x, "party_to", "m26", since=DAY) for x in ["a", "c", *others]]
    return graph_of(entities, relations)


def test_two_party_and_26_party_documents(signed):
    R = routing_graph(signed, as_of=DAY)
    assert R["a"]["b"]["strength"] == pytest.approx(0.8)  # sqrt(0.8 × 0.8) / (2 - 1)
    assert R["a"]["c"]["strength"] == pytest.approx(0.8 / 25)  # sqrt(0.8 × 0.8) / (26 - 1)
    assert (R["a"]["c"]["via"], R["a"]["c"]["parties"]) == ("m26", 26)
    two, many = find_paths(signed, "a", "b", as_of=DAY), find_paths(signed, "a", "c", as_of=DAY)
    assert two["routes"][0]["nodes"] == ["a", "b"] and many["routes"][0]["nodes"] == ["a", "c"]
    assert two["routes"][0]["band"] == "warm" and many["routes"][0]["band"] == "cold"
    assert "(26 parties) on 2024-05-20" in many["routes"][0]["explanation"][0]
    assert '"Bilateral MoU" on 2024-05-20' in two["routes"][0]["explanation"][0]
    assert "parties" not in two["routes"][0]["explanation"][0]


def test_a_document_is_never_a_broker_nor_a_cluster_member(signed):
    members = {m for c in clusters(signed, as_of=DAY)["clusters"] for m in c["members"]}
    assert members and not members & {"m2", "m26"}
    assert not {b["id"] for b in brokers(signed, as_of=DAY, top=50)["brokers"]} & {"m2", "m26"}
    held = {a for c in clusters(signed, as_of=DAY)["clusters"] for a in c["documents"]}
    assert held <= {"m2", "m26"} and held


def test_an_activity_larger_than_the_fold_limit_is_not_folded():
    n = SCHEMA.fold_limit + 1
    entities = [ent("big", "network", "Big Forum")] + [ent(f"x{i:02d}", "company") for i in range(n)]
    G = graph_of(entities, [rel(f"x{i:02d}", "member_of", "big", since=DAY) for i in range(n)])
    R = routing_graph(G, as_of=DAY)
    assert not any("via" in d for _, _, d in R.edges(data=True))  # no pair of its members is joined
    assert R.degree("big") == n  # each member keeps its own tie to it
    with pytest.raises(NoPath):
        find_paths(G, "x00", "x01", as_of=DAY)


def test_hops_count_actors_and_a_route_may_end_at_a_document(signed):
    assert find_paths(signed, "b", "c", as_of=DAY, max_hops=2)["routes"][0]["nodes"] == ["b", "a", "c"]
    with pytest.raises(NoPath):
        find_paths(signed, "b", "c", as_of=DAY, max_hops=1)
    assert find_paths(signed, "b", "m26", as_of=DAY)["routes"][0]["nodes"] == ["b", "a", "m26"]


# --- time: ended without until; one-off ties glow for a few years -------------------------------

def test_ended_without_until_holds_only_up_to_its_since():
    tie = {"kind": "contact_for", "since": "2015", "status": "ended"}
    assert is_active(tie, "2015-06-01")
    assert not is_active(tie, "2016-01-01")
    assert not is_active(tie)  # today
    assert not is_active({"kind": "works_for", "status": "ended"}, "2000-01-01")  # no date: no day
    assert is_active({"kind": "contact_for", "since": "2015", "until": "2020", "status": "ended"}, "2019-01-01")


EVENT = {"kind": "participated_in", "since": "2025-04-03", "until": "2025-04-03", "status": "ended"}


@pytest.mark.parametrize("day, expected", [
    ("2025-04-03", 0.3),  # the day of the event
    ("2026-10-03", 0.3 * (1 - 548 / 365.25 / 3)),  # 548 days on: afterglow 0.4999...
    ("2028-04-02", 0.3 * (1 - 1095 / 365.25 / 3)),  # just before three years are up: barely warm
    ("2028-05-01", 0.0),  # past three years: no route
    ("2025-04-02", 0.0),  # not yet
])
def test_one_off_ties_fade_over_three_years(day, expected):
    assert tie_strength(EVENT, today=day, one_off=True) == pytest.approx(expected, abs=1e-9)
    assert tie_strength(EVENT, today="2025-04-04") == 0.0  # as a lasting tie it would be over


def test_contacts_made_at_an_event_stay_warm():
    G = graph_of([ent("h", "company", "Home", home=True), ent("x", "company", "Xeno"), ent("ev", "event", "Forum")],
                 [rel(p, "participated_in", "ev", since="2025-04-03", until="2025-04-03", status="ended") for p in "hx"])
    route = introductions(G, "x", as_of="2026-10-03")["routes"][0]
    assert route["nodes"] == ["h", "x"]
    assert route["score"] == pytest.approx(0.3 * (1 - 548 / 365.25 / 3), abs=1e-6)  # 2 parties: / (2 - 1)
    assert introductions(G, "x", as_of="2028-05-01")["routes"] == []


def test_ended_without_until_is_a_warning_not_an_error(tmp_path: Path):
    src = '[{url: "https://www.espoo.fi/en", seen: 2026-11-22}]'
    (tmp_path / "d.yaml").write_text(f"""\
entities:
  - {{id: espoo, kind: city, name: City of Espoo, sources: {src}}}
  - {{id: ossi, kind: person, name: Ossi Example, sources: {src}}}
relations:
  - source: ossi
    target: espoo
    kind: works_for
    since: 2015
    status: ended
    sources: {src}
""", encoding="utf-8")
    data = load_dataset(tmp_path)
    assert len(data.relations) == 1
    [w] = data.warnings
    assert (Path(w.file).name, w.line, w.field) == ("d.yaml", 9, "status")
    assert "up to its since (2015)" in w.message and "until" in w.hint
    result = CliRunner().invoke(cli.main, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 0
    assert "1 warnings" in result.output and "d.yaml:9: status: ended without until" in result.output


# --- theme filters keep our side's structure ----------------------------------------------------

@pytest.fixture(scope="module")
def themed():
    entities = [ent("city", "city", "Home City", home=True, themes=["climate"]),
                ent("dev", "agency", "Home Development", home=True, themes=["ai"]),
                ent("pia", "person", "Pia", home=True),
                ent("q", "company", "Qubit Co", themes=["quantum"]),
                ent("far", "company", "Far Co", themes=["climate"]), ent("sub", "company", "Sub Co", themes=["ai"])]
    relations = [rel("dev", "owned_by", "city"), rel("pia", "works_for", "city"),
                 rel("dev", "collaborates_with", "q", themes=["quantum"]),
                 rel("sub", "owned_by", "far")]  # structural, but not our side's
    return graph_of(entities, relations)


def test_theme_filter_keeps_the_structure_of_our_side(themed):
    found = {n["id"]: n["distance"] for n in neighbours(themed, "city", depth=2, theme="quantum")["neighbours"]}
    assert found == {"dev": 1, "pia": 1, "q": 2}
    assert find_paths(themed, "pia", "q", theme="quantum")["routes"][0]["nodes"] == ["pia", "city", "dev", "q"]
    G = themed
    assert not on_theme(G, "sub", "far", G.edges["sub", "far", "sub--owned-by--far"], "quantum")


def test_a_theme_cluster_holds_only_entities_on_the_theme(themed):
    # City and Pia reach quantum only through structural ties kept on every theme: they keep
    # paths connected (above) but are no members of a quantum cluster.
    members = {m for c in clusters(themed, theme="quantum")["clusters"] for m in c["members"]}
    assert members == {"dev", "q"}
    assert {b["id"] for b in brokers(themed, theme="quantum", top=10)["brokers"]} == {"dev", "q"}


# --- bands ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("strength, band", [(1.0, "warm"), (0.3, "warm"), (0.2999, "lukewarm"), (0.1, "lukewarm"),
                                            (0.0999, "cold"), (0.0, "cold")])
def test_band_thresholds(strength, band):
    assert SCHEMA.band(strength) == band


def test_explanation_names_the_people_and_the_note():
    G = graph_of([ent("h", "company", "Home Oy", home=True), ent("hp", "person", "Hanna", home=True),
                  ent("t", "company", "Target"), ent("tp", "person", "Tom")],
                 [rel("hp", "works_for", "h"), rel("tp", "works_for", "t"),
                  rel("h", "supplier_to", "t", since="1999", note="cryostats for its lab")])
    r = introductions(G, "t", as_of=DAY, from_="h")
    route = r["routes"][0]
    assert route["nodes"] == ["h", "t"] and (route["contact"], route["contact_name"]) == ("hp", "Hanna")
    assert r["target_contacts"] == ["tp"]
    assert route["explanation"][0].startswith("Home Oy supplies Target (since 1999): ")
    assert "cryostats for its lab" in route["explanation"][0]


def test_the_person_to_ask_is_the_one_tied_to_where_the_route_goes():
    # Two people speak for Home Oy: Aino (alphabetically first, in the role since 2015) and
    # Ville, its contact person for Korea. For a Korean target, ask Ville; for another, the
    # newer role holder.
    G = graph_of([ent("h", "agency", "Home Oy", home=True), ent("aino", "person", "Aino", home=True),
                  ent("ville", "person", "Ville", home=True), ent("newer", "person", "Zoe", home=True),
                  ent("kr", "country", "Korea", country="KR"), ent("t", "company", "Target", country="KR"),
                  ent("u", "company", "Other")],
                 [rel("aino", "works_for", "h", since="2015"), rel("ville", "works_for", "h", since="2019"),
                  rel("newer", "works_for", "h", since="2024"), rel("ville", "contact_for", "kr", since="2019"),
                  rel("h", "collaborates_with", "t", since=DAY), rel("h", "collaborates_with", "u", since=DAY)])
    assert introductions(G, "t", as_of=DAY)["routes"][0]["contact"] == "ville"
    assert introductions(G, "u", as_of=DAY)["routes"][0]["contact"] == "newer"
