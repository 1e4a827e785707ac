"""The GEXF 1.3 export for Gephi: colours, positions, sizes and shapes, valid against the 1.3 XSD."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import EspooNetError
from graph.interchange import FORMAT_NAME
from graph.schema import SCHEMA
from graph.style import edge_style, node_style, rgb
from graph.types import first_day, last_day
from maps.layout import spring_layout
from maps.output import atomic_output

from .graphml import check_xml_text

__all__ = ["write_gexf", "edge_spell", "GEXF_RESERVED"]

# Column names Gephi reserves, or that name GEXF's own node and edge attributes.
GEXF_RESERVED = frozenset({"id", "label", "weight", "type", "kind", "start", "end", "timeset", "interval",
                           "intervals", "timestamp", "timestamps", "source", "target", "pid", "color", "size",
                           "position", "shape", "thickness"})
_GEXF_RENAMED = {"kind": "entity_kind"}
_GEXF_EDGE_RENAMED = {"kind": "relation_kind", "id": "relation_id"}
_GEXF_SHAPES = {"dot": "disc", "square": "square", "diamond": "diamond", "triangle": "triangle",
                "triangleDown": "triangle", "star": "diamond", "hexagon": "disc"}

def _flat(value: Any) -> str:
    """A GEXF attribute value: lists joined with '; ', sources as 'URL (seen DATE)'."""
    if isinstance(value, (list, tuple)):
        return "; ".join(_flat_source(x) if isinstance(x, dict) else str(x) for x in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flat_source(s: dict) -> str:
    published = f", published {s['published']}" if s.get("published") else ""
    return f"{s['url']} (seen {s['seen']}{published})"


def _gexf_type(field_type: str) -> str:
    return {"latitude": "double", "longitude": "double", "strength": "double", "bool": "boolean"}.get(field_type, "string")


def _gexf_columns(fields: dict, renamed: dict, skip: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(field, column title, GEXF type) of each exported field; titles never reserved."""
    cols = []
    for name, spec in fields.items():
        if name in skip:
            continue
        title = renamed.get(name, name)
        if title in GEXF_RESERVED:
            raise EspooNetError(f"schema field {name!r} would be the reserved GEXF column {title!r}")
        cols.append((name, title, _gexf_type(spec.type)))
    return cols


