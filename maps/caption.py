"""The words around a map: its title, its scope line and its caption (date, sources, what is hidden).

The HTML map and the slide image print the same three lines.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import networkx as nx

from graph.model import resolve
from graph.schema import SCHEMA
from queries.entities import resolve_theme

from .actors import hidden_caption
from .options import DEFAULT_TITLE

__all__ = ["footer", "titles"]


def footer(H: nx.MultiDiGraph, options, hidden: dict[str, int] | None = None) -> str:
    """The caption under a map: the date of the ties, the sources (pages, sites, when seen),
    what the view of actors redrew or left out, and whether people were left out."""
    pages: dict[str, str] = {}
    for _, d in H.nodes(data=True):
        for s in d.get("sources") or []:
            pages[s["url"]] = max(pages.get(s["url"], ""), s["seen"])
    for *_, d in H.edges(data=True):
        for s in d.get("sources") or []:
            pages[s["url"]] = max(pages.get(s["url"], ""), s["seen"])
    sites = Counter(_site(u) for u in pages)
    top = ", ".join(s for s, _ in sorted(sites.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
    more = f" and {len(sites) - 4} more" if len(sites) > 4 else ""
    seen = sorted(pages.values())
    when = f"seen {seen[0]} to {seen[-1]}" if seen and seen[0] != seen[-1] else (f"seen {seen[0]}" if seen else "")
    date = options.as_of or dt.date.today().isoformat()
    cited = f"Sources: {len(pages)} pages on {len(sites)} sites ({top}{more}), {when}" if pages else "No sources"
    parts = [f"Ties as of {date}", cited]
    shown = hidden_caption(hidden or {})
    if shown:
        parts.append(shown[0].upper() + shown[1:])
    if options.public:
        parts.append("Public version: people left out")
    return ". ".join(parts) + ". Made with espoo-network."


def _site(url: str) -> str:
    """'https://www.espoo.fi/en' -> 'espoo.fi' (sources are validated http(s) addresses)."""
    host = url.split("/", 3)[2].split("@")[-1].split(":")[0].lower() if "//" in url else url
    return host[4:] if host.startswith("www.") else host


def titles(G: nx.MultiDiGraph, H: nx.MultiDiGraph, options, caption: str) -> tuple[str, str]:
    """The title and the scope line of a map: theme, focus, countries, kinds, route, counts."""
    title = options.title or DEFAULT_TITLE
    bits = []
    if options.theme:
        tid = resolve_theme(G, options.theme)
        bits.append(f"theme {G.graph.get('themes', {}).get(tid, {}).get('label', tid)}")
    if options.focus:
        steps = f"{options.depth} step{'s' if options.depth != 1 else ''}"
        bits.append(f"within {steps} of {G.nodes[resolve(G, options.focus)]['name']}")
    if options.countries:
        bits.append("in " + ", ".join(options.countries))
    if options.kinds:
        bits.append(", ".join(SCHEMA.entity_kinds[k].plural.lower() for k in options.kinds))
    if caption:
        bits.append(caption.lower() if bits else caption)
    bits.append(f"{H.number_of_nodes()} entities, {H.number_of_edges()} relations")
    if options.clusters:
        bits.append("coloured by theme cluster")
    return title, " · ".join(b[0].upper() + b[1:] if i == 0 else b for i, b in enumerate(bits))
