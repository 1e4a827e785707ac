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


def tied_subgraph(R: nx.Graph, *, relays_only: bool = False) -> nx.Graph:
    """The organisation network of a routing graph: the entities that have at least one tie and
    are not shared activities (isolated ones form no cluster; an activity is already the ties it
    folds between its participants, and no document is a cluster member or a broker). With
    `relays_only` (brokers: shares of routes passing through), the entities of kinds that never
    relay a route (a country: two contacts for one country need not know each other) are left
    out too.

    A plain graph, not a subgraph view: every step through a view runs its filters, which made
    clustering a 100,000-entity network several times slower. Built once per routing graph.

    On a theme, only the entities on the theme in their own right are members: the structural
    ties kept on every theme keep paths and neighbourhoods connected, but a company and its CEO
    with nothing on quantum are no quantum cluster.
    """
    acts = R.graph.get("activities", R.graph.get("no_transit", frozenset()))
    docs = R.graph.get("no_transit", frozenset()) if relays_only else acts
    if relays_only and len(docs) == len(acts):
        return tied_subgraph(R)  # nothing but activities stays out: the same graph

    def build() -> nx.Graph:
        H = nx.Graph()
        core = R.graph.get("theme_core")
        out = docs if core is None else docs | (R._node.keys() - core)
        radj = R._adj
        with paused_gc():
            nodes = [n for n in R if n not in out and any(m not in out for m in radj[n])]
            index = {n: i for i, n in enumerate(nodes)}
            adj = {n: {} for n in nodes}
            H._node.update((n, {}) for n in nodes)
            H._adj = adj
            # One pass in the order of R.edges (as add_edges_from would take them), sharing R's
            # tie data, and collecting igraph's edge list on the way (`to_igraph`).
            edges, weights, seen = [], [], set()
            for u in nodes:
                row_u, i = adj[u], index[u]
                for v, d in radj[u].items():
                    if v in seen or v in out:
                        continue
                    row_u[v] = d
                    adj[v][u] = d
                    edges.append((i, index[v]))
                    weights.append(d["strength"])
                seen.add(u)
        H.graph["documents"] = {a: [m for m in radj[a] if m not in docs] for a in acts if radj[a]}
        derived(H).get("igraph edges", lambda: (edges, weights))
        return H

    return derived(R).get(("tied", docs is not acts), build)


def to_igraph(H: nx.Graph, weight: str = "strength"):
    """An undirected igraph copy of `H` (vertices in `H`'s node order) and that order, cached on `H`."""
    return derived(H).get(("igraph", weight), lambda: _igraph_copy(H, weight))


def _igraph_copy(H: nx.Graph, weight: str):
    import igraph as ig

    names = list(H)
    ready = derived(H).peek("igraph edges") if weight == "strength" else None  # from `tied_subgraph`
    if ready is not None:
        edges, weights = ready
    else:
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
