"""The CSV export: nodes.csv and edges.csv in Gephi's spreadsheet layout, and themes.csv, so the
folder is also a dataset: edited in a spreadsheet, it loads again (`--data FOLDER`)."""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import networkx as nx

from graph.interchange import FORMULA_START, GEPHI_COLUMNS, to_records
from graph.schema import SCHEMA
from maps.output import atomic_output

__all__ = ["write_csv", "neutralise"]

# A cell that starts like a formula (`graph.interchange.FORMULA_START`) gets a leading single
# quote. A plain number ("-33.87", a latitude) is not a formula and stays as it is.
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def neutralise(cell: str) -> str:
    """`cell` made safe to open in a spreadsheet.

    >>> print(neutralise('=HYPERLINK("http://evil")'), neutralise("-33.87"), neutralise("Espoo"))
    '=HYPERLINK("http://evil") -33.87 Espoo
    """
    if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        text = "; ".join(" ".join(x[k] for k in ("url", "seen", "published") if x.get(k)) if isinstance(x, dict)
                         else str(x) for x in value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return neutralise(text)


def write_csv(G: nx.MultiDiGraph, folder: str | Path) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` in `folder` (created), in Gephi's spreadsheet layout, and
    ``themes.csv`` (the taxonomy the rows name), so that the folder loads back as a dataset.

    Lists are ``;``-separated and sources are ``URL SEEN [PUBLISHED]``, as the loaders' CSV files
    write them. A cell that a spreadsheet would run as a formula gets a leading ``'``
    (`neutralise`; the loader takes it off again). Returns the paths.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    node_fields = [f for f in SCHEMA.entity_fields if f not in ("id", "name")]
    edge_fields = [f for f in SCHEMA.relation_fields if f not in ("id", "source", "target")]
    nodes_path, edges_path, themes_path = out / "nodes.csv", out / "edges.csv", out / "themes.csv"
    with atomic_output(themes_path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(SCHEMA.theme_fields))
        for t in to_records(G)["themes"]:
            w.writerow([_csv_cell(t.get(x)) for x in SCHEMA.theme_fields])
    with atomic_output(nodes_path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([*GEPHI_COLUMNS["nodes"], *node_fields])
        for n in sorted(G.nodes):
            d = G.nodes[n]
            w.writerow([_csv_cell(n), _csv_cell(d.get("name") or n), *(_csv_cell(d.get(x)) for x in node_fields)])
    with atomic_output(edges_path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Source", "Target", "Type", "Id", "Label", "Weight", *edge_fields])  # GEPHI_COLUMNS, in Gephi's order
        for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
            kind = SCHEMA.relation_kinds[d["kind"]]
            weight = d.get("strength") if d.get("strength") is not None else kind.strength
            w.writerow([_csv_cell(u), _csv_cell(v), "Directed" if kind.directed else "Undirected", _csv_cell(k),
                        kind.label, weight, *(_csv_cell(d.get(x)) for x in edge_fields)])
    return [nodes_path, edges_path, themes_path]
