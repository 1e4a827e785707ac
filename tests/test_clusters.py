"""Clusters and the themes summary on two cliques joined by one bridge, worked out by hand.

Cliques A (a1..a4: ai, FI) and B (b1..b4: climate, KR), each of six equal ties, and the
bridge a1–b1 (tagged climate). With equal weights, modularity of the split {A, B} is
2 × (6/13 − (13/26)²) = 11/26.
"""
from itertools import combinations

import pytest

from graph.errors import EspooNetError
from queries.clusters import clusters, communities, themes_summary
from queries.engines import org_network
from queries.routing import routing_graph
from tests.support.minigraph import ent, graph_of, rel

A = ["a1", "a2", "a3", "a4"]
B = ["b1", "b2", "b3", "b4"]


@pytest.fixture(scope="module")
def G():
    entities = [ent(n, "company", themes=["ai"], country="FI") for n in A]
    entities += [ent(n, "company", themes=["climate"], country="KR") for n in B]
    entities.append(ent("loner", "company", themes=["ai"]))
    relations = [rel(u, "collaborates_with", v) for clique in (A, B) for u, v in combinations(clique, 2)]
    relations.append(rel("a1", "collaborates_with", "b1", themes=["climate"]))
    return graph_of(entities, relations)


@pytest.mark.parametrize("algorithm, engine", [("louvain", "networkx"), ("louvain", "igraph"), ("leiden", "igraph")])
def test_two_cliques_are_two_clusters(G, algorithm, engine):
    r = clusters(G, algorithm=algorithm, engine=engine)
    assert [c["members"][0] for c in r["clusters"]] in (["a1", "b1"], ["b1", "a1"])  # most connected first
    assert sorted(sorted(c["members"]) for c in r["clusters"]) == [A, B]
    assert r["modularity"] == pytest.approx(11 / 26, abs=1e-6)
    assert r["entities"] == 8 and r["ties"] == 13  # the loner has no tie and forms no cluster


def test_cluster_description(G):
    by_first = {c["members"][0]: c for c in clusters(G)["clusters"]}
    a = by_first["a1"]
    assert a["themes"] == ["ai"] and a["countries"] == ["FI"] and a["bridges"] == ["a1"]
    assert by_first["b1"]["themes"] == ["climate"] and by_first["b1"]["bridges"] == ["b1"]
    assert a["names"][0] == "A1"


def test_theme_subgraph(G):
    r = clusters(G, theme="ai")  # only the ties of clique A are on ai (untagged, both ends ai)
    assert [sorted(c["members"]) for c in r["clusters"]] == [A]
    assert r["modularity"] == pytest.approx(0.0, abs=1e-9)
    assert clusters(G, theme="quantum")["clusters"] == []


def test_same_seed_same_clusters(G, bundled):
    for algorithm in ("louvain", "leiden"):
        assert clusters(bundled, algorithm=algorithm) == clusters(bundled, algorithm=algorithm)


def test_engines_agree_on_planted_communities():
    """Five cliques of six joined in a ring: every engine finds the five cliques."""
    cliques = [[f"c{i}-{j}" for j in range(6)] for i in range(5)]
    entities = [ent(n, "company") for c in cliques for n in c]
    relations = [rel(u, "collaborates_with", v) for c in cliques for u, v in combinations(c, 2)]
    relations += [rel(cliques[i][0], "collaborates_with", cliques[(i + 1) % 5][1]) for i in range(5)]
    H = org_network(routing_graph(graph_of(entities, relations)))
    found = {(alg, eng): communities(H, algorithm=alg, engine=eng)
             for alg, eng in [("louvain", "networkx"), ("louvain", "igraph"), ("leiden", "igraph")]}
    groups = {k: v[0] for k, v in found.items()}
    assert all(g == sorted(sorted(c) for c in cliques) for g in groups.values())
    mods = [m for _, m in found.values()]
    assert max(mods) - min(mods) < 1e-9


def test_errors(G):
    with pytest.raises(EspooNetError, match="algorithm"):
        clusters(G, algorithm="girvan-newman")
    with pytest.raises(EspooNetError, match="Leiden"):
        clusters(G, algorithm="leiden", engine="networkx")
    with pytest.raises(EspooNetError, match="unknown theme"):
        clusters(G, theme="knitting")


