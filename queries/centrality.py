"""Brokers: who holds the network together, overall or on one theme.

Measured on the routing graph (`queries.routing`: the strongest routeable tie per pair, as of a
day, optionally only ties on a theme), entities with no tie left out, and so are the entities
no route passes through (documents, and kinds with ``relays: false`` in the schema: countries):

betweenness
    The share of shortest routes (by hops) between other entities that pass through it,
    normalised to 0..1: the broker's measure. On large networks it is estimated from the routes
    that start at a seeded sample of ``sample`` entities, scaled up by n / sample.
degree
    How many entities it has a tie with.
strength
    The sum of the strengths of those ties (`queries.strength`).
constraint
    Burt's constraint, with ties weighted by strength: low when its partners are not tied to
    each other, so that it spans a structural hole; high when its partners all know each other.
    Computed for the brokers returned.

Eigenvector centrality and PageRank rank hubs rather than brokers, and eigenvector centrality
is not defined on a network of several components, so they are left out.
"""
from __future__ import annotations

import heapq
import random

import networkx as nx

from .engines import OrgNetwork, org_network, pick_engine
from .entities import resolve_theme
from .routing import routing_graph

__all__ = ["brokers", "measures", "burt_constraint", "SAMPLE_ABOVE", "DEFAULT_SAMPLE"]

SAMPLE_ABOVE = 5000  # entities: above this, betweenness is sampled unless told otherwise
DEFAULT_SAMPLE = 200  # start entities in the sample: about 10 s at 100,000 entities


def _sample(net: OrgNetwork, sample: int | None, seed: int) -> list[str] | None:
    """The start entities of a sampled betweenness, drawn from a generator seeded with `seed`."""
    if sample is None or sample >= len(net):
        return None
    return random.Random(seed).sample(net.names, sample)


def _scale(n: int, k: int | None) -> float:
    """From the sum over (start, end) pairs counted once to NetworkX's normalised betweenness."""
    if n <= 2:
        return 0.0
    scale = 2.0 / ((n - 1) * (n - 2))
    return scale * n / k if k else scale


def _betweenness_networkx(net: OrgNetwork, starts: list[str] | None) -> list[float]:
    H = net.networkx()
    if starts is None:
        found = nx.betweenness_centrality(H, normalized=True)
    else:
        raw = nx.betweenness_centrality_subset(H, starts, list(H), normalized=False)
        # raw counts each (start, end) pair once in an undirected graph, as igraph does
        found = {n: b * _scale(len(H), len(starts)) for n, b in raw.items()}
    return [found[n] for n in net.names]


def _betweenness_igraph(net: OrgNetwork, starts: list[str] | None) -> list[float]:
    g = net.igraph()
    if starts is None:
        raw = g.betweenness(directed=False)
        scale = _scale(len(net), None)
    else:
        raw = g.betweenness(directed=False, sources=[net.index[s] for s in starts])
        scale = _scale(len(net), len(starts))
    return [b * scale for b in raw]


def burt_constraint(H: nx.Graph, nodes, weight: str = "strength") -> dict[str, float]:
    """Burt's constraint of `nodes` in an undirected graph, as `networkx.constraint` defines it.

    ``c(i) = sum over partners j of (p(i,j) + sum over partners q of p(i,q) p(q,j)) ** 2``, with
    ``p(a,b)`` the weight of the tie a–b over the total weight of a's ties. NetworkX's own
    function recomputes every p for every term (cubic in the degree: minutes for a hub of a
    100,000-entity network); this one computes each once. The tests check both agree.

    Examples
    --------
    >>> H = nx.Graph([("a", "b"), ("a", "c"), ("b", "c")])
    >>> nx.set_edge_attributes(H, 1.0, "strength")
    >>> round(burt_constraint(H, ["a"])["a"], 4)
    1.125
    """
    adj = H._adj
    totals: dict[str, float] = {}

    def total(a):
        if a not in totals:
            totals[a] = sum(d[weight] for d in adj[a].values())
        return totals[a]

    out = {}
    for i in nodes:
        share = {j: d[weight] / total(i) for j, d in adj[i].items() if j != i}
        indirect: dict[str, float] = {}
        for q, p_iq in share.items():
            for j, d in adj[q].items():
                if j in share and j != q:
                    indirect[j] = indirect.get(j, 0.0) + p_iq * d[weight] / total(q)
        out[i] = sum((p + indirect.get(j, 0.0)) ** 2 for j, p in share.items())
    return out


