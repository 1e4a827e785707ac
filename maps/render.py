"""One call from options to a file: `render_map` (the `map` command).

>>> from maps.render import render_map
>>> render_map(G, MapOptions(theme="ai"), "ai.html")        # doctest: +SKIP
{'path': 'ai.html', 'format': 'html', 'entities': 42, 'relations': 77, 'bytes': 612345, ...}
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.errors import EspooNetError

from . import MAP_FORMATS
from .html import write_html
from .image import write_image
from .view import MapOptions, build_view

__all__ = ["MAP_FORMATS", "map_format", "render_map", "make_parent"]


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

    view = build_view(G, options)
    make_parent(out)
    missing = ""
    if fmt == "html":
        write_html(view, out)
    else:
        missing = write_image(view, out, size=size, fmt=fmt)["missing_glyphs"]
    return {"path": str(out), "format": fmt, "title": view.title, "entities": view.graph.number_of_nodes(),
            "relations": view.graph.number_of_edges(), "bytes": Path(out).stat().st_size, "missing_glyphs": missing}


def make_parent(out: str | Path) -> None:
    """Create the folder a file goes into, as users expect of `--out out/map.html`."""
    Path(out).parent.mkdir(parents=True, exist_ok=True)
