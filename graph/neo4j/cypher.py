"""Every Cypher statement of the Neo4j backend, and the one helper that may put a name in one.

Values always travel as ``$parameters``. Labels and relationship types cannot be parameters, so
they come only from `quote`, which backtick-quotes a name from the schema's whitelist
(`SCHEMA.neo4j_labels`, `SCHEMA.neo4j_types`) or this tool's own taxonomy label, and refuses
anything else. Variable-length bounds cannot be parameters either; `hops` admits only a small
integer. The templates below hold ``{placeholders}`` that only these helpers fill.

The stored form (one label per entity kind, a relationship type per relation kind, the
``managed_by`` marker, the taxonomy as ``:EspooNetTheme`` nodes, sources as two parallel lists)
and the table of where Neo4j 5 and ArcadeDB differ are in docs/neo4j.md; every difference is
handled here, in the statements and in `NEO4J`/`ARCADEDB`, and nowhere else.
"""
from __future__ import annotations

from functools import lru_cache

from graph.errors import BackendError
from graph.schema import SCHEMA

__all__ = [
    "MARKER",
    "TAXONOMY_LABEL",
    "NEO4J",
    "ARCADEDB",
    "MAX_HOPS",
    "quote",
    "label_for",
    "type_for",
    "kind_of_labels",
    "hops",
    "schema_statements",
    "merge_entities",
    "relabel_entities",
    "merge_relations",
    "ELEMENT_IDS",
    "FOREIGN_NODES",
    "create_relations",
    "delete_entities",
    "delete_relations",
    "read_entities_by_id",
    "read_relations_from",
    "expand",
    "MERGE_THEMES",
    "DELETE_THEMES",
    "MANAGED_THEME_KEYS",
    "MANAGED_ENTITY_KEYS",
    "MANAGED_RELATION_KEYS",
    "READ_THEMES",
    "READ_ENTITIES",
    "READ_RELATIONS",
    "READ_NAMES",
    "ENTITIES_WITH_THEME",
    "RELATIONS_ON_THEME",
    "HOME_ENTITIES",
    "KINDS_OF_IDS",
    "participants_of",
    "SERVER_COMPONENTS",
    "COUNT_LABELS",
    "COUNT_TYPES",
    "COUNT_MANAGED_NODES",
    "COUNT_MANAGED_RELATIONS",
    "SHOW_CONSTRAINTS",
]

MARKER = "espoo-net"
"""Value of the ``managed_by`` property on everything this tool writes."""
TAXONOMY_LABEL = "EspooNetTheme"

NEO4J = "neo4j"
ARCADEDB = "arcadedb"

_ALLOWED = frozenset(SCHEMA.neo4j_labels.values()) | frozenset(SCHEMA.neo4j_types.values()) | {TAXONOMY_LABEL}
_KIND_OF_LABEL = {label: kind for kind, label in SCHEMA.neo4j_labels.items()}
MAX_HOPS = 10


def quote(name: str) -> str:
    """The backtick-quoted label or relationship type `name`, if the whitelist holds it.

    The whitelist is the schema's labels and types plus this tool's ``EspooNetTheme``.
    Anything else (a typo, or text crafted to break out of the backticks) raises
    `BackendError`, so no name from data or user input can reach the query text.

    >>> quote("City")
    '`City`'
    >>> quote("Org`) DETACH DELETE n //")
    Traceback (most recent call last):
    ...
    graph.errors.BackendError: refusing label or type 'Org`) DETACH DELETE n //': not in the schema's whitelist
    """
    if not isinstance(name, str) or name not in _ALLOWED:
        raise BackendError(f"refusing label or type {name!r}: not in the schema's whitelist")
    return f"`{name}`"


def label_for(kind: str) -> str:
    """The quoted label of an entity kind: ``label_for("city") == '`City`'``."""
    try:
        return quote(SCHEMA.neo4j_labels[kind])
    except (KeyError, TypeError):
        raise BackendError(f"unknown entity kind {kind!r}: it has no Neo4j label") from None


