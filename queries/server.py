"""Path, neighbours and introductions with the network in Neo4j: the search runs in the server.

The server finds the candidate subgraph: breadth-first, one Cypher query per step
(`cypher.expand`), following only the relations the query may use (the route kinds, the ties
that held on the day, the theme's ties: the filter runs in Cypher, on the relationships'
properties). Only that subgraph is pulled, and the very ranking code of `queries` runs on it,
so the answers equal the NetworkX backend's, tie-breaks included.

Why they are equal: every search of `queries.routing` with a hop limit L only ever looks at
entities within L hops of a route's end (the source, the target, the via entity, our side).
A hop through a shared activity is two relations, so a subgraph holding every entity within 2L
followed relations of those ends, every participant of every activity among them (a tie through
an activity is weaker the more participants it has), and every relation among them, in the
data's order, gives the searches the same entities, the same ties and the same order to meet
them in. Without a hop limit the search may roam the whole
network, so the candidate subgraph is everything the ends can reach: give a hop limit (the CLI's
--max-hops) to keep a large network's path search small. (Cypher's shortestPath would be the
obvious tool, but ArcadeDB applies its relationship filter after the search and so misses
routes; see the dialect table in `cypher`.)

>>> find_paths(Settings(password="secret"), "espoo", "cbnu", max_hops=4)["routes"][0]["nodes"]  # doctest: +SKIP
['espoo', 'enter-espoo', 'enter-espoo-chungbuk-mou-2024', 'cbnu']
"""
from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.errors import AmbiguousEntity
from graph.schema import SCHEMA

from graph.lookup import theme_id
from graph.neo4j import cypher as C
from loaders.neo4j import Connection, Settings, connect, neighbourhood, read_names, read_subgraph, read_taxonomy

from . import introductions as intro
from . import neighbours as nb
from . import paths
from graph.model import prefer_actor
from .strength import view_day

__all__ = ["find_paths", "neighbours", "introductions", "follow_filter", "server_twin", "ROUTE_TYPES"]

ROUTE_TYPES = sorted(SCHEMA.neo4j_types[k] for k, rk in SCHEMA.relation_kinds.items() if rk.route)
# The relationship types that make a participant of an activity (schema `participates`): the
# ones a tie through an activity counts (a contact person's tie to it is none).
PARTY_TYPES = sorted(SCHEMA.neo4j_types[k] for k in SCHEMA.participation_kinds)
STRUCTURAL_TYPES = sorted(SCHEMA.neo4j_types[k] for k, rk in SCHEMA.relation_kinds.items() if rk.structural)


def follow_filter(*, as_of=None, theme: str | None = None, routes: bool = True,
                  include_inactive: bool = False) -> dict:
    """The parameters of `cypher.expand`: the relations a query may follow.

    routes: only route kinds with a strength above 0 (paths, introductions), else every kind
    (neighbours). The day's filter is `graph.model.is_active`; `include_inactive` drops it.
    """
    day = view_day(as_of)
    glow = day - dt.timedelta(days=round(SCHEMA.one_off_years * 365.25))  # graph.model.last_day_held
    return {
        "types": ROUTE_TYPES if routes else None,
        "day": None if include_inactive else day,  # dates: the stored since and until are Neo4j dates
        "present": day >= dt.date.today(),
        "one_off": sorted(SCHEMA.one_off_kinds),
        "glow_day": glow,
        "theme": theme,
        "structural": STRUCTURAL_TYPES,
    }


class _Server:
    """One query's view of the server: the connection, the taxonomy, names resolved to ids."""

    def __init__(self, settings: Settings | None):
        self.conn: Connection = connect(settings)
        self.taxonomy = read_taxonomy(self.conn)
        self.kinds: dict[str, str] = {}
        self._index = None

    def resolve_exact(self, query: str | None) -> str | None:
        """The id a name names, on the whole stored network, as the NetworkX backend resolves it:
        an exact id by index lookups; anything else through the name index of every entity."""
        if query is None:
            return None
        if query not in self.kinds:
            found = self.conn.read(C.KINDS_OF_IDS, doing="looking up an id", ids=[query], marker=C.MARKER)
            self.kinds.update((r["id"], r["kind"]) for r in found)
        if query in self.kinds:
            return query
        if self._index is None:
            self._index, kinds = read_names(self.conn)
            self.kinds.update(kinds)
        return self._index.resolve(query)

    def resolve(self, query: str | None) -> str | None:
        """The id `query` names, as `graph.model.resolve` picks it: a name matching one actor and
        only shared activities besides names the actor (the ranking on the subgraph, given the
        others too, makes the same choice and the same note)."""
        try:
            return self.resolve_exact(query)
        except AmbiguousEntity as e:
            picked = prefer_actor(e.candidates, self.kinds.get)
            if picked is None:
                raise
            return picked

    resolve_target = resolve

    def theme(self, word: str | None) -> str | None:
        return theme_id(self.taxonomy, word) if word else None

    def home(self) -> list[str]:
        found = self.conn.read(C.HOME_ENTITIES, doing="reading our side", marker=C.MARKER)
        self.kinds.update((r["id"], r["kind"]) for r in found)
        return [r["id"] for r in found]

    def candidates(self, ends, depth: int | None, follow: dict, also=()) -> nx.MultiDiGraph:
        """Everything within `depth` followed relations of `ends`, the entities `also`, and every
        participant of the activities among them (the strength of a tie through an activity
        counts them), with every relation among them. The extra entities are never entered by a
        search: any of them it could reach within the hop limit is within `depth` already."""
        ids = neighbourhood(self.conn, {e: self.kinds[e] for e in ends}, depth, follow)
        ids.update((e, self.kinds[e]) for e in also)
        for kind in sorted(SCHEMA.activity_kinds):
            acts = sorted(n for n, k in ids.items() if k == kind)
            if acts:
                found = self.conn.read(C.participants_of(kind), doing="reading participants", ids=acts,
                                       types=PARTY_TYPES, marker=C.MARKER)
                ids.update((r["id"], r["kind"]) for r in found)
        return read_subgraph(self.conn, ids, self.taxonomy)


