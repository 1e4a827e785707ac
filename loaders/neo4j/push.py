"""Push the graph to a Neo4j server: idempotent MERGEs in batches, only what changed is written."""
from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterator

import networkx as nx

from graph.errors import BackendError, EspooNetError
from graph.model import paused_gc
from graph.schema import SCHEMA

from graph.neo4j import cypher as C
from .connection import Connection, Settings, _driver_errors, connect, id_constraints
from graph.neo4j.storage import node_row, relation_row, theme_row
from .batches import (_Row, _entity_statement, _groups, _moved_deleter, _relabeller, _relation_params,
                      _relation_statement, _split_new, _split_new_entities, _tagger)

DEFAULT_BATCH_SIZE = 2000
"""Rows per transaction: ArcadeDB's cost per row grows with the transaction (5x slower at
20,000 rows than at 2,000), Neo4j's does not; 2,000 is near the best for both."""



# --- push ----------------------------------------------------------------------------------------

@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    stale: int = 0  # on the server, no longer in the data, and not pruned

    def __str__(self) -> str:
        parts = [f"{self.created:,} created", f"{self.updated:,} updated", f"{self.unchanged:,} unchanged"]
        if self.removed:
            parts.append(f"{self.removed:,} removed")
        if self.stale:
            parts.append(f"{self.stale:,} stale")
        return ", ".join(parts)


@dataclass
class PushSummary:
    """What a push did; `to_dict` for JSON."""

    target: str
    server: str
    themes: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)
    batches: int = 0
    constraints: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    pruned: bool = False
    kept: list[str] = field(default_factory=list)  # stale, not pruned: "Label id" touched by others' relationships
    version: int | None = None  # the data version recorded on the server; None: nothing changed
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def changed(self) -> bool:
        """Whether the push created, updated or removed anything."""
        return any(c.created or c.updated or c.removed for c in (self.themes, self.entities, self.relations))

    def written(self) -> str:
        """What is committed so far, in one phrase, for error messages."""
        def rows(c: Counts) -> int:
            return c.created + c.updated + c.unchanged

        removed = self.entities.removed + self.relations.removed + self.themes.removed
        return (f"{self.batches} batch{'es' if self.batches != 1 else ''} ({rows(self.themes):,} themes, "
                f"{rows(self.entities):,} entities, {rows(self.relations):,} relations"
                + (f", {removed:,} removals)" if removed else ")"))


def _graph_rows(G: nx.MultiDiGraph) -> tuple[list[_Row], list[_Row], list[_Row]]:
    """The write rows of a graph, grouped by statement (entities by kind, relations by kind)
    and checked against the whitelist before anything is written. Sorted by group, then id,
    so most batches need one statement."""
    themes = [_Row(None, theme_row(t)) for _, t in sorted(G.graph.get("themes", {}).items())]
    nodes = []
    for n, d in G.nodes(data=True):
        row = node_row(n, d)
        C.label_for(row.pop("kind"))
        nodes.append(_Row(d.get("kind"), row))
    rels = []
    for u, v, k, d in G.edges(keys=True, data=True):
        row = relation_row(u, v, k, d)
        kind = row.pop("kind")
        C.type_for(kind)
        rels.append(_Row((kind,), row))
    nodes.sort(key=lambda r: (r.group, r.wire["id"]))
    rels.sort(key=lambda r: (r.group, r.wire["id"]))
    ids = sorted(r.wire["id"] for r in rels)
    for a, b in zip(ids, ids[1:]):
        if a == b:
            raise BackendError(f"relation id {a!r} is used by two relations; ids must be unique to MERGE by id")
    return themes, nodes, rels


