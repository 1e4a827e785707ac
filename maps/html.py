"""The interactive map: one self-contained HTML file, drawn by pyvis and vis-network.

pyvis builds the page, through a template of our own (`templates/map.html`), because its own
template fails offline and in other ways (see ../shared/research/pyvis-notes.md):

- Every script and style is inlined; vis-network comes from the copy bundled in the pyvis
  package. No CDN, no Bootstrap: nothing is fetched, and a Content-Security-Policy with the
  hashes of our own scripts forbids fetching anything or running any other script.
- Jinja autoescaping is on; data reaches the page as JSON (`tojson` escapes `<`, `>`, `&` and
  `'`), and text reaches the screen only as vis-network string titles (shown as text) and
  through `textContent`. A name like `<img src=x onerror=alert(1)>` shows as itself.
- Tooltips (name, kind, place, themes, role, dates, status, note, sources) are put together
  in the page from the whitelisted fields, with one shared table of sources, which keeps a
  5,000-node map within 1 MB + 1 KB per node.
- Nodes and edges are assembled as plain dicts and handed to the Network directly (pyvis's
  `add_node`/`add_edge` are quadratic), in sorted order, with precomputed positions and
  physics off: the same data gives byte-identical files, and 5,000 nodes appear at once.
- Parallel relations stay separate edges, curved apart; the file is written as UTF-8.

>>> from maps.html import write_html
>>> write_html(view, "map.html")          # doctest: +SKIP
"""
from __future__ import annotations

import base64
import hashlib
import math
import re
from collections import Counter
from pathlib import Path

from markupsafe import Markup

from graph.durations import tie_dates
from graph.model import is_one_off, paused_gc, status_on
from graph.style import FADED_ALPHA, HIGHLIGHT, LAND, LAND_EDGE, edge_styles, families, node_styles

from .actors import family_of, off_map_note
from .drawing import essential_labels, label_candidates, parallel_bends, short_labels
from .output import atomic_output
from .view import MapView

__all__ = ["render_html", "write_html", "map_data", "vis_network_js"]

TEMPLATES = Path(__file__).with_name("templates")
MAX_SOURCES_SHOWN = 3
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _vis_js() -> str:
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


LABEL_MIN, LABEL_MAX = 9, 15  # label font sizes in canvas pixels (capped, as on the slide image) of the least and the most important node
ON_SCREEN = (10.0, 16.0)  # the same, in screen pixels at the zoom the page opens at (`_label_sizes`)
OPEN_SIZE = (1150, 720)  # screen pixels the map is fitted into when the page opens (a laptop, less the panel)
READABLE = 7.0  # on-screen pixels under which vis-network hides a label (zoomed out); zooming in shows it


def _scale(n: int) -> float:
    """Pixels per layout unit: roomier as the map grows, so labels keep some space."""
    return 220 + 40 * math.sqrt(n)


def _label_sizes(view: MapView) -> tuple[float, float]:
    """Label font sizes (least, most important) in canvas pixels, so that at the zoom the page
    opens at (the map fitted into OPEN_SIZE screen pixels) they read as ON_SCREEN pixels:
    a map of hundreds of entities opens zoomed out, and its labels were 4 to 7 pixels high. Never
    below LABEL_MIN, LABEL_MAX. Larger labels leave fewer of them
    room (labels.js never lets two overlap); hovering names the others."""
    s = _scale(view.graph.number_of_nodes())
    xs = [p[0] for p in view.positions.values()] or [0.0]
    ys = [p[1] for p in view.positions.values()] or [0.0]
    zoom = min(OPEN_SIZE[0] / ((max(xs) - min(xs)) * s or 1.0), OPEN_SIZE[1] / ((max(ys) - min(ys)) * s or 1.0),
               1.0)  # vis-network's fit never zooms in past 1
    return round(max(LABEL_MIN, ON_SCREEN[0] / zoom), 1), round(max(LABEL_MAX, ON_SCREEN[1] / zoom), 1)


def _filter_themes(view: MapView) -> dict[str, set[str]]:
    """The themes a node answers to in the filter: its own and those of its ties on the map."""
    G = view.graph
    out = {n: set(G.nodes[n].get("themes") or []) for n in G}
    for u, v, ts in G.edges(data="themes"):
        for t in ts or []:
            out[u].add(t)
            out[v].add(t)
    return out


class _Sources:
    """One table of every source on the map; records point into it, so a page cited by a
    hundred relations is written once."""

    def __init__(self, view: MapView):
        G = view.graph
        pairs = {(s["url"], s["seen"]) for _, d in G.nodes(data=True) for s in d.get("sources") or []}
        pairs |= {(s["url"], s["seen"]) for *_, d in G.edges(data=True) for s in d.get("sources") or []}
        self.table = sorted(pairs)
        self._at = {p: i for i, p in enumerate(self.table)}

    def refs(self, sources: list[dict] | None) -> list[int]:
        return [self._at[(s["url"], s["seen"])] for s in sources or []]


