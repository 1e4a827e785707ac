"""The interchange form of a graph: plain records in the schema's fields, sorted by id.

`to_records` is the canonical form the JSON and GraphML exports write, the loaders read back
(`loaders.interchange`), and tests compare graphs by.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import networkx as nx

from .schema import SCHEMA

__all__ = ["entity_count", "FORMULA_START", "GEPHI_COLUMNS", "GEPHI_DERIVED", "FORMAT_NAME", "FORMAT_VERSION", "LIST_TYPES", "to_records", "entity_nodes", "plain", "copy_value", "json_default"]

FORMAT_NAME = "espoo-network"
FORMAT_VERSION = 1
# Fields that hold lists (or lists of sources); GraphML carries them as JSON text.
LIST_TYPES = frozenset({"text_list", "themes", "sources"})

# The CSV export's tables (nodes.csv, edges.csv) name a few columns as Gephi's spreadsheet import
# wants them; the loader reads them back under the schema's own names, so an exported folder,
# edited in a spreadsheet, loads again. GEPHI_DERIVED columns are computed from the others
# (Type from the kind's direction, Label from the kind, Weight from the strength) and not read.
GEPHI_COLUMNS = {"nodes": {"Id": "id", "Label": "name"}, "edges": {"Source": "source", "Target": "target", "Id": "id"}}
GEPHI_DERIVED = {"nodes": frozenset(), "edges": frozenset({"Type", "Label", "Weight"})}

# OWASP's rule against CSV (formula) injection: a cell that starts with one of these would be
# run as a formula by a spreadsheet, so the CSV export gives it a leading single quote, which
# spreadsheets show as text; the CSV loader takes that quote off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any) -> bool:
    """Whether a value is worth writing: not None, not an empty list, not a False flag."""
    return value is not None and value != [] and value != () and value is not False


def _theme_nodes(G: nx.MultiDiGraph) -> set[str]:
    """The nodes the taxonomy made (a theme a tie points to), not entity records."""
    themes = G.graph.get("themes", {})
    return {n for n, k in G.nodes(data="kind") if k == "theme" and n in themes}


def entity_nodes(G: nx.MultiDiGraph) -> list[str]:
    """Nodes that are entity records: all but the theme nodes the taxonomy made."""
    themes = _theme_nodes(G)
    return [n for n in sorted(G.nodes) if n not in themes]


def entity_count(G: nx.MultiDiGraph) -> int:
    """How many entities G holds, as `validate` counts them: its nodes but the theme nodes."""
    return G.number_of_nodes() - len(_theme_nodes(G))


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
        themes.append({"id": tid, **{f: t[f] for f in SCHEMA.theme_fields if f != "id" and plain(t.get(f))}})
    entities = []
    for n in entity_nodes(G):
        d = G.nodes[n]
        entities.append({"id": n, **{f: copy_value(d[f]) for f in SCHEMA.entity_fields if f != "id" and plain(d.get(f))}})
    relations = []
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        rec = {"id": k, "source": u, "target": v}
        rec.update((f, copy_value(d[f])) for f in SCHEMA.relation_fields if f not in rec and plain(d.get(f)))
        relations.append(rec)
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "themes": themes, "entities": entities, "relations": relations}


def copy_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [dict(x) if isinstance(x, dict) else x for x in value]
    return value


def json_default(o: Any) -> Any:
    """`json.dumps(..., default=json_default)`: dates as ISO text, sets sorted, tuples as lists,
    records through their `to_dict`, other sequences as lists. The one JSON form of query results (CLI and explorer)."""
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    if isinstance(o, (set, frozenset, tuple)):
        return sorted(o) if isinstance(o, (set, frozenset)) else list(o)
    if hasattr(o, "to_dict"):
        return o.to_dict()
    if isinstance(o, Sequence) and not isinstance(o, (str, bytes)):
        return list(o)  # rows made when read (queries.timeindex.Rows)
    raise TypeError(f"cannot serialise {type(o).__name__}")
