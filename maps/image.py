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
import re
import textwrap
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from graph.errors import EspooNetError
from graph.style import (BACKGROUND, FADED_ALPHA, HIGHLIGHT, LAND, LAND_EDGE, MPL_MARKERS, TEXT, edge_styles, families,
                         node_styles)

from .actors import family_of
from .drawing import label_candidates, parallel_bends
from .output import atomic_output
from .slidelabels import draw_labels, radius, scale_sizes
from .slidelegend import dash_of, legend
from .view import MapView

__all__ = ["write_image", "figure", "IMAGE_FORMATS", "CJK_FONTS", "label_candidates", "MIN_SIZE", "MAX_SIDE",
           "check_size"]

IMAGE_FORMATS = ("png", "svg", "pdf")
CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
             "Droid Sans Fallback", "Source Han Sans")
DPI = 100
# Pixels. Below 800x450 the title, the legend and the caption (sized for a slide) leave no room for
# the map; 8000x8000 is past 8K video and about 256 MB to draw.
MIN_SIZE, MAX_SIDE = (800, 450), 8000
TITLE_SIZES = (28, 26, 24, 22, 20)  # points: a title on one line, shrunk at most this far...
TITLE_WRAPPED = (22, 20, 18, 16, 14)  # ...then on two lines
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
            dash = dash_of(kind, family)
            colour, width, style, alpha, z = looks[family][1], st.width * 0.8, dash, (FADED_ALPHA if faded else 0.75), 1
        ax.add_collection(LineCollection(lines, colors=colour, linewidths=width, linestyles=style, alpha=alpha, zorder=z,
                                         capstyle="round"))


def _draw_nodes(ax, view: MapView) -> None:
    G, pos = view.graph, view.positions
    styles = node_styles()
    k = scale_sizes(G.number_of_nodes())
    on_route = set(view.route)
    faded = bool(view.route)
    by_look: dict[tuple, list[str]] = {}
    for n in sorted(G.nodes):
        d = G.nodes[n]
        look = (styles[d["kind"]].shape, view.colours[n], bool(d.get("home")) or n in view.highlights, n in on_route)
        by_look.setdefault(look, []).append(n)
    for (shape, colour, home, routed), members in sorted(by_look.items()):
        sizes = [(radius(view, m) * k) ** 2 * (1.6 if shape == "star" else 1) for m in members]
        edge = HIGHLIGHT if routed else ("#222222" if home else "white")
        ax.scatter([pos[m][0] for m in members], [pos[m][1] for m in members], s=sizes, c=colour,
                   marker=MPL_MARKERS.get(shape, "o"), edgecolors=edge, linewidths=2.2 if (home or routed) else 0.6,
                   alpha=1.0 if (routed or not faded) else FADED_ALPHA + 0.1, zorder=4 if routed else 2)


def _draw_basemap(ax, view: MapView) -> None:
    from matplotlib.collections import PolyCollection

    if view.basemap:
        ax.add_collection(PolyCollection(view.basemap, facecolors=LAND, edgecolors=LAND_EDGE, linewidths=0.6,
                                         zorder=0))


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
    unnamed = ""
    if view.graph.number_of_nodes():
        _draw_basemap(ax, view)
        _draw_edges(ax, view)
        _draw_nodes(ax, view)
        _fit(ax, view, box[2] * width, box[3] * height)
        fig.canvas.draw()  # fixes the data limits, so that label extents are final
        unnamed = draw_labels(ax, fig, view).caption(view)
    else:
        ax.text(0.5, 0.5, "Nothing to show with these options", ha="center", va="center", fontsize=20, color=TEXT,
                transform=ax.transAxes)
    title = _title(fig, view.title, width, height)
    _one_line(fig, view.subtitle, 0.912, min(15.0, round(0.7 * title.get_fontsize())), width)
    footer = view.footer.replace(" Made with espoo-network.", f" {unnamed}. Made with espoo-network.") \
        if unnamed else view.footer
    per_line = max(40, int(width * 0.97 / 8.2))  # characters of 11 pt text across the image
    lines = textwrap.wrap(footer, per_line)
    if len(lines) > 3:  # the caption's band holds three lines of 11 pt; more lines, smaller type
        lines = textwrap.wrap(footer, int(per_line * 11 / 8.5))
    fig.text(0.015, 0.012, "\n".join(lines), fontsize=11 if len(lines) <= 3 else 8.5, color="#666666",
             va="bottom")
    legend(fig, view)
    return fig