def _put(item: dict, key: str, value) -> None:
    """Set a field only when it has a value: absent fields cost no bytes, and read as empty."""
    if value not in (None, "", [], ()):
        item[key] = value


def _nodes(view: MapView, sources: _Sources | None, tags: dict[str, set[str]] | None) -> list[dict]:
    """The entities as vis-network nodes, with the whitelisted fields their tooltips show (without
    `sources` and `tags`: the compact form, without aliases, sources and the filter's themes)."""
    G, styles, faded = view.graph, node_styles(), bool(view.route)
    s = _scale(G.number_of_nodes())
    labels = short_labels(G)
    on_route = set(view.route)
    out = []
    for n in sorted(G.nodes):
        d = G.nodes[n]
        x, y = view.positions[n]
        name = d.get("name") or n
        item = {"id": n, "label": labels[n], "group": d["kind"],
                "x": round(x * s, 1), "y": round(-y * s, 1), "value": view.weight(n)}
        if tags is not None:
            _put(item, "themes", sorted(tags[n]))  # what the theme filter matches
        _put(item, "own", list(d.get("themes") or []))  # what the tooltip lists
        if item["label"] != name:
            item["name"] = name
        if sources is not None:
            _put(item, "aliases", list(d.get("aliases") or []))
        _put(item, "place", ", ".join(x for x in (d.get("city"), d.get("country")) if x))
        _put(item, "role", d.get("role"))
        _put(item, "about", d.get("description"))
        if sources is not None:
            _put(item, "src", sources.refs(d.get("sources")))
        colour = view.colours.get(n, styles[d["kind"]].colour)
        marked = bool(d.get("home")) or n in view.highlights
        if colour != styles[d["kind"]].colour or marked or n in on_route:
            border = HIGHLIGHT if n in on_route else ("#222222" if marked else colour)
            item["color"] = {"background": colour, "border": border,
                             "highlight": {"background": colour, "border": "#000000"},
                             "hover": {"background": colour, "border": "#000000"}}
            item["borderWidth"] = 4 if n in on_route else 3
        if faded and n not in on_route:
            item["opacity"] = FADED_ALPHA
        out.append(item)
    return out


def _edges(view: MapView, sources: _Sources | None) -> list[dict]:
    """The relations as vis-network edges, one per relation, parallel ones bent apart (without
    `sources`: the compact form, without family, confidence, themes and sources)."""
    G, looks, full = view.graph, families(), sources is not None
    as_of = view.options.as_of
    bends = parallel_bends(G, arcs=view.options.layout == "geo")
    out = []
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        item = {"id": k, "from": u, "to": v, "kind": d["kind"]}
        if full or d.get("via"):
            item["family"] = family_of(d)
        if d.get("via"):  # a shared activity drawn as a tie, in its family's colour; its tooltip names it
            item.update(name=d["label"], via=d["via"], dashes=False, arrows={"to": {"enabled": False}},
                        color={"color": looks[item["family"]][1], "opacity": FADED_ALPHA if view.route else 1.0})
        for field in ("since", "until", "note", "confidence") if full else ("since", "until", "note"):
            _put(item, field, d.get(field))
        item["dates"] = tie_dates(d.get("since"), d.get("until"))  # as every table says them
        # On the view's day, its status then (a twinning that ended in 2022 was active in 2021).
        status = status_on(d, as_of, one_off=is_one_off(G, u, v)) if as_of else d.get("status")
        if status not in (None, "active"):
            item["status"] = status
        if full:
            _put(item, "themes", list(d.get("themes") or []))
            _put(item, "src", sources.refs(d.get("sources")))
        side, roundness = bends[k]
        if side:
            item["smooth"] = {"enabled": True, "type": "curvedCW" if side > 0 else "curvedCCW", "roundness": roundness}
        if k in view.route_edges:
            item["color"] = {"color": HIGHLIGHT, "highlight": HIGHLIGHT, "hover": HIGHLIGHT, "opacity": 1.0}
            item["width"] = 5
            item["dashes"] = False
        out.append(item)
    return out


def _edge_style_table(view: MapView) -> dict[str, dict]:
    opacity = FADED_ALPHA if view.route else 1.0
    table = {}
    for kind, st in edge_styles().items():
        table[kind] = {
            "color": {"color": st.colour, "highlight": st.colour, "hover": st.colour, "opacity": opacity},
            "dashes": list(st.dashes) if st.dashes else False,
            "width": st.width,
            "arrows": {"to": {"enabled": st.arrow, "scaleFactor": 0.5}},
        }
    return table


