"""Graph engines behind the whole-network queries: NetworkX, and igraph for speed.

Measured on generated networks of 100,000 entities (``python -m bench.queries``): Louvain in
NetworkX takes about 50 s where igraph's C Louvain takes a few and its C Leiden under one
(leidenalg's Leiden took ten), and igraph's betweenness is some 15 to 40 times faster per
source. So ``engine="auto"`` picks igraph;
``"networkx"`` stays available, and the tests check that both give the same answers on small
graphs. Both work on `org_network`, which goes straight from the routing graph to the lists
igraph takes and keeps the igraph copy (the NetworkX copy is made only for ``engine="networkx"``).
igraph is imported only inside functions, to keep start-up fast.
"""
from __future__ import annotations

import contextlib
import random

import networkx as nx

from graph.derived import derived
from graph.errors import EspooNetError
from graph.model import paused_gc

__all__ = ["ENGINES", "pick_engine", "OrgNetwork", "org_network", "seeded_igraph"]

ENGINES = ("auto", "networkx", "igraph")


def pick_engine(engine: str) -> str:
    """The engine to use: 'auto' is igraph (see the module docstring)."""
    if engine not in ENGINES:
        raise EspooNetError(f"unknown engine {engine!r} (use one of: {', '.join(ENGINES)})")
    return "igraph" if engine == "auto" else engine


class OrgNetwork:
    """The organisation network of a routing graph, as clustering and brokers need it: the
    entities that have at least one tie and are not shared activities (isolated ones form no
    cluster; an activity is already the ties it folds between its participants, and no document
    is a cluster member or a broker), and the ties between them. With ``relays_only`` (brokers:
    shares of routes passing through), the entities of kinds that never relay a route (a
    country: two contacts for one country need not know each other) are left out too.

    ``names`` (vertices, in the routing graph's order), ``index`` (name -> vertex), ``firsts`` and
    ``seconds`` (the ties' two vertices, in the order of the routing graph's edges; ``edges`` pairs
    them; `arrays()` the same as numpy arrays), ``weights`` (their strengths),
    ``documents`` (activity -> its participants, for the clusters' shared documents).
    `igraph()` is the igraph copy, built straight from these lists the first time it is asked
    for and kept; `networkx()` a plain NetworkX graph of the same ties, only for
    ``engine="networkx"``. Built once per routing graph (`org_network`).

    On a theme, only the entities on the theme in their own right are members: the structural
    ties kept on every theme keep paths and neighbourhoods connected, but a company and its CEO
    with nothing on quantum are no quantum cluster.
    """

    __slots__ = ("names", "index", "firsts", "seconds", "weights", "documents", "_igraph", "_networkx", "_arrays")

    def __init__(self, names, index, firsts, seconds, weights, documents):
        self.names, self.index, self.weights, self.documents = names, index, weights, documents
        self.firsts, self.seconds = firsts, seconds  # the ties' two ends, as two lists (map-friendly)
        self._igraph = self._networkx = self._arrays = None

    @property
    def edges(self):
        """The ties as vertex pairs, in order."""
        return zip(self.firsts, self.seconds)

    def __len__(self) -> int:
        return len(self.names)

    def number_of_edges(self) -> int:
        return len(self.firsts)

    def arrays(self):
        """``firsts`` and ``seconds`` as two numpy integer arrays (for counting in C), kept."""
        if self._arrays is None:
            import numpy as np

            self._arrays = (np.array(self.firsts, dtype=np.int64), np.array(self.seconds, dtype=np.int64))
        return self._arrays

    def igraph(self):
        """The undirected igraph copy (vertex i is ``names[i]``; edge attribute ``weight``)."""
        if self._igraph is None:
            import igraph as ig

            with paused_gc():  # a million pairs made and dropped: no collections on the way
                g = ig.Graph(n=len(self.names), edges=list(self.edges), directed=False)
            g.es["weight"] = self.weights
            self._igraph = g
        return self._igraph

    def networkx(self) -> nx.Graph:
        """The same ties as a NetworkX graph (attribute ``strength``), nodes and ties in the same order."""
        if self._networkx is None:
            H = nx.Graph()
            names = self.names
            H.add_nodes_from(names)
            H.add_weighted_edges_from(((names[i], names[j], w) for (i, j), w in zip(self.edges, self.weights)),
                                      weight="strength")
            self._networkx = H
        return self._networkx


def org_network(R: nx.Graph, *, relays_only: bool = False) -> OrgNetwork:
    """The organisation network of routing graph `R` (see `OrgNetwork`), built once per `R`:
    one pass over its rows, straight to the lists igraph takes (no NetworkX copy in between)."""
    acts = R.graph.get("activities", R.graph.get("no_transit", frozenset()))
    docs = R.graph.get("no_transit", frozenset()) if relays_only else acts
    if relays_only and len(docs) == len(acts):
        return org_network(R)  # nothing but activities stays out: the same network

    def build() -> OrgNetwork:
        core = R.graph.get("theme_core")
        out = docs if core is None else docs | (R._node.keys() - core)
        radj = R._adj
        with paused_gc():
            names = [n for n in R if n not in out and any(m not in out for m in radj[n])]
            index = {n: i for i, n in enumerate(names)}
            # In the order of R.edges (each tie at its first end's turn), as the copy always had.
            firsts, seconds, weights, where = [], [], [], index.get
            for i, u in enumerate(names):
                for v, d in radj[u].items():
                    j = where(v)
                    if j is not None and j > i:
                        firsts.append(i)
                        seconds.append(j)
                        weights.append(d["strength"])
        aside = R.graph.get("not_parties", frozenset())  # a contact person is no participant
        documents = {a: [m for m in radj[a] if m not in docs and (a, m) not in aside] for a in acts if radj[a]}
        return OrgNetwork(names, index, firsts, seconds, weights, documents)

    return derived(R).get(("org", docs is not acts), build)


@contextlib.contextmanager
def seeded_igraph(seed: int):
    """Run igraph's random choices from a generator seeded with `seed`, then restore the default."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
