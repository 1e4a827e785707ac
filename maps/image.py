"""Slide images of a map: PNG, SVG or PDF at 1920×1080 by default, drawn with matplotlib.

The image draws the same `MapView` as the HTML map (same nodes, same positions, same colours
and shapes from `graph.style`), with a title, a legend and a footer stating the date of the
ties and the sources. Only the most important nodes are labelled, and labels that would
overlap are dropped, so a slide stays readable.

Names in other scripts (上海, 충청북도) need a font that has them; the first installed font of
`CJK_FONTS` is used as a fallback. Without one the glyphs are missing: `write_image` reports
which characters were missing instead of failing.

>>> from maps.image import write_image
>>> write_image(view, "map.png")           # doctest: +SKIP
{'path': 'map.png', 'format': 'png', 'width': 1920, 'height': 1080, 'missing_glyphs': ''}
"""
from __future__ import annotations

import logging
import math
import re
import textwrap
import warnings
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from graph.errors import EspooNetError
from graph.style import (BACKGROUND, FADED_ALPHA, HIGHLIGHT, LAND, LAND_EDGE, MPL_MARKERS, TEXT, edge_styles, families,
                         node_styles)

from .actors import family_of
from .drawing import CORNER, LABEL_PLACES, essential_labels, label_candidates, parallel_bends, short_labels
from .output import atomic_output
from .view import MapView

__all__ = ["write_image", "figure", "IMAGE_FORMATS", "CJK_FONTS", "label_candidates", "MIN_SIDE", "MAX_SIDE"]

IMAGE_FORMATS = ("png", "svg", "pdf")
CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
             "Droid Sans Fallback", "Source Han Sans")
DPI = 100
MIN_SIDE, MAX_SIDE = 200, 8000  # pixels; 8000x8000 is past 8K video and about 256 MB to draw
_MISSING = re.compile(r"Glyph (\d+) .*missing from (current )?font")


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, ...]:
    """DejaVu Sans, then the installed CJK fonts as fallbacks. Matplotlib's font cache does not
    see fonts installed after it was built, so when it knows none, the system's font files it
    has not seen are added once."""
    from matplotlib import font_manager

    fm = font_manager.fontManager
    if not any(f.name in CJK_FONTS for f in fm.ttflist):
        known = {f.fname for f in fm.ttflist}
        for path in sorted(font_manager.findSystemFonts()):
            if path not in known:
                try:
                    fm.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file: skip it
                    continue
    installed = {f.name for f in fm.ttflist}
    return ("DejaVu Sans", *[f for f in CJK_FONTS if f in installed])


def _radius(view: MapView, node: str) -> float:
    """Marker size in points, from the same weight that sizes the node in the HTML map; capped,
    so that a hub does not cover its neighbours."""
    return 6 + 16 * view.weight(node)


def _scale_sizes(n: int) -> float:
    """Marker scale: smaller markers as the map grows, so a large map is not one blot."""
    return min(1.0, math.sqrt(250 / max(n, 1)))


def _bezier(p0, p2, side: int, roundness: float, steps: int = 16) -> list[tuple[float, float]]:
    (x0, y0), (x2, y2) = p0, p2
    dx, dy = x2 - x0, y2 - y0
    # Perpendicular to the tie; screen y points down in the HTML map, up here, hence -side.
    cx, cy = (x0 + x2) / 2 - side * dy * roundness, (y0 + y2) / 2 + side * dx * roundness
    pts = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        pts.append((a * x0 + b * cx + c * x2, a * y0 + b * cy + c * y2))
    return pts


def _draw_edges(ax, view: MapView) -> None:
    from matplotlib.collections import LineCollection

    G, pos, styles, looks = view.graph, view.positions, edge_styles(), families()
    bends = parallel_bends(G, arcs=view.options.layout == "geo")
    faded = bool(view.route)
    groups: dict[tuple[str, str, bool], list] = {}
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        side, roundness = bends[k]
        line = _bezier(pos[u], pos[v], side, roundness) if side else [pos[u], pos[v]]
        groups.setdefault((d["kind"], family_of(d), k in view.route_edges), []).append(line)
    for (kind, family, on_route), lines in sorted(groups.items()):
        st = styles[kind]
        if on_route:
            colour, width, style, alpha, z = HIGHLIGHT, 4.0, "solid", 1.0, 3
        else:
            dash = (0, tuple(x / 2 for x in st.dashes)) if st.dashes and family == st.family else "solid"
            colour, width, style, alpha, z = looks[family][1], st.width * 0.8, dash, (FADED_ALPHA if faded else 0.75), 1
        ax.add_collection(LineCollection(lines, colors=colour, linewidths=width, linestyles=style, alpha=alpha, zorder=z,
                                         capstyle="round"))


