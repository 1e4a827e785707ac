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
map          focus, depth, theme, kind, as_of,           ``map`` (as the page's data)
             clusters, public, intro, path_from, path_to
meta         (none)                                      the loaded network
===========  ==========================================  ================================

Bad parameters raise `ApiError` (status 400); the library's own errors pass through for the
app to answer as ``{"error": message}``.
"""
from __future__ import annotations

from typing import Callable

from graph.errors import EspooNetError
from graph.types import BadValue, clean, duration
from maps.html import map_data
from maps.view import MapOptions, build_view
from queries.clusters import ALGORITHMS, clusters as find_clusters, themes_summary
from queries.entities import describe, find_entities
from queries.introductions import introductions
from queries.paths import WEIGHTS, find_paths
from queries.timeline import changes as find_changes
from queries.upkeep import due as find_due

from .state import Network

__all__ = ["ApiError", "Params", "QUESTIONS", "MAP_LIMIT", "SEARCH_LIMIT"]

MAP_LIMIT = 2500  # entities beyond which the map shows a neighbourhood, not the whole network
SEARCH_LIMIT = 20
_VIEWS = 16  # laid-out views kept (a layout costs far more than a query)


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

    def as_of(self) -> str | None:
        """The day of the view (as_of=YYYY[-MM[-DD]])."""
        return self.date("as_of")


def search(net: Network, p: Params) -> dict:
    hits = find_entities(net.graph, p.text("q") or "", kinds=p.many("kind"), theme=p.text("theme"))
    limit = p.number("limit", SEARCH_LIMIT, 1, 1000)
    return {"results": hits[:limit], "total": len(hits)}


def entity(net: Network, p: Params) -> dict:
    return describe(net.graph, p.text("id", required=True), as_of=p.as_of(), include_inactive=p.flag("all"))


def intro(net: Network, p: Params) -> dict:
    return net.run(introductions, p.text("target", required=True), k=p.number("k", 5, 1, 20), from_=p.text("from"),
                   theme=p.text("theme"), as_of=p.as_of(), max_hops=p.number("max_hops", 4, 1, 8))


def path(net: Network, p: Params) -> dict:
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
    """What began, ended or changed between `since` and `until` (default: the view's day)."""
    since, until = p.date("since", required=True), p.date("until") or p.as_of()
    return find_changes(net.graph, since, until)


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
    that a focus is needed (its neighbourhood, `depth` steps, is drawn). `intro` (a target) or
    `path_from` and `path_to` highlight the best route as the map command's options do.
    """
    route = (p.text("path_from"), p.text("path_to"))
    if any(route) and not all(route):
        raise ApiError("give both path_from and path_to")
    options = MapOptions(theme=p.text("theme"), focus=p.text("focus"), depth=p.number("depth", 1, 0, 5),
                         kinds=p.many("kind"), as_of=p.as_of(), clusters=p.flag("clusters"), public=p.flag("public"),
                         highlight_intro=p.text("intro"), highlight_path=route if all(route) else None)
    G = net.graph
    if options.focus is None and G.number_of_nodes() > MAP_LIMIT:
        raise ApiError(f"the network has {G.number_of_nodes():,} entities, too many to draw at once: "
                       f"choose an entity to map its neighbourhood", status=422)
    views = net.views
    key = (net.version, options)
    if key not in views:
        views[key] = map_data(build_view(G, options))
        while len(views) > _VIEWS:
            views.popitem(last=False)
    views.move_to_end(key)
    return views[key]


def meta(net: Network, p: Params) -> dict:
    return {**net.describe(), "map_limit": MAP_LIMIT}


QUESTIONS: dict[str, Callable[[Network, Params], dict]] = {
    "search": search, "entity": entity, "intro": intro, "path": path, "clusters": clusters, "themes": themes,
    "map": map_view, "meta": meta, "changes": changes, "due": due,
}
