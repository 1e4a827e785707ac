"""The JSON export: the graph's records (`graph.interchange.to_records`), lossless."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from graph.interchange import to_records
from maps.output import atomic_output

__all__ = ["write_json"]


def write_json(G: nx.MultiDiGraph, path: str | Path) -> None:
    """The records of `G` as JSON (UTF-8, sorted, indented)."""
    text = json.dumps(to_records(G), ensure_ascii=False, indent=1)
    with atomic_output(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
