"""find_paths on a small graph whose routes are worked out by hand, and on the bundled data.

The graph (every tie undated, so recency is 0.75 whatever the day):

    a ─collaborates─ b ─collaborates─ e       0.375 × 0.375 = 0.140625   (tagged ai, both ties)
    a ←works_for─ p ─contact_for→ e           0.675 × 0.6   = 0.405
    a ═[c: member_of ×2]═ e                   sqrt(0.225 × 0.225) / (2 - 1) = 0.225   (one hop: c is a
                                                network, a shared activity of two members)
    a ─collab 1.0─ d ─collab 1.0─ f ─collab 1.0─ e   0.75³ = 0.421875   (explicit strengths)
    a ─twin_town─ g (1990 – 2022-03-03, ended) ─collaborates─ e (since 2000)
"""
import math

import pytest

from graph.errors import AmbiguousEntity, EntityNotFound, EspooNetError, NoPath
from graph.schema import SCHEMA
from queries.explain import hop_sources, hop_ties
from queries.paths import find_paths
from queries.routing import BY_HOPS, BY_STRENGTH, best_route, k_best_routes, routing_graph
from tests.support.minigraph import ent, graph_of, rel


@pytest.fixture(scope="module")
def G():
    entities = [
        ent("a", "city", "Alphaville", themes=["ai", "climate"], home=True),
        ent("b", "company", "Acme Oy", themes=["ai"]),
        ent("c", "network", "Climate Net", themes=["climate"]),
        ent("d", "company", "Acme AB", themes=["climate"]),
        ent("e", "company", "Epsilon", themes=["ai"]),
        ent("f", "company", "Foxtrot", themes=["climate"]),
        ent("g", "city", "Gamma City"),
        ent("p", "person", "Pia Person"),
    ]
    relations = [
        rel("a", "collaborates_with", "b", themes=["ai"]),
        rel("b", "collaborates_with", "e", themes=["ai"]),
        rel("p", "works_for", "a"),
        rel("p", "contact_for", "e"),
        rel("a", "member_of", "c"),
        rel("e", "member_of", "c"),
        rel("a", "collaborates_with", "d", strength=1.0),
        rel("d", "collaborates_with", "f", strength=1.0),
        rel("f", "collaborates_with", "e", strength=1.0),
        rel("a", "twin_town", "g", since="1990", until="2022-03-03", status="ended"),
        rel("g", "collaborates_with", "e", since="2000"),
    ]
    return graph_of(entities, relations)


def nodes_of(result):
    return [p["nodes"] for p in result["routes"]]


def test_by_hops_ties_broken_by_strength(G):
    r = find_paths(G, "a", "e", k=3)
    assert nodes_of(r) == [["a", "e"], ["a", "p", "e"], ["a", "b", "e"]]
    assert [p["cost"] for p in r["routes"]] == [1, 2, 2]
    assert [p["strength"] for p in r["routes"]] == pytest.approx([0.225, 0.405, 0.140625])
    assert [p["band"] for p in r["routes"]] == ["lukewarm", "warm", "lukewarm"]


def test_by_strength_prefers_the_longer_stronger_route(G):
    r = find_paths(G, "a", "e", k=3, by="strength")
    assert nodes_of(r) == [["a", "d", "f", "e"], ["a", "p", "e"], ["a", "e"]]
    assert r["routes"][0]["cost"] == pytest.approx(-math.log(0.421875))
    assert r["routes"][1]["cost"] == pytest.approx(-math.log(0.405))