def test_themes_summary(G):
    rows = {t["id"]: t for t in themes_summary(G)["themes"]}
    assert rows["ai"] == {"id": "ai", "label": "Ai", "entities": 5, "tagged_ties": 0, "ties": 6}
    assert rows["climate"] == {"id": "climate", "label": "Climate", "entities": 4, "tagged_ties": 1, "ties": 7}
    assert rows["quantum"]["entities"] == 0


def _net(names, edges):
    from queries.engines import OrgNetwork

    return OrgNetwork(list(names), {n: i for i, n in enumerate(names)}, [i for i, _ in edges], [j for _, j in edges],
                      [1.0] * len(edges), {})


def test_crossing_ties_counted_by_hand():
    """Clusters {a, b, c}, {d, e}, {f}: a's ties cross to d, e (one cluster) and f (another)."""
    from queries.clusters import _crossing

    names = "abcdef"
    at = {n: i for i, n in enumerate(names)}
    ties = ["ab", "ac", "bc", "de", "ad", "ae", "af", "bd"]
    net = _net(names, [(at[u], at[v]) for u, v in ties])
    crossing, reached, degree = _crossing(net, [0, 0, 0, 1, 1, 2])
    assert crossing == [3, 1, 0, 2, 1, 1]
    assert reached == [2, 1, 0, 1, 1, 1]
    assert degree == [5, 3, 2, 3, 2, 1]


def test_crossing_ties_match_a_plain_count():
    """On random networks and memberships, the numpy counts equal a count tie by tie."""
    import random

    from queries.clusters import _crossing

    rnd = random.Random(3)
    for _ in range(30):
        n = rnd.randint(2, 40)
        edges = sorted({tuple(sorted(rnd.sample(range(n), 2))) for _ in range(rnd.randint(1, 3 * n))})
        side = [rnd.randrange(rnd.randint(1, 6)) for _ in range(n)]
        crossing, reached, degree = [0] * n, [set() for _ in range(n)], [0] * n
        for i, j in edges:
            degree[i] += 1
            degree[j] += 1
            if side[i] != side[j]:
                crossing[i] += 1
                crossing[j] += 1
                reached[i].add(side[j])
                reached[j].add(side[i])
        assert _crossing(_net([f"n{i}" for i in range(n)], edges), side) == (crossing, [len(r) for r in reached], degree)


def test_labels_tell_clusters_with_the_same_themes_apart():
    """Two cliques on the same themes (ai, quantum): their labels name each one's hub (the most
    connected member, one per cluster) and its themes, without the theme asked for (all carry
    it); a long hub name gives way to its shortest Latin alias. The command prints the labels."""
    from commands.queries import _render_clusters

    one = ["p1", "p2", "p3", "p4"]
    two = ["q1", "q2", "q3", "q4"]
    entities = [ent(n, "company", themes=["ai", "quantum"]) for n in one[1:] + two[1:]]
    entities.append(ent("p1", "company", name="Peninsula Quantum Research Laboratories Oy",
                        aliases=["半島", "PQRL", "Peninsula Labs"], themes=["ai", "quantum"]))
    entities.append(ent("q1", "company", themes=["quantum", "ai"]))
    relations = [rel(u, "collaborates_with", v) for clique in (one, two) for u, v in combinations(clique, 2)]
    relations += [rel("p1", "collaborates_with", "x1"), rel("q1", "collaborates_with", "x2")]  # hubs by degree
    entities += [ent("x1", "company", themes=["ai"]), ent("x2", "company", themes=["ai"])]
    relations.append(rel("p1", "collaborates_with", "q1", themes=["ai"]))
    G = graph_of(entities, relations)
    r = clusters(G)
    labels = {c["members"][0]: c["label"] for c in r["clusters"]}
    assert labels == {"p1": "around PQRL — Ai, Quantum", "q1": "around Q1 — Ai, Quantum"}
    themed = {c["members"][0]: c["label"] for c in clusters(G, theme="ai")["clusters"]}
    assert themed == {"p1": "around PQRL — Quantum", "q1": "around Q1 — Quantum"}
    text = _render_clusters(r)
    assert " 1. around PQRL — Ai, Quantum\n    5 entities" in text and " 2. around Q1 — Ai, Quantum\n" in text
