"""An entity's neighbourhood: everyone within a few ties, with the ties that lead to them.

Unlike routes, the neighbourhood shows every relation that held on the day, of every kind
(``located_in`` too); with a theme, only ties on it (rule in `queries.routing`).
"""
from __future__ import annotations

import networkx as nx

from graph.errors import EspooNetError
from graph.lookup import normalize
from graph.model import as_of as view_as_of
from graph.model import on_theme, relations_of, resolve
from graph.schema import SCHEMA

from .entities import resolve_theme

__all__ = ["neighbours"]


def _ties(G: nx.MultiDiGraph, live: nx.MultiDiGraph, node: str, theme: str | None):
    """(other end, direction, tie) for each relation of `node` in the view (on `theme`, if given)."""
    return [r for r in relations_of(live, node) if theme is None or on_theme(G, node, r[0], r[2], theme)]


def neighbours(G: nx.MultiDiGraph, entity: str, *, depth: int = 1, theme: str | None = None, as_of=None) -> dict:
    """The entities within `depth` ties of `entity`, nearest first.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The network.
    entity : str
        Id, name or alias.
    depth : int
        How many ties away (default 1).
    theme : str, optional
        Only ties on this theme.
    as_of : date or ISO date, optional
        The network as it stood that day (default today).

    Returns
    -------
    dict
        ``{"entity", "name", "depth", "theme", "as_of", "neighbours": [{"id", "name", "kind",
        "country", "distance", "ties": [{"from", "kind", "label", "direction", "since",
        "until", "status", "sources"}]}]}``; ``ties`` are those from entities one step nearer
        (``direction`` out: the relation goes from ``from`` to this neighbour).

    Examples
    --------
    >>> [n["id"] for n in neighbours(G, "cbnu")["neighbours"]][:3]  # doctest: +SKIP
    ['cheongju', 'enter-espoo-chungbuk-mou-2024', 'iqm']
    """
    if depth < 1:
        raise EspooNetError(f"depth must be at least 1, not {depth}")
    e = resolve(G, entity)
    tid = resolve_theme(G, theme) if theme else None
    live = view_as_of(G, as_of)
    distance = {e: 0}
    found: dict[str, list[dict]] = {}
    frontier = [e]
    for step in range(1, depth + 1):
        nxt: list[str] = []
        for node in frontier:
            for other, direction, d in _ties(G, live, node, tid):
                if distance.get(other, step) < step:
                    continue  # nearer already: the ties that reach it were recorded then
                if other not in distance:
                    distance[other] = step
                    nxt.append(other)
                found.setdefault(other, []).append({
                    "from": node, "kind": d["kind"], "label": SCHEMA.relation_kinds[d["kind"]].label,
                    "direction": direction, "since": d.get("since"), "until": d.get("until"),
                    "status": d.get("status"), "sources": list(d.get("sources") or []),
                })
        frontier = nxt
    rows = []
    for n, ties in found.items():
        attrs = G.nodes[n]
        rows.append({"id": n, "name": attrs["name"], "kind": attrs["kind"], "country": attrs.get("country"),
                     "distance": distance[n], "ties": ties})
    rows.sort(key=lambda r: (r["distance"], normalize(r["name"]), r["id"]))
    return {"entity": e, "name": G.nodes[e]["name"], "depth": depth, "theme": tid, "as_of": as_of, "neighbours": rows}
