"""A map coloured by theme cluster: the largest clusters get colours a reader can tell apart
(`graph.style.CLUSTER_PALETTE`); the smaller ones beyond it share one dark grey, named in the
legend as "other clusters", and entities in no cluster a light grey."""
from __future__ import annotations

from collections import Counter

import networkx as nx

from graph.style import CLUSTER_PALETTE, OTHER_CLUSTERS, UNCLUSTERED
from queries.clusters import clusters

from .options import MapOptions

__all__ = ["cluster_colouring", "UNCLUSTERED", "OTHER_CLUSTERS"]


def cluster_colouring(G: nx.MultiDiGraph, H: nx.MultiDiGraph, options: MapOptions) -> tuple[dict[str, str], list[dict]]:
    """({node: fill colour}, legend rows [{"label", "colour", "size"}, ...]) for the map's graph
    `H`, from the clusters of `G` on the map's theme and date. A cluster's size counts its members
    on the map; the rows run largest first, then "other clusters", then "in no cluster"."""
    result = clusters(G, theme=options.theme, as_of=options.as_of, seed=options.seed)
    groups = [sorted(m for m in c["members"] if m in H) for c in result.get("clusters", [])]
    found = [(g, c) for g, c in zip(groups, result.get("clusters", [])) if g]
    found.sort(key=lambda gc: (-len(gc[0]), gc[0][0]))
    colours: dict[str, str] = {n: UNCLUSTERED for n in H}  # no ties on the theme or date: no cluster
    legend = []
    for i, (members, c) in enumerate(found[:len(CLUSTER_PALETTE)]):
        for m in members:
            colours[m] = CLUSTER_PALETTE[i]
        label = c.get("label") or _cluster_label(G, c, members, i)
        legend.append({"label": label, "colour": CLUSTER_PALETTE[i], "size": len(members)})
    rest = found[len(CLUSTER_PALETTE):]
    if rest:
        for members, _ in rest:
            for m in members:
                colours[m] = OTHER_CLUSTERS
        legend.append({"label": f"{len(rest)} smaller clusters", "colour": OTHER_CLUSTERS,
                       "size": sum(len(g) for g, _ in rest), "other": True})
    alone = sum(1 for c in colours.values() if c == UNCLUSTERED)
    if alone:
        legend.append({"label": "in no cluster", "colour": UNCLUSTERED, "size": alone})
    return colours, legend


def _cluster_label(G: nx.MultiDiGraph, cluster: dict, members: list[str], index: int) -> str:
    """A cluster named by its most common themes, else by its best-connected member."""
    themes = cluster.get("themes")
    if not themes:
        counts = Counter(t for m in members for t in (G.nodes[m].get("themes") or []))
        themes = [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    labels = G.graph.get("themes", {})
    names = [labels.get(t, {}).get("label", t) if isinstance(t, str) else str(t) for t in themes[:2]]
    if names:
        return f"{index + 1}: " + ", ".join(names)
    hub = max(members, key=lambda m: (G.degree(m), m))
    return f"{index + 1}: around {G.nodes[hub]['name']}"
