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
import contextvars
import datetime as dt
import gc
from typing import Any, Callable, Iterator

import networkx as nx

from .derived import derived
from .errors import AmbiguousEntity, EntityNotFound
from .lookup import EntityIndex
from .records import Dataset, Entity, Locations, Relation, Theme
from .schema import SCHEMA
from .types import day_of, first_day, last_day

__all__ = [
    "build_graph",
    "prefer_actor",
    "resolve_preferring_actors",
    "also_names_note",
    "collecting_notes",
    "is_active",
    "status_on",
    "is_one_off",
    "last_day_held",
    "ended_without_until",
    "tie_themes",
    "on_theme",
    "keeps_every_theme",
    "as_of",
    "index",
    "resolve",
    "relations_of",
    "entity_attrs",
    "relation_attrs",
    "TODAY_STATUSES",
    "paused_gc",
    "node_values",
]


@contextlib.contextmanager
def paused_gc(keep: Callable[[], bool] | None = None):
    """Pause the cyclic garbage collector while millions of small objects are made.

    Nothing built here forms reference cycles, and the collector's repeated full scans of the
    growing heap would otherwise take about half of a bulk load's time. When `keep()` says so on
    the way out, what exists then is moved out of the collector's sight for good (`gc.freeze`):
    a large graph lives as long as the program, and the first collection after the pause would
    otherwise walk every object made during it (seconds at a million relations).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep is not None and keep():
            gc.freeze()
        if was_enabled:
            gc.enable()

# Statuses that count as a live tie in today's view. `unknown` counts (the sources do not say it
# ended) but tie strength discounts it; suspended, ended and planned ties do not.
TODAY_STATUSES = frozenset({"active", "unknown"})


def _sources(srcs) -> list[dict]:
    return [s.to_dict() if s.published else {"url": s.url, "seen": s.seen} for s in srcs]  # Source.to_dict, inlined


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
    G.graph["locations"] = Locations(data.locations)  # record id -> (file, line), where the loaders know it
    for e in data.entities:
        G.add_node(e.id, **entity_attrs(e))
    themes = {t.id: t for t in data.themes}
    # Edges go straight into the adjacency (what `add_edge` does, without copying each edge's
    # attributes through two keyword dicts: a third of a million-relation build). Relation ids
    # are unique (the loaders check), so no key is ever written twice.
    node, succ, pred = G._node, G._succ, G._pred
    for r in data.relations:
        u, v = r.source, r.target
        if u not in node or v not in node:  # a theme a relation names (an entity is there already)
            for end in (u, v):
                if end not in node:
                    G.add_node(end, **(_theme_attrs(themes[end]) if end in themes else {}))
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[r.id] = relation_attrs(r)
    return G


def ended_without_until(attrs: dict) -> bool:
    """An `ended` tie that does not say when it ended (a validation warning: add `until`)."""
    return attrs.get("status") == "ended" and not attrs.get("until")


def last_day_held(attrs: dict, *, one_off: bool = False) -> dt.date | None:
    """The last day a tie is known to hold (None: open-ended).

    The last day of `until`; for an `ended` tie without `until`, the last day of its last dated
    evidence, its `since` (an ended tie with no date at all held on no day we can name, so it is
    `date.min`). A one-off tie (to an event) stays warm `SCHEMA.one_off_years` longer.
    """
    end = attrs.get("until") or (attrs.get("since") if ended_without_until(attrs) else None)
    if end is None:
        return dt.date.min if ended_without_until(attrs) else None
    last = last_day(end)
    if one_off:
        last += dt.timedelta(days=round(SCHEMA.one_off_years * 365.25))
    return last


def is_one_off(G: nx.Graph, u: str, v: str) -> bool:
    """Whether a tie between `u` and `v` is one-off: an end is of a one-off kind (an event)."""
    kinds = SCHEMA.one_off_kinds
    return G.nodes[u].get("kind") in kinds or G.nodes[v].get("kind") in kinds


def is_active(attrs: dict, on: dt.date | str | None = None, *, one_off: bool = False) -> bool:
    """Whether a relation held on a day: the one rule of time, for every view and query.

    Today (``on`` is None or today or later) the status decides: active and unknown ties hold
    if they have begun and not passed their `until`. On a past day the dates decide, whatever the
    status is now: a tie holds from the first day of `since` to the last day of `until`, so the
    Russian twinnings that ended on 2022-03-03 hold on 2021-06-01. Planned ties never hold.

    An ``ended`` tie without ``until`` holds only up to its last dated evidence, the last day of
    its ``since`` (and, with no dates at all, on no day): we know it held then, not later.

    A one-off tie (``one_off``: one end is an event, see `is_one_off`) is what was met there: it
    holds from its ``since`` to ``SCHEMA.one_off_years`` after its last day, ended or not (its
    strength fades over those years, `queries.strength`); suspended or planned, it does not.
    """
    day = day_of(on)
    status = attrs.get("status", "active")
    if status == "planned" or (one_off and status == "suspended"):
        return False
    if not one_off and day >= dt.date.today() and status not in TODAY_STATUSES:
        return False
    since = attrs.get("since")
    if since and first_day(since) > day:
        return False
    last = last_day_held(attrs, one_off=one_off)
    return last is None or last >= day


def status_on(attrs: dict, on: dt.date | str | None = None, *, one_off: bool = False) -> str:
    """A tie's status on a day, as `is_active` reads it: the recorded status today (``on`` None,
    today or later); on a past day, what its dates say then. A tie that held on that day was
    ``active`` (an ``unknown`` one stays ``unknown``: nothing says more); one whose `since` is
    later had ``not begun``; one past its last day had ``ended`` (or was ``suspended``, if that
    is how it stopped); a planned tie is ``planned`` on every day.

    >>> twin = {"since": "1968", "until": "2022-03-03", "status": "ended"}
    >>> status_on(twin, "2021-06-01"), status_on(twin, "1960"), status_on(twin, "2023")
    ('active', 'not begun', 'ended')
    """
    status = attrs.get("status", "active")
    day = day_of(on)
    if on is None or day >= dt.date.today() or status == "planned":
        return status
    if is_active(attrs, day, one_off=one_off):
        return "unknown" if status == "unknown" else "active"
    since = attrs.get("since")
    if since and first_day(since) > day:
        return "not begun"
    return "suspended" if status == "suspended" else "ended"


def as_of(G: nx.MultiDiGraph, on: dt.date | str | None = None, *, include_inactive: bool = False) -> nx.MultiDiGraph:
    """A read-only view of `G` with only the relations that held on `on` (today when None).

    Every entity stays in the view; only relations are filtered.
    """
    if include_inactive:
        return G
    day = day_of(on)

    def keep(u, v, k):
        return is_active(G.edges[u, v, k], day, one_off=is_one_off(G, u, v))

    return nx.subgraph_view(G, filter_edge=keep)


def index(G: nx.Graph) -> EntityIndex:
    """The name index of a graph, built once (see `graph.derived`); a view shares its root's."""
    root = getattr(G, "_graph", G)
    idents = SCHEMA.identifier_fields  # Wikidata, ROR and CORDIS ids find an entity like its aliases

    def names(d: dict) -> list[str]:
        return [*d.get("aliases", []), *(d[f] for f in idents if d.get(f))]

    return derived(root).get("index", lambda: EntityIndex(
        (n, d.get("name", n), names(d)) for n, d in root.nodes(data=True)))


