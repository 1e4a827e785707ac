"""The CSV export: nodes.csv and edges.csv in Gephi's spreadsheet layout."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import networkx as nx

from graph.schema import SCHEMA

__all__ = ["write_csv"]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(" ".join(x[k] for k in ("url", "seen", "published") if x.get(k)) if isinstance(x, dict)
                         else str(x) for x in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(G: nx.MultiDiGraph, folder: str | Path) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` in `folder` (created), in Gephi's spreadsheet layout.

    Lists are ``;``-separated and sources are ``URL SEEN [PUBLISHED]``, as the loaders' CSV files
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
