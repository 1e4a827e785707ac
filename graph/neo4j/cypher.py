"""Every Cypher statement of the Neo4j backend, and the one helper that may put a name in one.

Values always travel as ``$parameters``. Labels and relationship types cannot be parameters, so
they come only from `quote`, which backtick-quotes a name from the schema's whitelist
(`SCHEMA.neo4j_labels`, `SCHEMA.neo4j_types`) or this tool's own names (the taxonomy label
``EspooNetTheme``, the common label ``Entity``, the tag type ``HAS_THEME``), and refuses
anything else. Variable-length bounds cannot be parameters either; `hops` admits only a small
integer. The templates below hold ``{placeholders}`` that only these helpers fill.

The stored form (each entity under its kind's label and ``:Entity``, a relationship type per
relation kind, the ``managed_by`` marker, the taxonomy as ``:EspooNetTheme`` nodes tied to the
entities they tag by ``:HAS_THEME``, dates as Neo4j dates, sources as parallel lists) and the
table of where Neo4j 5 and ArcadeDB differ are in docs/neo4j.md; every difference is handled
here, in the statements and in `NEO4J`/`ARCADEDB` (`entity_index`), and nowhere else. The
reading and status statements are in `graph.neo4j.reading`, re-exported here.
"""
from __future__ import annotations

from functools import lru_cache

from graph.errors import BackendError
from graph.schema import SCHEMA

__all__ = [
    "MARKER",
    "TAXONOMY_LABEL",
    "ENTITY_LABEL",
    "TAG_TYPE",
    "TAG_ENTITIES",
    "entity_index",
    "create_entities",
    "add_entity_label",
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
    "MERGE_THEMES",
    "DELETE_THEMES",
    "DATA_LABEL",
    "RECORD_VERSION",
]

MARKER = "espoo-net"
"""Value of the ``managed_by`` property on everything this tool writes."""
TAXONOMY_LABEL = "EspooNetTheme"
ENTITY_LABEL = "Entity"
"""The label every entity node has besides its kind's: ``MATCH (n:Entity {id: $id})`` finds any."""
TAG_TYPE = "HAS_THEME"
"""Ties an entity to each theme of the taxonomy it is tagged with (its ``themes``): derived from
the entity's attribute, written with it, never read back as a relation of the network."""

DATA_LABEL = "EspooNetData"
"""The label of the one node, ``{id: 'version'}``, on which a push that changed anything records the
data version (`RECORD_VERSION`): what `espoo-net serve --backend neo4j` checks to see a new push
without reading the network again (`READ_VERSION`). Not an entity: reads of entities leave it out."""

NEO4J = "neo4j"
ARCADEDB = "arcadedb"

_ALLOWED = (frozenset(SCHEMA.neo4j_labels.values()) | frozenset(SCHEMA.neo4j_types.values())
            | {TAXONOMY_LABEL, ENTITY_LABEL, TAG_TYPE, DATA_LABEL})
assert ENTITY_LABEL not in SCHEMA.neo4j_labels.values() and TAG_TYPE not in SCHEMA.neo4j_types.values()
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


def entity_index(dialect: str) -> str | None:
    """The index on ``:Entity(id)``, where it is wanted (see the dialect table in docs/neo4j.md).

    Neo4j 5: a plain (not unique) range index, so a user's ``MATCH (n:Entity {id: ...})`` is a
    lookup; not unique, so it constrains no other writer's ``:Entity`` nodes. ArcadeDB: none. It
    stores each label set as a type under its labels' types, and a lookup on ``:Entity`` already
    uses the kinds' unique indexes; another index there only slows every create."""
    if dialect == ARCADEDB:
        return None
    return f"CREATE INDEX espoo_net_entity_id IF NOT EXISTS FOR (n:{quote(ENTITY_LABEL)}) ON (n.id)"


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
# MERGE looks the node up by its kind label only (a MERGE on two labels scans on ArcadeDB), and
# gives a node it creates the common label apart (ON CREATE). Push MERGEs only entities the
# database holds already, or all when the kind has no uniqueness constraint; the new ones are
# CREATEd with both labels (_CREATE_ENTITIES): on ArcadeDB, adding a label to a node in the
# statement that created it under a unique index fails.
_MERGE_ENTITIES = """\
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
ON CREATE SET n:""" + quote(ENTITY_LABEL) + """
WITH n, row, properties(n) AS before
""" + _SET_UNLESS.format(ours=_OURS, x="n") + "\n" + _COUNTS + """,
       collect([row.id, elementId(n)]) AS elements,
       collect(CASE WHEN before <> row.props AND NOT (""" + _FOREIGN + """) THEN row.id END) AS changed"""

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

_CREATE_ENTITIES = """\
UNWIND $rows AS row
CREATE (n:{label}:""" + quote(ENTITY_LABEL) + """)
SET n = row.props
RETURN count(*) AS rows, count(*) AS created, 0 AS updated, 0 AS foreign,
       collect([row.id, elementId(n)]) AS elements, collect(row.id) AS changed"""

# The theme tags of entities just created or changed (rows {id, e, themes}, e the element id):
# the old tags go, one per theme the entity has now is created. Unchanged entities keep theirs.
TAG_ENTITIES = f"""\
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.e AND n.id = row.id
OPTIONAL MATCH (n)-[h:{quote(TAG_TYPE)}]->(:{quote(TAXONOMY_LABEL)})
DELETE h
WITH DISTINCT n, row
UNWIND row.themes AS tid
MATCH (t:{quote(TAXONOMY_LABEL)} {{id: tid}})
CREATE (n)-[:{quote(TAG_TYPE)} {{managed_by: $marker}}]->(t)
RETURN count(*) AS tagged"""

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
def create_entities(kind: str) -> str:
    """The batch insert of entities known to be new, under their kind's label and ``:Entity``."""
    return _CREATE_ENTITIES.format(label=label_for(kind))


@lru_cache(maxsize=None)
def add_entity_label(kind: str) -> str:
    """Give ``:Entity`` to our entities of one kind written before it existed (before the MERGE)."""
    return f"""\
UNWIND $ids AS id
MATCH (n:{label_for(kind)} {{id: id}})
WHERE n.managed_by = $marker
SET n:{quote(ENTITY_LABEL)}
RETURN count(*) AS labelled"""


@lru_cache(maxsize=None)
def relabel_entities(old_kind: str, new_kind: str) -> str:
    """Move entities whose kind changed to their new label (before they are MERGEd)."""
    return f"""\
UNWIND $ids AS id
MATCH (n:{label_for(old_kind)} {{id: id}})
WHERE n.managed_by = $marker
REMOVE n:{label_for(old_kind)}
SET n:{label_for(new_kind)}:{quote(ENTITY_LABEL)}
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

# The data version: a counter, one more per push that changed anything, with a stamp new to that
# push (a database emptied and pushed again starts its counter over; the stamp still differs)
# and the time it finished. One statement, the same on Neo4j 5 and ArcadeDB (no constraint: the
# node is MERGEd by its constant id, and READ_VERSION takes the highest version if two writers
# ever made two).
RECORD_VERSION = f"""\
MERGE (v:{quote(DATA_LABEL)} {{id: 'version'}})
SET v.managed_by = $marker, v.version = coalesce(v.version, 0) + 1, v.stamp = $stamp, v.pushed_at = $pushed_at
RETURN v.version AS version"""


# The reading and status statements live in graph/neo4j/reading.py; they are part of this
# module's interface (cypher.READ_ENTITIES ...).
from .reading import *  # noqa: E402,F401,F403
from .reading import __all__ as _reading  # noqa: E402

__all__ += _reading