def type_for(kind: str) -> str:
    """The quoted relationship type of a relation kind: ``type_for("twin_town") == '`TWIN_TOWN`'``."""
    try:
        return quote(SCHEMA.neo4j_types[kind])
    except (KeyError, TypeError):
        raise BackendError(f"unknown relation kind {kind!r}: it has no relationship type") from None


def kind_of_labels(labels: list[str]) -> str | None:
    """The entity kind that a node's labels name (None if no kind label is among them)."""
    return next((_KIND_OF_LABEL[x] for x in labels if x in _KIND_OF_LABEL), None)


def hops(n: int) -> int:
    """A variable-length bound: an int from 1 to MAX_HOPS (Cypher takes no parameter there)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_HOPS:
        raise BackendError(f"hop bound {n!r} is not a whole number from 1 to {MAX_HOPS}")
    return n


# --- schema --------------------------------------------------------------------------------------

_UNIQUE_NODE = "CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
_UNIQUE_REL = "CREATE CONSTRAINT {name} IF NOT EXISTS FOR ()-[r:{type}]-() REQUIRE r.id IS UNIQUE"


def schema_statements() -> list[tuple[str, str]]:
    """(label or type, statement) pairs: the id uniqueness constraint of every label and type."""
    out = [(TAXONOMY_LABEL, _UNIQUE_NODE.format(name="espoo_net_taxonomy_id", label=quote(TAXONOMY_LABEL)))]
    for kind, label in SCHEMA.neo4j_labels.items():
        out.append((label, _UNIQUE_NODE.format(name=f"espoo_net_{kind}_id", label=label_for(kind))))
    for kind, rel_type in SCHEMA.neo4j_types.items():
        out.append((rel_type, _UNIQUE_REL.format(name=f"espoo_net_rel_{kind}_id", type=type_for(kind))))
    return out


# --- writing ---------------------------------------------------------------------------------------
# A row is {id, props} (entities, themes) or {id, source, target, props} (relations); props is
# the whole stored property map, so `SET x = row.props` also removes attributes that became
# None. A node or relationship whose properties already equal row.props is not written at all,
# which is why a second push changes nothing. Right after MERGE creates it, `before` holds only
# the id.

# A node or relationship that holds more than its id and no `managed_by` marker of ours was
# written by someone else: it is never SET (`_OURS`), and counted as `foreign`, which makes the
# push fail and roll the batch back (push checks for such nodes before writing; this guards
# against one written in between).
_FOREIGN = "size(keys(before)) > 1 AND coalesce(before.managed_by, '') <> $marker"
_OURS = f"before = row.props OR ({_FOREIGN})"
_COUNTS = f"""\
RETURN count(*) AS rows,
       sum(CASE WHEN size(keys(before)) = 1 THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN size(keys(before)) > 1 AND before <> row.props AND NOT ({_FOREIGN}) THEN 1 ELSE 0 END) AS updated,
       sum(CASE WHEN {_FOREIGN} THEN 1 ELSE 0 END) AS foreign"""
_SET_UNLESS = "FOREACH (i IN CASE WHEN {ours} THEN [] ELSE [1] END | SET {x} = row.props)"

# Entities also return their element ids, which the relation batches of the same push join
# their ends by (checking the id too, see _MERGE_RELATIONS).
_MERGE_ENTITIES = """\
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
WITH n, row, properties(n) AS before
""" + _SET_UNLESS.format(ours=_OURS, x="n") + "\n" + _COUNTS + """,
       collect([row.id, elementId(n)]) AS elements"""

# Relations join their ends by element id: so one statement per relation kind serves every
# pair of entity kinds, where matching the ends by label and id would need one statement per
# pair of kinds (hundreds, each parsed and planned) and two index lookups per row. The ids come
# from the entity batches of the same push (or ELEMENT_IDS); an element id is only trusted
# together with the entity id it was read with, so if the database changed in between, the
# row finds no end and its batch fails and rolls back.
ELEMENT_IDS = "\nUNION ALL\n".join(
    f"UNWIND ${kind} AS id MATCH (n:{label_for(kind)} {{id: id}}) RETURN n.id AS id, elementId(n) AS element"
    for kind in SCHEMA.neo4j_labels)
"""Element ids of entities, given as one id list per kind (parameters named by kind)."""

FOREIGN_NODES = "\nUNION ALL\n".join(
    f"UNWIND ${kind} AS id MATCH (n:{label_for(kind)} {{id: id}}) WHERE coalesce(n.managed_by, '') <> $marker "
    "RETURN n.id AS id, labels(n) AS labels" for kind in SCHEMA.neo4j_labels) + (
    f"\nUNION ALL\nUNWIND $themes AS id MATCH (n:{quote(TAXONOMY_LABEL)} {{id: id}}) "
    "WHERE coalesce(n.managed_by, '') <> $marker RETURN n.id AS id, labels(n) AS labels")
"""Nodes that hold an id a push would write, under the label it would write, but that this tool
did not write (no marker): one id list per kind (parameters named by kind) and `$themes`."""

_MERGE_RELATIONS = """\
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.a AND a.id = row.source
MATCH (b) WHERE elementId(b) = row.b AND b.id = row.target
MERGE (a)-[r:{type} {{id: row.id}}]->(b)
WITH r, row, properties(r) AS before
""" + _SET_UNLESS.format(ours=_OURS, x="r") + "\n" + _COUNTS

# Relations the database does not hold yet (the push read every stored relation id first) are
# CREATEd: on ArcadeDB a relationship MERGE costs about three times a CREATE. Only where the
# type's uniqueness constraint is in place, so a concurrent writer's duplicate fails loudly.
_CREATE_RELATIONS = """\
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.a AND a.id = row.source
MATCH (b) WHERE elementId(b) = row.b AND b.id = row.target
CREATE (a)-[r:{type}]->(b)
SET r = row.props
RETURN count(*) AS rows, count(*) AS created, 0 AS updated, 0 AS foreign"""

MERGE_THEMES = f"""\
UNWIND $rows AS row
MERGE (n:{quote(TAXONOMY_LABEL)} {{id: row.id}})
WITH n, row, properties(n) AS before
""" + _SET_UNLESS.format(ours=_OURS, x="n") + "\n" + _COUNTS


@lru_cache(maxsize=None)
def merge_entities(kind: str) -> str:
    """The batch upsert of entities of one kind, MERGEd by id under their kind's label."""
    return _MERGE_ENTITIES.format(label=label_for(kind))


