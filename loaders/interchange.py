"""Read back what the JSON and GraphML exports wrote, through the same validation as data/.

An imported graph is exactly as trustworthy as one loaded from data/: every record goes
through `validate_records`, and every problem is reported at once.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from graph.errors import EspooNetError, InvalidData
from graph.interchange import FORMAT_NAME, LIST_TYPES
from graph.model import build_graph
from graph.records import Dataset
from graph.schema import SCHEMA

from .read import RawRecord, without_derived_id
from .validate import validate_records

__all__ = ["graph_from_records", "read_json", "read_graphml"]


def graph_from_records(data: dict, origin: str = "<records>") -> nx.MultiDiGraph:
    """Validate records (as `to_records` gives them) and build their graph.

    Raises InvalidData listing every problem, as loading data/ would.
    """

    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise EspooNetError(f"{origin}: not an {FORMAT_NAME} export (no \"format\": \"{FORMAT_NAME}\")")
    raws = []
    for section, rtype in (("themes", "theme"), ("entities", "entity"), ("relations", "relation")):
        for i, rec in enumerate(data.get(section) or []):
            if not isinstance(rec, dict):
                raise EspooNetError(f"{origin}: {section}[{i}] is not a record")
            rec = dict(rec)
            if rtype == "relation":
                without_derived_id(rec)
            raws.append(RawRecord(rtype, rec, origin, i + 1))
    problems: list = []
    themes, entities, relations = validate_records(raws, problems)
    if problems:
        raise InvalidData(problems)
    counts = {"files": 1, "themes": len(themes), "entities": len(entities), "relations": len(relations)}
    return build_graph(Dataset(themes=themes, entities=entities, relations=relations, origin=origin, counts=counts))


def read_json(path: str | Path) -> nx.MultiDiGraph:
    """The graph of a JSON export, validated."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise EspooNetError(f"{path}: not a JSON export ({e})") from None
    return graph_from_records(data, str(path))


def _decoded(fields: dict, d: dict, where: str) -> dict:
    out = {}
    for name, value in d.items():
        spec = fields.get(name)
        if spec is not None and spec.type in LIST_TYPES and isinstance(value, str):
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
    # `label` is the copy of the name (and the kind's label) written for Gephi: not a field.
    entities = [{"id": n, **_decoded(SCHEMA.entity_fields, _without(d, "label"), f"{path}: entity {n!r}")}
                for n, d in H.nodes(data=True) if not (d.get("kind") == "theme" and n in taxonomy)]
    relations = []
    for u, v, k, d in H.edges(keys=True, data=True):
        d = _without(d, "label")
        rid = d.pop("relation_id", k)
        if rid != k:
            raise EspooNetError(f"{path}: edge {k!r} says its relation id is {rid!r}")
        relations.append({"id": k, **_decoded(SCHEMA.relation_fields, d, f"{path}: relation {k!r}"), "source": u, "target": v})
    return graph_from_records({"format": FORMAT_NAME, "themes": themes, "entities": entities, "relations": relations},
                              str(path))


def _without(d: dict, key: str) -> dict:
    return {k: v for k, v in d.items() if k != key}
