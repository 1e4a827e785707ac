"""Seeded node positions that scale: a force layout and a geographic one.

Both return ``{node id: (x, y)}`` with y pointing up, roughly within [-1, 1] on the longer
side; the HTML map and the slide image scale them to their own canvas, so the two draw the
same picture. Same graph and seed, same positions, to the last digit written.

- `spring_layout`: igraph's Fruchterman-Reingold (1.5 s at 20,000 nodes, where NetworkX's
  spring layout takes minutes), one connected component at a time, the components packed in
  rows below the largest, so that a lone pair does not fling the main network into a corner.
- `geo_layout`: longitude and latitude (Mercator), entities without coordinates placed near
  their city, the place they are located in, their country, or their neighbours; entities that
  share a spot are spread on a ring around it (`maps.spread`; `Frame` lines a basemap up).
"""
from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import networkx as nx

from graph.errors import EspooNetError
from graph.lookup import normalize

from .places import country_place
from .spread import spread as spread_out

__all__ = ["spring_layout", "geo_layout", "LAYOUTS", "layout", "Frame", "prepare"]

Point = tuple[float, float]
Positions = dict[str, Point]

REGIONAL_SPAN = 60.0  # a map spanning up to this many degrees (Mercator) is regional (maps.spread)
GRID_FROM = 500  # components larger than this use Fruchterman-Reingold's grid approximation
# Ties that say where something is: a node without coordinates sits where it points to (a
# person at their employer).
_PLACING_KINDS = ("located_in", "headquartered_in", "works_for", "operates_in")