def test_hop_details(G):
    first = find_paths(G, "a", "e", k=2)["routes"][1]
    h1, h2 = first["hops"]
    # The step walked (from/to, in route order) and the tie that carries it (its own ends, as in the data).
    assert (h1["from"], h1["to"], h1["from_name"], h1["to_name"]) == ("a", "p", "Alphaville", "Pia Person")
    t1, t2 = h1["tie"], h2["tie"]
    assert (t1["source"], t1["target"], t1["source_name"]) == ("p", "a", "Pia Person")
    assert t1["kind"] == "works_for" and t1["walked"] == "backward"
    assert t1["since"] is None and t1["until"] is None and t1["status"] == "active"
    assert t1["sources"] == [{"url": "https://example.org/r/p--works-for--a", "seen": "2025-01-01"}]
    assert (t2["source"], t2["target"], t2["walked"], t2["kind"]) == ("p", "e", "forward", "contact_for")
    assert not {"source", "target", "kind", "direction", "sources", "ties"} & set(h1)  # the step has no tie fields of its own
    assert first["explanation"] == [
        "Pia Person works for Alphaville (undated): warm (0.68) [https://example.org/r/p--works-for--a]",
        "Pia Person is the contact person for Epsilon (undated): warm (0.60) [https://example.org/r/p--contact-for--e]",
    ]


def test_a_shared_activity_is_one_hop_named_with_its_parties(G):
    hop = find_paths(G, "a", "e", k=1)["routes"][0]["hops"][0]
    assert (hop["via"], hop["via_kind"], hop["parties"], hop["strength"]) == ("c", "network", 2, pytest.approx(0.225))
    assert [(r["source"], r["kind"], r["target"]) for r in hop["ties"]] == [("a", "member_of", "c"), ("e", "member_of", "c")]
    assert "tie" not in hop


def test_names_are_accepted(G):
    assert nodes_of(find_paths(G, "alphaville", "EPSILON", k=1)) == [["a", "e"]]


def test_avoid_an_entity_kind_or_entity(G):
    assert nodes_of(find_paths(G, "a", "e", avoid=["person"])) == [["a", "e"], ["a", "b", "e"], ["a", "d", "f", "e"]]
    assert nodes_of(find_paths(G, "a", "e", avoid=["people", "Acme Oy"], k=2)) == [["a", "e"], ["a", "d", "f", "e"]]


def test_avoiding_a_kind_keeps_the_ends(G):
    assert nodes_of(find_paths(G, "p", "e", k=1, avoid="person")) == [["p", "e"]]


def test_via(G):
    assert nodes_of(find_paths(G, "a", "e", via="p")) == [["a", "p", "e"]]
    with pytest.raises(EspooNetError, match="shared activity"):
        find_paths(G, "a", "e", via="c")  # no route passes through a document; it is a hop
    assert nodes_of(find_paths(G, "a", "e", via="Foxtrot", by="strength")) == [["a", "d", "f", "e"]]
    with pytest.raises(EspooNetError):
        find_paths(G, "a", "e", via="a")


def test_max_hops(G):
    r = find_paths(G, "a", "e", k=5, by="strength", max_hops=2)
    assert nodes_of(r) == [["a", "p", "e"], ["a", "e"], ["a", "b", "e"]]


def test_theme(G):
    # ai: a–b and b–e are tagged ai; p has no themes, so its untagged ties take a's and e's (ai)
    assert nodes_of(find_paths(G, "a", "e", theme="ai")) == [["a", "p", "e"], ["a", "b", "e"]]
    with pytest.raises(NoPath, match="on theme climate"):
        find_paths(G, "a", "e", theme="climate")  # f–e is untagged and e is not on climate


def test_as_of_uses_ties_that_held_then(G):
    assert ["a", "g", "e"] not in nodes_of(find_paths(G, "a", "e", k=5))
    past = nodes_of(find_paths(G, "a", "e", k=5, as_of="2021-06-01"))
    assert ["a", "g", "e"] in past
    assert nodes_of(find_paths(G, "a", "g", as_of="2021-06-01", k=1)) == [["a", "g"]]
    with pytest.raises(NoPath):
        find_paths(G, "a", "g", max_hops=1)
    assert nodes_of(find_paths(G, "a", "g", max_hops=1, include_inactive=True)) == [["a", "g"]]


def test_errors(G):
    with pytest.raises(EntityNotFound, match="closest"):
        find_paths(G, "alphavile", "e")
    with pytest.raises(AmbiguousEntity, match="b, d"):
        find_paths(G, "Acme", "e")
    with pytest.raises(EspooNetError, match="same entity"):
        find_paths(G, "a", "alphaville")
    with pytest.raises(EspooNetError, match="ranking"):
        find_paths(G, "a", "e", by="speed")


