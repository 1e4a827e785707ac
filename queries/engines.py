"""Graph engines behind the whole-network queries: NetworkX, and igraph for speed.

Measured on generated networks of 100,000 entities (``python -m bench.queries``): Louvain in
NetworkX takes about 50 s where igraph's C Louvain takes a few and its C Leiden under one
(leidenalg's Leiden took ten), and igraph's betweenness is some 15 to 40 times faster per
source. So ``engine="auto"`` picks igraph;
``"networkx"`` stays available, and the tests check that both give the same answers on small
graphs. igraph is imported only here, inside functions, to keep start-up fast.
"""
from __future__ import annotations

import contextlib
import random

import networkx as nx

from graph.derived import derived
from graph.errors import EspooNetError
from graph.model import paused_gc

__all__ = ["ENGINES", "pick_engine", "to_igraph", "seeded_igraph", "tied_subgraph"]

ENGINES = ("auto", "networkx", "igraph")


def pick_engine(engine: str) -> str:
    """The engine to use: 'auto' is igraph (see the module docstring)."""
    if engine not in ENGINES:
        raise EspooNetError(f"unknown engine {engine!r} (use one of: {', '.join(ENGINES)})")
    return "igraph" if engine == "auto" else engine


def tied_subgraph(R: nx.Graph) -> nx.Graph:
    """The organisation network of a routing graph: the entities that have at least one tie and
    are not shared activities (isolated ones form no cluster; an activity is already the ties it
    folds between its participants, and no document is a cluster member or a broker).

    A plain graph, not a subgraph view: every step through a view runs its filters, which made
    clustering a 100,000-entity network several times slower. Built once per routing graph.

    On a theme, only the entities on the theme in their own right are members: the structural
    ties kept on every theme keep paths and neighbourhoods connected, but a company and its CEO
    with nothing on quantum are no quantum cluster.
    """
    def build() -> nx.Graph:
        H = nx.Graph()
        docs = R.graph.get("no_transit", frozenset())
        core = R.graph.get("theme_core")
        out = docs if core is None else docs | (R._node.keys() - core)
        with paused_gc():
            H.add_nodes_from(n for n in R if n not in out and any(m not in out for m in R._adj[n]))
            H.add_edges_from((u, v, d) for u, v, d in R.edges(data=True) if u not in out and v not in out)
        H.graph["documents"] = {a: [m for m in R._adj[a] if m not in docs] for a in docs if R._adj[a]}
        return H

    return derived(R).get("tied", build)


def to_igraph(H: nx.Graph, weight: str = "strength"):
    """An undirected igraph copy of `H` (vertices in `H`'s node order) and that order, cached on `H`."""
    return derived(H).get(("igraph", weight), lambda: _igraph_copy(H, weight))


def _igraph_copy(H: nx.Graph, weight: str):
    import igraph as ig

    names = list(H)
    index = {n: i for i, n in enumerate(names)}
    edges, weights = [], []
    for u, v, w in H.edges(data=weight):
        edges.append((index[u], index[v]))
        weights.append(w)
    g = ig.Graph(n=len(names), edges=edges, directed=False)
    g.es["weight"] = weights
    return g, names


@contextlib.contextmanager
def seeded_igraph(seed: int):
    """Run igraph's random choices from a generator seeded with `seed`, then restore the default."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