def _chunks(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class _Pusher:
    """One push: the batches, the running summary, and what to say if a batch fails."""

    def __init__(self, conn: Connection, summary: PushSummary, batch_size: int, progress):
        self.conn = conn
        self.summary = summary
        self.batch_size = batch_size
        self.progress = progress or (lambda stage, done, total: None)
        self.elements: dict[str, str] = {}  # entity id -> element id, as the entity batches wrote them

    def _run(self, stage: str, number: int, total: int, work: Callable) -> Any:
        try:
            result = self.conn.write(work, doing=f"writing {stage} batch {number} of {total}")
        except BackendError as e:
            raise BackendError(
                f"push to {self.conn.settings.where} failed at {stage} batch {number} of {total}, which was "
                f"rolled back; committed before it: {self.summary.written()}. Push again to finish. Cause: {e}"
            ) from None
        self.summary.batches += 1
        return result

    def upsert(self, stage: str, rows: list[_Row], counts: Counts, statement_for: Callable[[Any], str],
               before: Callable[[Any, list[_Row]], int] | None = None,
               params: Callable[[Any, list[_Row]], dict] | None = None,
               after: Callable[[Any, list[_Row], list, dict], None] | None = None) -> None:
        """MERGE `rows` in batches; each batch one transaction, one statement per group in it.

        `before(tx, batch)` runs first in the same transaction (relabels, moved relations) and
        returns how many of the batch's creations are really updates. `params(tx, batch)` gives
        the statement rows per group (default: the rows' wires). `after(tx, batch, changed,
        elements)` runs last in the same transaction, with the ids the statements created or
        changed (where they say) and the element ids they returned.
        """
        batches = list(_chunks(rows, self.batch_size))
        done = 0
        for number, batch in enumerate(batches, 1):
            def work(tx, batch=batch):
                moved = before(tx, batch) if before else 0
                got = {"rows": 0, "created": 0, "updated": 0}
                elements: list = []
                changed: list = []
                for group, wires in (params(tx, batch) if params else _groups(batch)).items():
                    record = tx.run(statement_for(group), rows=wires, marker=C.MARKER).single()
                    for key in got:
                        got[key] += record[key] or 0
                    if record["foreign"]:  # raised inside: the batch rolls back
                        raise BackendError(f"{record['foreign']} of the {stage} in this batch exist in the database "
                                           "but were not written by espoo-net; they are left as they are")
                    if "elements" in record.keys():
                        elements += record["elements"]
                    if "changed" in record.keys():
                        changed += record["changed"]
                if got["rows"] != len(batch):  # raised inside: the batch rolls back
                    raise BackendError(f"{len(batch) - got['rows']} {stage} found no entity to attach to "
                                       "(was the database changed during the push?)")
                if after:
                    after(tx, batch, changed, dict(elements))
                return got, moved, elements

            got, moved, elements = self._run(stage, number, len(batches), work)
            self.elements.update(elements)
            counts.created += got["created"] - moved
            counts.updated += got["updated"] + moved
            counts.unchanged += len(batch) - got["created"] - got["updated"]
            done += len(batch)
            self.progress(f"pushing {stage}", done, len(rows))

    def delete(self, stage: str, rows: list[_Row], counts: Counts, statement_for: Callable[[Any], str],
               param: str, label_of: Callable[[Any], str] | None = None) -> None:
        """Delete `rows` (their wire is an id or a relation key) in batches. Nodes that others'
        relationships touch are kept (see cypher._DELETE_NODES) and listed in `summary.kept`."""
        batches = list(_chunks(rows, self.batch_size))
        for number, batch in enumerate(batches, 1):
            def work(tx, batch=batch):
                removed, kept = 0, []
                for group, wires in _groups(batch).items():
                    record = tx.run(statement_for(group), {param: wires, "marker": C.MARKER}).single()
                    removed += record["removed"]
                    if label_of is not None:
                        kept += [f"{label_of(group)} {kid}" for kid in record["kept"]]
                return removed, kept

            removed, kept = self._run(f"removing {stage}", number, len(batches), work)
            self.summary.kept += kept
            counts.removed += removed
            counts.stale = max(0, counts.stale - len(batch))
            self.progress(f"removing {stage}", min(number * self.batch_size, len(rows)), len(rows))


def _ensure_schema(conn: Connection, summary: PushSummary) -> None:
    """Create the id constraints the server supports; note the ones it refuses.

    A refusal (no such feature, no privilege, existing duplicates) does not stop the push:
    MERGE by id keeps the data consistent, the constraints only guard it against other writers.
    """
    from neo4j.exceptions import Neo4jError

    present = id_constraints(conn) or set()  # one query, instead of 37 statements on every push
    for target, statement in C.schema_statements():
        if target not in present:
            with _driver_errors(conn.settings, "creating constraints"):
                try:
                    conn.driver.execute_query(statement, database_=conn.settings.database)
                except Neo4jError as e:  # lost connections are DriverErrors and stop the push
                    summary.unsupported.append(f"{target} ({e.code})")
                    continue
        summary.constraints.append(target)
    index = C.entity_index(conn.dialect)
    if index is not None:
        with _driver_errors(conn.settings, "creating the index on the common label"):
            try:
                conn.driver.execute_query(index, database_=conn.settings.database)
            except Neo4jError as e:
                summary.unsupported.append(f"{C.ENTITY_LABEL} index ({e.code})")


@dataclass
class _Existing:
    """What this tool manages on the server before the push."""

    themes: set[str]
    entities: dict[str, str]  # id -> kind
    relations: dict[str, list[dict]]  # id -> stored keys (normally one)
    unlabelled: set[str] = field(default_factory=set)  # entity ids without the common label (older pushes)


def _existing(conn: Connection) -> _Existing:
    marker = {"marker": C.MARKER}
    themes = {r["id"] for r in conn.read(C.MANAGED_THEME_KEYS, doing="reading managed themes", **marker)}
    entities, unlabelled = {}, set()
    for r in conn.read(C.MANAGED_ENTITY_KEYS, doing="reading managed entities", **marker):
        kind = C.kind_of_labels(r["labels"])
        if kind:
            entities[r["id"]] = kind
            if C.ENTITY_LABEL not in r["labels"]:
                unlabelled.add(r["id"])
    relations: dict[str, list[dict]] = {}
    for r in conn.read(C.MANAGED_RELATION_KEYS, doing="reading managed relations", **marker):
        ends = (C.kind_of_labels(r["source_labels"]), C.kind_of_labels(r["target_labels"]))
        if all(ends):
            key = {"id": r["id"], "type": r["type"], "source": r["source"], "target": r["target"]}
            relations.setdefault(r["id"], []).append({"ends": ends, "key": key})
    return _Existing(themes, entities, relations, unlabelled)


SHOWN_CONFLICTS = 10


def _refuse_foreign(conn: Connection, themes: list[_Row], nodes: list[_Row]) -> None:
    """Raise, before anything is written, if a node the push would write (same label, same id)
    is already in the database and was not written by this tool; name each by label and id."""
    ids: dict[str, list[str]] = {kind: [] for kind in SCHEMA.neo4j_labels}
    for row in nodes:
        ids[row.group[0]].append(row.wire["id"])
    found = conn.read(C.FOREIGN_NODES, doing="checking for data of others", marker=C.MARKER,
                      themes=[r.wire["id"] for r in themes], **ids)
    ours = set(SCHEMA.neo4j_labels.values()) | {C.TAXONOMY_LABEL}
    conflicts = sorted({f"{next((x for x in r['labels'] if x in ours), '?')} {r['id']!r}" for r in found})
    if conflicts:
        shown = ", ".join(conflicts[:SHOWN_CONFLICTS])
        more = f" and {len(conflicts) - SHOWN_CONFLICTS} more" if len(conflicts) > SHOWN_CONFLICTS else ""
        one = len(conflicts) == 1
        raise BackendError(
            f"push to {conn.settings.where} refused, nothing written: {len(conflicts)} node{'' if one else 's'} "
            f"with a label and id the push would write {'was' if one else 'were'} not written by espoo-net and "
            f"{'is' if one else 'are'} left as {'it is' if one else 'they are'}: {shown}{more}. "
            "Hint: push to another database (--neo4j-database), or rename or remove those nodes")


def push(G: nx.MultiDiGraph, settings: Settings | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
         prune: bool = False, progress: Callable[[str, int, int], None] | None = None) -> PushSummary:
    """Write the graph to Neo4j: entities, relations and the theme taxonomy, MERGEd by id.

    Parameters
    ----------
    G : the network (see graph.model). settings : the server (default: NEO4J_* variables).
    batch_size : rows per transaction. prune : also remove what this tool wrote earlier and the
    data no longer has (other data in the database is never touched: a node of ours that another
    writer's relationship touches is kept and listed in `kept`).
    progress : ``progress(stage, done, total)``, called after every batch.

    Returns
    -------
    PushSummary with created, updated, unchanged, removed and stale counts per themes, entities
    and relations.

    Raises
    ------
    BackendError : the server cannot be reached or refuses a batch; every batch before it is
    committed and the message says what was written. Also, before anything is written, when a
    node with a label and id the push would write exists and was not written by this tool.

    Examples
    --------
    >>> summary = push(G, Settings(password="secret"), prune=True)   # doctest: +SKIP
    >>> print(summary.entities)                                      # doctest: +SKIP
    3 created, 1 updated, 120 unchanged, 1 removed
    """
    if batch_size < 1:
        raise EspooNetError(f"batch size {batch_size} is not a positive number")
    started = time.monotonic()
    with paused_gc():  # a million small dicts: the cyclic GC would rescan the graph again and again
        themes, nodes, rels = _graph_rows(G)
    conn = connect(settings)
    summary = PushSummary(target=conn.settings.where, server=conn.agent, pruned=prune)
    _ensure_schema(conn, summary)
    old = _existing(conn)
    nodes = _split_new_entities(nodes, old.entities, summary.constraints)
    _refuse_foreign(conn, themes, nodes)
    pusher = _Pusher(conn, summary, batch_size, progress)
    # Readers that keep a copy (`espoo-net serve --backend neo4j`) see new data by its version,
    # also when a batch failed after others had changed data (if the server still answers).
    try:
        _write(G, conn, pusher, summary, old, themes, nodes, rels, prune)
    except BackendError:
        if summary.changed():
            try:
                summary.version = record_version(conn)
            except BackendError:  # the server is gone: the push that finishes the job records it
                pass
        raise
    if summary.changed():
        summary.version = record_version(conn)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def record_version(conn: Connection) -> int:
    """Record a new data version on the server (cypher.RECORD_VERSION); its number."""
    stamp = secrets.token_hex(8)
    pushed_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    record = conn.write(lambda tx: tx.run(C.RECORD_VERSION, marker=C.MARKER, stamp=stamp, pushed_at=pushed_at).single(),
                        doing="recording the data version")
    return record["version"]


def _write(G, conn: Connection, pusher: _Pusher, summary: PushSummary, old: _Existing, themes: list[_Row],
           nodes: list[_Row], rels: list[_Row], prune: bool) -> None:
    """The push's batches: themes, entities, relations, then (with prune) what is stale."""
    pusher.upsert("themes", themes, summary.themes, lambda _: C.MERGE_THEMES)
    pusher.upsert("entities", nodes, summary.entities, _entity_statement,
                  before=_relabeller(old.entities, old.unlabelled),
                  after=_tagger(dict(G.nodes(data="themes")), old.unlabelled))
    rels = _split_new(rels, old.relations, summary.constraints)
    pusher.upsert("relations", rels, summary.relations, _relation_statement, before=_moved_deleter(old.relations),
                  params=_relation_params(dict(G.nodes(data="kind")), pusher.elements))

    wanted = {r.wire["id"] for r in rels}
    stale_rels = [_Row(o["ends"], o["key"]) for rid, keys in sorted(old.relations.items()) if rid not in wanted
                  for o in keys]
    wanted = {r.wire["id"] for r in nodes}
    stale_nodes = sorted((_Row(kind, eid) for eid, kind in old.entities.items() if eid not in wanted),
                         key=lambda r: (r.group, r.wire))
    wanted = {r.wire["id"] for r in themes}
    stale_themes = [_Row(None, tid) for tid in sorted(old.themes - wanted)]
    summary.relations.stale, summary.entities.stale, summary.themes.stale = (
        len(stale_rels), len(stale_nodes), len(stale_themes))
    if prune:
        pusher.delete("relations", stale_rels, summary.relations, lambda g: C.delete_relations(*g), "rows")
        pusher.delete("entities", stale_nodes, summary.entities, C.delete_entities, "ids",
                      label_of=lambda kind: SCHEMA.neo4j_labels[kind])
        pusher.delete("themes", stale_themes, summary.themes, lambda _: C.DELETE_THEMES, "ids",
                      label_of=lambda _: C.TAXONOMY_LABEL)