def prefer_actor(candidates: list[str], kind_of) -> str | None:
    """Of the entities one name matches, the one actor when the others are all shared activities
    (an agreement, event, project or network named after it: 'Okayama' the university, not the
    meeting); None when that does not settle it. `kind_of`: id -> entity kind.

    >>> prefer_actor(["okayama-meeting", "okayama-university"], {"okayama-meeting": "event", "okayama-university": "university"}.get)
    'okayama-university'
    """
    actors = [c for c in candidates if kind_of(c) not in SCHEMA.activity_kinds]
    return actors[0] if len(actors) == 1 and len(candidates) > 1 else None


def resolve_preferring_actors(G: nx.Graph, query: str) -> tuple[str, list[str]]:
    """(id, the other entities the name also matches): a name matching one actor and only shared
    activities besides names the actor (`prefer_actor`); any other ambiguity raises
    AmbiguousEntity. Records no note (see `resolve`)."""
    root = getattr(G, "_graph", G)
    try:
        eid, also = (query if query in root else index(G).resolve(query)), []
    except AmbiguousEntity as e:
        eid = prefer_actor(e.candidates, lambda c: root.nodes[c].get("kind") if c in root else None)
        if eid is None:
            raise
        also = [c for c in e.candidates if c != eid]
    if eid not in G:
        raise EntityNotFound(query)
    return eid, also