def write_gexf(G: nx.MultiDiGraph, path: str | Path, *, positions: dict[str, tuple[float, float]] | None = None,
               seed: int = 42) -> None:
    """GEXF 1.3 for Gephi, valid against the 1.3 XSD, with colours, positions, sizes and shapes.

    Dynamic: each relation holds from the first day of its `since` to the last day of its
    `until` (`edge_spell`), so Gephi's timeline plays the network over time; an undated one holds
    throughout. Positions default to the seeded spring layout, scaled to ±1000. The viz elements are in the
    GEXF namespace, as the published 1.3 XSD declares them (its RELAX NG twin puts them in the
    viz namespace instead; Gephi reads them by local name either way).
    """
    from lxml import etree

    positions = positions if positions is not None else spring_layout(G, seed=seed)
    ns = "http://gexf.net/1.3"
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731 - a namespaced tag, many times over
    root = etree.Element(q("gexf"), nsmap={None: ns}, version="1.3")
    meta = etree.SubElement(root, q("meta"))
    seen = sorted(s["seen"] for _, d in G.nodes(data=True) for s in d.get("sources") or [])
    if seen:
        meta.set("lastmodifieddate", seen[-1])
    etree.SubElement(meta, q("creator")).text = FORMAT_NAME
    etree.SubElement(meta, q("description")).text = "Espoo's international network: entities and their relations"
    graph = etree.SubElement(root, q("graph"), defaultedgetype="directed", mode="dynamic", timeformat="date",
                             timerepresentation="interval")
    node_cols = _gexf_columns(SCHEMA.entity_fields, _GEXF_RENAMED, ("id", "name"))
    edge_cols = _gexf_columns(SCHEMA.relation_fields, _GEXF_EDGE_RENAMED, ("id", "source", "target"))
    for cls, cols in (("node", node_cols), ("edge", edge_cols)):
        attrs = etree.SubElement(graph, q("attributes"), {"class": cls, "mode": "static"})
        for name, title, kind in cols:
            etree.SubElement(attrs, q("attribute"), id=title, title=title, type=kind)
    degree = {n: len(set(nx.all_neighbors(G, n))) for n in G}
    top = max(degree.values(), default=1) or 1
    nodes = etree.SubElement(graph, q("nodes"), count=str(G.number_of_nodes()))
    for n in sorted(G.nodes):
        d = G.nodes[n]
        check_xml_text(d.get("name"), f"entity {n!r} field name")
        el = etree.SubElement(nodes, q("node"), id=n, label=str(d.get("name") or n))
        _attvalues(el, q, node_cols, d, f"entity {n!r}")
        st = node_style(d["kind"])
        r, g, b = rgb(st.colour)
        etree.SubElement(el, q("color"), r=str(r), g=str(g), b=str(b), a="1.0")
        x, y = positions.get(n, (0.0, 0.0))
        etree.SubElement(el, q("position"), x=f"{x * 1000:.2f}", y=f"{y * 1000:.2f}", z="0.0")
        etree.SubElement(el, q("size"), value=f"{4 + 26 * math.sqrt(degree[n] / top):.2f}")
        etree.SubElement(el, q("shape"), value=_GEXF_SHAPES.get(st.shape, "disc"))
    edges = etree.SubElement(graph, q("edges"), count=str(G.number_of_edges()))
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        kind = SCHEMA.relation_kinds[d["kind"]]
        st = edge_style(d["kind"])
        weight = d.get("strength") if d.get("strength") is not None else kind.strength
        el = etree.SubElement(edges, q("edge"), id=k, source=u, target=v, label=kind.label, kind=d["kind"],
                              type="directed" if kind.directed else "mutual", weight=repr(float(weight)),
                              **edge_spell(d))
        _attvalues(el, q, edge_cols, {**d, "id": k}, f"relation {k!r}")
        r, g, b = rgb(st.colour)
        etree.SubElement(el, q("color"), r=str(r), g=str(g), b=str(b), a="1.0")
        etree.SubElement(el, q("thickness"), value=f"{st.width:.2f}")
        dash = "solid" if not st.dashes else ("dotted" if st.dashes[0] <= 2 else "dashed")
        etree.SubElement(el, q("shape"), value=dash)
    data = etree.tostring(etree.ElementTree(root), encoding="UTF-8", xml_declaration=True, pretty_print=True)
    with atomic_output(path) as tmp:  # bytes first: lxml reports a full disk as its own error, not OSError
        tmp.write_bytes(data)


def edge_spell(d: dict) -> dict[str, str]:
    """The GEXF `start`/`end` of a relation: from the first day of `since` to the last day of
    `until` (graph.model.is_active's rule for a past day; an ended tie without `until` holds up
    to the last day of its `since`). A planned tie has not begun: it gets no spell and is
    drawn throughout, as its status says (Gephi has no "never").

    >>> edge_spell({"since": "2019", "until": "2022-03", "status": "ended"})
    {'start': '2019-01-01', 'end': '2022-03-31'}
    >>> edge_spell({"since": "2015", "status": "ended"})
    {'start': '2015-01-01', 'end': '2015-12-31'}
    """
    since, until, status = d.get("since"), d.get("until"), d.get("status")
    if status == "planned":
        return {}
    spell = {}
    if since:
        spell["start"] = first_day(since).isoformat()
    end = until or (since if status == "ended" else None)
    if end:
        spell["end"] = last_day(end).isoformat()
    return spell


def _attvalues(el, q, cols: list[tuple[str, str, str]], d: dict, where: str) -> None:
    from lxml import etree

    values = etree.SubElement(el, q("attvalues"))
    for name, title, _ in cols:
        value = d.get(name)
        if value is None or value == []:  # GEXF has no null: a missing value is left out
            continue
        check_xml_text(value, f"{where} field {name}")
        etree.SubElement(values, q("attvalue"), {"for": title, "value": _flat(value)})
