"""One call from options to a file: `render_map` (the `map` command) and `export_view` (`export`).

>>> from graph.maps.render import render_map
>>> render_map(G, MapOptions(theme="ai"), "ai.html")        # doctest: +SKIP
{'path': 'ai.html', 'format': 'html', 'entities': 42, 'relations': 77, 'bytes': 612345, ...}
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.errors import EspooNetError

from . import MAP_FORMATS
from .view import MapOptions

__all__ = ["MAP_FORMATS", "map_format", "render_map", "export_view"]


def map_format(path: str | Path) -> str:
    """The map format a file name asks for, from its suffix (.htm counts as html).

    >>> map_format("slides/espoo.PNG")
    'png'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = "html" if suffix == "htm" else suffix
    if fmt not in MAP_FORMATS:
        raise EspooNetError(f"cannot tell the map format of {str(path)!r}: end it in .html, .png, .svg or .pdf")
    return fmt


def render_map(G: nx.MultiDiGraph, options: MapOptions, out: str | Path, *, size: tuple[int, int] = (1920, 1080)) -> dict:
    """Build the view that `options` ask for and write it as an HTML map or a slide image.

    Parameters
    ----------
    G : the network. options : a MapOptions. out : the file; its suffix (.html, .png, .svg,
    .pdf) picks the format. size : image size in pixels (images only).

    Returns
    -------
    ``{"path", "format", "title", "entities", "relations", "bytes", "missing_glyphs"}``.

    Raises
    ------
    EspooNetError (and its subclasses) as `build_view` does, or for an unknown suffix.
    """
    fmt = map_format(out)
    from .view import build_view

    view = build_view(G, options)
    _make_parent(out)
    missing = ""
    if fmt == "html":
        from .html import write_html

        write_html(view, out)
    else:
        from .image import write_image

        missing = write_image(view, out, size=size, fmt=fmt)["missing_glyphs"]
    return {"path": str(out), "format": fmt, "title": view.title, "entities": view.graph.number_of_nodes(),
            "relations": view.graph.number_of_edges(), "bytes": Path(out).stat().st_size, "missing_glyphs": missing}


def export_view(G: nx.MultiDiGraph, fmt: str, out: str | Path, *, as_of: str | None = None, public: bool = False,
                theme: str | None = None, kinds: tuple[str, ...] = (), focus: str | None = None, depth: int = 1,
                seed: int = 42) -> dict:
    """Export the whole network, or the part a view selects, in one format.

    Without `as_of` every relation is exported, whatever its status (an export is the data);
    with it, only those that held on that date. See `graph.maps.export.export`.
    """
    from . import EXPORT_FORMATS
    from .export import export
    from .view import select_subgraph

    if fmt not in EXPORT_FORMATS:
        raise EspooNetError(f"unknown export format {fmt!r} (use one of: {', '.join(EXPORT_FORMATS)})")
    sub = select_subgraph(G, as_of=as_of, include_inactive=as_of is None, public=public, theme=theme,
                          kinds=kinds, focus=focus, depth=depth)
    if str(out) != "-":
        _make_parent(out if fmt != "csv" else Path(out) / "nodes.csv")
    return export(sub, fmt, out, seed=seed)


def _make_parent(out: str | Path) -> None:
    """Create the folder a file goes into, as users expect of `--out out/map.html`."""
    Path(out).parent.mkdir(parents=True, exist_ok=True)