@lru_cache(maxsize=None)
def relabel_entities(old_kind: str, new_kind: str) -> str:
    """Move entities whose kind changed to their new label (before they are MERGEd)."""
    return f"""\
UNWIND $ids AS id
MATCH (n:{label_for(old_kind)} {{id: id}})
WHERE n.managed_by = $marker
REMOVE n:{label_for(old_kind)}
SET n:{label_for(new_kind)}
RETURN count(*) AS moved"""


@lru_cache(maxsize=None)
def merge_relations(kind: str) -> str:
    """The batch upsert of relations of one kind; rows {a, b, source, target, id, props}, where
    a and b are the element ids of the entities source and target."""
    return _MERGE_RELATIONS.format(type=type_for(kind))


@lru_cache(maxsize=None)
def create_relations(kind: str) -> str:
    """The batch insert of relations known to be new (see _CREATE_RELATIONS for when)."""
    return _CREATE_RELATIONS.format(type=type_for(kind))


# Pruning deletes only our nodes that no relationship of anyone else's touches (ours are
# deleted before the nodes): DETACH DELETE would take a foreign relationship with it. The ids of
# the nodes kept come back as `kept`.
_DELETE_NODES = """\
UNWIND $ids AS id
MATCH (n:{label} {{id: id}})
WHERE n.managed_by = $marker
OPTIONAL MATCH (n)-[r]-()
WITH n, id, sum(CASE WHEN r IS NOT NULL AND coalesce(r.managed_by, '') <> $marker THEN 1 ELSE 0 END) AS foreign
FOREACH (i IN CASE WHEN foreign = 0 THEN [1] ELSE [] END | DETACH DELETE n)
RETURN sum(CASE WHEN foreign = 0 THEN 1 ELSE 0 END) AS removed,
       collect(CASE WHEN foreign > 0 THEN id END) AS kept"""


@lru_cache(maxsize=None)
def delete_entities(kind: str) -> str:
    return _DELETE_NODES.format(label=label_for(kind))


