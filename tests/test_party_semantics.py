"""Who is a party to a shared activity: only a tie of a participation kind (schema `participates`:
party_to, partner_in, member_of, coordinates, participated_in, hosted) makes one. A contact
person's tie to an agreement is a tie to the document: it shows, but it is no signature, counts
in no activity's n, folds into no hop and makes nobody 'our side' of it."""
from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from graph.schema import SCHEMA
from maps.actors import actor_view
from queries.introductions import introductions
from queries.localties import local_routing
from queries.paths import find_paths
from queries.routing import routing_graph
from queries.ties import build_routing_graph
from queries.upkeep import due
from tests.support.minigraph import ent, graph_of, rel

DAY = "2024-05-20"
PARTIES = ("ee", "cb", "cbnu", "knut")


@pytest.fixture(scope="module")
def mou():
    """A 4-party MoU (Enter Espoo, a province and two universities) with Enter Espoo's contact
    person for it, who works for Enter Espoo; a project with a funder and a staff member."""
    entities = [ent("ee", "agency", "Enter Espoo", home=True), ent("ossi", "person", "Ossi", home=True),
                ent("cb", "region", "Chungbuk"), ent("cbnu", "university", "CBNU"), ent("knut", "university", "KNUT"),
                ent("mou", "agreement", "Four-party MoU"),
                ent("proj", "project", "Pilot"), ent("p1", "company", "P One"), ent("p2", "company", "P Two"),
                ent("ec", "agency", "Commission"), ent("pm", "person", "Project Manager")]
    relations = [rel(x, "party_to", "mou", since=DAY) for x in PARTIES]
    relations += [rel("ossi", "contact_for", "mou", since=DAY), rel("ossi", "works_for", "ee", since=DAY)]
    relations += [rel(x, "partner_in", "proj", since=DAY) for x in ("p1", "p2")]
    relations += [rel("ec", "funds", "proj", since=DAY), rel("pm", "works_for", "proj", since=DAY)]
    return graph_of(entities, relations)


def test_the_schema_says_which_kinds_make_participants():
    assert SCHEMA.participation_kinds == {"party_to", "member_of", "partner_in", "coordinates",
                                          "participated_in", "hosted"}
    assert all(SCHEMA.relation_kinds[k].family == "activity" for k in SCHEMA.participation_kinds)
    assert not {k for k, rk in SCHEMA.relation_kinds.items() if rk.speaks_for} & SCHEMA.participation_kinds


def test_a_contact_person_is_not_counted_among_the_parties(mou):
    R = routing_graph(mou, as_of=DAY)
    tie = R["ee"]["knut"]
    assert (tie["via"], tie["parties"]) == ("mou", 4)
    assert tie["strength"] == pytest.approx(0.8 / 3)  # sqrt(0.8 × 0.8) / (4 - 1)
    assert "via" not in R["ossi"].get("knut", {})  # no folded hop through his contact role
    assert not any(d.get("via") == "mou" for d in R["ossi"].values())
    assert "mou" in R["ossi"]  # his own tie to the document stays


def test_funders_and_staff_of_a_project_are_not_its_partners(mou):
    R = routing_graph(mou, as_of=DAY)
    assert R["p1"]["p2"]["parties"] == 2 and R["p1"]["p2"]["strength"] == pytest.approx(0.5)
    for outsider in ("ec", "pm"):
        assert "proj" in R[outsider] and not any("via" in d for d in R[outsider].values())


def test_explanations_and_routes_name_only_the_parties(mou):
    paths = find_paths(mou, "ee", "knut", as_of=DAY, k=5)["routes"]
    assert paths[0]["nodes"] == ["ee", "knut"]
    assert "(4 parties)" in paths[0]["explanation"][0]
    assert not any("5 parties" in line for p in paths for line in p["explanation"])
    assert not any("ossi" in p["nodes"][1:-1] for p in paths)
    intro = introductions(mou, "knut", as_of=DAY)
    lines = [line for r in intro["routes"] for line in r["explanation"]]
    assert lines and all("5 parties" not in line for line in lines)
    assert any("(4 parties)" in line for line in lines)
    assert not any(r["nodes"][:2] == ["ossi", "knut"] for r in intro["routes"])


def test_due_lists_only_the_parties_on_our_side(mou):
    items = [i for i in due(mou, on=DAY)["items"] if i["id"] == "mou"]
    assert items and all(i["holders"] == ["Enter Espoo"] for i in items)
    assert all(i["partners"] == ["CBNU", "Chungbuk", "KNUT"] for i in items)


@pytest.mark.parametrize("theme", [None, "ai"])
def test_both_routing_builds_agree(mou, theme):
    day = dt.date(2024, 5, 20)
    full, local = build_routing_graph(mou, day, theme, False), local_routing(mou, day, theme, False)
    for node in mou:
        assert list(local._adj[node].items()) == list(full._adj[node].items()), node


def test_a_map_keeps_an_activity_with_a_contact_person_as_a_node():
    H = nx.MultiDiGraph()
    for n, kind in (("a", "city"), ("b", "city"), ("c", "person"), ("m", "agreement"), ("n", "agreement")):
        H.add_node(n, kind=kind, name=n.upper())
    H.add_edge("a", "m", key="1", kind="party_to"); H.add_edge("b", "m", key="2", kind="party_to")
    H.add_edge("c", "m", key="3", kind="contact_for")
    H.add_edge("a", "n", key="4", kind="party_to"); H.add_edge("b", "n", key="5", kind="party_to")
    H.add_edge("c", "a", key="6", kind="works_for")
    assert actor_view(H) == {"activities as ties": 1}  # n folds; m keeps its contact's tie
    assert H.has_edge("c", "m") and "n" not in H
    assert not any(d.get("via") == "m" for _, _, d in H.edges(data=True))


def test_clusters_count_only_parties_among_a_documents_holders(mou):
    from queries.engines import org_network
    net = org_network(routing_graph(mou, as_of=DAY))
    assert sorted(net.documents["mou"]) == sorted(PARTIES)
    assert sorted(net.documents["proj"]) == ["p1", "p2"]
