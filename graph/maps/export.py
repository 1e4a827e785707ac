"""Exports for Gephi, Neo4j and friends, and imports of what they write back.

Formats (`export(G, fmt, out)`):

- ``json``: the dataset as records (themes, entities, relations), in the fields of the schema.
  Lossless: `read_json` gives back an equal graph.
- ``graphml``: every node and edge with every field; lists and sources as JSON text in string
  attributes, None left out. Lossless: `read_graphml` gives back an equal graph, and any GraphML
  reader (igraph, Gephi, yEd) sees the same nodes, edges and attributes.
- ``gexf``: GEXF 1.3 for Gephi, valid against the published 1.3 XSD, with each node's colour,
  position (the seeded spring layout), size and shape, each edge's colour, thickness and dash.
  No list or null values (lists become ``"a; b"``, missing values are left out) and no
  attribute named like a Gephi column (id, label, weight, type, kind...).
- ``csv``: a folder with ``nodes.csv`` and ``edges.csv`` (Gephi's spreadsheet import columns
  Id, Label, Source, Target, Type, Weight first, then every field).
- ``cypher``: a script of parameter-free ``MERGE`` statements, one per line, that loads the
  graph into Neo4j in the form the Neo4j backend stores (`graph.neo4j.storage`): labels and
  relationship types only from the schema's whitelist, every value a correctly escaped literal.

Imports go through the loaders' validation (`graph_from_records`), so an imported graph is
exactly as trustworthy as one loaded from data/.

>>> from graph.maps.export import export, read_graphml
>>> export(G, "graphml", "net.graphml")          # doctest: +SKIP
>>> read_graphml("net.graphml")                  # doctest: +SKIP
"""
from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from graph.errors import EspooNetError, InvalidData
from graph.schema import SCHEMA
from graph.style import edge_style, node_style, rgb

from . import EXPORT_FORMATS

__all__ = [
    "EXPORT_FORMATS",
    "export",
    "to_records",
    "graph_from_records",
    "write_json",
    "read_json",
    "write_graphml",
    "read_graphml",
    "write_gexf",
    "write_csv",
    "write_cypher",
    "cypher_literal",
    "GEXF_RESERVED",
]

FORMAT_NAME = "espoo-network"
FORMAT_VERSION = 1
# Fields that hold lists (or lists of sources); GraphML carries them as JSON text.
_LIST_TYPES = frozenset({"text_list", "themes", "sources"})
# Column names Gephi reserves, or that name GEXF's own node and edge attributes.
GEXF_RESERVED = frozenset({"id", "label", "weight", "type", "kind", "start", "end", "timeset", "interval",
                           "intervals", "timestamp", "timestamps", "source", "target", "pid", "color", "size",
                           "position", "shape", "thickness"})
_GEXF_RENAMED = {"kind": "entity_kind"}
_GEXF_EDGE_RENAMED = {"kind": "relation_kind", "id": "relation_id"}
_GEXF_SHAPES = {"dot": "disc", "square": "square", "diamond": "diamond", "triangle": "triangle",
                "triangleDown": "triangle", "star": "diamond", "hexagon": "disc"}
# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates
# and U+FFFE/U+FFFF; GraphML and GEXF cannot carry anything else.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _plain(value: Any) -> bool:
    """Whether a value is worth writing: not None, not an empty list, not a False flag."""
    return value is not None and value != [] and value != () and value is not False


def _theme_ids(G: nx.MultiDiGraph) -> set[str]:
    return set(G.graph.get("themes", {}))


def _entity_nodes(G: nx.MultiDiGraph) -> list[str]:
    """Nodes that are entity records: all but the theme nodes the taxonomy made."""
    themes = _theme_ids(G)
    return [n for n in sorted(G.nodes) if not (G.nodes[n].get("kind") == "theme" and n in themes)]