def _draw_nodes(ax, view: MapView) -> None:
    G, pos = view.graph, view.positions
    styles = node_styles()
    k = _scale_sizes(G.number_of_nodes())
    on_route = set(view.route)
    faded = bool(view.route)
    by_look: dict[tuple, list[str]] = {}
    for n in sorted(G.nodes):
        d = G.nodes[n]
        look = (styles[d["kind"]].shape, view.colours[n], bool(d.get("home")) or n in view.highlights, n in on_route)
        by_look.setdefault(look, []).append(n)
    for (shape, colour, home, routed), members in sorted(by_look.items()):
        sizes = [(_radius(view, m) * k) ** 2 * (1.6 if shape == "star" else 1) for m in members]
        edge = HIGHLIGHT if routed else ("#222222" if home else "white")
        ax.scatter([pos[m][0] for m in members], [pos[m][1] for m in members], s=sizes, c=colour,
                   marker=MPL_MARKERS.get(shape, "o"), edgecolors=edge, linewidths=2.2 if (home or routed) else 0.6,
                   alpha=1.0 if (routed or not faded) else FADED_ALPHA + 0.1, zorder=4 if routed else 2)


def _draw_basemap(ax, view: MapView) -> None:
    from matplotlib.collections import PolyCollection

    if view.basemap:
        ax.add_collection(PolyCollection(view.basemap, facecolors=LAND, edgecolors=LAND_EDGE, linewidths=0.6,
                                         zorder=0))


def _node_boxes(ax, fig, view: MapView, nodes: list[str]):
    """Each node's marker as a box in display pixels: (x0, y0, x1, y1) rows of a numpy array."""
    import numpy as np

    k = _scale_sizes(view.graph.number_of_nodes()) * fig.dpi / 72
    xy = ax.transData.transform([view.positions[n] for n in nodes])
    r = np.array([_radius(view, n) * k / 2 for n in nodes])
    return np.column_stack([xy[:, 0] - r, xy[:, 1] - r, xy[:, 0] + r, xy[:, 1] + r])


def _label_places(r: float) -> list:
    """Where a label is tried, in order (`drawing.LABEL_PLACES`, the HTML map's order too): below
    its node, above, right, left, then the four corners (a ring of entities at one place leaves
    room there). Each as (offset in points, horizontal alignment, vertical alignment)."""
    ha = {1: "left", 0: "center", -1: "right"}
    va = {1: "bottom", 0: "center", -1: "top"}
    return [((x * r * (CORNER if x and y else 1), y * r * (CORNER if x and y else 1)), ha[x], va[y])
            for x, y in LABEL_PLACES]


def _draw_labels(ax, fig, view: MapView) -> list:
    """Labels that never overlap: tried in `label_candidates` order, each below its node, else
    above, right, left or at a corner (`_label_places`); a label that would touch a label already
    placed, cover another node or leave the map's area is left out (the HTML map names it on
    hover), but an essential one that finds no place free of nodes takes the first place that
    touches no label. The HTML map's labels.js follows the same rule. Returns the labels drawn."""
    import numpy as np

    G, pos = view.graph, view.positions
    renderer = fig.canvas.get_renderer()
    area = ax.get_window_extent(renderer)
    k = _scale_sizes(G.number_of_nodes())
    nodes = sorted(G.nodes)
    boxes = _node_boxes(ax, fig, view, nodes)
    at = {n: i for i, n in enumerate(nodes)}
    placed: list = []
    drawn = []
    # A white backing box rather than a stroke effect: path effects turn text into outlines,
    # and slide text must stay editable (<text> in SVG, fonts in PDF).
    halo = {"boxstyle": "square,pad=0.08", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}

    def free(box, own: int | None, over_nodes: bool = False) -> bool:
        if not (area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1):
            return False
        if any(box.overlaps(b) for b in placed):
            return False
        if over_nodes:  # an essential label may cover nodes, never another label
            return True
        hit = (boxes[:, 0] < box.x1) & (boxes[:, 2] > box.x0) & (boxes[:, 1] < box.y1) & (boxes[:, 3] > box.y0)
        if own is not None:
            hit[own] = False
        return not bool(np.any(hit))

    essential = set(essential_labels(view))
    labels = short_labels(G)
    for n in label_candidates(view):
        imp = view.importance.get(n, 0.0)
        r = _radius(view, n) * k / 2 + 2
        text = labels[n]
        bold = imp > 0.6 or n in view.route or n in view.highlights
        # Every place free of nodes first; only then may an essential label cover nodes (as on the HTML map).
        tries = [(p, False) for p in _label_places(r)] + [(p, True) for p in _label_places(r) if n in essential]
        for (offset, ha, va), over_nodes in tries:
            t = ax.annotate(text, pos[n], xytext=offset, textcoords="offset points", ha=ha, va=va,
                            fontsize=min(14.0, 9 + 5 * imp), color=TEXT, zorder=6, bbox=halo,
                            fontweight="bold" if bold else "normal")
            box = t.get_window_extent(renderer).expanded(1.04, 1.08)
            if free(box, at[n], over_nodes=over_nodes):
                placed.append(box)
                drawn.append(t)
                break
            t.remove()
    drawn.extend(_draw_tie_labels(ax, view, renderer, free, placed, halo))
    return drawn


