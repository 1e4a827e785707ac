"""Small hand-built graphs for query tests: records in, a graph out, as the loaders would build it."""
from __future__ import annotations

from graph.model import build_graph
from graph.records import Dataset, Entity, Relation, Source, Theme, relation_id

__all__ = ["ent", "rel", "graph_of"]

SEEN = "2025-01-01"


def ent(eid: str, kind: str = "company", name: str | None = None, **fields) -> Entity:
    """An entity; its name defaults to its id in title case, its source to an example page."""
    for key in ("aliases", "themes"):
        if key in fields:
            fields[key] = tuple(fields[key])
    return Entity(id=eid, kind=kind, name=name or eid.replace("-", " ").title(),
                  sources=(Source(f"https://example.org/e/{eid}", SEEN),), **fields)


def rel(source: str, kind: str, target: str, **fields) -> Relation:
    """A relation with its derived id and an example source page (https://example.org/r/<id>)."""
    if "themes" in fields:
        fields["themes"] = tuple(fields["themes"])
    rid = fields.pop("id", None) or relation_id(source, kind, target, fields.get("since"))
    return Relation(id=rid, source=source, target=target, kind=kind,
                    sources=(Source(f"https://example.org/r/{rid}", SEEN),), **fields)


def graph_of(entities, relations, themes=("ai", "climate", "quantum")):
    """The MultiDiGraph of these records, in the loaders' order (sorted by id)."""
    data = Dataset(
        themes=tuple(Theme(id=t, label=t.title()) for t in sorted(themes)),
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        relations=tuple(sorted(relations, key=lambda r: r.id)),
        origin="test",
    )
    return build_graph(data)
