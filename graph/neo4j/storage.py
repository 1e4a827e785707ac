"""The graph's attributes in the form Neo4j stores, and back.

Pure functions, no driver: `node_row`, `relation_row` and `theme_row` turn the model into the
rows that `cypher.merge_*` writes; `node_attrs`, `relation_attrs` and `theme_dict` turn stored
property maps back into exactly the attributes the model had (see `graph.model`).

Neo4j property values are primitives or lists of primitives, and null is never stored. So:
``None`` is left out and read back as ``None`` for every schema field; ``sources`` (a list of
``{"url", "seen"[, "published"]}``) is stored as the parallel lists ``source_urls``, ``source_seen``
and ``source_published`` ("" where a source has no published date); any
other map, or list of maps, is refused with a message naming the node or relation.
"""
from __future__ import annotations

from typing import Any

from graph.errors import BackendError
from graph.schema import SCHEMA

from .cypher import MARKER

__all__ = ["node_row", "relation_row", "theme_row", "node_attrs", "relation_attrs", "theme_dict"]

_NODE_FIELDS = [f for f in SCHEMA.entity_fields if f != "id"]
_RELATION_FIELDS = [f for f in SCHEMA.relation_fields if f not in ("source", "target")]
_THEME_FIELDS = list(SCHEMA.theme_fields)
_STORE_ONLY = {"managed_by", "source_urls", "source_seen", "source_published"}


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
        if type(value) in _PLAIN:
            props[name] = value
        elif name == "sources":
            props["source_urls"] = [s["url"] for s in value]
            props["source_seen"] = [s["seen"] for s in value]
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
    urls, seen = stored.pop("source_urls", None), stored.pop("source_seen", None)
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
