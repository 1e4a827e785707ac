"""The NetworkX graph built from validated records, and views of it.

The graph is a `networkx.MultiDiGraph`: one node per entity (and per theme that a relation
names), one edge per relation, keyed by the relation's id, so parallel relations survive (a
twinning, an MoU and an EU project between the same two cities are three edges). Every record
field is kept as an attribute; lists are lists and each source is `{"url", "seen"}`.

Time: `as_of(G, date)` is the graph as it stood on a date; `as_of(G)` is today's graph, in
which only ties whose status is active (or unknown) count. See `is_active` for the rule.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
from typing import Any, Iterator

import networkx as nx

from .derived import derived
from .errors import EntityNotFound
from .lookup import EntityIndex
from .records import Dataset, Entity, Relation, Theme
from .schema import SCHEMA
from .types import day_of, first_day, last_day

__all__ = [
    "build_graph",
    "is_active",
    "as_of",
    "index",
    "resolve",
    "relations_of",
    "entity_attrs",
    "relation_attrs",
    "TODAY_STATUSES",
    "paused_gc",
]


@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while millions of small objects are made.

    Nothing built here forms reference cycles, and the collector's repeated full scans of the
    growing heap would otherwise take about half of a bulk load's time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

# Statuses that count as a live tie in today's view. `unknown` counts (the sources do not say it
# ended) but tie strength discounts it; suspended, ended and planned ties do not.
TODAY_STATUSES = frozenset({"active", "unknown"})


def _sources(srcs) -> list[dict]:
    return [s.to_dict() for s in srcs]


def entity_attrs(e: Entity) -> dict[str, Any]:
    """Node attributes of an entity: every field but the id, with lists as lists."""
    return {
        "kind": e.kind, "name": e.name, "aliases": list(e.aliases), "country": e.country, "city": e.city,
        "lat": e.lat, "lon": e.lon, "website": e.website, "themes": list(e.themes),
        "description": e.description, "role": e.role, "home": e.home, "confidence": e.confidence,
        "sources": _sources(e.sources), "wikidata": e.wikidata, "ror": e.ror, "cordis": e.cordis,
        "valid_until": e.valid_until, "review_on": e.review_on, "renewal": e.renewal,
    }


def relation_attrs(r: Relation) -> dict[str, Any]:
    """Edge attributes of a relation: every field, with lists as lists."""
    return {
        "id": r.id, "kind": r.kind, "since": r.since, "until": r.until, "status": r.status,
        "themes": list(r.themes), "strength": r.strength, "note": r.note, "confidence": r.confidence,
        "sources": _sources(r.sources),
    }


def _theme_attrs(t: Theme) -> dict[str, Any]:
    return {
        "kind": "theme", "name": t.label, "aliases": list(t.synonyms), "country": None, "city": None,
        "lat": None, "lon": None, "website": None, "themes": [t.id], "description": t.description,
        "role": None, "home": False, "confidence": None, "sources": [], "wikidata": None, "ror": None,
        "cordis": None, "valid_until": None, "review_on": None, "renewal": None,
    }


def build_graph(data: Dataset) -> nx.MultiDiGraph:
    """A MultiDiGraph of the dataset. Themes become nodes only where a relation names them."""
    with paused_gc():
        return _build(data)


def _build(data: Dataset) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.graph["themes"] = {t.id: t.to_dict() for t in data.themes}
    G.graph["origin"] = data.origin
    G.graph["locations"] = data.locations  # record id -> (file, line), where the loaders know it
    for e in data.entities:
        G.add_node(e.id, **entity_attrs(e))
    themes = {t.id: t for t in data.themes}
    for r in data.relations:
        for end in (r.source, r.target):
            if end not in G and end in themes:
                G.add_node(end, **_theme_attrs(themes[end]))
        G.add_edge(r.source, r.target, key=r.id, **relation_attrs(r))
    return G


def is_active(attrs: dict, on: dt.date | str | None = None) -> bool:
    """Whether a relation held on a day.

    Today (``on`` is None or today or later) the status decides: active and unknown ties hold
    if they have begun and not passed their `until`. On a past day the dates decide, whatever the
    status is now: a tie holds from the first day of `since` to the last day of `until`, so the
    Russian twinnings that ended on 2022-03-03 hold on 2021-06-01. Planned ties never hold.
    """
    today = dt.date.today()
    day = day_of(on)
    status = attrs.get("status", "active")
    if status == "planned":
        return False
    if day >= today and status not in TODAY_STATUSES:
        return False
    since, until = attrs.get("since"), attrs.get("until")
    if since and first_day(since) > day:
        return False
    if until and last_day(until) < day:
        return False
    return True


def as_of(G: nx.MultiDiGraph, on: dt.date | str | None = None, *, include_inactive: bool = False) -> nx.MultiDiGraph:
    """A read-only view of `G` with only the relations that held on `on` (today when None).

    Every entity stays in the view; only relations are filtered.
    """
    if include_inactive:
        return G
    day = day_of(on)

    def keep(u, v, k):
        return is_active(G.edges[u, v, k], day)

    return nx.subgraph_view(G, filter_edge=keep)


def index(G: nx.Graph) -> EntityIndex:
    """The name index of a graph, built once (see `graph.derived`); a view shares its root's."""
    root = getattr(G, "_graph", G)
    idents = SCHEMA.identifier_fields  # Wikidata, ROR and CORDIS ids find an entity like its aliases

    def names(d: dict) -> list[str]:
        return [*d.get("aliases", []), *(d[f] for f in idents if d.get(f))]

    return derived(root).get("index", lambda: EntityIndex(
        (n, d.get("name", n), names(d)) for n, d in root.nodes(data=True)))


def resolve(G: nx.Graph, query: str) -> str:
    """The id of the entity that `query` names; raises EntityNotFound or AmbiguousEntity.

    An exact id needs no name index (building one for a million entities takes seconds)."""
    root = getattr(G, "_graph", G)
    eid = query if query in root else index(G).resolve(query)
    if eid not in G:
        raise EntityNotFound(query)
    return eid


def relations_of(G: nx.MultiDiGraph, node: str) -> Iterator[tuple[str, str, dict]]:
    """Every relation of `node` as (other end, 'out'|'in', edge attributes), sorted by kind and other end."""
    rows = [(v, "out", d) for _, v, d in G.out_edges(node, data=True)]
    rows += [(u, "in", d) for u, _, d in G.in_edges(node, data=True)]
    rows.sort(key=lambda r: (r[2]["kind"], r[0], r[2].get("since") or "", r[2]["id"]))
    return iter(rows)


def tie_themes(G: nx.Graph, u: str, v: str, attrs: dict) -> set[str]:
    """The themes the relation `attrs` between `u` and `v` is on (tagged with it; untagged: the themes its two ends share, or the one end's that has themes)."""
    if attrs.get("themes"):
        return set(attrs["themes"])
    tu, tv = set(G.nodes[u].get("themes") or ()), set(G.nodes[v].get("themes") or ())
    if tu and tv:
        return tu & tv
    return tu or tv


def on_theme(G: nx.Graph, u: str, v: str, attrs: dict, theme: str) -> bool:
    """Whether the relation `attrs` between `u` and `v` is on `theme`."""
    return theme in tie_themes(G, u, v, attrs)