def _options(view: MapView) -> dict:
    n = view.graph.number_of_nodes()
    big = n > 1500  # edges hidden while dragging and zooming: ~8,000 ties at 2,000 entities, each frame
    # of a drag would draw them all
    groups = {k: {"color": {"background": st.colour, "border": st.colour,
                            "highlight": {"background": st.colour, "border": "#000000"},
                            "hover": {"background": st.colour, "border": "#000000"}},
                  "shape": st.shape} for k, st in node_styles().items()}
    physics = {"enabled": False}
    small, large = _label_sizes(view)
    if view.options.physics:
        physics = {"enabled": True, "solver": "forceAtlas2Based",
                   "stabilization": {"enabled": True, "iterations": 200, "fit": True}}
    return {
        "autoResize": True,
        "groups": groups,
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#222222",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            # Labels grow with importance; when zoomed out, the small ones drop below the
            # threshold and hide, so only the important nodes are named until one zooms in.
            # Node and label sizes are capped (a hub must not cover its neighbours). Every label is
            # measured once (drawThreshold 0), then map.js keeps those that fit and restores this
            # threshold (page.labelThreshold).
            "scaling": {"min": 4, "max": 14, "label": {"enabled": True, "min": small, "max": large,
                                                       "drawThreshold": 0, "maxVisible": 40}},
        },
        "edges": {"smooth": False, "hoverWidth": 1.5, "selectionWidth": 2},
        "physics": physics,
        "layout": {"randomSeed": view.options.seed, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
    }


def _legend(view: MapView) -> dict:
    G = view.graph
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    rels = Counter(family_of(d) for *_, d in G.edges(data=True))
    lines = {f: _line_styles(G, f) for f in rels}
    return {
        "kinds": [{"kind": k, "label": st.label, "colour": st.colour, "shape": st.shape, "count": kinds[k]}
                  for k, st in node_styles().items() if kinds[k]],
        "relations": [{"kind": f, "label": label, "colour": colour, "dashes": False, "count": rels[f],
                       **({"styles": lines[f]} if lines.get(f) else {})}
                      for f, (label, colour) in families().items() if rels[f]],
    }


def _line_styles(G, family: str) -> list[dict]:
    """The dash patterns the map draws a family's ties in, each named by its kinds: [{"label",
    "dashes", "count"}], or [] when the family is drawn in one solid line. (A shared activity drawn
    as a tie is solid, as `_edges` draws it.) The legend lists them under the family's switch, so a
    dashed line reads as "sister city", not as "weaker" or "ended"."""
    order, styles = list(edge_styles()), edge_styles()
    found: dict = {}
    folded = 0
    for *_, d in G.edges(data=True):
        if family_of(d) != family:
            continue
        if d.get("via"):
            folded += 1
            continue
        dashes = styles[d["kind"]].dashes
        found.setdefault(tuple(dashes) if dashes else (), Counter())[d["kind"]] += 1
    if list(found) in ([], [()]) and not (folded and found):
        return []
    out = []
    for dashes, kinds in sorted(found.items(), key=lambda dk: min(order.index(k) for k in dk[1])):
        names = ", ".join(styles[k].label for k in sorted(kinds, key=order.index))
        out.append({"label": names, "dashes": list(dashes) or False, "count": sum(kinds.values())})
    if folded:
        out.append({"label": "an activity of 2-3 partners, drawn as their tie", "dashes": False, "count": folded})
    return out


def _page(view: MapView, sources: _Sources | None, filter_tags: dict[str, set[str]] | None) -> dict:
    """The page's tables (legend, styles, labels, label order); without `sources` and
    `filter_tags`, the compact form: no sources table and no theme filter."""
    named = {t for _, d in view.graph.nodes(data=True) for t in d.get("themes") or []}
    extra: dict = {}
    if sources is not None and filter_tags is not None:
        named |= {t for *_, d in view.graph.edges(data=True) for t in d.get("themes") or []}
        tags = Counter(t for ts in filter_tags.values() for t in ts)
        themes = sorted(((t, view.themes.get(t, t), c) for t, c in tags.items()), key=lambda t: (t[1].casefold(), t[0]))
        extra = {"themes": [list(t) for t in themes], "sources": [list(p) for p in sources.table],
                 "maxSources": MAX_SOURCES_SHOWN}
    return {
        "subtitle": view.subtitle, "footer": view.footer, "offMap": off_map_note(view.hidden), "legend": _legend(view),
        "edgeStyles": _edge_style_table(view), **extra,
        "themeLabels": {t: view.themes.get(t, t) for t in sorted(named)},
        "kindLabels": {k: st.label for k, st in node_styles().items()},
        "relationLabels": {k: [st.label, st.arrow] for k, st in edge_styles().items()},
        "clusters": view.clusters, "route": view.route_label, "highlight": HIGHLIGHT,
        "theme": view.theme, "labelOrder": label_candidates(view, limit=len(view.graph)),
        "labelMust": essential_labels(view),
        "labelThreshold": READABLE, "basemap": _basemap(view), "land": [LAND, LAND_EDGE],
        "extent": _extent(view),
    }