def _avoided(srv: _Server, avoid) -> list[str]:
    """The entities `avoid` names (kind words aside), resolved on the whole network."""
    words = [avoid] if isinstance(avoid, str) else list(avoid)
    return [srv.resolve(w) for w in words if paths.kind_of(w) is None]


def _relations(hops: int | None) -> int | None:
    """How many relations deep `hops` hops reach: two per hop, a hop through an activity being two."""
    return None if hops is None else 2 * hops


def find_paths(settings: Settings | None, source: str, target: str, *, k: int = 3, by: str = "hops",
               theme: str | None = None, as_of=None, max_hops: int | None = None, via: str | None = None,
               avoid=(), include_inactive: bool = False) -> dict:
    """`queries.paths.find_paths` with the network in Neo4j; the same parameters and result.

    Raises NoPath, EntityNotFound, AmbiguousEntity, BackendError.

    Examples
    --------
    >>> find_paths(Settings(password="secret"), "Enter Espoo", "SK hynix", max_hops=4)  # doctest: +SKIP
    """
    srv = _Server(settings)
    s, t, v = srv.resolve(source), srv.resolve(target), srv.resolve(via)
    tid = srv.theme(theme)
    follow = follow_filter(as_of=as_of, theme=tid, include_inactive=include_inactive)
    # The avoided entities come along (never entered, so they change no search), and the
    # ranking gets the very words it was given: it resolves them to the same ids on this
    # subgraph, and its messages quote them as the NetworkX backend's do.
    also = [*_avoided(srv, avoid), *_also_named(srv, source, s), *_also_named(srv, target, t), *_also_named(srv, via, v)]
    G = srv.candidates([e for e in (s, t, v) if e is not None], _relations(max_hops), follow, also=also)
    return paths.find_paths(G, source, target, k=k, by=by, theme=theme, as_of=as_of, max_hops=max_hops, via=via,
                            avoid=avoid, include_inactive=include_inactive)


def neighbours(settings: Settings | None, entity: str, *, depth: int = 1, theme: str | None = None,
               as_of=None) -> dict:
    """`queries.neighbours.neighbours` with the network in Neo4j; the same parameters and result.

    Examples
    --------
    >>> neighbours(Settings(password="secret"), "cbnu", depth=2)["neighbours"][0]["id"]  # doctest: +SKIP
    """
    srv = _Server(settings)
    e = srv.resolve(entity)
    tid = srv.theme(theme)
    G = srv.candidates([e], max(depth, 0), follow_filter(as_of=as_of, theme=tid, routes=False),
                       also=_also_named(srv, entity, e))
    return nb.neighbours(G, entity, depth=depth, theme=theme, as_of=as_of)


def introductions(settings: Settings | None, target: str, *, k: int = 5, from_: str | None = None,
                  theme: str | None = None, as_of=None, max_hops: int = 4, include_inactive: bool = False,
                  all_routes: bool = False) -> dict:
    """`queries.introductions.introductions` with the network in Neo4j; same parameters and result.

    The candidates: everything within 2 × `max_hops` followed relations of the target and of
    our side (every entity marked home, or `from_`), and every participant of their activities.

    Examples
    --------
    >>> introductions(Settings(password="secret"), "SK hynix")["routes"][0]["introducer"]  # doctest: +SKIP
    """
    srv = _Server(settings)
    t, f = srv.resolve_target(target), srv.resolve(from_)
    tid = srv.theme(theme)
    starts = [f] if f is not None else srv.home()
    follow = follow_filter(as_of=as_of, theme=tid, include_inactive=include_inactive)
    also = _also_named(srv, target, t)  # the other entities the name matches, for the same note
    G = srv.candidates([t, *starts], _relations(max_hops), follow, also=also)
    return intro.introductions(G, target, k=k, from_=from_, theme=theme, as_of=as_of, max_hops=max_hops,
                               include_inactive=include_inactive, all_routes=all_routes)


def _also_named(srv: _Server, query: str | None, picked: str | None) -> list[str]:
    """The other entities a name matches besides the one picked (in the subgraph too, so the
    ranking's own resolver makes the same choice and the same note)."""
    if query is None:
        return []
    try:
        srv.resolve_exact(query)
    except AmbiguousEntity as e:
        return [c for c in e.candidates if c != picked]
    return []


def server_twin(function):
    """The function here that runs `function` of `queries` in the server, or None.

    >>> from queries.paths import find_paths as local
    >>> server_twin(local) is find_paths
    True
    """
    twins = {paths.find_paths: find_paths, nb.neighbours: neighbours, intro.introductions: introductions}
    return twins.get(function)
