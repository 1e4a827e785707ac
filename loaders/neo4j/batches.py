"""The steps inside a push's batches: relabels, theme tags, which rows are new, relation ends.

Each helper gives `push._Pusher.upsert` a callable that runs inside a batch's transaction, or
sorts the rows of a stage into statement groups (see loaders/neo4j/push.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from graph.neo4j import cypher as C
from graph.schema import SCHEMA


@dataclass(frozen=True)
class _Row:
    """One write: the statement group it belongs to (a kind, or kinds) and what is sent."""

    group: Any
    wire: dict


def _groups(rows: Iterable[_Row]) -> dict[Any, list[dict]]:
    out: dict[Any, list[dict]] = {}
    for r in rows:
        out.setdefault(r.group, []).append(r.wire)
    return out


def _relabeller(old: dict[str, str], unlabelled: set[str]) -> Callable:
    """Inside an entity batch's transaction: move entities whose kind changed to the new label,
    and give the common label to those an older push wrote without it."""
    def relabel(tx, batch: list[_Row]) -> int:
        moves: dict[tuple[str, str], list[str]] = {}
        label: dict[str, list[str]] = {}
        for row in batch:
            was, now = old.get(row.wire["id"]), row.group[0]
            if was is not None and was != now:
                moves.setdefault((was, now), []).append(row.wire["id"])
            elif row.wire["id"] in unlabelled:
                label.setdefault(now, []).append(row.wire["id"])
        for (was, now), ids in moves.items():
            tx.run(C.relabel_entities(was, now), ids=ids, marker=C.MARKER).consume()
        for kind, ids in label.items():
            tx.run(C.add_entity_label(kind), ids=ids, marker=C.MARKER).consume()
        return 0  # the MERGE that follows finds them, and counts them as updated

    return relabel


def _relation_key(row: _Row) -> dict:
    """How a relation row is stored: id, relationship type and ends (as `_existing` reads them)."""
    w = row.wire
    return {"id": w["id"], "type": SCHEMA.neo4j_types[row.group[0]], "source": w["source"], "target": w["target"]}


def _split_new(rels: list[_Row], old: dict[str, list[dict]], constraints: list[str]) -> list[_Row]:
    """Mark the relations the database does not hold (as they are) and whose type has its
    uniqueness constraint: those are CREATEd, the rest MERGEd (see cypher._CREATE_RELATIONS)."""
    out = []
    for row in rels:
        want = _relation_key(row)
        new = (SCHEMA.neo4j_types[row.group[0]] in constraints
               and all(o["key"] != want for o in old.get(row.wire["id"], ())))
        out.append(_Row((*row.group, new), row.wire))
    out.sort(key=lambda r: (r.group, r.wire["id"]))
    return out


def _tagger(themes_of: dict[str, Any], unlabelled: set[str]) -> Callable:
    """Inside an entity batch's transaction: tie the entities it created or changed (and those an
    older push wrote without tags) to their themes' taxonomy nodes (cypher.TAG_ENTITIES)."""
    def tag(tx, batch: list[_Row], changed: list, elements: dict) -> None:
        ids = set(changed) | {r.wire["id"] for r in batch if r.wire["id"] in unlabelled}
        rows = [{"id": i, "e": elements[i], "themes": list(themes_of.get(i) or ())} for i in sorted(ids)]
        if rows:
            tx.run(C.TAG_ENTITIES, rows=rows, marker=C.MARKER).consume()

    return tag


def _split_new_entities(nodes: list[_Row], old: dict[str, str], constraints: list[str]) -> list[_Row]:
    """Mark the entities the database does not hold and whose kind has its uniqueness constraint:
    those are CREATEd with both labels, the rest MERGEd (see cypher._MERGE_ENTITIES for why)."""
    out = [_Row((row.group, row.wire["id"] not in old and SCHEMA.neo4j_labels[row.group] in constraints), row.wire)
           for row in nodes]
    out.sort(key=lambda r: (r.group, r.wire["id"]))
    return out


def _entity_statement(group: tuple) -> str:
    kind, new = group
    return (C.create_entities if new else C.merge_entities)(kind)


def _relation_statement(group: tuple) -> str:
    kind, new = group
    return (C.create_relations if new else C.merge_relations)(kind)


def _relation_params(kinds: dict[str, str], elements: dict[str, str]) -> Callable:
    """Inside a relation batch's transaction: give each statement its rows {a, b, source, target,
    id, props}, a and b the element ids of the ends (as the entity batches returned them, else
    looked up now). A row whose end is missing is left out, and the batch then fails."""
    def params(tx, batch: list[_Row]) -> dict:
        unknown: dict[str, set] = {kind: set() for kind in SCHEMA.neo4j_labels}
        for row in batch:
            for end in (row.wire["source"], row.wire["target"]):
                if end not in elements:
                    unknown[kinds[end]].add(end)
        if any(unknown.values()):
            found = tx.run(C.ELEMENT_IDS, {k: sorted(v) for k, v in unknown.items()})
            elements.update((r["id"], r["element"]) for r in found)
        out: dict[Any, list[dict]] = {}
        for row in batch:
            w = row.wire
            a, b = elements.get(w["source"]), elements.get(w["target"])
            if a is not None and b is not None:
                out.setdefault(row.group, []).append({"a": a, "b": b, **w})
        return out

    return params


def _moved_deleter(old: dict[str, list[dict]]) -> Callable:
    """Inside a relation batch's transaction: delete stored relations whose id is in the batch
    but whose kind or ends changed, so the MERGE that follows writes the one true relation."""
    def delete_moved(tx, batch: list[_Row]) -> int:
        moved: list[_Row] = []
        for row in batch:
            want = _relation_key(row)
            moved += [_Row(o["ends"], o["key"]) for o in old.get(row.wire["id"], ()) if o["key"] != want]
        for ends, keys in _groups(moved).items():
            tx.run(C.delete_relations(*ends), rows=keys, marker=C.MARKER).consume()
        return len({m.wire["id"] for m in moved})

    return delete_moved