def _draw_tie_labels(ax, view: MapView, renderer, free, placed: list, halo) -> list:
    """The names of the activities drawn as ties, at the middle of their tie, where they fit."""
    G, pos, drawn = view.graph, view.positions, []
    for u, v, k, label in sorted(G.edges(keys=True, data="label"), key=lambda e: e[2]):
        if not label:
            continue
        mid = ((pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2)
        t = ax.annotate(label, mid, ha="center", va="center", fontsize=8, fontstyle="italic", color="#444444",
                        zorder=5, bbox=halo)
        box = t.get_window_extent(renderer).expanded(1.04, 1.08)
        if free(box, None):
            placed.append(box)
            drawn.append(t)
        else:
            t.remove()
    return drawn


def _legend_sections(view: MapView) -> list[tuple[str, list, int]]:
    """The legend's sections: (title, handles, columns). Relations are grouped by family."""
    from matplotlib.lines import Line2D

    G = view.graph
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    fams = Counter(family_of(d) for *_, d in G.edges(data=True))
    grey = "#888888"
    node_handles = [Line2D([], [], linestyle="none", marker=MPL_MARKERS.get(st.shape, "o"), markersize=10,
                           markerfacecolor=grey if view.clusters else st.colour, markeredgecolor="white",
                           label=f"{st.label} ({kinds[k]})")
                    for k, st in node_styles().items() if kinds[k]]
    edge_handles = [Line2D([], [], color=colour, linewidth=2.5, label=f"{label} ({fams[f]})")
                    for f, (label, colour) in families().items() if fams[f]]
    sections = []
    if view.route:
        label = textwrap.fill(view.route_label, 34)
        sections.append(("Highlighted", [Line2D([], [], color=HIGHLIGHT, linewidth=4, label=label)], 1))
    sections.append(("Entities", node_handles, 1))
    if view.clusters:
        handles = [Line2D([], [], linestyle="none", marker="o", markersize=10, markerfacecolor=c["colour"],
                          markeredgecolor="white", label=textwrap.shorten(c["label"], 32) + f" ({c['size']})")
                   for c in view.clusters]
        sections.append(("Clusters", handles, 1 if len(handles) <= 24 else 2))
    sections.append(("Relations", edge_handles, 1))
    return sections


def _legend(fig, view: MapView) -> list:
    """The whole legend, stacked in the right-hand column; the font shrinks until every entry
    fits above the caption (a legend is never cut off). Returns the matplotlib legends."""
    sections = _legend_sections(view)
    renderer = fig.canvas.get_renderer()
    rows = sum(math.ceil(len(h) / c) + 2 for _, h, c in sections)
    font = 12 if rows <= 40 else max(6.0, 12 * 40 / rows)
    while True:
        legends, y = [], 0.90
        for title, handles, cols in sections:  # stacked: each section starts below the last one drawn
            if not handles:
                continue
            leg = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.795, y), frameon=False,
                             fontsize=font, title=title, title_fontproperties={"weight": "bold", "size": font + 1},
                             alignment="left", handlelength=2.4, borderaxespad=0, labelspacing=0.35, ncols=cols,
                             columnspacing=0.8)
            leg.set_in_layout(False)
            legends.append(leg)
            y = leg.get_window_extent(renderer).y0 / fig.bbox.height - 0.025
        right = max(lg.get_window_extent(renderer).x1 for lg in legends) / fig.bbox.width
        if (y >= 0.05 and right <= 0.998) or font <= 6.0:
            return legends
        for lg in legends:
            lg.remove()
        font = max(6.0, font * 0.92)