def _constraint(net: OrgNetwork, nodes: list[str], engine: str) -> dict[str, float]:
    if not nodes:
        return {}
    if engine == "networkx":
        return burt_constraint(net.networkx(), nodes)
    values = net.igraph().constraint([net.index[n] for n in nodes], weights="weight")
    return dict(zip(nodes, values))


def measures(net: OrgNetwork, *, top: int = 10, sample: int | None = None, seed: int = 42,
             engine: str = "auto") -> list[dict]:
    """Betweenness, degree, strength and constraint of the `top` brokers of the organisation
    network `net` (`queries.engines.org_network`), best first.

    Ranked by betweenness, then degree, then id (betweenness rounded to 9 places, so that
    engines that differ in the last bits rank alike).
    """
    engine = pick_engine(engine)
    starts = _sample(net, sample, seed)
    between = (_betweenness_networkx if engine == "networkx" else _betweenness_igraph)(net, starts)
    g = net.igraph()  # degrees and strengths, in C, whichever engine ranked
    degree = g.degree()
    rounded = [round(b, 9) for b in between]
    names = net.names
    best = heapq.nsmallest(top, range(len(names)), key=lambda i: (-rounded[i], -degree[i], names[i]))
    ranked = [names[i] for i in best]
    constraint = _constraint(net, ranked, engine)
    strength = g.strength(best, weights="weight")
    return [{
        "id": names[i],
        "betweenness": rounded[i],
        "degree": degree[i],
        "strength": round(s, 6),
        "constraint": round(constraint[names[i]], 6),
    } for i, s in zip(best, strength)]


def brokers(G: nx.MultiDiGraph, *, theme: str | None = None, top: int = 10, as_of=None,
            sample: int | None = None, seed: int = 42, engine: str = "auto") -> dict:
    """The entities that hold the network (or one theme's part of it) together.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The network.
    theme : str, optional
        Only ties on this theme (id, label or synonym).
    top : int
        How many brokers (default 10).
    as_of : date or ISO date, optional
        The network as it stood that day (default today).
    sample : int, optional
        Estimate betweenness from this many start entities; by default exact up to
        `SAMPLE_ABOVE` entities and `DEFAULT_SAMPLE` starts above.
    seed : int
        Seed of the sample.
    engine : {"auto", "networkx", "igraph"}
        See `queries.engines`.

    Returns
    -------
    dict
        ``{"theme", "as_of", "entities", "ties", "sampled", "brokers": [{"id", "name", "kind",
        "country", "themes", "betweenness", "degree", "strength", "constraint"}]}``.

    Examples
    --------
    >>> [b["id"] for b in brokers(G, top=3)["brokers"]]  # doctest: +SKIP
    ['espoo', 'enter-espoo', 'aalto-university']
    """
    tid = resolve_theme(G, theme) if theme else None
    net = org_network(routing_graph(G, as_of=as_of, theme=tid), relays_only=True)  # no route passes a country
    if sample is None and len(net) > SAMPLE_ABOVE:
        sample = DEFAULT_SAMPLE
    rows = measures(net, top=top, sample=sample, seed=seed, engine=engine) if len(net) else []
    for row in rows:
        d = G.nodes[row["id"]]
        row.update(name=d["name"], kind=d["kind"], country=d.get("country"), themes=list(d.get("themes") or ()))
    sampled = sample if sample is not None and sample < len(net) else None
    return {"theme": tid, "as_of": as_of, "entities": len(net), "ties": net.number_of_edges(),
            "sampled": sampled, "brokers": rows}
