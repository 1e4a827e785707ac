"""A map coloured by theme cluster: the largest clusters get colours a reader can tell apart
(`graph.style.CLUSTER_PALETTE`); the smaller ones beyond it share one dark grey, named in the
legend as "other clusters", and entities in no cluster a light grey."""
from __future__ import annotations

import networkx as nx

from graph.style import CLUSTER_PALETTE, OTHER_CLUSTERS, UNCLUSTERED

__all__ = ["cluster_colouring", "UNCLUSTERED", "OTHER_CLUSTERS"]


def cluster_colouring(result: dict, H: nx.MultiDiGraph) -> tuple[dict[str, str], list[dict]]:
    """({node: fill colour}, legend rows [{"label", "colour", "size"}, ...]) for the map's graph
    `H`, from a `queries.clusters.clusters` result on the map's theme and date. The rows keep the
    clusters' numbers, names and order as the clusters list gives them (so a legend and the list
    read alike), each counting its members on the map; then "smaller clusters", "in no cluster"."""
    found = [(sorted(m for m in c["members"] if m in H), c) for c in result.get("clusters", [])]
    found = [(g, c) for g, c in found if g]
    colours: dict[str, str] = {n: UNCLUSTERED for n in H}  # no ties on the theme or date: no cluster
    legend = []
    for colour, (members, c) in zip(CLUSTER_PALETTE, found):
        for m in members:
            colours[m] = colour
        legend.append({"label": f"{c['id']}: {c['label']}", "colour": colour, "size": len(members)})
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