def _title(fig, text: str, width: int, height: int):
    """The title in the band above the scope line: on one line, shrunk from 28 to 20 points while
    it is too wide; else on two lines (22 to 14 points); else cut at a word with an ellipsis.
    Never past the image's right edge."""
    renderer = fig.canvas.get_renderer()
    right, floor = 0.985 * width, 0.912 * height + 11
    tries = [(f, text, 0.975) for f in TITLE_SIZES] + [(f, _two_lines(text), 0.992) for f in TITLE_WRAPPED]
    for size, shown, top in tries:
        t = fig.text(0.015, top, shown, fontsize=size, fontweight="bold", color=TEXT, va="top", linespacing=1.05)
        box = t.get_window_extent(renderer)
        if box.x1 <= right and box.y0 >= floor:
            return t
        t.remove()
    return _one_line(fig, text, 0.955, TITLE_WRAPPED[-1], width, bold=True)


def _two_lines(text: str) -> str:
    """`text` broken at the word nearest its middle."""
    words = text.split()
    if len(words) < 2:
        return text
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _one_line(fig, text: str, y: float, size: float, width: int, bold: bool = False):
    """One line of text at height `y`, shortened at a word with an ellipsis until it fits the width."""
    renderer = fig.canvas.get_renderer()
    shown = text
    while True:
        t = fig.text(0.015, y, shown, fontsize=size, color=TEXT if bold else "#555555", va="center",
                     fontweight="bold" if bold else "normal")
        if t.get_window_extent(renderer).x1 <= 0.985 * width or len(shown) < 12:
            return t
        t.remove()
        shown = textwrap.shorten(text, len(shown) - 4, placeholder="…")


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


def check_size(width: int, height: int) -> None:
    """Refuse an image size a slide cannot be drawn at (EspooNetError with a hint).

    >>> check_size(300, 200)
    Traceback (most recent call last):
    ...
    graph.errors.EspooNetError: image size 300x200 is out of range (from 800x450 to 8000x8000): too small for the title, legend and caption (for a small file, write .svg or .pdf, which scale without loss)
    """
    lo_w, lo_h = MIN_SIZE
    if lo_w <= width <= MAX_SIDE and lo_h <= height <= MAX_SIDE:
        return
    small = width < lo_w or height < lo_h
    hint = (": too small for the title, legend and caption (for a small file, write .svg or .pdf, which scale "
            "without loss)") if small else ""
    raise EspooNetError(f"image size {width}x{height} is out of range (from {lo_w}x{lo_h} to "
                        f"{MAX_SIDE}x{MAX_SIDE}){hint}")


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
    EspooNetError for an unknown format or a size outside 800×450 to 8000×8000.

    Examples
    --------
    >>> write_image(build_view(G), "map.svg")["format"]     # doctest: +SKIP
    'svg'
    """
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in IMAGE_FORMATS:
        raise EspooNetError(f"unknown image format {fmt!r} (use one of: {', '.join(IMAGE_FORMATS)})")
    width, height = size
    check_size(width, height)
    # No dates or tool versions in the files, so the same view gives the same bytes.
    metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}}[fmt]
    with _drawing() as missing:
        fig = _draw(view, width, height)
        with atomic_output(path) as tmp:
            fig.savefig(tmp, format=fmt, dpi=DPI, facecolor=BACKGROUND, metadata=metadata)
    return {"path": str(path), "format": fmt, "width": width, "height": height,
            "missing_glyphs": "".join(sorted(set(missing)))}
