"""A country's view with our side of its ties: "our partners in Japan" shows the Japanese
entities and who on our side holds each tie with them.

Our side: the entities marked `home` and those in the home country (the country most `home`
entities are in). A counterpart is one of them tied to an entity of the view directly, or taking
part in a shared activity (an agreement, a project, an event) that the view shows.
"""
from __future__ import annotations

from collections import Counter

import networkx as nx

__all__ = ["counterparts", "home_country"]


def home_country(G: nx.MultiDiGraph) -> str | None:
    """The country most `home` entities are in (FI for Espoo's network), None without any."""
    counts = Counter(c for n, c in G.nodes(data="country") if c and G.nodes[n].get("home"))
    return min(counts, key=lambda c: (-counts[c], c)) if counts else None


def counterparts(G: nx.MultiDiGraph, base: nx.MultiDiGraph, inside: set[str]) -> set[str]:
    """The entities on our side (in `base`, the dated view) tied to one of `inside`, directly or
    through a shared activity in `inside`; none of `inside` itself.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("espoo", kind="city", country="FI", home=True)
    >>> G.add_node("nokia", kind="company", country="FI"); G.add_node("ntt", kind="company", country="JP")
    >>> G.add_node("uniper", kind="company", country="DE")
    >>> _ = G.add_edge("nokia", "ntt", kind="collaborates_with"); _ = G.add_edge("uniper", "ntt", kind="supplier_to")
    >>> sorted(counterparts(G, G, {"ntt"}))
    ['nokia']
    """
    home = home_country(G)

    def ours(m: str) -> bool:
        d = base.nodes[m]
        return bool(d.get("home")) or (home is not None and d.get("country") == home)

    # An agreement, project or event of the view is one of `inside` too: its neighbours are our
    # parties to it, so one pass over every member's neighbours finds both kinds of counterpart.
    return {m for n in inside for m in nx.all_neighbors(base, n) if m not in inside and ours(m)}
