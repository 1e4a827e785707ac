"""Country outlines for the geographic map, drawn offline from a file shipped in this package.

`basemap/world.json` holds Natural Earth's 1:110m "Admin 0 - Countries" outlines (public
domain), as shipped in the geopandas 0.14.4 wheel (`naturalearth_lowres`), rounded to 0.05
degrees by `basemap/extract.py` (about 150 KB; how it was made is written there). No tiles and
no network: the HTML map and the slide image draw the same outlines from the same file.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .layout import Frame

__all__ = ["outlines", "outlines_in", "countries_around", "WORLD_FILE"]

WORLD_FILE = Path(__file__).with_name("basemap") / "world.json"
MARGIN = 0.35  # outlines this far (in layout units) beyond the outermost entity are still drawn


@lru_cache(maxsize=1)
def _countries() -> tuple[tuple[tuple[tuple[float, float], ...], ...], ...]:
    doc = json.loads(WORLD_FILE.read_text(encoding="utf-8"))
    return tuple(tuple(tuple((float(x), float(y)) for x, y in ring) for ring in c["rings"]) for c in doc["countries"])


def _inside(lon: float, lat: float, ring) -> bool:
    """Even-odd rule: is the point inside the ring?"""
    hit, j = False, len(ring) - 1
    for i in range(len(ring)):
        (xi, yi), (xj, yj) = ring[i], ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def countries_around(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The corners (lon, lat) of the outlines of the countries these (lon, lat) points are in,
    so that a map of one country's entities shows all of that country.

    >>> lo, hi = countries_around([(127.49, 36.64)])   # Cheongju: all of South Korea
    >>> lo[1] < 35.0 and hi[1] > 38.0
    True
    """
    found = [c for c in _countries() if any(_inside(lon, lat, r) for lon, lat in points for r in c)]
    if not found:
        return []
    xs = [x for c in found for r in c for x, _ in r]
    ys = [y for c in found for r in c for _, y in r]
    return [(min(xs), min(ys)), (max(xs), max(ys))]


@lru_cache(maxsize=1)
def outlines() -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every country ring as ((lon, lat), ...), in the file's order."""
    return tuple(ring for c in _countries() for ring in c)


def outlines_in(frame: Frame, positions: dict[str, tuple[float, float]],
                floor: float | None = None) -> list[list[tuple[float, float]]]:
    """The country rings that reach the area around `positions`, in the layout's coordinates.
    With `floor`, the rings are cut off below that height, so that what lies below it (the row
    of entities with no known place) sits outside the basemap.

    >>> f = Frame(*Frame.around([(24.6, 73.9), (127.5, 43.5)]).__dict__.values())
    >>> len(outlines_in(f, {"espoo": f.lonlat(24.65, 60.2)})) > 5
    True
    """
    if not positions:
        return []
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    pad = MARGIN * max(max(xs) - min(xs), max(ys) - min(ys), 0.5)
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    out = []
    for ring in outlines():
        pts = [frame.lonlat(lon, lat) for lon, lat in ring]
        rx, ry = [p[0] for p in pts], [p[1] for p in pts]
        if max(rx) >= x0 and min(rx) <= x1 and max(ry) >= y0 and min(ry) <= y1:
            if floor is not None and min(ry) < floor:
                pts = _above(pts, floor)
            if len(pts) >= 3:
                out.append(pts)
    return out


def _above(ring: list[tuple[float, float]], floor: float) -> list[tuple[float, float]]:
    """The part of a ring at or above `floor` (one Sutherland-Hodgman step against y = floor).

    >>> _above([(0, -1), (1, -1), (1, 1), (0, 1)], 0.0)
    [(0.0, 0.0), (1.0, 0.0), (1, 1), (0, 1)]
    """
    out: list[tuple[float, float]] = []
    for i, (x1, y1) in enumerate(ring):
        x0, y0 = ring[i - 1]
        if (y0 >= floor) != (y1 >= floor):
            t = (floor - y0) / (y1 - y0)
            out.append((round(x0 + t * (x1 - x0), 5), float(floor)))
        if y1 >= floor:
            out.append((x1, y1))
    return out
