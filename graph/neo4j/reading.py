"""The reading and status statements of the Neo4j backend (see `graph.neo4j.cypher` for the
rules: names only through `quote`, values only as parameters)."""
from __future__ import annotations

from functools import lru_cache

from graph.schema import SCHEMA

from .cypher import DATA_LABEL, TAG_TYPE, TAXONOMY_LABEL, label_for, quote

__all__ = ['MANAGED_THEME_KEYS', 'MANAGED_ENTITY_KEYS', 'MANAGED_RELATION_KEYS', 'READ_THEMES', 'READ_ENTITIES', 'READ_RELATIONS', 'READ_NAMES', 'ENTITIES_WITH_THEME', 'read_entities_by_id', 'read_relations_from', 'expand', 'RELATIONS_ON_THEME', 'participants_of', 'KINDS_OF_IDS', 'HOME_ENTITIES', 'SERVER_COMPONENTS', 'COUNT_LABELS', 'COUNT_TYPES', 'COUNT_MANAGED_NODES', 'COUNT_MANAGED_RELATIONS', 'SHOW_CONSTRAINTS', 'READ_VERSION']

# --- reading -------------------------------------------------------------------------------------

_ENTITY = f"n.managed_by = $marker AND NOT n:{quote(TAXONOMY_LABEL)} AND NOT n:{quote(DATA_LABEL)}"
_RELATION = f"r.managed_by = $marker AND type(r) <> '{TAG_TYPE}'"
"""A relation of the network: ours, and not a theme tag."""

MANAGED_THEME_KEYS = f"MATCH (t:{quote(TAXONOMY_LABEL)}) WHERE t.managed_by = $marker RETURN t.id AS id"
MANAGED_ENTITY_KEYS = f"MATCH (n) WHERE {_ENTITY} RETURN n.id AS id, labels(n) AS labels"
MANAGED_RELATION_KEYS = f"""\
MATCH (a)-[r]->(b)
WHERE {_RELATION}
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target,
       labels(a) AS source_labels, labels(b) AS target_labels"""

READ_THEMES = f"MATCH (t:{quote(TAXONOMY_LABEL)}) WHERE t.managed_by = $marker RETURN properties(t) AS props"
READ_ENTITIES = f"MATCH (n) WHERE {_ENTITY} RETURN properties(n) AS props"
READ_RELATIONS = f"""\
MATCH (a)-[r]->(b)
WHERE {_RELATION}
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
WHERE {_RELATION}
RETURN a.id AS source, b.id AS target, properties(r) AS props"""


# Which relations a search may follow, all as parameters (null switches a test off):
# $types: only these relationship types, and no explicit strength of 0 (routes);
# $day, $present: only ties that held on $day (a date; graph.model.is_active on the stored
#   dates: `since` is the first day it covers, `until` the last, see graph.neo4j.storage; a tie
#   ended without an `until` ends on the last day of its `since`, _SINCE_END); $present: the
#   day is today or later, when the status decides too. With neither date an ended tie held on
#   no day;
# $one_off, $glow_day: ties with an end of these kinds (events) hold, ended or not, while their
#   end is on or after $glow_day ($day less the schema's one_off_years);
# $theme: only ties on the theme (graph.model.on_theme: a tie of a $structural type with our
#   side at either end always; else its own themes, else both ends', an end without themes
#   taking the other's).
_SINCE_END = ("CASE r.since_precision WHEN 'year' THEN r.since + duration('P1Y') - duration('P1D') "
              "WHEN 'month' THEN r.since + duration('P1M') - duration('P1D') ELSE r.since END")
_FOLLOW = """\
r.managed_by = $marker AND type(r) <> '""" + TAG_TYPE + """' AND {a}.id <> {b}.id
  AND ($types IS NULL OR (type(r) IN $types AND coalesce(r.strength, 1.0) > 0))
  AND ($day IS NULL OR (coalesce(r.status, 'active') <> 'planned'
       AND (r.since IS NULL OR r.since <= $day)
       AND CASE WHEN {a}.kind IN $one_off OR {b}.kind IN $one_off THEN
              coalesce(r.status, 'active') <> 'suspended' AND CASE
                WHEN coalesce(r.until, CASE WHEN r.status = 'ended' THEN r.since END) IS NULL
                  THEN coalesce(r.status, 'active') <> 'ended'
                ELSE coalesce(r.until, """ + _SINCE_END + """) >= $glow_day END
            ELSE (NOT $present OR coalesce(r.status, 'active') IN ['active', 'unknown']) AND CASE
                WHEN r.until IS NOT NULL THEN r.until >= $day
                WHEN coalesce(r.status, 'active') = 'ended' THEN r.since IS NOT NULL AND """ + _SINCE_END + """ >= $day
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
MATCH (n) WHERE n.managed_by = $marker AND NOT n:{quote(DATA_LABEL)}
RETURN sum(CASE WHEN n:{quote(TAXONOMY_LABEL)} THEN 0 ELSE 1 END) AS entities,
       sum(CASE WHEN n:{quote(TAXONOMY_LABEL)} THEN 1 ELSE 0 END) AS themes"""
COUNT_MANAGED_RELATIONS = f"MATCH ()-[r]->() WHERE {_RELATION} RETURN count(r) AS relations"
SHOW_CONSTRAINTS = ("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                    "RETURN name, type, labelsOrTypes, properties ORDER BY name")
"""Constraints are matched by what they constrain, not by name: CREATE CONSTRAINT ... IF NOT
EXISTS does nothing, on both servers, where an equal constraint exists under another name."""

READ_VERSION = f"""\
MATCH (v:{quote(DATA_LABEL)}) WHERE v.managed_by = $marker
RETURN v.version AS version, v.stamp AS stamp, v.pushed_at AS pushed_at
ORDER BY v.version DESC LIMIT 1"""
"""The data version the last push that changed anything recorded (cypher.RECORD_VERSION); no row
before the first such push. One node: cheap enough to ask every few seconds."""