def _tied_pairs(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """Each pair of distinct nodes joined by at least one tie, once, sorted."""
    return sorted({(u, v) if u < v else (v, u) for u, v in G.edges() if u != v})


def _components(nodes: list[str], pairs: list[tuple[str, str]]) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """Connected components with their pairs, largest first, ties broken by the smallest id."""
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_edges_from(pairs)
    comps = [sorted(c) for c in nx.connected_components(H)]
    comps.sort(key=lambda c: (-len(c), c[0]))
    which = {m: i for i, c in enumerate(comps) for m in c}
    their_pairs: list[list[tuple[str, str]]] = [[] for _ in comps]
    for a, b in pairs:
        their_pairs[which[a]].append((a, b))
    return list(zip(comps, their_pairs))


def prepare() -> None:
    """Import the force layout's engine now. igraph's first import also imports its drawing
    backends (matplotlib when installed): about 0.7 s, which a server pays at start-up instead
    of in the first map it is asked for."""
    import igraph  # noqa: F401


def _force_component(members: list[str], pairs: list[tuple[str, str]], seed: int) -> list[tuple[float, float]]:
    import igraph

    n = len(members)
    if n == 1:
        return [(0.0, 0.0)]
    at = {m: i for i, m in enumerate(members)}
    g = igraph.Graph(n=n, edges=[(at[a], at[b]) for a, b in pairs])
    # igraph draws its random start from a module-wide generator: seed our own, put the default
    # back after. (A start matrix of our own would do too, but slows the grid variant sevenfold.)
    # Unweighted: weighting by tie strength packed the strong ties into an unreadable core.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        # The exact variant costs n² per step (3 s at 1,000 nodes); the grid one is near linear.
        coords = g.layout_fruchterman_reingold(niter=_iterations(n), grid=n > GRID_FROM)
    finally:
        igraph.set_random_number_generator(random)
    return _level([(float(x), float(y)) for x, y in coords.coords])


def _iterations(n: int) -> int:
    """Fruchterman-Reingold steps for a component of n nodes: 1,000 up to 750 nodes, then a
    budget of about 750,000 node-steps, never under 250 (373 steps at 2,000 nodes, the
    explorer's neighbourhoods). On large components the later steps barely move anything: at
    2,000 nodes 340-375 steps give the same spacing (share of nodes crowding their nearest
    neighbour, tie lengths) and the same grouping of communities as 700-750, within what one
    seed differs from another, in half the time (measured in the first-draw branch's notes)."""
    return min(1000, max(250, 750_000 // max(n, 1)))


def _level(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Turn a layout so that its longest axis lies across (a force layout has no up or down),
    which fits it to wide screens and slides; the sign is fixed so the result is stable."""
    n = len(points)
    mx, my = sum(p[0] for p in points) / n, sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    syy = sum((p[1] - my) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    c, s = math.cos(-angle), math.sin(-angle)
    turned = [((x - mx) * c - (y - my) * s, (x - mx) * s + (y - my) * c) for x, y in points]
    if sum(x ** 3 for x, _ in turned) < 0:  # the heavier tail to the right, always
        turned = [(-x, y) for x, y in turned]
    if sum(y ** 3 for _, y in turned) < 0:
        turned = [(x, -y) for x, y in turned]
    return turned


def _normalise(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Centre on the origin and scale the longer side to [-1, 1]."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return [((x - cx) / half, (y - cy) / half) for x, y in points]


def _stretch(points: list[tuple[float, float]], aspect: float) -> list[tuple[float, float]]:
    """Widen a levelled layout towards width:height = aspect (by at most 1.6 times), so that it
    fills a wide screen or slide; a force layout's proportions carry no meaning."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    if w <= 0 or h <= 0:
        return points
    k = min(1.6, max(1.0, aspect * h / w))
    return [(x * k, y) for x, y in points]


def spring_layout(G: nx.MultiDiGraph, *, seed: int = 42, aspect: float = 1.6) -> Positions:
    """A force-directed layout (Fruchterman-Reingold), seeded, shaped for a wide screen.

    Each connected component is laid out on its own and turned so its longest axis lies
    across; the largest is widened towards `aspect` and takes the middle, the others stand in
    columns to its right, largest first, each sized by the square root of its node count.

    Parameters
    ----------
    G : the graph to lay out (a MultiDiGraph; direction and parallel ties do not matter).
    seed : the seed of igraph's random generator (the starting positions).
    aspect : the width:height the largest component is widened towards (1 keeps it as it is).

    Returns
    -------
    dict mapping every node id to (x, y), y up, within about [-1, 1].

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> spring_layout(G) == spring_layout(G)
    True
    """
    nodes = sorted(G.nodes)
    if not nodes:
        return {}
    comps = _components(nodes, _tied_pairs(G))
    placed: list[tuple[str, float, float]] = []
    main_size = math.sqrt(len(comps[0][0]))
    top = right = 0.0
    col_x, col_y, col_w = 0.0, 0.0, 0.0
    for i, (members, pairs) in enumerate(comps):
        coords = _normalise(_force_component(members, pairs, seed)) if len(members) > 1 else [(0.0, 0.0)]
        if i == 0:
            coords = [(x * main_size, y * main_size) for x, y in _stretch(coords, aspect)]
            top = max(y for _, y in coords)
            right = max(x for x, _ in coords)
            col_x, col_y = right + main_size * 0.15, top
            placed.extend((m, x, y) for m, (x, y) in zip(members, coords))
            continue
        size = max(0.5, math.sqrt(len(members)) / 1.6)
        if col_y - 2 * size < -top and col_y < top:  # this column is full: start the next one
            col_x += col_w + main_size * 0.08
            col_y, col_w = top, 0.0
        ox, oy = col_x + size, col_y - size
        col_y -= 2 * size + main_size * 0.05
        col_w = max(col_w, 2 * size)
        placed.extend((m, ox + x * size, oy + y * size) for m, (x, y) in zip(members, coords))
    scaled = _normalise([(x, y) for _, x, y in placed])
    return {m: (round(x, 5), round(y, 5)) for (m, _, _), (x, y) in zip(placed, scaled)}


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    lat = max(-85.0, min(85.0, lat))
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _anchor_of(G: nx.MultiDiGraph, node: str, placed: dict[str, Point], cities: dict[tuple[str, str | None], str],
               countries: dict[str, Point] | None) -> Point | None:
    """Where a node without coordinates belongs: its city, the place it is in, its country."""
    d = G.nodes[node]
    if d.get("city"):
        key = normalize(d["city"])
        city = cities.get((key, d.get("country"))) or cities.get((key, None))
        if city in placed:
            return placed[city]
    for _, place, e in sorted(G.out_edges(node, data=True), key=lambda t: (t[2].get("kind", ""), t[1])):
        if e.get("kind") in _PLACING_KINDS and place in placed:
            return placed[place]
    if countries and d.get("country") in countries:
        return countries[d["country"]]
    return None


def geo_layout(G: nx.MultiDiGraph, *, seed: int = 42, importance: dict[str, float] | None = None,
               frame: bool = False, extent: list[tuple[float, float]] = (), unplaced_out: list | None = None):
    """Longitude and latitude (Mercator); entities without coordinates near where they belong.

    A node without lat/lon is placed, in this order of preference: at the city named in its
    `city` field (a city entity with coordinates, same country first); at a place it is
    `located_in`, `headquartered_in`, `works_for` or `operates_in`; at its country (the country entity's
    coordinates, else the middle of the entities in that country, else its capital: `maps.places`); at the middle of its placed
    neighbours in the same country (or of any, for an entity with no country). What is still unplaced goes in a row below the map
    (and into `unplaced_out`, when given, for the caption to say). Nodes on the same spot are
    spread on a ring around it so none hides another (`maps.spread`). `seed` is accepted for symmetry with
    `spring_layout`; the result does not depend on chance. With `frame=True` the result is
    (positions, Frame): the frame maps longitude and latitude to the same coordinates, so a
    basemap (`maps.basemap`) lines up. `extent`: (lon, lat) points the map must also show (the
    corners of the countries a view is about); positions then span more than [-1, 1].

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("espoo", kind="city", lat=60.2, lon=24.65)
    >>> G.add_node("aalto", kind="university", city="Espoo")
    >>> G.add_node("espoo-city", kind="city", name="Espoo")
    >>> sorted(geo_layout(G))
    ['aalto', 'espoo', 'espoo-city']
    """
    nodes = sorted(G.nodes)
    if not nodes:
        return ({}, Frame(0.0, 0.0, 1.0)) if frame else {}
    importance = importance or {}
    known: dict[str, tuple[float, float]] = {}
    for n in nodes:
        d = G.nodes[n]
        if d.get("lat") is not None and d.get("lon") is not None:
            known[n] = _mercator(float(d["lat"]), float(d["lon"]))
    cities: dict[tuple[str, str | None], str] = {}
    for n in nodes:
        d = G.nodes[n]
        if d.get("kind") == "city" and n in known:
            for key in {normalize(d.get("name") or n), normalize(n)}:
                cities.setdefault((key, d.get("country")), n)
                cities.setdefault((key, None), n)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    country_nodes: dict[str, tuple[float, float]] = {}
    for n, p in known.items():
        c = G.nodes[n].get("country")
        if not c:
            continue
        if G.nodes[n].get("kind") == "country":
            country_nodes[c] = p
        else:
            by_country[c].append(p)
    # A country's place: its country entity's coordinates, else the middle of its entities, else
    # its capital (maps.places), so that an entity in a country nothing else places still lands there.
    used = {G.nodes[n].get("country") for n in nodes} - {None, ""}
    countries = {c: _mercator(*p) for c in sorted(used) if (p := country_place(c)) is not None}
    countries.update({c: _mean(ps) for c, ps in by_country.items()})
    countries.update(country_nodes)

    anchors: dict[str, tuple[float, float]] = dict(known)
    pending = [n for n in nodes if n not in known]
    # Rounds, so that a person finds their employer once the employer has found its city; the
    # country only when no city or place says more.
    for country_table in (None, None, None, countries):
        for n in [n for n in pending if n not in anchors]:
            a = _anchor_of(G, n, anchors, cities, country_table)
            if a is not None:
                anchors[n] = a
    # Neighbours last, in rounds, so a chain of unplaced nodes still finds its way home.
    # A neighbour in another country says nothing of where an entity is (a Taiwanese institute
    # tied to a Finnish company is not in Espoo): such an entity goes to the row below the map.
    for _ in range(3):
        for n in [n for n in pending if n not in anchors]:
            own = G.nodes[n].get("country")
            near = [anchors[m] for m in sorted(nx.all_neighbors(G, n))
                    if m in anchors and (not own or G.nodes[m].get("country") in (own, None))]
            if near:
                anchors[n] = _mean(near)
    unplaced = [n for n in pending if n not in anchors]
    corners = [_mercator(lat, lon) for lon, lat in extent]
    if anchors:
        xs = [p[0] for p in anchors.values()] + [p[0] for p in corners]
        ys = [p[1] for p in anchors.values()] + [p[1] for p in corners]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    else:
        xs, ys, span = [0.0], [0.0], 1.0
    # A step is about a marker and a label's height on a slide: a twentieth of the map's span on a
    # regional map; on a world map, where no ring in Europe can be that wide, a thirtieth.
    roomy = span <= REGIONAL_SPAN
    step = span / (20 if roomy else 30)
    spread = spread_out(anchors, step, importance, {n: G.nodes[n].get("kind") for n in anchors}, roomy)
    width = max(xs) - min(xs) or span
    for i, n in enumerate(unplaced):
        spread[n] = (min(xs) + (i % 40) * width / 40, min(ys) - span * 0.08 - (i // 40) * step * 4)
    names = sorted(spread)
    fr = Frame.around([spread[n] for n in names] + corners)
    out = {n: fr.to_map(*spread[n]) for n in names}
    if unplaced_out is not None:
        unplaced_out.extend(unplaced)
    return (out, fr) if frame else out


@dataclass(frozen=True)
class Frame:
    """How projected (Mercator) coordinates map to a layout's: centred, the longer side [-1, 1]."""

    cx: float
    cy: float
    half: float

    @classmethod
    def around(cls, points: list[Point]) -> "Frame":
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
        return cls((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, half)

    def to_map(self, x: float, y: float) -> Point:
        return round((x - self.cx) / self.half, 5), round((y - self.cy) / self.half, 5)

    def lonlat(self, lon: float, lat: float) -> Point:
        """A longitude and latitude in this frame's coordinates."""
        return self.to_map(*_mercator(lat, lon))


def _mean(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    pts = list(points)
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


LAYOUTS = {"spring": spring_layout, "geo": geo_layout}


def layout(G: nx.MultiDiGraph, name: str = "spring", *, seed: int = 42, importance: dict[str, float] | None = None) -> Positions:
    """Positions by the named layout ('spring' or 'geo'); see `spring_layout` and `geo_layout`."""
    if name == "spring":
        return spring_layout(G, seed=seed)
    if name == "geo":
        return geo_layout(G, seed=seed, importance=importance)
    raise EspooNetError(f"unknown layout {name!r} (use one of: {', '.join(LAYOUTS)})")