def _extent(view: MapView) -> list[float]:
    """What the page fits to when it opens, [left, top, right, bottom] in canvas coordinates:
    the nodes and the countries the view is about (all of Korea for a Korea view, as on the
    slide image); empty when that is the nodes alone (the page fits to them)."""
    if not view.extent or not view.positions:
        return []
    s = _scale(view.graph.number_of_nodes())
    points = [*view.positions.values(), *view.extent]
    xs, ys = [p[0] * s for p in points], [-p[1] * s for p in points]
    return [round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1)]


def _basemap(view: MapView) -> list[list[float]]:
    """The country outlines in the map's canvas coordinates, each ring flattened [x0, y0, x1, ...]."""
    s = _scale(view.graph.number_of_nodes())
    return [[c for x, y in ring for c in (round(x * s, 1), round(-y * s, 1))] for ring in view.basemap]


def _csp(html: str) -> str:
    """A Content-Security-Policy allowing exactly the inline scripts of this page and nothing
    from anywhere: a second wall behind the escaping."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode("ascii") + "'"
        for m in _SCRIPT.finditer(html))
    policy = (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
              "font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'")
    return html.replace("<!--CSP-->", f'<meta http-equiv="Content-Security-Policy" content="{policy}">', 1)


def render_html(view: MapView) -> str:
    """The map of a view as one self-contained HTML document (a str).

    Parameters
    ----------
    view : a MapView from `maps.view.build_view`.

    Returns
    -------
    The HTML text. Same view, same text, byte for byte.

    Examples
    --------
    >>> html = render_html(build_view(G))    # doctest: +SKIP
    >>> "cdn" in html                        # doctest: +SKIP
    False
    """
    with paused_gc():  # many small dicts, no cycles (see maps.view.build_view)
        return _render_html(view)


def _render_html(view: MapView) -> str:
    from jinja2 import Environment, FileSystemLoader
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, heading=view.title, cdn_resources="in_line")
    sources, tags = _Sources(view), _filter_themes(view)
    net.nodes = _nodes(view, sources, tags)
    net.edges = _edges(view, sources)
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.options = _options(view)
    # Our template, with autoescape on (pyvis's own environment has it off).
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    env.globals.update(page=_page(view, sources, tags), vis_js=Markup(_vis_js()))
    net.templateEnv = env
    net.path = "map.html"
    return _csp(net.generate_html())


def write_html(view: MapView, path: str | Path) -> int:
    """Write the map of a view to `path` as UTF-8; returns the number of bytes written."""
    data = render_html(view).encode("utf-8")
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return len(data)


# --- for pages that draw a view themselves (the explorer, `espoo-net serve`) ---------------------

def map_data(view: MapView, *, compact: bool = False) -> dict:
    """What `render_html` hands the page as MAP_DATA, as a dict: ``{"title", "nodes", "edges",
    "options", "page"}`` (vis-network nodes and edges with their positions and styles, the
    network's options, the legend and tooltip tables). The same view gives an equal dict.

    compact: only what a page that shows the map without the HTML map's filters and source
    lists needs (the explorer, whose panels say the rest): the same nodes, edges, positions,
    styles, labels and label order, without the sources table and the nodes' and edges' `src`,
    `aliases`, filter `themes`, `family` (but on activities drawn as ties) and `confidence`,
    and without the theme filter's list: about a third of the bytes, in half the time."""
    with paused_gc():
        if compact:
            return {"title": view.title, "nodes": _nodes(view, None, None), "edges": _edges(view, None),
                    "options": _options(view), "page": _page(view, None, None)}
        sources, tags = _Sources(view), _filter_themes(view)
        return {"title": view.title, "nodes": _nodes(view, sources, tags), "edges": _edges(view, sources),
                "options": _options(view), "page": _page(view, sources, tags)}


def vis_network_js() -> str:
    """The vis-network script the HTML map inlines (the copy bundled in pyvis), for serving."""
    return _vis_js()


def labels_js() -> str:
    """The label placement the HTML map inlines (`EspooLabels`: labels that never overlap), for serving."""
    return (TEMPLATES / "labels.js").read_text(encoding="utf-8")
