"""The GraphML export: every field of every node and edge, lossless (`loaders.interchange` reads it)."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import EspooNetError
from graph.interchange import FORMAT_NAME, FORMAT_VERSION, LIST_TYPES, copy_value, to_records
from graph.schema import SCHEMA
from maps.output import atomic_output

__all__ = ["write_graphml", "check_xml_text"]

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates
# and U+FFFE/U+FFFF; GraphML and GEXF cannot carry anything else.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_xml_text(value: Any, where: str) -> None:
    texts = [value] if isinstance(value, str) else [json.dumps(value, ensure_ascii=False)] if value is not None else []
    for t in texts:
        m = _NOT_XML.search(t)
        if m:
            raise EspooNetError(f"{where} holds the character U+{ord(m.group()):04X}, which XML cannot carry; "
                                "remove it from the data to export GraphML or GEXF")


def _graphml_value(field_type: str, value: Any, where: str) -> Any:
    check_xml_text(value, where)
    if field_type in LIST_TYPES:
        return json.dumps(copy_value(value), ensure_ascii=False)
    return value


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """GraphML with every field of every node (theme nodes too) and edge, and a `label` key (the
    entity's name; the relation kind's label) that Gephi and yEd show; readers drop it.

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
        # `label` is what Gephi and yEd show on a node (a copy of the name; readers drop it).
        H.add_node(n, label=str(d.get("name") or n), **{f: _graphml_value(types[f], d[f], f"entity {n!r} field {f}")
                                                        for f in SCHEMA.entity_fields if f != "id" and d.get(f) is not None})
    rtypes = {f.name: f.type for f in SCHEMA.relation_fields.values()}
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        # The id is the edge element's id, and again as "relation_id": readers such as igraph
        # put element ids in an "id" attribute of their own (igraph 1.0 fills it wrongly for
        # edges) and refuse a data attribute of that name.
        attrs = {f: _graphml_value(rtypes[f], d[f], f"relation {k!r} field {f}")
                 for f in SCHEMA.relation_fields if f not in ("id", "source", "target") and d.get(f) is not None}
        H.add_edge(u, v, key=k, relation_id=k, label=SCHEMA.relation_kinds[d["kind"]].label, **attrs)
    # In memory first: networkx writes through lxml's incremental writer, which a failed disk
    # write (ENOSPC) leaves in a state that crashes the garbage collector later in the process.
    buffer = io.BytesIO()
    nx.write_graphml(H, buffer, encoding="utf-8", prettyprint=True)
    with atomic_output(path) as tmp:
        tmp.write_bytes(buffer.getvalue())