def test_results_are_identical_across_runs(G):
    G.graph.pop("_routing_graphs", None)
    first = find_paths(G, "a", "e", k=5, by="strength")
    G.graph.pop("_routing_graphs", None)
    assert find_paths(G, "a", "e", k=5, by="strength") == first


def test_routing_graph_keeps_the_strongest_tie_per_pair():
    G = graph_of([ent("x", "city"), ent("y", "city")],
                 [rel("x", "partner_city", "y"), rel("x", "twin_town", "y", strength=0.9)])
    R = routing_graph(G)
    assert R["x"]["y"]["key"] == "x--twin-town--y"
    assert R["x"]["y"]["strength"] == pytest.approx(0.9 * 0.75)


@pytest.mark.parametrize("seed", range(40))
def test_k_best_routes_match_brute_force(seed):
    """Yen's search over the bidirectional hop-limited search agrees with enumerating every route."""
    import random

    import networkx as nx

    rnd = random.Random(seed)
    R = nx.Graph(home=())
    R.add_nodes_from(range(10))
    while R.number_of_edges() < 18:
        u, v = rnd.sample(range(10), 2)
        R.add_edge(u, v, cost=rnd.choice([0.1, 0.2, 0.35, 0.5, 1.0]))
    s, t = rnd.sample(range(10), 2)
    limit = rnd.choice([None, 2, 3, 4])
    for weight in (BY_STRENGTH, BY_HOPS):
        def key(p):
            return sum(weight.of(R[a][b]["cost"]) for a, b in zip(p, p[1:]))
        every = sorted(nx.all_simple_paths(R, s, t, cutoff=limit), key=lambda p: (round(key(p), 9), p))
        found = k_best_routes(R, s, t, 4, weight=weight, max_hops=limit)
        assert [round(k, 9) for k, _ in found] == [round(key(p), 9) for p in every[:4]]
        best = best_route(R, [s], t, weight=weight, max_hops=limit)
        assert (best is None) == (not every)


def test_bundled_route_to_sk_hynix_is_two_hops_between_actors(bundled):
    r = find_paths(bundled, "Enter Espoo", "SK hynix", k=3)
    first = r["routes"][0]
    assert first["nodes"] == ["enter-espoo", "chungbuk", "sk-hynix"] and first["length"] == 2
    assert first["hops"][-1]["via"] == "sk-hynix-m15x-investment-2022" and hop_sources(first["hops"][-1])
    for p in r["routes"]:  # no document and no place tie on any route
        assert not any(bundled.nodes[n]["kind"] in SCHEMA.activity_kinds for n in p["nodes"][1:-1])
        assert all(SCHEMA.relation_kinds[t["kind"]].route for h in p["hops"] for t in hop_ties(h))


def test_bundled_2021_view_routes_through_a_russian_twin_town(bundled):
    past = find_paths(bundled, "espoo", "ubc", as_of="2021-06-01", via="gatchina")
    assert past["routes"][0]["nodes"][:2] == ["espoo", "gatchina"]
    with pytest.raises(NoPath):
        find_paths(bundled, "espoo", "ubc", via="gatchina")
    today = find_paths(bundled, "espoo", "ubc", k=5)
    assert not {"gatchina", "sochi"} & {n for p in today["routes"] for n in p["nodes"]}


def test_a_heavy_middle_tie_is_still_found():
    """The two searches stop when their keys add up to the best meeting: a route whose middle
    tie is heavier than both sides' last keys must be met over that tie all the same."""
    import networkx as nx

    R = nx.Graph(home=())
    R.add_edge("s", "a", cost=0.1)
    R.add_edge("a", "b", cost=5.0)
    R.add_edge("b", "t", cost=0.1)
    R.add_edge("s", "x", cost=2.7)
    R.add_edge("x", "y", cost=0.1)
    R.add_edge("y", "t", cost=2.7)
    assert best_route(R, ["s"], "t", weight=BY_STRENGTH)[1] == ["s", "a", "b", "t"]
    assert [n for _, n in k_best_routes(R, "s", "t", 2)] == [["s", "a", "b", "t"], ["s", "x", "y", "t"]]