@lru_cache(maxsize=None)
def delete_relations(source_kind: str, target_kind: str) -> str:
    """Delete relations given as rows {id, type, source, target}. The type is compared as a
    value, so a relationship of a type the schema no longer has can still be removed."""
    return f"""\
UNWIND $rows AS row
MATCH (a:{label_for(source_kind)} {{id: row.source}})-[r {{id: row.id}}]->(b:{label_for(target_kind)} {{id: row.target}})
WHERE type(r) = row.type AND r.managed_by = $marker
DELETE r
RETURN count(*) AS removed"""


DELETE_THEMES = _DELETE_NODES.format(label=quote(TAXONOMY_LABEL))

# --- reading -------------------------------------------------------------------------------------

_ENTITY = f"n.managed_by = $marker AND NOT n:{quote(TAXONOMY_LABEL)}"

MANAGED_THEME_KEYS = f"MATCH (t:{quote(TAXONOMY_LABEL)}) WHERE t.managed_by = $marker RETURN t.id AS id"
MANAGED_ENTITY_KEYS = f"MATCH (n) WHERE {_ENTITY} RETURN n.id AS id, labels(n) AS labels"
MANAGED_RELATION_KEYS = """\
MATCH (a)-[r]->(b)
WHERE r.managed_by = $marker
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target,
       labels(a) AS source_labels, labels(b) AS target_labels"""

READ_THEMES = f"MATCH (t:{quote(TAXONOMY_LABEL)}) WHERE t.managed_by = $marker RETURN properties(t) AS props"
READ_ENTITIES = f"MATCH (n) WHERE {_ENTITY} RETURN properties(n) AS props"
READ_RELATIONS = """\
MATCH (a)-[r]->(b)
WHERE r.managed_by = $marker
RETURN a.id AS source, b.id AS target, properties(r) AS props"""
READ_NAMES = f"MATCH (n) WHERE {_ENTITY} RETURN n.id AS id, n.name AS name, n.aliases AS aliases, n.kind AS kind"

ENTITIES_WITH_THEME = f"MATCH (n) WHERE {_ENTITY} AND $theme IN n.themes RETURN n.id AS id, n.kind AS kind"


@lru_cache(maxsize=None)
def read_entities_by_id(kind: str) -> str:
    return f"""\
UNWIND $ids AS id
MATCH (n:{label_for(kind)} {{id: id}})
WHERE n.managed_by = $marker
RETURN properties(n) AS props"""


@lru_cache(maxsize=None)
def read_relations_from(kind: str) -> str:
    """Outgoing relations of entities of one kind; the caller keeps those whose target it wants."""
    return f"""\
UNWIND $ids AS id
MATCH (a:{label_for(kind)} {{id: id}})-[r]->(b)
WHERE r.managed_by = $marker
RETURN a.id AS source, b.id AS target, properties(r) AS props"""


