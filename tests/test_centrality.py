"""Brokers on a bow tie worked out by hand: two triangles joined through k.

    t2   t3        u2   u3
      \\ /            \\ /
       t1 ── k ── u1           (every tie equal)

n = 7, so there are 15 pairs of other entities. k lies on all 9 routes between a t and a u:
betweenness 9/15 = 0.6. t1 lies on the 8 routes from t2 or t3 to k, u1, u2, u3: 8/15.
Burt's constraint of k: its two partners are not tied, each takes half: 0.5² + 0.5² = 0.5.
"""
from itertools import combinations

import networkx as nx
import pytest

from queries.centrality import brokers, burt_constraint, measures
from queries.engines import org_network
from queries.routing import routing_graph
from tests.support.minigraph import ent, graph_of, rel


@pytest.fixture(scope="module")
def G():
    names = ["k", "t1", "t2", "t3", "u1", "u2", "u3"]
    entities = [ent(n, "company", themes=["ai"] if n != "u3" else ["climate"]) for n in names]
    relations = [rel(a, "collaborates_with", b) for tri in (["t1", "t2", "t3"], ["u1", "u2", "u3"])
                 for a, b in combinations(tri, 2)]
    relations += [rel("k", "collaborates_with", "t1"), rel("k", "collaborates_with", "u1")]
    return graph_of(entities, relations)


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_bow_tie(G, engine):
    r = brokers(G, top=3, engine=engine)
    assert [b["id"] for b in r["brokers"]] == ["k", "t1", "u1"]
    k, t1, _ = r["brokers"]
    assert k["betweenness"] == pytest.approx(9 / 15) and t1["betweenness"] == pytest.approx(8 / 15)
    assert k["degree"] == 2 and t1["degree"] == 3
    assert k["strength"] == pytest.approx(2 * 0.375)
    assert k["constraint"] == pytest.approx(0.5)
    assert r["sampled"] is None and r["entities"] == 7 and r["ties"] == 8


def test_theme(G):
    # On ai, u1–u3 and u2–u3 drop out (u3 is on climate). Six entities, 10 pairs of others:
    # k is on the 3 × 2 routes between {t1, t2, t3} and {u1, u2}: 0.6; t1 on the 2 × 3 from
    # {t2, t3} to {k, u1, u2}: 0.6, and has more ties, so ranks first; u1 on the 4 from u2: 0.4.
    r = brokers(G, theme="ai", top=3)
    assert r["ties"] == 6 and r["entities"] == 6
    assert [(b["id"], b["betweenness"]) for b in r["brokers"]] == [("t1", 0.6), ("k", 0.6), ("u1", 0.4)]


def test_engines_agree_exactly_and_sampled(bundled):
    H = org_network(routing_graph(bundled))
    for sample in (None, 40):
        a = measures(H, top=15, sample=sample, engine="networkx")
        b = measures(H, top=15, sample=sample, engine="igraph")
        assert [x["id"] for x in a] == [x["id"] for x in b]
        for x, y in zip(a, b):
            assert x["betweenness"] == pytest.approx(y["betweenness"], abs=1e-8)
            assert x["constraint"] == pytest.approx(y["constraint"], abs=1e-6)


def test_burt_constraint_matches_networkx():
    H = nx.karate_club_graph()
    for u, v in H.edges:
        H[u][v]["strength"] = 0.2 + 0.1 * ((u * v) % 7)
    ours = burt_constraint(H, list(H))
    theirs = nx.constraint(H, weight="strength")
    assert all(ours[n] == pytest.approx(theirs[n]) for n in H)


def test_sampled_brokers_are_seeded(bundled):
    a = brokers(bundled, sample=30, seed=1)
    assert a == brokers(bundled, sample=30, seed=1)
    assert a["sampled"] == 30
