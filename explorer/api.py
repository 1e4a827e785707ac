"""The explorer's JSON API: one function per question, each the CLI command's library call.

Each function reads its query parameters (`Params`), calls the very function of `queries` or
`maps` that the matching command calls, and returns its result unchanged, so a script gets the
shape that ``espoo-net <command> --format json`` prints, and when a query learns more (a band,
a note) the page and the API carry it without a change here.

===========  ==========================================  ================================
endpoint     parameters                                  same as
===========  ==========================================  ================================
search       q, kind (repeatable), theme, limit          ``find`` ({"results"} + "total")
entity       id, as_of, all                              ``show``
intro        target, from, k, theme, max_hops, as_of     ``intro``
path         source, target, k, by, theme, max_hops,     ``path``
             via, avoid (repeatable), all, as_of
clusters     theme, algorithm, seed, as_of               ``clusters``
themes       as_of                                       ``themes``
map          focus, depth (default: auto), theme, kind,  ``map`` (as the page's data:
             as_of,                                      compact, or with full=1 all the
             clusters, public, intro, path_from,         HTML map carries)
             path_to, full
changes      since, until, relation (repeatable),        ``changes``
             theme
due          within, as_of                               ``due``
meta         (none)                                      the loaded network
===========  ==========================================  ================================

Bad parameters raise `ApiError` (status 400); the library's own errors pass through for the
app to answer as ``{"error": message}``.
"""
from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Callable

import networkx as nx

from graph.errors import EspooNetError
from graph.model import resolve
from graph.durations import duration, since_value
from graph.types import BadValue, clean
from maps.html import map_data
from maps.view import MapOptions, build_view
from queries.clusters import ALGORITHMS, clusters as find_clusters, themes_summary
from queries.entities import describe, find_entities
from queries.introductions import introductions
from queries.paths import WEIGHTS, find_paths
from queries.timeline import changes as find_changes
from queries.upkeep import due as find_due

from .state import Network

__all__ = ["ApiError", "Params", "QUESTIONS", "MAP_LIMIT", "SEARCH_LIMIT", "auto_depth"]

MAP_LIMIT = 2500  # entities beyond which the map shows a neighbourhood, not the whole network
SEARCH_LIMIT = 20
_VIEWS = 16  # laid-out views kept (a layout costs far more than a query)
_ANSWERS = 256  # answers of each other question kept


class ApiError(EspooNetError):
    """A question the API cannot take as asked; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class Params:
    """Typed access to a request's query parameters; every check names the parameter."""

    def __init__(self, query):
        self.query = query  # a Starlette QueryParams, or any mapping with getlist()

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = (self.query.get(name) or "").strip()
        if required and not value:
            raise ApiError(f"missing parameter {name!r}")
        return value or None

    def many(self, name: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.query.getlist(name) if v.strip())

    def number(self, name: str, default: int | None, low: int, high: int) -> int | None:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ApiError(f"{name} must be a whole number, not {raw!r}") from None
        if not low <= value <= high:
            raise ApiError(f"{name} must be between {low} and {high}, not {value}")
        return value

    def flag(self, name: str) -> bool:
        raw = (self.text(name) or "").lower()
        if raw not in ("", "0", "1", "true", "false", "yes", "no"):
            raise ApiError(f"{name} must be 1 or 0, not {raw!r}")
        return raw in ("1", "true", "yes")

    def choice(self, name: str, choices, default: str) -> str:
        value = self.text(name) or default
        if value not in choices:
            raise ApiError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        return value

    def date(self, name: str, *, required: bool = False) -> str | None:
        """A date parameter (YYYY[-MM[-DD]]), checked by the one date parser."""
        raw = self.text(name, required=required)
        if raw is None:
            return None
        try:
            return clean("date", raw)
        except BadValue as e:
            raise ApiError(f"{name}: {e.message} ({e.hint})" if e.hint else f"{name}: {e.message}") from None

    def since(self, name: str, *, required: bool = False) -> str | None:
        """A window's start: a date, or a duration (90d, 6m) counted back from its end."""
        raw = self.text(name, required=required)
        if raw is None:
            return None
        try:
            return since_value(raw)
        except BadValue as e:
            raise ApiError(f"{name}: {e.message} ({e.hint})") from None

    def as_of(self) -> str | None:
        """The day of the view (as_of=YYYY[-MM[-DD]])."""
        return self.date("as_of")


def search(net: Network, p: Params) -> dict:
    hits = find_entities(net.graph, p.text("q") or "", kinds=p.many("kind"), theme=p.text("theme"))
    limit = p.number("limit", SEARCH_LIMIT, 1, 1000)
    return {"results": hits[:limit], "total": len(hits)}


def entity(net: Network, p: Params) -> dict:
    return describe(net.graph, p.text("id", required=True), as_of=p.as_of(), include_inactive=p.flag("all"))


def _asked(p: Params) -> tuple:
    """The question's parameters, in a stable order (a key for `remember`)."""
    items = p.query.multi_items() if hasattr(p.query, "multi_items") else [(k, v) for k in p.query for v in p.query.getlist(k)]
    return tuple(sorted((k, v.strip()) for k, v in items))


def intro(net: Network, p: Params) -> dict:
    return remember(net, ("intro", _asked(p)), _ANSWERS, lambda: _intro(net, p))


def path(net: Network, p: Params) -> dict:
    return remember(net, ("path", _asked(p)), _ANSWERS, lambda: _path(net, p))


