"""Clusters of partners: communities of the whole network or of one theme's ties.

Communities are found on the organisation network (`queries.engines.tied_subgraph` of the
routing graph, `queries.routing`): actors joined by their strongest routeable tie, weighted by
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

from collections import Counter

import networkx as nx

from graph.errors import EspooNetError
from graph.model import is_active, is_one_off, tie_themes

from .engines import pick_engine, seeded_igraph, tied_subgraph, to_igraph
from .entities import resolve_theme
from .routing import routing_graph
from .strength import view_day

__all__ = ["clusters", "themes_summary", "communities", "ALGORITHMS"]

ALGORITHMS = ("louvain", "leiden")
TOP = 3  # dominant themes, countries and shared documents per cluster
BRIDGES = 5


def communities(H: nx.Graph, *, algorithm: str = "louvain", seed: int = 42, engine: str = "auto") -> tuple[list[list[str]], float]:
    """Communities of `H` (weighted by ``strength``) and their modularity.

    Each community is sorted by node id; communities by size (largest first), then first id.
    """
    if algorithm not in ALGORITHMS:
        raise EspooNetError(f"unknown algorithm {algorithm!r} (use louvain or leiden)")
    engine = pick_engine(engine)
    if H.number_of_edges() == 0:
        return [], 0.0
    if engine == "networkx":
        if algorithm == "leiden":
            raise EspooNetError("NetworkX has no Leiden of its own; use engine igraph (the default)")
        groups = nx.community.louvain_communities(H, weight="strength", seed=seed)
        modularity = nx.community.modularity(H, groups, weight="strength")
    else:
        groups, modularity = _igraph_communities(H, algorithm, seed)
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    return ordered, float(modularity)


def _igraph_communities(H: nx.Graph, algorithm: str, seed: int):
    g, names = to_igraph(H)
    with seeded_igraph(seed):
        if algorithm == "leiden":
            # igraph's own Leiden optimises CPM unless told modularity; two iterations as in
            # its default, which settled within 0.1 % of modularity on the benchmark networks
            found = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
        else:
            found = g.community_multilevel(weights="weight")
    membership = found.membership
    groups: dict[int, list[str]] = {}
    for name, c in zip(names, membership):
        groups.setdefault(c, []).append(name)
    return list(groups.values()), g.modularity(membership, weights="weight")


def _top(counter: Counter, n: int = TOP) -> list[str]:
    return [k for k, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _describe(G: nx.MultiDiGraph, H: nx.Graph, groups: list[list[str]]) -> list[dict]:
    where = {n: i for i, g in enumerate(groups) for n in g}
    held: list[Counter] = [Counter() for _ in groups]  # cluster -> activity -> its participants there
    for a, parts in H.graph.get("documents", {}).items():
        for p in parts:
            if p in where:
                held[where[p]][a] += 1
    out = []
    for i, members in enumerate(groups):
        themes = Counter(t for n in members for t in G.nodes[n].get("themes") or ())
        countries = Counter(G.nodes[n]["country"] for n in members if G.nodes[n].get("country"))
        reach = {}
        for n in members:
            other = [where[m] for m in H._adj[n] if where[m] != i]
            if other:
                reach[n] = (len(set(other)), len(other))
        bridges = sorted(reach, key=lambda n: (-reach[n][0], -reach[n][1], n))[:BRIDGES]
        ranked = sorted(members, key=lambda n: (-len(H._adj[n]), n))
        documents = _top(Counter({a: c for a, c in held[i].items() if c >= 2}))
        out.append({
            "id": i + 1, "size": len(members), "members": ranked,
            "names": [G.nodes[n]["name"] for n in ranked],
            "themes": _top(themes), "countries": _top(countries),
            "bridges": bridges, "bridge_names": [G.nodes[n]["name"] for n in bridges],
            "documents": documents, "document_names": [G.nodes[a]["name"] for a in documents],
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
        ``{"clusters": [{"id", "size", "members", "names", "themes", "countries", "bridges",
        "bridge_names", "documents", "document_names"}], "modularity": x, "algorithm", "theme", "as_of", "entities",
        "ties"}``; clusters largest first, members most connected first.

    Examples
    --------
    >>> result = clusters(G, theme="quantum", algorithm="leiden")  # doctest: +SKIP
    >>> result["clusters"][0]["themes"]  # doctest: +SKIP
    ['quantum', 'ai', 'semiconductors']
    """
    tid = resolve_theme(G, theme) if theme else None
    H = tied_subgraph(routing_graph(G, as_of=as_of, theme=tid))
    groups, modularity = communities(H, algorithm=algorithm, seed=seed, engine=engine)
    return {
        "algorithm": algorithm, "theme": tid, "as_of": as_of, "seed": seed,
        "entities": H.number_of_nodes(), "ties": H.number_of_edges(),
        "modularity": round(modularity, 6), "clusters": _describe(G, H, groups),
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