def also_names_note(G: nx.Graph, query: str, eid: str, also: list[str]) -> str:
    """The note that a name also names other entities: "'Okayama' also names Okayama meeting
    (okayama-meeting, event); answering for Okayama University (okayama-university)"."""
    root = getattr(G, "_graph", G)
    named = ", ".join(f"{root.nodes[a]['name']} ({a}, {root.nodes[a]['kind']})" for a in also)
    return f"{query!r} also names {named}; answering for {root.nodes[eid]['name']} ({eid})"


# The notes `resolve` made while collecting (`collecting_notes`): a command prints them, the
# explorer's API answers them, so every command makes intro's choice and says so the same way.
_NOTES: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("resolve_notes", default=None)


@contextlib.contextmanager
def collecting_notes() -> Iterator[list[str]]:
    """Collect the notes of every `resolve` inside the block (each once, in order)."""
    token = _NOTES.set([])
    try:
        yield _NOTES.get()
    finally:
        _NOTES.reset(token)


def resolve(G: nx.Graph, query: str) -> str:
    """The id of the entity that `query` names; raises EntityNotFound or AmbiguousEntity.

    The one resolver of every command: a name matching one actor and only shared activities
    besides (an event named after a university) names the actor, with a note (`also_names_note`)
    for `collecting_notes`. An exact id needs no name index (building one for a million entities
    takes seconds)."""
    eid, also = resolve_preferring_actors(G, query)
    notes = _NOTES.get()
    if also and notes is not None:
        note = also_names_note(G, query, eid, also)
        if note not in notes:
            notes.append(note)
    return eid


def relations_of(G: nx.MultiDiGraph, node: str) -> Iterator[tuple[str, str, dict]]:
    """Every relation of `node` as (other end, 'out'|'in', edge attributes), sorted by kind and other end."""
    rows = [(v, "out", d) for _, v, d in G.out_edges(node, data=True)]
    rows += [(u, "in", d) for u, _, d in G.in_edges(node, data=True)]
    rows.sort(key=lambda r: (r[2]["kind"], r[0], r[2].get("since") or "", r[2]["id"]))
    return iter(rows)


def node_values(G: nx.Graph, field: str) -> dict:
    """node -> its `field` (None where it has none), for every node of `G`, in the graph's order;
    from the columns a lazily read graph keeps (`loaders.lazy.LazyGraph`: kind, home, country)
    without reading every entity, else from the nodes."""
    columns = getattr(G, "columns", None)
    if columns and field in columns:
        return dict(zip(G._node, columns[field]))
    return dict(G.nodes(data=field))


def tie_themes(G: nx.Graph, u: str, v: str, attrs: dict) -> set[str]:
    """The themes the relation `attrs` between `u` and `v` is on (tagged with it; untagged: the themes its two ends share, or the one end's that has themes)."""
    if attrs.get("themes"):
        return set(attrs["themes"])
    tu, tv = set(G.nodes[u].get("themes") or ()), set(G.nodes[v].get("themes") or ())
    if tu and tv:
        return tu & tv
    return tu or tv


def keeps_every_theme(G: nx.Graph, u: str, v: str, attrs: dict) -> bool:
    """Whether a tie is on every theme: a structural tie (schema: an owner, a unit, an employer)
    with our side at either end, so the City and Enter Espoo, or a person and their employer,
    stay joined in every theme's view."""
    return SCHEMA.relation_kinds[attrs["kind"]].structural and bool(G.nodes[u].get("home") or G.nodes[v].get("home"))


def on_theme(G: nx.Graph, u: str, v: str, attrs: dict, theme: str) -> bool:
    """Whether the relation `attrs` between `u` and `v` is on `theme`: the theme filter of every
    query, map and Neo4j search (`graph.neo4j.cypher` says the same in Cypher)."""
    return keeps_every_theme(G, u, v, attrs) or theme in tie_themes(G, u, v, attrs)
