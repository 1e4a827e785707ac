"""What a map shows: the selected part of the network, whitelisted, laid out and styled.

`build_view(G, MapOptions(...))` makes one `MapView`; the HTML writer (`maps.html`) and
the image writer (`maps.image`) both draw a MapView, so an HTML map and a slide image of
the same options show the same nodes in the same places. `select_subgraph` is the selection
alone, which the exports reuse.

Only whitelisted attributes are copied into a view (`NODE_FIELDS`, `EDGE_FIELDS`): whatever else
sits on the graph never reaches a map. `public=True` leaves people out altogether.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

from graph.errors import EspooNetError, NoPath
from graph.model import is_active, is_one_off, paused_gc, resolve
from graph.types import day_of
from graph.lookup import check_entity_kinds
from graph.style import node_style
from queries.clusters import clusters
from queries.entities import resolve_theme
from queries.introductions import introductions
from queries.paths import find_paths

from .actors import actor_view
from .colouring import cluster_colouring
from .counterparts import counterparts
from .caption import footer, titles
from .basemap import countries_around, outlines_in
from .layout import geo_layout, layout
from .options import DEFAULT_TITLE, MapOptions

__all__ = [
    "MapOptions", "MapView", "build_view", "select_subgraph", "NODE_FIELDS", "EDGE_FIELDS",
    "DEFAULT_TITLE",
]

# The attributes that may reach a map (tooltips, search, filters). Anything else stays behind.
NODE_FIELDS = ("kind", "name", "aliases", "country", "city", "lat", "lon", "themes", "description", "role", "home", "sources")
EDGE_FIELDS = ("id", "kind", "since", "until", "status", "themes", "strength", "note", "confidence", "sources")
PUBLIC_DROPPED = frozenset({"role", "confidence"})  # fields about people and our own judgement


@dataclass
class MapView:
    """A map ready to draw; every collection is in a stable order."""

    graph: nx.MultiDiGraph  # the nodes and edges drawn, whitelisted attributes only
    positions: dict[str, tuple[float, float]]  # y up, about [-1, 1]
    importance: dict[str, float]  # 0..1, by the number of distinct neighbours
    colours: dict[str, str]  # fill colour of each node: its kind's, or its cluster's
    title: str
    subtitle: str
    footer: str
    options: MapOptions
    clusters: list[dict] = field(default_factory=list)  # [{"label", "colour", "size"}] when coloured by cluster
    route: list[str] = field(default_factory=list)  # the highlighted route, in order
    route_edges: frozenset[str] = frozenset()  # relation ids on the highlighted route
    route_label: str = ""
    themes: dict[str, str] = field(default_factory=dict)  # theme id -> label, for the filter and tooltips
    hidden: dict[str, int] = field(default_factory=dict)  # what the view of actors redrew or left out
    basemap: list[list[tuple[float, float]]] = field(default_factory=list)  # country outlines, geo layout only
    extent: list[tuple[float, float]] = field(default_factory=list)  # points the picture must also show (a country)
    highlights: frozenset[str] = frozenset()  # entities drawn emphasised and always labelled
    theme: str = ""  # the theme id the map was drawn for: the HTML theme filter opens on it

    def weight(self, node: str) -> float:
        """What sizes a node and its label on both maps: its importance squared (the share of
        the best-connected node's neighbours), so hubs stand out and the long tail stays small."""
        return round(self.importance.get(node, 0.0) ** 2, 4)



def _theme_nodes(G: nx.MultiDiGraph, tid: str) -> set[str]:
    keep = {n for n, ts in G.nodes(data="themes") if ts and tid in ts}
    keep.update(x for u, v, ts in G.edges(data="themes") if ts and tid in ts for x in (u, v))
    if tid in G:
        keep.add(tid)
    return keep


def _country_nodes(G: nx.MultiDiGraph, countries: tuple[str, ...]) -> set[str]:
    """Entities in these countries, and the country-less ones (agreements, people) tied to them."""
    wanted = {c.upper() for c in countries}
    inside = {n for n, c in G.nodes(data="country") if c in wanted}
    return inside | {m for n in inside for m in nx.all_neighbors(G, n) if not G.nodes[m].get("country")}


def _within(G: nx.MultiDiGraph, start: str, depth: int, allowed) -> set[str]:
    """Nodes within `depth` steps of `start`, either way along any tie, through allowed nodes only."""
    seen, frontier = {start}, [start]
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for m in nx.all_neighbors(G, n):
                if m in allowed and m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    return seen


def _without_people(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    people = {n for n, k in G.nodes(data="kind") if k == "person"}
    return nx.subgraph_view(G, filter_node=lambda n: n not in people)


class _LiveTies:
    """The relations ((u, v, key)) that held on a day, each dated once, when first asked about:
    a view of a neighbourhood dates the ties it meets, not the million of the whole network."""

    def __init__(self, G: nx.MultiDiGraph, as_of: str | None):
        self.G, self.day, self.known = G, day_of(as_of), {}

    def __contains__(self, edge: tuple[str, str, str]) -> bool:
        held = self.known.get(edge)
        if held is None:
            u, v, k = edge
            held = self.known[edge] = is_active(self.G._adj[u][v][k], self.day, one_off=is_one_off(self.G, u, v))
        return held

    def any_of(self, n: str) -> bool:
        """Whether any relation of `n` held."""
        G = self.G
        return any((n, v, k) in self for v, keys in G._succ[n].items() for k in keys) or \
            any((u, n, k) in self for u, keys in G._pred[n].items() for k in keys)


def _base(G: nx.MultiDiGraph, as_of: str | None, include_inactive: bool,
          public: bool) -> tuple[nx.MultiDiGraph, _LiveTies | None]:
    """The dated graph, without people when public; nodes whose every tie lapsed are dropped.

    Returns the view and its relations (a `_LiveTies`, None when all are in); both are worked
    out lazily, for what the passes that follow touch.
    """
    live = None if include_inactive else _LiveTies(G, as_of)
    lapsed: dict[str, bool] = {}

    def keep_node(n: str) -> bool:
        if public and G.nodes[n].get("kind") == "person":
            return False
        if live is None or not (G._succ[n] or G._pred[n]):
            return True
        if n not in lapsed:
            lapsed[n] = not live.any_of(n)
        return not lapsed[n]

    view = nx.subgraph_view(
        G, filter_node=keep_node,
        filter_edge=(lambda u, v, k: (u, v, k) in live) if live is not None else nx.filters.no_filter)
    return view, live


def select_subgraph(G: nx.MultiDiGraph, *, as_of: str | None = None, include_inactive: bool = False,
                    public: bool = False, theme: str | None = None, focus: str | None = None, depth: int = 1,
                    kinds: tuple[str, ...] = (), extra: tuple[str, ...] = (),
                    countries: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    """The part of `G` that a view asks for, as a read-only subgraph view.

    Parameters
    ----------
    G : the network.
    as_of, include_inactive : the ties that held on a date (today when None), or all of them.
    public : leave people out.
    theme : a theme id, label or synonym: entities on it and the ends of ties on it.
    focus, depth : an entity (id, name or alias) and the steps around it to keep.
    kinds : entity kinds to keep (all when empty).
    extra : node ids kept whatever the filters say (a highlighted route).
    countries : ISO country codes: entities in them, and the entities without a country
    (agreements, events, people) tied to them.

    Returns
    -------
    A subgraph view of `G`; entities whose every tie lapsed by the date are left out.

    Raises
    ------
    EntityNotFound, AmbiguousEntity for `focus`; EspooNetError for an unknown theme or kind,
    or a person as the focus of a public view.

    Examples
    --------
    >>> sub = select_subgraph(G, theme="ai", public=True)   # doctest: +SKIP
    """
    base, _ = _base(G, as_of, include_inactive, public)
    return base.subgraph(_select(G, base, public=public, theme=theme, focus=focus, depth=depth, kinds=kinds,
                                 extra=extra, countries=countries))


def _select(G: nx.MultiDiGraph, base: nx.MultiDiGraph, *, public: bool, theme: str | None, focus: str | None,
            depth: int, kinds: tuple[str, ...], extra: tuple[str, ...], countries: tuple[str, ...] = ()) -> set[str]:
    """The nodes of `base` that the options keep.

    With a focus, only its neighbourhood is walked (a node's kind is checked as it is met; a
    theme or countries, which are properties of the whole view, are worked out first)."""
    check_entity_kinds(kinds)
    if focus:
        start = resolve(G, focus)
        if start not in base:
            why = "people are left out of public maps" if public else "it has no ties on this date"
            raise EspooNetError(f"{focus!r} ({start}) is not on this map: {why}")
        allowed = _Allowed(base, kinds, _theme_nodes(base, resolve_theme(G, theme)) if theme else None,
                           _country_nodes(base, countries) if countries else None)
        keep = _within(base, start, depth, allowed) | {start}
    else:
        keep = set(base.nodes)
        if theme:
            keep &= _theme_nodes(base, resolve_theme(G, theme))
        if countries:
            keep &= _country_nodes(base, countries)
        if kinds:
            keep = {n for n in keep if base.nodes[n]["kind"] in kinds}
    keep.update(n for n in extra if n in base)
    return keep


class _Allowed:
    """The nodes a focus's neighbourhood may pass through: of the kinds asked for, and in the
    theme's and the countries' sets when given (None: no such filter)."""

    def __init__(self, base, kinds: tuple[str, ...], theme: set[str] | None, countries: set[str] | None):
        self.base, self.kinds, self.theme, self.countries = base, kinds, theme, countries

    def __contains__(self, n: str) -> bool:
        return ((not self.kinds or self.base.nodes[n]["kind"] in self.kinds)
                and (self.theme is None or n in self.theme) and (self.countries is None or n in self.countries))


def _copy_whitelisted(G: nx.MultiDiGraph, keep: set[str], live: _LiveTies | None, public: bool) -> nx.MultiDiGraph:
    """A new graph of the kept nodes and the live relations among them, whitelisted fields only,
    in sorted order. Only the kept nodes' relations are walked: a neighbourhood costs its size."""
    node_fields = [f for f in NODE_FIELDS if not (public and f in PUBLIC_DROPPED)]
    edge_fields = [f for f in EDGE_FIELDS if not (public and f in PUBLIC_DROPPED)]
    H = nx.MultiDiGraph()
    nodes = G._node
    H.add_nodes_from((n, {f: nodes[n].get(f) for f in node_fields}) for n in sorted(keep))
    edges = [(u, v, k, d) for u in keep for v, keys in G._succ[u].items() if v in keep for k, d in keys.items()
             if live is None or (u, v, k) in live]
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    H.add_edges_from((u, v, k, {f: d.get(f) for f in edge_fields}) for u, v, k, d in edges)
    return H


def _route(G: nx.MultiDiGraph, options: MapOptions) -> tuple[list[str], list[str], str]:
    """The highlighted route: its nodes, the relation ids it names (may be empty), a caption."""
    if options.highlight_path:
        a, b = (resolve(G, q) for q in options.highlight_path)
        found = find_paths(G, a, b, k=1, as_of=options.as_of)
        caption = f"Route from {G.nodes[a]['name']} to {G.nodes[b]['name']}"
        best = (found.get("routes") or [None])[0]
    elif options.highlight_intro:
        target = resolve(G, options.highlight_intro)
        found = introductions(G, target, k=1, as_of=options.as_of)
        best = (found.get("routes") or [None])[0]
        caption = f"Best introduction to {G.nodes[target]['name']}"
        if best and best.get("introducer") in G:
            caption += f" (through {G.nodes[best['introducer']]['name']})"
    else:
        return [], [], ""
    if not best:
        raise NoPath(f"{caption.lower()}: no route on this map")
    return _drawn_nodes(best), _relation_ids(best), caption


def _drawn_nodes(route: dict) -> list[str]:
    """A route's stops as the map draws them: a hop through a shared activity passes its node."""
    nodes = list(route["nodes"])
    out = nodes[:1]
    for i, b in enumerate(nodes[1:]):
        hop = (route.get("hops") or [{}] * len(nodes))[i]
        if isinstance(hop, dict) and isinstance(hop.get("via"), str):
            out.append(hop["via"])
        out.append(b)
    return out


def _relation_ids(route: dict) -> list[str]:
    """The relation ids a route's hops name (`queries.explain.hop`: a hop's "tie", or the two "ties"
    of a hop through a shared activity)."""
    out = []
    for hop in route.get("hops") or []:
        if isinstance(hop, dict):
            ties = hop.get("ties") or [hop.get("tie")]
            out += [r["id"] for r in ties if isinstance(r, dict) and isinstance(r.get("id"), str)]
    return out


def _route_edges(H: nx.MultiDiGraph, nodes: list[str], named: list[str]) -> frozenset[str]:
    """The relations along a route: the ones it names, else every tie between consecutive stops."""
    out: set[str] = set()
    for a, b in zip(nodes, nodes[1:]):
        ties = [k for u, v in ((a, b), (b, a)) if H.has_edge(u, v) for k in H[u][v]]
        chosen = [k for k in ties if k in named] or ties
        out.update(chosen)
    return frozenset(out)


def _importance(H: nx.MultiDiGraph) -> dict[str, float]:
    degree = {n: len(set(nx.all_neighbors(H, n))) for n in H}
    top = max(degree.values(), default=0) or 1
    return {n: round(math.sqrt(d / top), 4) for n, d in degree.items()}


def build_view(G: nx.MultiDiGraph, options: MapOptions = MapOptions()) -> MapView:
    """Select, whitelist, lay out and colour the part of `G` that `options` ask for.

    Parameters
    ----------
    G : the network (as `loaders.load_graph` builds it).
    options : a MapOptions.

    Returns
    -------
    A MapView. The same graph and options give an equal view (seeded layout, sorted order).

    Raises
    ------
    EntityNotFound, AmbiguousEntity for an entity option; NoPath when a highlighted route does
    not exist; EspooNetError for an unknown theme, kind or layout.

    Examples
    --------
    >>> view = build_view(G, MapOptions(theme="ai", layout="geo"))   # doctest: +SKIP
    >>> view.graph.number_of_nodes(), view.title                      # doctest: +SKIP
    (42, "Espoo's international network")
    """
    # Tens of thousands of small dicts and no reference cycles: the collector's rescans of the
    # growing heap cost a quarter of a large view's time.
    with paused_gc():
        return _build_view(G, options)


def _build_view(G: nx.MultiDiGraph, options: MapOptions) -> MapView:
    # The queries date the graph themselves; they get it whole, less the people on a public map.
    undated = _without_people(G) if options.public else G
    route, named, caption = _route(undated, options)
    base, live = _base(G, options.as_of, False, options.public)
    pinned = tuple(route) + tuple(resolve(G, h) for h in options.highlights)
    # A map coloured by cluster draws every member of a theme's clusters (the clusters' theme rule
    # reaches some the theme filter leaves out), so its legend counts what the clusters list says.
    found = clusters(undated, theme=options.theme, as_of=options.as_of, seed=options.seed) if options.clusters else None
    members = tuple(m for c in found["clusters"] for m in c["members"]) \
        if found and not (options.focus or options.kinds or options.countries) else ()
    keep = _select(G, base, public=options.public, theme=options.theme, focus=options.focus, depth=options.depth,
                   kinds=options.kinds, extra=pinned + members, countries=options.countries)
    added: set[str] = set()
    if options.countries and not options.focus:  # our side of a country's ties: drawn, or counted as left out
        added = {n for n in counterparts(G, base, keep) if not options.kinds or base.nodes[n]["kind"] in options.kinds}
        if options.counterparts:
            keep |= added
    H = _copy_whitelisted(G, keep, live, options.public)
    focus = (resolve(G, options.focus),) if options.focus else ()
    places = options.layout == "geo" if options.places is None else options.places
    hidden = actor_view(H, activities=options.activities, places=places, isolated=options.isolated,
                        keep=pinned + focus + tuple(m for m in members if m in H))
    if added and options.counterparts:
        hidden["counterparts"] = sum(1 for n in added if n in H)
    elif added:
        hidden["counterparts left out"] = len(added)
    importance = _importance(H)
    basemap: list = []
    extent: list = []
    if options.layout == "geo":
        inside = [(float(d["lon"]), float(d["lat"])) for _, d in H.nodes(data=True)
                  if d.get("lat") is not None and d.get("lon") is not None and d.get("country") in options.countries]
        corners = countries_around(inside) if options.countries else []
        unplaced: list[str] = []
        positions, frame = geo_layout(H, seed=options.seed, importance=importance, frame=True,
                                      extent=corners, unplaced_out=unplaced)
        hidden = {**hidden, "unplaced": len(unplaced)}
        extent = [frame.lonlat(lon, lat) for lon, lat in corners]
        placed = {n: p for n, p in positions.items() if n not in set(unplaced)}
        # The row of entities with no known place lies below the map: the basemap stops halfway
        # between it and the lowest placed entity (or corner), so no marker there sits on a country.
        floor = None
        if unplaced and (placed or extent):
            top_of_row = max(positions[n][1] for n in unplaced)
            bottom = min(p[1] for p in [*placed.values(), *extent])
            floor = (top_of_row + bottom) / 2
        basemap = outlines_in(frame, {**placed, **{f"corner {i}": p for i, p in enumerate(extent)}}, floor)
    else:
        positions = layout(H, options.layout, seed=options.seed, importance=importance)
    colours = {n: node_style(k).colour for n, k in H.nodes(data="kind")}
    legend: list[dict] = []
    if options.clusters:
        by_cluster, legend = cluster_colouring(found, H)
        colours.update(by_cluster)
    title, subtitle = titles(G, H, options, caption)
    labels = {tid: t.get("label", tid) for tid, t in sorted(G.graph.get("themes", {}).items())}
    return MapView(
        graph=H, positions=positions, importance=importance, colours=colours, title=title, subtitle=subtitle,
        footer=footer(H, options, hidden), options=options, clusters=legend, route=route,
        route_edges=_route_edges(H, route, named), route_label=caption, themes=labels, hidden=hidden,
        basemap=basemap, extent=extent, highlights=frozenset(pinned) - set(route),
        theme=resolve_theme(G, options.theme) if options.theme else "",
    )
