"""Entities at one spot on the geographic map, spread so that each can be seen and named.

On a regional map, entities whose anchors (their own coordinates, their city's, their
country's) lie closer than half a step (about a marker and a label) merge into one group: in
Cheongju the city, its university, an institute, the province and the agreements signed there,
a few hundred metres apart, are one group; on a world map only entities at the very same spot
are close enough for their markers to touch (`WORLD_MERGE` of a step: Nõmme beside City of
Espoo, Shanghai beside a China placed among its cities). An entity alone at its spot stays exactly
where it is.

On a regional map (`roomy`: a country, a continent) a group's city (the place itself) stays in
the middle and the others stand on one ring around it, most important first, from the top, the
ring as wide as its members need to be named (`ring_radius`); groups whose rings would overlap
are pushed apart, by at most a few steps, until they do not. A group too large for one ring,
and every group on a world map (where a ring wide enough to name Espoo's hundred partners
would cover half of Europe), fills compact rings of 6, 12, 18, ... around its most important
member, which stays at its own place on a world map.
"""
from __future__ import annotations

import math
from collections import defaultdict

__all__ = ["spread", "ring_radius", "ONE_RING"]

Point = tuple[float, float]

ONE_RING = 16  # members that stand on a single ring; more fill rings of 6, 12, 18, ...
MERGE = 0.5  # on a regional map, anchors closer than this many steps are one group (one place)
# On a world map a step is about 45 px on a 1920x1080 slide and a hub's marker about 15 px across
# its radius: anchors closer than this many steps would draw one marker over another.
WORLD_MERGE = 0.45
GAP = 0.6  # steps kept free between two groups' rings
PUSHES = 40  # rounds of pushing overlapping groups apart
MAX_PUSH = 4.0  # steps a group may be pushed from its place


def ring_radius(members: int, step: float) -> float:
    """The radius of a single ring of `members`: neighbours about two steps apart along it (room
    for a label between them), at least 1.2 steps from the middle.

    >>> ring_radius(1, 1.0), round(ring_radius(10, 1.0), 2)
    (1.2, 3.0)
    """
    return step * max(1.2, 0.3 * members)


def _groups(anchors: dict[str, Point], near: float) -> list[list[str]]:
    """Members grouped by anchors closer than `near` (chained), each group sorted, groups in
    the order of their first member."""
    spots: dict[Point, list[str]] = defaultdict(list)
    for n in sorted(anchors):
        x, y = anchors[n]
        spots[(round(x, 6), round(y, 6))].append(n)
    keys = sorted(spots)
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(keys):
        cx, cy = math.floor(x / near), math.floor(y / near)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in cells.get((cx + dx, cy + dy), ()):
                    ox, oy = keys[j]
                    if (x - ox) ** 2 + (y - oy) ** 2 < near * near:
                        parent[root(i)] = root(j)
        cells[(cx, cy)].append(i)
    merged: dict[int, list[str]] = defaultdict(list)
    for i, key in enumerate(keys):
        merged[root(i)].extend(spots[key])
    return sorted((sorted(g) for g in merged.values()), key=lambda g: g[0])


def _offsets(members: list[str], middle: str | None, step: float, roomy: bool) -> dict[str, Point]:
    """Where each member stands relative to the group's centre."""
    out: dict[str, Point] = {}
    ring = [m for m in members if m != middle]
    if middle is not None:
        out[middle] = (0.0, 0.0)
    if roomy and len(ring) <= ONE_RING:
        r = ring_radius(len(ring), step)
        for k, m in enumerate(ring):  # clockwise from the top
            angle = math.pi / 2 - 2 * math.pi * k / len(ring)
            out[m] = (r * math.cos(angle), r * math.sin(angle))
        return out
    if middle is None:  # the most important in the middle, the rest on rings of 6, 12, 18, ...
        out[ring[0]] = (0.0, 0.0)
        ring = ring[1:]
    i, level = 0, 1
    while i < len(ring):
        size = min(6 * level, len(ring) - i)
        for k in range(size):
            angle = math.pi / 2 - 2 * math.pi * k / size - (level % 2) * math.pi / size
            out[ring[i + k]] = (step * level * math.cos(angle), step * level * math.sin(angle))
        i += size
        level += 1
    return out