def _fit(ax, view: MapView, w_px: float, h_px: float) -> None:
    """Limits that show every node with a margin, one data unit as long across as up (the
    layout's proportions kept, like an equal aspect, without matplotlib resizing the axes)."""
    xs = [p[0] for p in view.positions.values()] + [p[0] for p in view.extent]
    ys = [p[1] for p in view.positions.values()] + [p[1] for p in view.extent]
    dx, dy = max(xs) - min(xs) or 0.2, max(ys) - min(ys) or 0.2
    per_px = max(dx / w_px, dy / h_px) * 1.12
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    ax.set_xlim(cx - per_px * w_px / 2, cx + per_px * w_px / 2)
    ax.set_ylim(cy - per_px * h_px / 2, cy + per_px * h_px / 2)


def _draw(view: MapView, width: int, height: int):
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(fig)
    box = (0.015, 0.075, 0.77, 0.81)
    ax = fig.add_axes(box)
    ax.set_axis_off()
    if view.graph.number_of_nodes():
        _draw_basemap(ax, view)
        _draw_edges(ax, view)
        _draw_nodes(ax, view)
        _fit(ax, view, box[2] * width, box[3] * height)
        fig.canvas.draw()  # fixes the data limits, so that label extents are final
        _draw_labels(ax, fig, view)
    else:
        ax.text(0.5, 0.5, "Nothing to show with these options", ha="center", va="center", fontsize=20, color=TEXT,
                transform=ax.transAxes)
    fig.text(0.015, 0.955, view.title, fontsize=28, fontweight="bold", color=TEXT, va="center")
    fig.text(0.015, 0.912, view.subtitle, fontsize=15, color="#555555", va="center")
    per_line = max(40, int(width * 0.97 / 8.2))  # characters of 11 pt text across the image
    fig.text(0.015, 0.012, textwrap.fill(view.footer, per_line), fontsize=11, color="#666666", va="bottom")
    _legend(fig, view)
    return fig


@contextmanager
def _drawing() -> Iterator[list]:
    """Our fonts and metadata settings, matplotlib's font log hushed, its warnings collected.

    A fallback font with one weight makes matplotlib log "Failed to find font weight bold" on
    stderr for every label; the library prints nothing, so that logger is hushed meanwhile.
    Missing-glyph warnings are collected (the caller reports them); any other warning is
    raised again as it would have been.
    """
    import matplotlib

    rc = {"font.family": list(_fonts()), "svg.hashsalt": "espoo-network", "svg.fonttype": "none", "pdf.fonttype": 42}
    font_log = logging.getLogger("matplotlib.font_manager")
    level = font_log.level
    font_log.setLevel(logging.ERROR)
    missing: list = []
    try:
        with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield missing
    finally:
        font_log.setLevel(level)
    for w in caught:
        m = _MISSING.search(str(w.message))
        if m:
            missing.append(chr(int(m.group(1))))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def figure(view: MapView, size: tuple[int, int] = (1920, 1080)):
    """The matplotlib Figure of a view, drawn and ready to save or inspect."""
    with _drawing():
        return _draw(view, *size)


def write_image(view: MapView, path: str | Path, *, size: tuple[int, int] = (1920, 1080), fmt: str | None = None) -> dict:
    """Draw a view as a slide image.

    Parameters
    ----------
    view : a MapView from `build_view`.
    path : the file to write; its suffix picks the format unless `fmt` is given.
    size : (width, height) in pixels at 100 dpi; 1920×1080 by default.
    fmt : 'png', 'svg' or 'pdf'.

    Returns
    -------
    ``{"path", "format", "width", "height", "missing_glyphs"}``; missing_glyphs lists the
    characters no installed font could draw (empty when all were drawn).

    Raises
    ------
    EspooNetError for an unknown format or a size outside 200×200 to 8000×8000.

    Examples
    --------
    >>> write_image(build_view(G), "map.svg")["format"]     # doctest: +SKIP
    'svg'
    """
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in IMAGE_FORMATS:
        raise EspooNetError(f"unknown image format {fmt!r} (use one of: {', '.join(IMAGE_FORMATS)})")
    width, height = size
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise EspooNetError(f"image size {width}x{height} is out of range (from {MIN_SIDE}x{MIN_SIDE} "
                            f"to {MAX_SIDE}x{MAX_SIDE})")
    # No dates or tool versions in the files, so the same view gives the same bytes.
    metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}}[fmt]
    with _drawing() as missing:
        fig = _draw(view, width, height)
        with atomic_output(path) as tmp:
            fig.savefig(tmp, format=fmt, dpi=DPI, facecolor=BACKGROUND, metadata=metadata)
    return {"path": str(path), "format": fmt, "width": width, "height": height,
            "missing_glyphs": "".join(sorted(set(missing)))}