def _intro(net: Network, p: Params) -> dict:
    return net.run(introductions, p.text("target", required=True), k=p.number("k", 5, 1, 20), from_=p.text("from"),
                   theme=p.text("theme"), as_of=p.as_of(), max_hops=p.number("max_hops", 4, 1, 8),
                   all_routes=p.flag("all_routes"))


def _path(net: Network, p: Params) -> dict:
    return net.run(find_paths, p.text("source", required=True), p.text("target", required=True),
                   k=p.number("k", 3, 1, 50), by=p.choice("by", tuple(WEIGHTS), "hops"), theme=p.text("theme"),
                   as_of=p.as_of(), max_hops=p.number("max_hops", None, 1, 20), via=p.text("via"),
                   avoid=p.many("avoid"), include_inactive=p.flag("all"))


def clusters(net: Network, p: Params) -> dict:
    return net.run(find_clusters, theme=p.text("theme"), algorithm=p.choice("algorithm", ALGORITHMS, "louvain"),
                   as_of=p.as_of(), seed=p.number("seed", 42, -2**31, 2**31 - 1))


def themes(net: Network, p: Params) -> dict:
    return net.run(themes_summary, p.as_of())


def changes(net: Network, p: Params) -> dict:
    """What began, ended or changed between `since` and `until` (default: the view's day); `relation`
    (repeatable): only ties of these relation kinds or families, as ``changes --relation``."""
    since, until = p.since("since", required=True), p.date("until") or p.as_of()
    return find_changes(net.graph, since, until, relations=p.many("relation"), theme=p.text("theme"))


def due(net: Network, p: Params) -> dict:
    """Agreements expiring or up for review within `within` (6m) of the view's day; late plans."""
    try:
        within = duration(p.text("within") or "6m")
    except BadValue as e:
        raise ApiError(f"within: {e.message} ({e.hint})") from None
    return find_due(net.graph, within=within, on=p.as_of())


def map_view(net: Network, p: Params) -> dict:
    """The map the page draws: `maps.view.build_view` (as `espoo-net map`) as `maps.html.map_data`.

    Without `focus`, the whole network, as long as it has at most MAP_LIMIT entities; beyond
    that a focus is needed (its neighbourhood, `depth` steps, is drawn; without `depth`, two steps
    when they reach at most MAP_LIMIT entities, else one: `auto_depth`). `intro` (a target) or
    `path_from` and `path_to` highlight the best route as the map command's options do.

    The answer is `maps.html.map_data`'s compact form (what the page draws and its tooltips say:
    the same view, positions, styles and labels as the HTML map, without its sources table and
    filter fields), which halves the bytes to make, send and read; `full=1`: the whole form, as
    the HTML map carries it.
    """
    route = (p.text("path_from"), p.text("path_to"))
    if any(route) and not all(route):
        raise ApiError("give both path_from and path_to")
    G = net.graph
    focus, depth = p.text("focus"), p.number("depth", None, 0, 5)
    if depth is None:
        depth = auto_depth(G, focus) if focus else 1
    options = MapOptions(theme=p.text("theme"), focus=focus, depth=depth,
                         kinds=p.many("kind"), as_of=p.as_of(), clusters=p.flag("clusters"), public=p.flag("public"),
                         highlight_intro=p.text("intro"), highlight_path=route if all(route) else None)
    if options.focus is None and G.number_of_nodes() > MAP_LIMIT:
        raise ApiError(f"the network has {G.number_of_nodes():,} entities, too many to draw at once: "
                       f"choose an entity to map its neighbourhood", status=422)
    full = p.flag("full")
    return remember(net, ("map", options, full), _VIEWS, lambda: map_data(build_view(G, options), compact=not full))


def remember(net: Network, key: tuple, keep: int, build: Callable[[], dict]) -> dict:
    """`build()`'s answer, kept for the network's version and the day (an answer without a date is
    today's), the `keep` latest of its kind (key[0]) with it: asking again (the page does, on a
    date changed back, a route clicked again) costs a look-up."""
    store = net.views.setdefault(key[0], OrderedDict())
    full = (net.version, date.today(), *key[1:])
    found = store.get(full)
    if found is None:
        found = store[full] = build()
        while len(store) > keep:
            store.popitem(last=False)
    else:
        try:
            store.move_to_end(full)
        except KeyError:  # dropped by another question meanwhile
            pass
    return found


def auto_depth(G: nx.MultiDiGraph, focus: str, limit: int = MAP_LIMIT) -> int:
    """The steps around `focus` a map shows by default: two when the entities two steps away (along
    any tie, any day: at least what the map keeps) are at most `limit`, else one."""
    try:
        start = resolve(G, focus)
    except EspooNetError:
        return 1  # the map's own selection says what is wrong with the name
    near = set(nx.all_neighbors(G, start)) | {start}
    reach = set(near)
    for n in near:
        reach.update(nx.all_neighbors(G, n))
        if len(reach) > limit:
            return 1
    return 2


def meta(net: Network, p: Params) -> dict:
    return {**net.describe(), "map_limit": MAP_LIMIT}


QUESTIONS: dict[str, Callable[[Network, Params], dict]] = {
    "search": search, "entity": entity, "intro": intro, "path": path, "clusters": clusters, "themes": themes,
    "map": map_view, "meta": meta, "changes": changes, "due": due,
}