def _push_apart(centres: list[list[float]], radii: list[float], limit: float) -> None:
    """Move overlapping discs apart (in place), the larger moving less, in a fixed order; none
    ends farther than `limit` from where it started."""
    k = len(centres)
    start = [tuple(c) for c in centres]
    for _ in range(PUSHES):
        moved = False
        for i in range(k):
            for j in range(i + 1, k):
                (xi, yi), (xj, yj) = centres[i], centres[j]
                need = radii[i] + radii[j]
                dx, dy = xj - xi, yj - yi
                d = math.hypot(dx, dy)
                if d >= need:
                    continue
                if d < 1e-9:  # the same spot: apart along a fixed direction
                    dx, dy, d = math.cos(j), math.sin(j), 1.0
                over = need - d
                wi, wj = radii[j] / need, radii[i] / need
                centres[i][0] -= dx / d * over * wi
                centres[i][1] -= dy / d * over * wi
                centres[j][0] += dx / d * over * wj
                centres[j][1] += dy / d * over * wj
                moved = True
        for c, (x0, y0) in zip(centres, start):
            d = math.hypot(c[0] - x0, c[1] - y0)
            if d > limit:
                c[0], c[1] = x0 + (c[0] - x0) * limit / d, y0 + (c[1] - y0) * limit / d
        if not moved:
            return


def spread(anchors: dict[str, Point], step: float, importance: dict[str, float],
           kinds: dict[str, str | None], roomy: bool = True) -> dict[str, Point]:
    """Positions for nodes at their anchors: alone, exactly there; in a group, on a ring.

    Parameters
    ----------
    anchors : node -> the (projected) point it belongs at.
    step : about a marker and a short label apart, in the same units.
    importance : orders a group's members (the most important first, at the top of the ring).
    kinds : node -> entity kind; a group's city stays in its middle.
    roomy : a regional map: single rings wide enough to name their members, pushed apart.

    >>> pos = spread({"a": (0, 0), "b": (0, 0), "c": (5, 5)}, 1.0, {}, {})
    >>> pos["c"], pos["a"] != pos["b"]
    ((5, 5), True)
    """
    groups = _groups(anchors, (MERGE if roomy else WORLD_MERGE) * step)
    out: dict[str, Point] = {}
    multi, centres, radii, offsets = [], [], [], []
    for g in groups:
        if len(g) == 1:
            out[g[0]] = anchors[g[0]]
    for g in groups:
        if len(g) == 1:
            continue
        members = sorted(g, key=lambda m: (-importance.get(m, 0.0), m))
        if not roomy:  # the most important member stays at its own place; the others on free slots around it
            out.update(_world_slots(members, anchors[members[0]], step, out))
            continue
        middle = next((m for m in members if kinds.get(m) == "city"), None)
        off = _offsets(members, middle, step, roomy)
        cx = sum(anchors[m][0] for m in g) / len(g)
        cy = sum(anchors[m][1] for m in g) / len(g)
        multi.append(members)
        centres.append([cx, cy])
        radii.append(max(math.hypot(x, y) for x, y in off.values()) + GAP * step)
        offsets.append(off)
    _push_apart(centres, radii, MAX_PUSH * step)
    for members, (cx, cy), off in zip(multi, centres, offsets):
        for m in members:
            out[m] = (cx + off[m][0], cy + off[m][1])
    return out


def _world_slots(members: list[str], centre: Point, step: float, taken: dict[str, Point]) -> dict[str, Point]:
    """A world map's group: the first member at `centre`, the others on rings of 6, 12, 18, ...
    slots a step apart around it, each on the first slot that no entity already placed (`taken`,
    which grows) comes within WORLD_MERGE steps of, so that no ring member lands on a neighbour
    (Tallinn on the ring around Espoo is not drawn over Sweden)."""
    near = WORLD_MERGE * step
    grid: dict[tuple[int, int], list[Point]] = defaultdict(list)

    def cell(p: Point) -> tuple[int, int]:
        return math.floor(p[0] / near), math.floor(p[1] / near)

    for p in taken.values():
        grid[cell(p)].append(p)

    def free(p: Point) -> bool:
        cx, cy = cell(p)
        return not any((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 < near * near
                       for dx in (-1, 0, 1) for dy in (-1, 0, 1) for q in grid.get((cx + dx, cy + dy), ()))

    def slots():
        level = 1
        while True:
            size = 6 * level
            for k in range(size):
                angle = math.pi / 2 - 2 * math.pi * k / size - (level % 2) * math.pi / size
                yield centre[0] + step * level * math.cos(angle), centre[1] + step * level * math.sin(angle), level
            level += 1

    out = {members[0]: centre}
    grid[cell(centre)].append(centre)
    it = slots()
    for m in members[1:]:
        for x, y, level in it:
            if free((x, y)) or level > 40:  # past 40 rings (over 4,900 slots), any slot
                break
        out[m] = (x, y)
        grid[cell((x, y))].append((x, y))
        taken[m] = (x, y)
    return out
