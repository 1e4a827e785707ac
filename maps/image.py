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
from graph.style import BACKGROUND, FADED_ALPHA, HIGHLIGHT, MPL_MARKERS, TEXT, edge_styles, node_styles

from .drawing import parallel_bends, short_label
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


def label_candidates(view: MapView, limit: int | None = None) -> list[str]:
    """Nodes to label, most important first: all of a small map, else the top ones, with the
    highlighted route and our own side's hubs always among them."""
    G = view.graph
    n = G.number_of_nodes()
    limit = limit if limit is not None else (n if n <= 30 else max(20, min(32, n // 8)))
    ranked = sorted(G.nodes, key=lambda m: (-view.importance.get(m, 0.0), m))
    first = [m for m in view.route] + [m for m in ranked[:10] if G.nodes[m].get("home")]
    out = list(dict.fromkeys(first))
    for m in ranked:
        if len(out) >= max(limit, len(first)):
            break
        if m not in out:
            out.append(m)
    return out


def _radius(view: MapView, node: str) -> float:
    """Marker size in points, from the same weight that sizes the node in the HTML map."""
    return 7 + 30 * view.weight(node)


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

    G, pos, styles = view.graph, view.positions, edge_styles()
    bends = parallel_bends(G)
    faded = bool(view.route)
    groups: dict[tuple[str, bool], list] = {}
    for u, v, k, kind in sorted(G.edges(keys=True, data="kind"), key=lambda e: e[2]):
        side, roundness = bends[k]
        line = _bezier(pos[u], pos[v], side, roundness) if side else [pos[u], pos[v]]
        groups.setdefault((kind, k in view.route_edges), []).append(line)
    for (kind, on_route), lines in sorted(groups.items()):
        st = styles[kind]
        if on_route:
            colour, width, style, alpha, z = HIGHLIGHT, 4.0, "solid", 1.0, 3
        else:
            dash = (0, tuple(x / 2 for x in st.dashes)) if st.dashes else "solid"
            colour, width, style, alpha, z = st.colour, st.width * 0.8, dash, (FADED_ALPHA if faded else 0.75), 1
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
        look = (styles[d["kind"]].shape, view.colours[n], bool(d.get("home")), n in on_route)
        by_look.setdefault(look, []).append(n)
    for (shape, colour, home, routed), members in sorted(by_look.items()):
        sizes = [(_radius(view, m) * k) ** 2 * (1.6 if shape == "star" else 1) for m in members]
        edge = HIGHLIGHT if routed else ("#222222" if home else "white")
        ax.scatter([pos[m][0] for m in members], [pos[m][1] for m in members], s=sizes, c=colour,
                   marker=MPL_MARKERS.get(shape, "o"), edgecolors=edge, linewidths=2.2 if (home or routed) else 0.6,
                   alpha=1.0 if (routed or not faded) else FADED_ALPHA + 0.1, zorder=4 if routed else 2)


def _draw_labels(ax, fig, view: MapView) -> None:
    """Labels of the chosen nodes, most important first: below the node, else above, right or
    left of it; a label that would overlap one already placed, or leave the map's area, is
    dropped (the HTML map names everything on zooming in)."""
    from matplotlib import patheffects

    G, pos = view.graph, view.positions
    renderer = fig.canvas.get_renderer()
    area = ax.get_window_extent(renderer)
    k = _scale_sizes(G.number_of_nodes())
    placed = []
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    for n in label_candidates(view):
        imp = view.importance.get(n, 0.0)
        r = _radius(view, n) * k / 2 + 3
        text = short_label(G.nodes[n].get("name") or n, G.nodes[n].get("aliases") or [])
        for offset, ha, va in (((0, -r), "center", "top"), ((0, r), "center", "bottom"),
                               ((r, 0), "left", "center"), ((-r, 0), "right", "center")):
            t = ax.annotate(text, pos[n], xytext=offset, textcoords="offset points", ha=ha, va=va,
                            fontsize=9 + 9 * imp, color=TEXT, zorder=6, path_effects=halo,
                            fontweight="bold" if imp > 0.6 or n in view.route else "normal")
            box = t.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1
            if inside and not any(box.overlaps(b) for b in placed):
                placed.append(box)
                break
            t.remove()


def _legend(fig, view: MapView) -> None:
    from matplotlib.lines import Line2D

    G = view.graph
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    rels = Counter(k for *_, k in G.edges(data="kind"))
    grey = "#888888"
    node_handles = [Line2D([], [], linestyle="none", marker=MPL_MARKERS.get(st.shape, "o"), markersize=10,
                           markerfacecolor=grey if view.clusters else st.colour, markeredgecolor="white",
                           label=f"{st.label} ({kinds[k]})")
                    for k, st in node_styles().items() if kinds[k]]
    edge_handles = [Line2D([], [], color=st.colour, linewidth=max(1.5, st.width),
                           linestyle=(0, tuple(x / 2 for x in st.dashes)) if st.dashes else "solid",
                           label=f"{st.label} ({rels[k]})")
                    for k, st in edge_styles().items() if rels[k]]
    sections = []
    if view.route:
        label = textwrap.fill(view.route_label, 34)
        sections.append(("Highlighted", [Line2D([], [], color=HIGHLIGHT, linewidth=4, label=label)]))
    sections.append(("Entities", node_handles))
    if view.clusters:
        sections.append(("Clusters", [
            Line2D([], [], linestyle="none", marker="o", markersize=10, markerfacecolor=c["colour"],
                   markeredgecolor="white", label=textwrap.shorten(c["label"], 34) + f" ({c['size']})")
            for c in view.clusters[:12]]))
    sections.append(("Relations", edge_handles))
    rows = sum(len(h) + 2 for _, h in sections)
    font = 12 if rows <= 40 else max(7, 12 * 40 / rows)
    renderer = fig.canvas.get_renderer()
    y = 0.90
    for title, handles in sections:  # stacked: each section starts below the last one drawn
        if not handles:
            continue
        leg = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.795, y), frameon=False, fontsize=font,
                         title=title, title_fontproperties={"weight": "bold", "size": font + 1}, alignment="left",
                         handlelength=2.4, borderaxespad=0, labelspacing=0.35)
        leg.set_in_layout(False)
        y = leg.get_window_extent(renderer).y0 / fig.bbox.height - 0.025


def _fit(ax, view: MapView, w_px: float, h_px: float) -> None:
    """Limits that show every node with a margin, one data unit as long across as up (the
    layout's proportions kept, like an equal aspect, without matplotlib resizing the axes)."""
    xs = [p[0] for p in view.positions.values()]
    ys = [p[1] for p in view.positions.values()]
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
    fig.text(0.015, 0.025, view.footer, fontsize=11, color="#666666", va="center", wrap=True)
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

    rc = {"font.family": list(_fonts()), "svg.hashsalt": "espoo-network", "svg.fonttype": "path", "pdf.fonttype": 42}
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
