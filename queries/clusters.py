"""Clusters of partners: communities of the whole network or of one theme's ties.

Communities are found on the organisation network (`queries.engines.org_network` of the
routing graph, `queries.routing`; its igraph copy is built once and kept): actors joined by their strongest routeable tie, weighted by
tie strength, so a shared place joins nobody, and shared activities (agreements, projects,
events, networks) are folded into ties between their participants, never members themselves.
With a theme, only ties on that theme count. Entities with no tie form no cluster.
Louvain or Leiden optimise modularity from a seed: the same data and seed give the same clusters.

For each cluster: its members (the most connected first), its dominant themes and countries
(most common among its members), its bridges (members with ties into other clusters, the
ones reaching most other clusters first) and the shared documents that hold it together (the
activities with the most participants among its members, at least two).
"""
from __future__ import annotations

import heapq
from collections import Counter

import networkx as nx

from graph.errors import EspooNetError
from graph.model import is_active, is_one_off, tie_themes

from .engines import OrgNetwork, org_network, pick_engine, seeded_igraph
from .entities import resolve_theme
from .routing import routing_graph
from .strength import view_day

__all__ = ["clusters", "themes_summary", "communities", "ALGORITHMS"]

ALGORITHMS = ("louvain", "leiden")
TOP = 3  # dominant themes, countries and shared documents per cluster
BRIDGES = 5
LONG = 32  # a cluster's label names its hub by a shorter alias past this length


def communities(net: OrgNetwork, *, algorithm: str = "louvain", seed: int = 42,
                engine: str = "auto") -> tuple[list[list[str]], float]:
    """Communities of the organisation network `net` (weighted by tie strength) and their modularity.

    Each community is sorted by node id; communities by size (largest first), then first id.
    """
    groups, modularity, _ = _communities(net, algorithm, seed, engine)
    return groups, modularity


def _communities(net: OrgNetwork, algorithm: str, seed: int, engine: str):
    """(communities, modularity, membership: vertex -> community index in that order)."""
    if algorithm not in ALGORITHMS:
        raise EspooNetError(f"unknown algorithm {algorithm!r} (use louvain or leiden)")
    engine = pick_engine(engine)
    if net.number_of_edges() == 0:
        return [], 0.0, []
    names = net.names
    if engine == "networkx":
        if algorithm == "leiden":
            raise EspooNetError("NetworkX has no Leiden of its own; use engine igraph (the default)")
        H = net.networkx()
        found = nx.community.louvain_communities(H, weight="strength", seed=seed)
        modularity = nx.community.modularity(H, found, weight="strength")
        groups = [sorted(g) for g in found]
    else:
        g = net.igraph()
        with seeded_igraph(seed):
            if algorithm == "leiden":
                # igraph's own Leiden optimises CPM unless told modularity; two iterations as in
                # its default, which settled within 0.1 % of modularity on the benchmark networks
                found = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
            else:
                found = g.community_multilevel(weights="weight")
        by_label: dict[int, list[str]] = {}
        for name, c in zip(names, found.membership):
            by_label.setdefault(c, []).append(name)
        groups = [sorted(m) for m in by_label.values()]
        modularity = g.modularity(found.membership, weights="weight")
    groups.sort(key=lambda m: (-len(m), m[0]))
    where = {n: i for i, m in enumerate(groups) for n in m}
    membership = [where[n] for n in names]
    return groups, float(modularity), membership