def to_records(G: nx.MultiDiGraph) -> dict:
    """The graph as plain records, the canonical form of the exports and of graph equality.

    Returns ``{"format", "version", "themes": [...], "entities": [...], "relations": [...]}``,
    each list sorted by id, each record with the schema's fields in schema order and empty
    values (None, [], home false) left out.

    Examples
    --------
    >>> G = nx.MultiDiGraph(themes={})
    >>> G.add_node("koge", kind="city", name="Køge", sources=[{"url": "https://koge.dk", "seen": "2025-01-01"}])
    >>> to_records(G)["entities"]
    [{'id': 'koge', 'kind': 'city', 'name': 'Køge', 'sources': [{'url': 'https://koge.dk', 'seen': '2025-01-01'}]}]
    """
    themes = []
    for tid, t in sorted(G.graph.get("themes", {}).items()):
        themes.append({"id": tid, **{f: t[f] for f in SCHEMA.theme_fields if f != "id" and _plain(t.get(f))}})
    entities = []
    for n in _entity_nodes(G):
        d = G.nodes[n]
        entities.append({"id": n, **{f: _copy(d[f]) for f in SCHEMA.entity_fields if f != "id" and _plain(d.get(f))}})
    relations = []
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        rec = {"id": k, "source": u, "target": v}
        rec.update((f, _copy(d[f])) for f in SCHEMA.relation_fields if f not in rec and _plain(d.get(f)))
        relations.append(rec)
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "themes": themes, "entities": entities, "relations": relations}


