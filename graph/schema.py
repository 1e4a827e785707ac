"""The schema: loaded once from schema.yaml and checked for consistency before any record is read.

Everything that names an entity kind, a relation kind or a field derives from `SCHEMA`: the
loaders' validation, the graph, the Neo4j labels and relationship types (the only ones that may
reach Cypher), the map's legend and the docs.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from .errors import SchemaError
from .types import CLEANERS, bind_schema

__all__ = ["SCHEMA", "Schema", "EntityKind", "RelationKind", "Field", "load_schema"]

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str
    kinds: frozenset[str] | None = None  # entity kinds that may carry it; None: every kind
    identifier: bool = False  # a public identifier, findable like a name

    def allowed_for(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


@dataclass(frozen=True)
class EntityKind:
    name: str
    label: str
    plural: str
    description: str

    @property
    def neo4j_label(self) -> str:
        return self.label.replace(" ", "")


@dataclass(frozen=True)
class RelationKind:
    name: str
    label: str
    directed: bool
    strength: float
    route: bool
    from_kinds: frozenset[str]
    to_kinds: frozenset[str]
    description: str

    @property
    def neo4j_type(self) -> str:
        return self.name.upper()

    def allows(self, source_kind: str, target_kind: str) -> bool:
        """True if this kind may join these entity kinds (either way round when undirected)."""
        if source_kind in self.from_kinds and target_kind in self.to_kinds:
            return True
        return not self.directed and target_kind in self.from_kinds and source_kind in self.to_kinds


@dataclass(frozen=True)
class Schema:
    entity_kinds: dict[str, EntityKind]
    relation_kinds: dict[str, RelationKind]
    entity_fields: dict[str, Field]
    relation_fields: dict[str, Field]
    theme_fields: dict[str, Field]
    statuses: dict[str, str]
    renewals: dict[str, str]
    confidence: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]

    @cached_property
    def neo4j_labels(self) -> dict[str, str]:
        """Entity kind -> Neo4j label: the whitelist of labels that may appear in Cypher."""
        return {k: v.neo4j_label for k, v in self.entity_kinds.items()}

    @cached_property
    def neo4j_types(self) -> dict[str, str]:
        """Relation kind -> Neo4j relationship type: the whitelist of types that may appear in Cypher."""
        return {k: v.neo4j_type for k, v in self.relation_kinds.items()}

    @cached_property
    def identifier_fields(self) -> tuple[str, ...]:
        """Entity fields that hold public identifiers (Wikidata, ROR, CORDIS), in schema order."""
        return tuple(f.name for f in self.entity_fields.values() if f.identifier)

    def fields_for(self, record_type: str) -> dict[str, Field]:
        return {"entity": self.entity_fields, "relation": self.relation_fields, "theme": self.theme_fields}[record_type]


def _fields(raw: dict, where: str, groups: dict[str, tuple[str, ...]], kinds: dict) -> dict[str, Field]:
    out = {}
    for name, spec in raw.items():
        if spec["type"] not in CLEANERS:
            raise SchemaError(f"{where}.{name}: unknown type {spec['type']!r}")
        limited = _expand(spec["kinds"], groups, kinds, f"{where}.{name}.kinds") if "kinds" in spec else None
        out[name] = Field(name, spec["type"], bool(spec.get("required", False)), spec.get("description", ""),
                          limited, bool(spec.get("identifier", False)))
    return out


def _expand(names: list[str], groups: dict[str, tuple[str, ...]], kinds: dict, where: str) -> frozenset[str]:
    out: set[str] = set()
    for n in names:
        if n.startswith("@"):
            if n[1:] not in groups:
                raise SchemaError(f"{where}: unknown group {n!r}")
            out.update(groups[n[1:]])
        elif n in kinds:
            out.add(n)
        else:
            raise SchemaError(f"{where}: unknown entity kind {n!r}")
    return frozenset(out)


def load_schema(path: Path = SCHEMA_FILE) -> Schema:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    entity_kinds = {
        k: EntityKind(k, v["label"], v["plural"], v.get("description", "")) for k, v in raw["entity_kinds"].items()
    }
    groups = {g: tuple(ks) for g, ks in raw["groups"].items()}
    for g, ks in groups.items():
        for k in ks:
            if k not in entity_kinds:
                raise SchemaError(f"group {g}: unknown entity kind {k!r}")
    relation_kinds = {}
    for k, v in raw["relation_kinds"].items():
        strength = float(v["strength"])
        if not 0 < strength <= 1:
            raise SchemaError(f"relation kind {k}: strength {strength} is not in (0, 1]")
        relation_kinds[k] = RelationKind(
            name=k,
            label=v["label"],
            directed=bool(v["directed"]),
            strength=strength,
            route=bool(v.get("route", True)),
            from_kinds=_expand(v["from"], groups, entity_kinds, f"relation kind {k}.from"),
            to_kinds=_expand(v["to"], groups, entity_kinds, f"relation kind {k}.to"),
            description=v.get("description", ""),
        )
    labels = [e.neo4j_label for e in entity_kinds.values()]
    if len(set(labels)) != len(labels):
        raise SchemaError("two entity kinds share a Neo4j label")
    return Schema(
        entity_kinds=entity_kinds,
        relation_kinds=relation_kinds,
        entity_fields=_fields(raw["entity_fields"], "entity_fields", groups, entity_kinds),
        relation_fields=_fields(raw["relation_fields"], "relation_fields", groups, entity_kinds),
        theme_fields=_fields(raw["theme_fields"], "theme_fields", groups, entity_kinds),
        statuses=dict(raw["statuses"]),
        renewals=dict(raw["renewals"]),
        confidence=tuple(raw["confidence"]),
        groups=groups,
    )


SCHEMA = load_schema()
bind_schema(SCHEMA)