def _top(counter: Counter, n: int = TOP) -> list[str]:
    return [k for k, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _crossing(net: OrgNetwork, membership: list[int]) -> tuple[list[int], list[int], list[int]]:
    """Per vertex: how many of its ties cross into another cluster, how many other clusters
    they reach, and its degree; counted over the ties' arrays in C (numpy)."""
    import numpy as np

    n = len(net.names)
    firsts, seconds = net.arrays()
    side = np.asarray(membership, dtype=np.int64)
    at_first, at_second = side[firsts], side[seconds]
    cross = at_first != at_second
    ends = np.concatenate((firsts[cross], seconds[cross]))
    other = np.concatenate((at_second[cross], at_first[cross]))
    ties = np.bincount(ends, minlength=n)
    k = int(side.max()) + 1 if n else 1
    pairs = np.sort(ends * k + other)  # (vertex, other cluster), sorted: each distinct one counts once
    distinct = np.ones(len(pairs), dtype=bool)  # (a sort and a comparison; np.unique hashes, slower here)
    np.not_equal(pairs[1:], pairs[:-1], out=distinct[1:])
    reached = np.bincount(pairs[distinct] // k, minlength=n)
    degree = np.bincount(firsts, minlength=n) + np.bincount(seconds, minlength=n)
    return ties.tolist(), reached.tolist(), degree.tolist()


def _label(G: nx.MultiDiGraph, hub: str, themes: Counter, asked: str | None) -> str:
    """A cluster's name: its most connected member (no two clusters share one, so no two names
    are the same) and its two most common themes but the one asked for (all members carry it)."""
    labels = G.graph.get("themes", {})
    names = [labels.get(t, {}).get("label", t) for t in _top(Counter({t: k for t, k in themes.items() if t != asked}), 2)]
    node = G.nodes[hub]
    name = node["name"]
    if len(name) > LONG:  # a long name by its shortest Latin alias ("VTT"), when it has one
        name = min([name, *(a for a in node.get("aliases") or () if len(a) >= 2 and a.isascii())], key=lambda a: (len(a), a))
    return f"around {name}" + (f" — {', '.join(names)}" if names else "")


def _describe(G: nx.MultiDiGraph, net: OrgNetwork, groups: list[list[str]], membership: list[int],
              asked: str | None = None) -> list[dict]:
    if not groups:
        return []
    nodes, index = G._node, net.index
    # Bridges: each member's ties into other clusters (how many clusters, how many ties).
    ties, reached, degree = _crossing(net, membership)
    held: list[Counter] = [Counter() for _ in groups]  # cluster -> activity -> its participants there
    for a, parts in net.documents.items():
        for p in parts:
            i = index.get(p)
            if i is not None:
                held[membership[i]][a] += 1
    out = []
    for c, members in enumerate(groups):
        themes = Counter(t for n in members for t in nodes[n].get("themes") or ())
        countries = Counter(nodes[n]["country"] for n in members if nodes[n].get("country"))
        where = [index[n] for n in members]
        reach = {n: (-reached[i], -ties[i], n) for n, i in zip(members, where) if ties[i]}
        bridges = heapq.nsmallest(BRIDGES, reach, key=reach.__getitem__)
        # members are sorted by id: a stable sort on minus the degree ranks the most connected
        # first, then by id
        fewer = dict(zip(members, [-degree[i] for i in where]))
        ranked = sorted(members, key=fewer.__getitem__)
        documents = _top(Counter({a: k for a, k in held[c].items() if k >= 2}))
        out.append({
            "id": c + 1, "label": _label(G, ranked[0], themes, asked), "size": len(members), "members": ranked,
            "names": [nodes[n]["name"] for n in ranked],
            "themes": _top(themes), "countries": _top(countries),
            "bridges": bridges, "bridge_names": [nodes[n]["name"] for n in bridges],
            "documents": documents, "document_names": [nodes[a]["name"] for a in documents],
        })
    return out


def clusters(G: nx.MultiDiGraph, *, theme: str | None = None, algorithm: str = "louvain", as_of=None,
             seed: int = 42, engine: str = "auto") -> dict:
    """Communities of partners, with their dominant themes and countries and their bridges.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The network.
    theme : str, optional
        Cluster only the ties on this theme (id, label or synonym).
    algorithm : {"louvain", "leiden"}
        Both optimise modularity; Leiden guarantees connected communities.
    as_of : date or ISO date, optional
        The network as it stood that day (default today).
    seed : int
        Seed of the algorithm's random choices (same seed, same clusters).
    engine : {"auto", "networkx", "igraph"}
        See `queries.engines`; auto is igraph.

    Returns
    -------
    dict
        ``{"clusters": [{"id", "label", "size", "members", "names", "themes", "countries", "bridges",
        "bridge_names", "documents", "document_names"}], "modularity": x, "algorithm", "theme", "as_of", "entities",
        "ties"}``; clusters largest first, members most connected first; a cluster's label names
        its most connected member and its most common themes (but `theme`), so labels differ.

    Examples
    --------
    >>> result = clusters(G, theme="quantum", algorithm="leiden")  # doctest: +SKIP
    >>> result["clusters"][0]["themes"]  # doctest: +SKIP
    ['quantum', 'ai', 'semiconductors']
    """
    tid = resolve_theme(G, theme) if theme else None
    net = org_network(routing_graph(G, as_of=as_of, theme=tid))
    groups, modularity, membership = _communities(net, algorithm, seed, engine)
    return {
        "algorithm": algorithm, "theme": tid, "as_of": as_of, "seed": seed,
        "entities": len(net), "ties": net.number_of_edges(),
        "modularity": round(modularity, 6), "clusters": _describe(G, net, groups, membership, tid),
    }


def themes_summary(G: nx.MultiDiGraph, as_of=None) -> dict:
    """Each theme of the taxonomy with how many entities and ties carry it.

    ``entities``: entities that list the theme; ``tagged_ties``: ties (holding on the day)
    that list it; ``ties``: ties on the theme by the rule `--theme` filters use (tagged, or
    untagged between two entities on it). Sorted by entities, then ties, then id.

    Examples
    --------
    >>> themes_summary(G)["themes"][0]  # doctest: +SKIP
    {'id': 'innovation', 'label': 'Innovation', 'entities': 61, 'tagged_ties': 40, 'ties': 96}
    """
    day = view_day(as_of)
    entities = Counter(t for n, d in G.nodes(data=True) if d["kind"] != "theme" for t in d.get("themes") or ())
    tagged, on = Counter(), Counter()
    for u, v, d in G.edges(data=True):  # the edges of `as_of(G, day)`, without a view's overhead
        if not is_active(d, day, one_off=is_one_off(G, u, v)):
            continue
        tagged.update(d.get("themes") or ())
        on.update(tie_themes(G, u, v, d))
    rows = [{"id": tid, "label": t["label"], "entities": entities[tid], "tagged_ties": tagged[tid], "ties": on[tid]}
            for tid, t in G.graph.get("themes", {}).items()]
    rows.sort(key=lambda r: (-r["entities"], -r["ties"], r["id"]))
    return {"as_of": as_of, "themes": rows}