def _copy(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [dict(x) if isinstance(x, dict) else x for x in value]
    return value


def graph_from_records(data: dict, origin: str = "<records>") -> nx.MultiDiGraph:
    """Validate records (as `to_records` gives them) and build their graph.

    Raises InvalidData listing every problem, as loading data/ would.
    """
    from graph.model import build_graph
    from graph.records import Dataset
    from loaders.read import RawRecord
    from loaders.validate import validate_records

    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise EspooNetError(f"{origin}: not an {FORMAT_NAME} export (no \"format\": \"{FORMAT_NAME}\")")
    raws = []
    for section, rtype in (("themes", "theme"), ("entities", "entity"), ("relations", "relation")):
        for i, rec in enumerate(data.get(section) or []):
            if not isinstance(rec, dict):
                raise EspooNetError(f"{origin}: {section}[{i}] is not a record")
            rec = dict(rec)
            if rtype == "relation" and rec.get("id") == _derived_id(rec):
                # A derived id ('a--kind--b--since') is no slug, so the validator refuses it as
                # given; left out, the validator derives the very same id again.
                del rec["id"]
            raws.append(RawRecord(rtype, rec, origin, i + 1))
    problems: list = []
    themes, entities, relations = validate_records(raws, problems)
    if problems:
        raise InvalidData(problems)
    counts = {"files": 1, "themes": len(themes), "entities": len(entities), "relations": len(relations)}
    return build_graph(Dataset(themes=themes, entities=entities, relations=relations, origin=origin, counts=counts))


def _derived_id(rec: dict) -> str | None:
    from graph.records import relation_id

    if not all(isinstance(rec.get(f), str) for f in ("source", "kind", "target")):
        return None
    return relation_id(rec["source"], rec["kind"], rec["target"], rec.get("since"))


# --- JSON ------------------------------------------------------------------------------------------

def write_json(G: nx.MultiDiGraph, path: str | Path) -> None:
    """The records of `G` as JSON (UTF-8, sorted, indented)."""
    text = json.dumps(to_records(G), ensure_ascii=False, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")


def read_json(path: str | Path) -> nx.MultiDiGraph:
    """The graph of a JSON export, validated."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise EspooNetError(f"{path}: not a JSON export ({e})") from None
    return graph_from_records(data, str(path))


# --- GraphML ---------------------------------------------------------------------------------------

def _check_xml_text(value: Any, where: str) -> None:
    texts = [value] if isinstance(value, str) else [json.dumps(value, ensure_ascii=False)] if value is not None else []
    for t in texts:
        m = _NOT_XML.search(t)
        if m:
            raise EspooNetError(f"{where} holds the character U+{ord(m.group()):04X}, which XML cannot carry; "
                                "remove it from the data to export GraphML or GEXF")


def _graphml_value(field_type: str, value: Any, where: str) -> Any:
    _check_xml_text(value, where)
    if field_type in _LIST_TYPES:
        return json.dumps(_copy(value), ensure_ascii=False)
    return value


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """GraphML with every field of every node (theme nodes too) and edge.

    Lists and sources are JSON text in string attributes; None is left out. The edge element's
    id is the relation id (written again as the attribute relation_id), so parallel relations
    stay apart.
    """
    H = nx.MultiDiGraph()
    H.graph["format"] = FORMAT_NAME
    H.graph["version"] = FORMAT_VERSION
    H.graph["themes"] = json.dumps(to_records(G)["themes"], ensure_ascii=False)
    types = {f.name: f.type for f in SCHEMA.entity_fields.values()}
    for n in sorted(G.nodes):
        d = G.nodes[n]
        H.add_node(n, **{f: _graphml_value(types[f], d[f], f"entity {n!r} field {f}")
                         for f in SCHEMA.entity_fields if f != "id" and d.get(f) is not None})
    rtypes = {f.name: f.type for f in SCHEMA.relation_fields.values()}
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        # The id is the edge element's id, and again as "relation_id": readers such as igraph
        # put element ids in an "id" attribute of their own (igraph 1.0 fills it wrongly for
        # edges) and refuse a data attribute of that name.
        attrs = {f: _graphml_value(rtypes[f], d[f], f"relation {k!r} field {f}")
                 for f in SCHEMA.relation_fields if f not in ("id", "source", "target") and d.get(f) is not None}
        H.add_edge(u, v, key=k, relation_id=k, **attrs)
    nx.write_graphml(H, str(path), encoding="utf-8", prettyprint=True)


def _decoded(fields: dict, d: dict, where: str) -> dict:
    out = {}
    for name, value in d.items():
        spec = fields.get(name)
        if spec is not None and spec.type in _LIST_TYPES and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise EspooNetError(f"{where}: field {name} is not the JSON list an export writes") from None
        out[name] = value
    return out


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    """The graph of a GraphML export, validated; raises EspooNetError if it is not one."""
    from xml.etree.ElementTree import ParseError

    try:
        H = nx.read_graphml(str(path), force_multigraph=True)
    except (ParseError, nx.NetworkXError, ValueError) as e:
        raise EspooNetError(f"{path}: not a GraphML file ({e})") from None
    if H.graph.get("format") != FORMAT_NAME:
        raise EspooNetError(f"{path}: not an {FORMAT_NAME} GraphML export")
    themes = json.loads(H.graph.get("themes") or "[]")
    taxonomy = {t["id"] for t in themes}
    entities = [{"id": n, **_decoded(SCHEMA.entity_fields, d, f"{path}: entity {n!r}")}
                for n, d in H.nodes(data=True) if not (d.get("kind") == "theme" and n in taxonomy)]
    relations = []
    for u, v, k, d in H.edges(keys=True, data=True):
        rid = d.pop("relation_id", k)
        if rid != k:
            raise EspooNetError(f"{path}: edge {k!r} says its relation id is {rid!r}")
        relations.append({"id": k, **_decoded(SCHEMA.relation_fields, d, f"{path}: relation {k!r}"), "source": u, "target": v})
    return graph_from_records({"format": FORMAT_NAME, "themes": themes, "entities": entities, "relations": relations},
                              str(path))


# --- GEXF ------------------------------------------------------------------------------------------

def _flat(value: Any) -> str:
    """A GEXF attribute value: lists joined with '; ', sources as 'URL (seen DATE)'."""
    if isinstance(value, (list, tuple)):
        return "; ".join(f"{x['url']} (seen {x['seen']})" if isinstance(x, dict) else str(x) for x in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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

    Positions default to the seeded spring layout, scaled to ±1000. The viz elements are in the
    GEXF namespace, as the published 1.3 XSD declares them (its RELAX NG twin puts them in the
    viz namespace instead; Gephi reads them by local name either way).
    """
    from lxml import etree

    from .layout import spring_layout

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
    graph = etree.SubElement(root, q("graph"), defaultedgetype="directed", mode="static")
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
        _check_xml_text(d.get("name"), f"entity {n!r} field name")
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
                              type="directed" if kind.directed else "undirected", weight=repr(float(weight)))
        _attvalues(el, q, edge_cols, {**d, "id": k}, f"relation {k!r}")
        r, g, b = rgb(st.colour)
        etree.SubElement(el, q("color"), r=str(r), g=str(g), b=str(b), a="1.0")
        etree.SubElement(el, q("thickness"), value=f"{st.width:.2f}")
        dash = "solid" if not st.dashes else ("dotted" if st.dashes[0] <= 2 else "dashed")
        etree.SubElement(el, q("shape"), value=dash)
    etree.ElementTree(root).write(str(path), encoding="UTF-8", xml_declaration=True, pretty_print=True)


def _attvalues(el, q, cols: list[tuple[str, str, str]], d: dict, where: str) -> None:
    from lxml import etree

    values = etree.SubElement(el, q("attvalues"))
    for name, title, _ in cols:
        value = d.get(name)
        if value is None or value == []:  # GEXF has no null: a missing value is left out
            continue
        _check_xml_text(value, f"{where} field {name}")
        etree.SubElement(values, q("attvalue"), {"for": title, "value": _flat(value)})


# --- CSV -------------------------------------------------------------------------------------------

def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(f"{x['url']} {x['seen']}" if isinstance(x, dict) else str(x) for x in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(G: nx.MultiDiGraph, folder: str | Path) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` in `folder` (created), in Gephi's spreadsheet layout.

    Lists are ``;``-separated and sources are ``URL DATE`` pairs, as the loaders' CSV files
    write them. Returns the two paths.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    node_fields = [f for f in SCHEMA.entity_fields if f not in ("id", "name")]
    edge_fields = [f for f in SCHEMA.relation_fields if f not in ("id", "source", "target")]
    nodes_path, edges_path = out / "nodes.csv", out / "edges.csv"
    with nodes_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Id", "Label", *node_fields])
        for n in sorted(G.nodes):
            d = G.nodes[n]
            w.writerow([n, d.get("name") or n, *(_csv_cell(d.get(x)) for x in node_fields)])
    with edges_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Source", "Target", "Type", "Id", "Label", "Weight", *edge_fields])
        for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
            kind = SCHEMA.relation_kinds[d["kind"]]
            weight = d.get("strength") if d.get("strength") is not None else kind.strength
            w.writerow([u, v, "Directed" if kind.directed else "Undirected", k, kind.label, weight,
                        *(_csv_cell(d.get(x)) for x in edge_fields)])
    return [nodes_path, edges_path]


# --- Cypher ----------------------------------------------------------------------------------------

_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def cypher_literal(value: Any) -> str:
    """A value as a Cypher literal: strings single-quoted with every special character escaped.

    Backslash, quote and the control characters are escaped, so no value can end the string
    early or break the line; maps need plain identifier keys.

    >>> cypher_literal("O'Brien \\\\ co")
    "'O\\\\'Brien \\\\\\\\ co'"
    >>> cypher_literal([1.5, True, "a"])
    "[1.5, true, 'a']"
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EspooNetError(f"cannot write {value!r} in Cypher")
        return repr(value)
    if isinstance(value, str):
        out = []
        for c in value:
            if c in _CYPHER_ESCAPES:
                out.append(_CYPHER_ESCAPES[c])
            elif ord(c) < 0x20 or 0xD800 <= ord(c) <= 0xDFFF or c in "\u2028\u2029\x7f":
                out.append(f"\\u{ord(c):04x}")
            else:
                out.append(c)
        return "'" + "".join(out) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in value) + "]"
    if isinstance(value, dict):
        for key in value:
            if not _IDENT.match(str(key)):
                raise EspooNetError(f"cannot write the map key {key!r} in Cypher")
        return "{" + ", ".join(f"{k}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise EspooNetError(f"cannot write a {type(value).__name__} in Cypher")


def cypher_statements(G: nx.MultiDiGraph) -> Iterable[str]:
    """The statements of the Cypher script, in order: constraints, themes, entities, relations.

    The stored form is the Neo4j backend's (`graph.neo4j.cypher`, `graph.neo4j.storage`): each
    entity under its kind's label, each relation typed by its kind, the taxonomy as
    ``:EspooNetTheme`` nodes; so `espoo-net neo4j pull` reads a loaded script back.
    """
    from graph.neo4j.cypher import TAXONOMY_LABEL, label_for, quote, schema_statements, type_for
    from graph.neo4j.storage import node_row, relation_row, theme_row

    for _, statement in schema_statements():
        yield statement
    taxonomy = quote(TAXONOMY_LABEL)
    for tid, t in sorted(G.graph.get("themes", {}).items()):
        row = theme_row({"id": tid, **t})
        yield f"MERGE (t:{taxonomy} {{id: {cypher_literal(tid)}}}) SET t = {cypher_literal(row['props'])}"
    kinds = {}
    for n in sorted(G.nodes):
        row = node_row(n, dict(G.nodes[n]))
        kinds[n] = label_for(row["kind"])
        yield f"MERGE (n:{kinds[n]} {{id: {cypher_literal(n)}}}) SET n = {cypher_literal(row['props'])}"
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        row = relation_row(u, v, k, dict(d))
        yield (f"MATCH (a:{kinds[u]} {{id: {cypher_literal(u)}}}), (b:{kinds[v]} {{id: {cypher_literal(v)}}}) "
               f"MERGE (a)-[r:{type_for(row['kind'])} {{id: {cypher_literal(k)}}}]->(b) "
               f"SET r = {cypher_literal(row['props'])}")


def write_cypher(G: nx.MultiDiGraph, path: str | Path) -> int:
    """A Cypher script (one statement per line, each ending in ';') that MERGEs the graph into
    Neo4j, as `espoo-net neo4j push` would store it; run it with cypher-shell. Returns the
    number of statements."""
    lines = [f"// {FORMAT_NAME} export: {G.number_of_nodes()} entities, {G.number_of_edges()} relations. "
             "Run with: cypher-shell -f FILE"]
    count = 0
    for statement in cypher_statements(G):
        lines.append(statement + ";")
        count += 1
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


# --- dispatch --------------------------------------------------------------------------------------

def export(G: nx.MultiDiGraph, fmt: str, out: str | Path, *, positions: dict | None = None, seed: int = 42) -> dict:
    """Write `G` in a format; returns ``{"format", "path", "files", "entities", "relations"}``.

    For csv, `out` is a folder that receives nodes.csv and edges.csv.

    Raises EspooNetError for an unknown format or a value the format cannot carry.

    Examples
    --------
    >>> export(G, "gexf", "net.gexf")["files"]         # doctest: +SKIP
    ['net.gexf']
    """
    out = Path(out)
    if fmt == "json":
        write_json(G, out)
        files = [out]
    elif fmt == "graphml":
        write_graphml(G, out)
        files = [out]
    elif fmt == "gexf":
        write_gexf(G, out, positions=positions, seed=seed)
        files = [out]
    elif fmt == "csv":
        files = write_csv(G, out)
    elif fmt == "cypher":
        write_cypher(G, out)
        files = [out]
    else:
        raise EspooNetError(f"unknown export format {fmt!r} (use one of: {', '.join(EXPORT_FORMATS)})")
    return {"format": fmt, "path": str(out), "files": [str(f) for f in files],
            "entities": G.number_of_nodes(), "relations": G.number_of_edges()}
