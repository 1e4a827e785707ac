"""The Cypher export: a script of parameter-free MERGE statements in the Neo4j backend's stored form."""
from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from graph.errors import EspooNetError
from graph.interchange import FORMAT_NAME, entity_count
from graph.neo4j.cypher import (ENTITY_LABEL, MARKER, NEO4J, TAG_TYPE, TAXONOMY_LABEL, entity_index, label_for, quote,
                                schema_statements, type_for)
from graph.neo4j.storage import node_row, relation_row, theme_row
from maps.output import atomic_output

__all__ = ["cypher_literal", "cypher_statements", "write_cypher"]

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
    >>> cypher_literal(dt.date(2019, 5, 1))
    "date('2019-05-01')"
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"date('{value.isoformat()}')"
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
    ``:EspooNetTheme`` nodes; so `espoo-net neo4j pull` reads a loaded script back. Every entity
    also gets the common label ``:Entity`` (one statement per kind, after the MERGEs: a statement
    that creates a node and adds a label to it fails on ArcadeDB) and a ``:HAS_THEME`` tie to each
    of its themes; dates are ``date()`` values.
    """
    for _, statement in schema_statements():
        yield statement
    yield entity_index(NEO4J)
    taxonomy = quote(TAXONOMY_LABEL)
    for tid, t in sorted(G.graph.get("themes", {}).items()):
        row = theme_row({"id": tid, **t})
        yield f"MERGE (t:{taxonomy} {{id: {cypher_literal(tid)}}}) SET t = {cypher_literal(row['props'])}"
    kinds = {}
    for n in sorted(G.nodes):
        row = node_row(n, dict(G.nodes[n]))
        kinds[n] = label_for(row["kind"])
        yield f"MERGE (n:{kinds[n]} {{id: {cypher_literal(n)}}}) SET n = {cypher_literal(row['props'])}"
    entity, marker = quote(ENTITY_LABEL), cypher_literal(MARKER)
    for label in sorted(set(kinds.values())):
        yield f"MATCH (n:{label}) WHERE n.managed_by = {marker} SET n:{entity}"
    tag = quote(TAG_TYPE)
    for n in sorted(G.nodes):
        for tid in sorted(set(G.nodes[n].get("themes") or ())):
            yield (f"MATCH (n:{kinds[n]} {{id: {cypher_literal(n)}}}), (t:{taxonomy} {{id: {cypher_literal(tid)}}}) "
                   f"MERGE (n)-[h:{tag}]->(t) SET h.managed_by = {marker}")
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        row = relation_row(u, v, k, dict(d))
        yield (f"MATCH (a:{kinds[u]} {{id: {cypher_literal(u)}}}), (b:{kinds[v]} {{id: {cypher_literal(v)}}}) "
               f"MERGE (a)-[r:{type_for(row['kind'])} {{id: {cypher_literal(k)}}}]->(b) "
               f"SET r = {cypher_literal(row['props'])}")


def write_cypher(G: nx.MultiDiGraph, path: str | Path) -> int:
    """A Cypher script (one statement per line, each ending in ';') that MERGEs the graph into
    Neo4j, as `espoo-net neo4j push` would store it; run it with cypher-shell. Returns the
    number of statements."""
    lines = [f"// {FORMAT_NAME} export: {entity_count(G)} entities, {G.number_of_edges()} relations. "
             "Run with: cypher-shell -f FILE"]
    count = 0
    for statement in cypher_statements(G):
        lines.append(statement + ";")
        count += 1
    with atomic_output(path) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count
