"""The graph's attributes in the form Neo4j stores, and back.

Pure functions, no driver: `node_row`, `relation_row` and `theme_row` turn the model into the
rows that `cypher.merge_*` writes; `node_attrs`, `relation_attrs` and `theme_dict` turn stored
property maps back into exactly the attributes the model had (see `graph.model`).

Neo4j property values are primitives or lists of primitives, and null is never stored. So:
``None`` is left out and read back as ``None`` for every schema field; ``sources`` (a list of
``{"url", "seen"[, "published"]}``) is stored as the parallel lists ``source_urls``, ``source_seen``
(Neo4j dates) and ``source_published`` (text: "" where a source has no published date); any
other map, or list of maps, is refused with a message naming the node or relation.

Dates (the schema's ``date`` fields: ``since``, ``until``, ``valid_until``, ``review_on``) are
stored as Neo4j ``date`` values (passed as `datetime.date`), so Cypher users compare them with
``date()``. A partial date ("2019", "2019-05") is a period: it is stored as the day that bounds
it on the side the field means (the last day for a field that ends something, `END_FIELDS`, the
first for the others) and its precision as ``<field>_precision`` ("year" or "month"; absent for
a full date), which gives the text back exactly.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from graph.errors import BackendError
from graph.schema import SCHEMA
from graph.types import date_bounds

from .cypher import MARKER

__all__ = ["node_row", "relation_row", "theme_row", "node_attrs", "relation_attrs", "theme_dict", "DATE_FIELDS",
           "END_FIELDS", "PRECISION", "store_date", "date_text"]

_NODE_FIELDS = [f for f in SCHEMA.entity_fields if f != "id"]
_RELATION_FIELDS = [f for f in SCHEMA.relation_fields if f not in ("source", "target")]
_THEME_FIELDS = list(SCHEMA.theme_fields)
DATE_FIELDS = frozenset(f.name for fields in (SCHEMA.entity_fields, SCHEMA.relation_fields, SCHEMA.theme_fields)
                        for f in fields.values() if f.type == "date")
"""Fields stored as Neo4j dates."""
END_FIELDS = frozenset({"until", "valid_until"}) & DATE_FIELDS
"""Date fields that end something: a partial one is stored as the last day it covers."""
PRECISION = "_precision"
_PRECISIONS = {4: "year", 7: "month"}
_STORE_ONLY = {"managed_by", "source_urls", "source_seen", "source_published"} | {f + PRECISION for f in DATE_FIELDS}


def store_date(name: str, text: str) -> tuple[dt.date, str | None]:
    """The stored day and precision of a date field's ISO text.

    >>> store_date("since", "2019"), store_date("until", "2019-02")
    ((datetime.date(2019, 1, 1), 'year'), (datetime.date(2019, 2, 28), 'month'))
    """
    first, last = date_bounds(text)
    return (last if name in END_FIELDS else first), _PRECISIONS.get(len(text))


def date_text(day: Any, precision: str | None) -> str:
    """The ISO text of a stored day (a `datetime.date` or the driver's Date) at its precision."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


_PLAIN = frozenset({str, int, float, bool})


def _store_value(value: Any, where: str, name: str) -> Any:
    if isinstance(value, (list, tuple)):
        if any(type(x) not in _PLAIN for x in value):
            raise BackendError(f"{where}: attribute {name!r} holds maps or nested lists, which Neo4j cannot store")
        return list(value)
    if isinstance(value, dict):
        raise BackendError(f"{where}: attribute {name!r} is a map, which Neo4j cannot store")
    return value


def _props(ident: str, attrs: dict, where: str) -> dict[str, Any]:
    """The stored property map: id, every non-None attribute, sources split, the marker.

    Runs once per row of a push (a million times for a large network), hence the fast path
    for plain values."""
    props: dict[str, Any] = {"id": ident}
    for name, value in attrs.items():
        if name in _STORE_ONLY:
            raise BackendError(f"{where}: attribute {name!r} is reserved for the Neo4j backend")
        if value is None or name == "id":
            continue
        if name in DATE_FIELDS and isinstance(value, str):
            props[name], precision = store_date(name, value)
            if precision:
                props[name + PRECISION] = precision
        elif type(value) in _PLAIN:
            props[name] = value
        elif name == "sources":
            props["source_urls"] = [s["url"] for s in value]
            props["source_seen"] = [dt.date.fromisoformat(s["seen"]) for s in value]
            props["source_published"] = [s.get("published") or "" for s in value]
        else:
            props[name] = _store_value(value, where, name)
    props["managed_by"] = MARKER
    return props


def node_row(node: str, attrs: dict) -> dict[str, Any]:
    """The write row of one entity: ``{"id", "kind", "props"}``."""
    return {"id": node, "kind": attrs.get("kind"), "props": _props(node, attrs, f"entity {node!r}")}


def relation_row(source: str, target: str, key: str, attrs: dict) -> dict[str, Any]:
    """The write row of one relation (the edge key is its id): ``{"id", "kind", "source", "target", "props"}``."""
    return {
        "id": key, "kind": attrs.get("kind"), "source": source, "target": target,
        "props": _props(key, attrs, f"relation {key!r}"),
    }


def theme_row(theme: dict) -> dict[str, Any]:
    """The write row of one theme of the taxonomy."""
    attrs = {k: v for k, v in theme.items() if k != "id"}
    return {"id": theme["id"], "props": _props(theme["id"], attrs, f"theme {theme['id']!r}")}


def _attrs(props: dict, fields: list[str], keep_id: bool) -> dict[str, Any]:
    """Stored properties back to attributes: schema fields first, in schema order, then the rest."""
    stored = dict(props)
    stored.pop("managed_by", None)
    ident = stored.pop("id", None)
    for name in DATE_FIELDS:
        precision = stored.pop(name + PRECISION, None)
        if stored.get(name) is not None and not isinstance(stored[name], str):
            stored[name] = date_text(stored[name], precision)
    urls, seen = stored.pop("source_urls", None), stored.pop("source_seen", None)
    seen = [s if isinstance(s, str) else date_text(s, None) for s in seen or []]
    published = stored.pop("source_published", None) or [""] * len(urls or [])
    if urls is not None:
        stored["sources"] = [{"url": u, "seen": s, **({"published": p} if p else {})}
                             for u, s, p in zip(urls, seen or [], published)]
    if keep_id:
        stored["id"] = ident
    out = {name: stored.pop(name, None) for name in fields}
    out.update(sorted(stored.items()))
    return out


def node_attrs(props: dict) -> dict[str, Any]:
    """The node attributes of a stored entity (its id is the node, not an attribute)."""
    return _attrs(props, _NODE_FIELDS, keep_id=False)


def relation_attrs(props: dict) -> dict[str, Any]:
    """The edge attributes of a stored relation; ``id`` stays an attribute, as in the model."""
    return _attrs(props, _RELATION_FIELDS, keep_id=True)


def theme_dict(props: dict) -> dict[str, Any]:
    """A theme of the taxonomy, as `graph.records.Theme.to_dict` gives it."""
    return _attrs(props, _THEME_FIELDS, keep_id=True)