@pytest.mark.parametrize("seed", range(60))
def test_unlimited_search_matches_dijkstra(seed):
    """Without a hop limit the bidirectional search finds a route as light as Dijkstra's, on
    networks with a wide spread of tie weights (heavy middle ties, blocked entities, penalties)."""
    import random

    import networkx as nx

    rnd = random.Random(seed)
    R = nx.Graph(home=())
    R.add_nodes_from(range(30))
    while R.number_of_edges() < 60:
        u, v = rnd.sample(range(30), 2)
        R.add_edge(u, v, cost=rnd.choice([0.01, 0.1, 0.3, 1.0, 3.0, 8.0]))
    s, t = rnd.sample(range(30), 2)
    blocked = set(rnd.sample([n for n in range(30) if n not in (s, t)], rnd.choice([0, 2, 5])))
    penalty = {n: rnd.choice([0.0, 0.7]) for n in range(30)} if seed % 3 == 0 else None

    def w(a, b, d):
        if a in blocked or b in blocked:
            return None
        extra = (penalty.get(a, 0.0) + penalty.get(b, 0.0)) / 2 if penalty else 0.0
        return BY_STRENGTH.of(d["cost"]) + extra

    try:
        expected = nx.dijkstra_path_length(R, s, t, weight=w)
    except nx.NetworkXNoPath:
        expected = None
    found = best_route(R, [s], t, weight=BY_STRENGTH, blocked_nodes=blocked, penalty=penalty)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found[0] == pytest.approx(expected)


def test_tie_order_shared_between_weights_keeps_data_order_on_equal_weights():
    """Each weight's lightest-first ties come from one order by cost (shared by the weights of
    a routing graph): where two different costs round to one weight, data order decides, as a
    sort on the weights alone would; where they do not, the cheaper first."""
    import networkx as nx

    from queries.search import Weight, ordered_ties

    R = nx.Graph()
    R.add_edge("x", "p", cost=1.0 + 2 ** -52)  # (1 + 2**-52) + 1.0 rounds to 2.0, as 1.0 + 1.0 does
    R.add_edge("x", "q", cost=1.0)
    R.add_edge("x", "r", cost=0.5)
    plain, shifted = ordered_ties(R, Weight(1.0, 0.0)), ordered_ties(R, Weight(1.0, 1.0))
    assert plain["x"][0] == ("r", "q", "p")
    assert shifted["x"][0] == ("r", "p", "q") and list(shifted["x"][1]) == [1.5, 2.0, 2.0]
    assert plain.costs is shifted.costs  # the ties were read once
    assert ordered_ties(R, Weight(0.0, 1.0))["x"][0] == ("p", "q", "r")  # no scale: all equal, data order


def test_no_route_to_an_end_with_only_place_ties_says_why_not_all():
    """Espoo's key market Japan: a place tie never carries a route, so --all would not help;
    the message says so. An end with a route-carrying tie that ended gets the --all advice."""
    G = graph_of([ent("espoo", "city", "Espoo", home=True), ent("japan", "country", "Japan"),
                  ent("tln", "city", "Tallinn")],
                 [rel("espoo", "key_market", "japan"),
                  rel("espoo", "twin_town", "tln", since="1990", until="2020-01-01")])
    with pytest.raises(NoPath) as info:
        find_paths(G, "espoo", "japan")
    assert str(info.value) == ("no route joins Espoo (espoo) and Japan (japan): Japan has only place ties, "
                               "and those never carry a route")
    with pytest.raises(NoPath) as info:
        find_paths(G, "espoo", "japan", include_inactive=True)
    assert "never carry a route" in str(info.value)
    with pytest.raises(NoPath) as info:
        find_paths(G, "espoo", "tln")
    assert str(info.value).endswith("today; --all also uses ended, suspended and planned ties")
