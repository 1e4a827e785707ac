"""Exports for Gephi, Neo4j, spreadsheets and scripts.

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

Reading JSON and GraphML back is a loader's job (`loaders.interchange`). Exports sit above
maps: a GEXF file carries the map's seeded layout, and `export_view` the map's selection.

>>> from exports import export
>>> from loaders.interchange import read_graphml
>>> export(G, "graphml", "net.graphml")          # doctest: +SKIP
>>> read_graphml("net.graphml")                  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.errors import EspooNetError
from graph.interchange import entity_count
from maps.render import make_parent
from maps.view import select_subgraph

from .cypher import cypher_literal, cypher_statements, write_cypher
from .gexf import GEXF_RESERVED, write_gexf
from .graphml import write_graphml
from .jsonfile import write_json
from .spreadsheet import write_csv

__all__ = [
    "EXPORT_FORMATS",
    "export",
    "export_view",
    "write_json",
    "write_graphml",
    "write_gexf",
    "write_csv",
    "write_cypher",
    "cypher_literal",
    "cypher_statements",
    "GEXF_RESERVED",
]

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "cypher")


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
    # Entities as `validate` and `stats` count them: a theme a tie points to is a node, not an entity.
    return {"format": fmt, "path": str(out), "files": [str(f) for f in files],
            "entities": entity_count(G), "relations": G.number_of_edges()}


def export_view(G: nx.MultiDiGraph, fmt: str, out: str | Path, *, as_of: str | None = None, public: bool = False,
                theme: str | None = None, kinds: tuple[str, ...] = (), focus: str | None = None, depth: int = 1,
                countries: tuple[str, ...] = (), seed: int = 42) -> dict:
    """Export the whole network, or the part a view selects, in one format.

    Without `as_of` every relation is exported, whatever its status (an export is the data);
    with it, only those that held on that date. See `exports.export`.
    """
    if fmt not in EXPORT_FORMATS:
        raise EspooNetError(f"unknown export format {fmt!r} (use one of: {', '.join(EXPORT_FORMATS)})")
    sub = select_subgraph(G, as_of=as_of, include_inactive=as_of is None, public=public, theme=theme,
                          kinds=kinds, focus=focus, depth=depth, countries=countries)
    if str(out) != "-":
        make_parent(out if fmt != "csv" else Path(out) / "nodes.csv")
    return export(sub, fmt, out, seed=seed)
