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

__all__ = ["SCHEMA", "Schema", "EntityKind", "RelationKind", "Family", "Field", "load_schema"]

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str
    kinds: frozenset[str] | None = None  # entity kinds that may carry it; None: every kind
    identifier: bool = False  # a public identifier, findable like a name
    missing: str = ""  # what to write when a required field is missing (schema.yaml's `missing`)

    @property
    def missing_hint(self) -> str:
        """The hint for a required field left out: what to put in it, not what it is."""
        return self.missing or f"add the {self.name} field: {self.description[:1].lower()}{self.description[1:]}"

    def allowed_for(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


@dataclass(frozen=True)
class EntityKind:
    name: str
    label: str
    plural: str
    description: str
    activity: bool = False  # a shared activity: a hyperedge between its participants
    one_off: bool = False  # happens once; its ties stay warm for `Schema.one_off_years` after
    relays: bool = True  # a route may pass through it (false: only start or end there)

    @property
    def neo4j_label(self) -> str:
        return self.label.replace(" ", "")


@dataclass(frozen=True)
class Family:
    """A family of relation kinds: what a tie of that kind means."""

    name: str
    label: str
    colour: str  # what its ties are drawn in (graph.style)
    routes: bool  # ties of the family carry routes, clusters and broker scores
    structural: bool  # holds an organisation together (kept on every theme at our side)
    description: str
    participates: bool = False  # a tie to a shared activity makes a participant of it


@dataclass(frozen=True)
class RelationKind:
    name: str
    label: str
    family: str
    directed: bool
    strength: float
    route: bool  # from the family: whether the tie carries routes at all
    structural: bool  # the family's, or the kind's own
    speaks_for: bool  # the source, a person, can speak for the target
    phrase: tuple[str, str]  # (present, past), {s} source and {t} target
    together: str | None  # two participants {a}, {b} of one activity {x}
    from_kinds: frozenset[str]
    to_kinds: frozenset[str]
    description: str
    participates: bool = False  # the family's, or the kind's own: a tie to an activity makes a participant

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
    families: dict[str, Family]
    bands: tuple[tuple[str, float], ...]  # (name, lowest strength), warmest first; the last is 0
    shown: float  # introductions weaker than this are counted, not listed (the best always is)
    one_off_years: float
    fold_limit: int  # activities with more participants are not folded into ties (queries.ties)

    @cached_property
    def activity_kinds(self) -> frozenset[str]:
        """The entity kinds that are shared activities (hyperedges between their participants)."""
        return frozenset(k for k, v in self.entity_kinds.items() if v.activity)

    @cached_property
    def participation_kinds(self) -> frozenset[str]:
        """The relation kinds whose tie to a shared activity makes its other end a participant of it
        (a party to an agreement, a partner in a project): the ones that count its parties and fold
        into hops. A tie of another kind (a contact person's) stays a tie to the activity alone.

        >>> sorted(k for k in ("party_to", "contact_for", "works_for", "funds") if k in SCHEMA.participation_kinds)
        ['party_to']
        """
        return frozenset(k for k, v in self.relation_kinds.items() if v.participates)

    @cached_property
    def no_relay_kinds(self) -> frozenset[str]:
        """The entity kinds no route passes through: shared activities (a hop joins their
        participants directly) and kinds marked ``relays: false`` (a country)."""
        return frozenset(k for k, v in self.entity_kinds.items() if v.activity or not v.relays)

    @cached_property
    def one_off_kinds(self) -> frozenset[str]:
        """The entity kinds that happen once (their ties stay warm for `one_off_years`)."""
        return frozenset(k for k, v in self.entity_kinds.items() if v.one_off)

    def band(self, strength: float) -> str:
        """The band an advisor reads a strength in: warm, lukewarm or cold (thresholds in schema.yaml).

        >>> SCHEMA.band(0.5), SCHEMA.band(0.1), SCHEMA.band(0.02)
        ('warm', 'lukewarm', 'cold')
        """
        for name, lowest in self.bands:
            if strength >= lowest:
                return name
        return self.bands[-1][0]

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
                          limited, bool(spec.get("identifier", False)), str(spec.get("missing", "")))
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
        k: EntityKind(k, v["label"], v["plural"], v.get("description", ""), bool(v.get("activity", False)),
                      bool(v.get("one_off", False)), bool(v.get("relays", True)))
        for k, v in raw["entity_kinds"].items()
    }
    groups = {g: tuple(ks) for g, ks in raw["groups"].items()}
    for g, ks in groups.items():
        for k in ks:
            if k not in entity_kinds:
                raise SchemaError(f"group {g}: unknown entity kind {k!r}")
    families = {
        k: Family(k, v["label"], str(v["colour"]), bool(v["routes"]), bool(v.get("structural", False)), v.get("description", ""),
                  bool(v.get("participates", False)))
        for k, v in raw["families"].items()
    }
    relation_kinds = {}
    for k, v in raw["relation_kinds"].items():
        strength = float(v["strength"])
        if not 0 < strength <= 1:
            raise SchemaError(f"relation kind {k}: strength {strength} is not in (0, 1]")
        family = families.get(v.get("family"))
        if family is None:
            raise SchemaError(f"relation kind {k}: family {v.get('family')!r} is not one of {', '.join(families)}")
        phrase = tuple(v.get("phrase") or ())
        if len(phrase) != 2:
            raise SchemaError(f"relation kind {k}: phrase must be [present, past]")
        relation_kinds[k] = RelationKind(
            name=k,
            label=v["label"],
            family=family.name,
            directed=bool(v["directed"]),
            strength=strength,
            route=family.routes,
            structural=family.structural or bool(v.get("structural", False)),
            speaks_for=bool(v.get("speaks_for", False)),
            participates=bool(v.get("participates", family.participates)),
            phrase=phrase,
            together=v.get("together"),
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
        families=families,
        bands=_bands(raw["bands"]),
        shown=_shown(raw["bands"]),
        one_off_years=float(raw["time"]["one_off_years"]),
        fold_limit=int(raw["time"]["fold_limit"]),
    )


def _shown(raw: dict) -> float:
    shown = float(raw.get("shown", 0.0))
    if not 0 <= shown < float(raw["lukewarm"]):
        raise SchemaError(f"bands: need 0 <= shown ({shown}) < lukewarm ({raw['lukewarm']})")
    return shown


def _bands(raw: dict) -> tuple[tuple[str, float], ...]:
    """The bands, warmest first, ending with `cold` at 0."""
    warm, lukewarm = float(raw["warm"]), float(raw["lukewarm"])
    if not 0 < lukewarm < warm <= 1:
        raise SchemaError(f"bands: need 0 < lukewarm ({lukewarm}) < warm ({warm}) <= 1")
    return (("warm", warm), ("lukewarm", lukewarm), ("cold", 0.0))


SCHEMA = load_schema()
bind_schema(SCHEMA)