# Which relations a search may follow, all as parameters (null switches a test off):
# $types: only these relationship types, and no explicit strength of 0 (routes);
# $day, $present: only ties that held on $day (graph.model.is_active, on ISO date strings: a
#   partial `since` begins on or before the day iff it sorts at or before it; a partial end
#   ends on or after the day iff it sorts at or after the day cut to its length); $present: the
#   day is today or later, when the status decides too. A tie's end is its `until`, or for an
#   `ended` tie without one its `since` (and with neither it held on no day);
# $one_off, $glow_day: ties with an end of these kinds (events) hold, ended or not, while their
#   end is on or after $glow_day ($day less the schema's one_off_years);
# $theme: only ties on the theme (graph.model.on_theme: a tie of a $structural type with our
#   side at either end always; else its own themes, else both ends', an end without themes
#   taking the other's).
_FOLLOW = """\
r.managed_by = $marker AND {a}.id <> {b}.id
  AND ($types IS NULL OR (type(r) IN $types AND coalesce(r.strength, 1.0) > 0))
  AND ($day IS NULL OR (coalesce(r.status, 'active') <> 'planned'
       AND (r.since IS NULL OR r.since <= $day)
       AND CASE WHEN {a}.kind IN $one_off OR {b}.kind IN $one_off THEN
              coalesce(r.status, 'active') <> 'suspended' AND CASE
                WHEN coalesce(r.until, CASE WHEN r.status = 'ended' THEN r.since END) IS NULL
                  THEN coalesce(r.status, 'active') <> 'ended'
                ELSE coalesce(r.until, r.since) >= left($glow_day, size(coalesce(r.until, r.since))) END
            ELSE (NOT $present OR coalesce(r.status, 'active') IN ['active', 'unknown']) AND CASE
                WHEN r.until IS NOT NULL THEN r.until >= left($day, size(r.until))
                WHEN coalesce(r.status, 'active') = 'ended' THEN r.since IS NOT NULL AND r.since >= left($day, size(r.since))
                ELSE true END
            END))
  AND ($theme IS NULL OR (type(r) IN $structural AND (coalesce({a}.home, false) OR coalesce({b}.home, false))) OR CASE
       WHEN size(coalesce(r.themes, [])) > 0 THEN $theme IN r.themes
       WHEN size(coalesce({a}.themes, [])) > 0 AND size(coalesce({b}.themes, [])) > 0
         THEN $theme IN {a}.themes AND $theme IN {b}.themes
       ELSE $theme IN coalesce({a}.themes, []) + coalesce({b}.themes, []) END)"""


@lru_cache(maxsize=None)
def expand(kind: str) -> str:
    """One breadth-first step from entities of one kind: the entities one followed relation
    away, either direction (see _FOLLOW for which relations are followed)."""
    return f"""\
UNWIND $ids AS id
MATCH (a:{label_for(kind)} {{id: id}})-[r]-(b)
WHERE {_FOLLOW.format(a="a", b="b")}
RETURN DISTINCT b.id AS id, b.kind AS kind"""


RELATIONS_ON_THEME = f"""\
MATCH (a)-[r]->(b)
WHERE {_FOLLOW.format(a="a", b="b")}
RETURN a.id AS source, a.kind AS source_kind, b.id AS target, b.kind AS target_kind"""
"""The relations on $theme (with $types, $day null), by the rule routes and clusters use."""

@lru_cache(maxsize=None)
def participants_of(kind: str) -> str:
    """Every entity tied to the given activities of one kind by a relation of $types, any day
    (a tie through an activity is weaker the more participants it has: a search needs them all)."""
    return f"""\
UNWIND $ids AS id
MATCH (a:{label_for(kind)} {{id: id}})-[r]-(p)
WHERE r.managed_by = $marker AND type(r) IN $types
RETURN DISTINCT p.id AS id, p.kind AS kind"""

KINDS_OF_IDS = "\nUNION ALL\n".join(
    f"UNWIND $ids AS id MATCH (n:{label_for(kind)} {{id: id}}) WHERE n.managed_by = $marker "
    "RETURN n.id AS id, n.kind AS kind" for kind in SCHEMA.neo4j_labels)
"""The kinds of the given ids that are stored entities: one index lookup per kind label."""

HOME_ENTITIES = f"MATCH (n) WHERE {_ENTITY} AND n.home = true RETURN n.id AS id, n.kind AS kind"


# --- status --------------------------------------------------------------------------------------

SERVER_COMPONENTS = "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
COUNT_LABELS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count ORDER BY label"
COUNT_TYPES = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type"
COUNT_MANAGED_NODES = f"""\
MATCH (n) WHERE n.managed_by = $marker
RETURN sum(CASE WHEN n:{quote(TAXONOMY_LABEL)} THEN 0 ELSE 1 END) AS entities,
       sum(CASE WHEN n:{quote(TAXONOMY_LABEL)} THEN 1 ELSE 0 END) AS themes"""
COUNT_MANAGED_RELATIONS = "MATCH ()-[r]->() WHERE r.managed_by = $marker RETURN count(r) AS relations"
SHOW_CONSTRAINTS = ("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                    "RETURN name, type, labelsOrTypes, properties ORDER BY name")
"""Constraints are matched by what they constrain, not by name: CREATE CONSTRAINT ... IF NOT
EXISTS does nothing, on both servers, where an equal constraint exists under another name."""
