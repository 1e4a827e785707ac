"""Saved views: a small YAML file that `map --view FILE` draws, so a slide can be redrawn after
the data changes.

    title: Korea partners                 # optional
    filters:                              # optional; each narrows the others
      country: [KR]                       # ISO codes
      theme: quantum                      # id, label or synonym
      kind: [city, university]            # entity kinds
      as_of: 2025-01-01
      public: true
    focus: {entity: Enter Espoo, depth: 2}   # optional
    layout: geo                           # spring (default) or geo
    activities: edges                     # edges (default), nodes or hide
    highlights: [cbnu, Chungbuk]          # entities drawn emphasised and always labelled
    clusters: false

Every problem is reported at once, each with the file, line, field, what is wrong and a hint.

>>> from maps.saved import read_view
>>> read_view("data/views/korea-partners.yaml").countries      # doctest: +SKIP
('KR',)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph.errors import InvalidData, Problem
from graph.types import BadValue, clean

from .actors import ACTIVITY_MODES
from .options import MapOptions, slide_options

__all__ = ["read_view", "VIEW_KEYS"]

VIEW_KEYS = ("title", "filters", "focus", "layout", "activities", "highlights", "clusters", "isolated")
FILTER_KEYS = ("country", "theme", "kind", "as_of", "public")
LAYOUTS = ("spring", "geo")


def _plain(node: yaml.Node) -> Any:
    return yaml.safe_load(yaml.serialize(node)) if node is not None else None


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return [str(v) for v in value]
    return None


class _Checker:
    def __init__(self, shown: str):
        self.shown, self.problems = shown, []

    def bad(self, node: yaml.Node, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown, node.start_mark.line + 1, field, message, hint))

    def mapping(self, node: yaml.Node, field: str, keys: tuple[str, ...]) -> dict[str, tuple[yaml.Node, Any]]:
        if not isinstance(node, yaml.MappingNode):
            self.bad(node, field, "is not a mapping", f"write keys such as {', '.join(keys[:3])}")
            return {}
        out = {}
        for k, v in node.value:
            if k.value not in keys:
                self.bad(k, f"{field}.{k.value}" if field else k.value, "is not a known key", f"use one of: {', '.join(keys)}")
            else:
                out[k.value] = (v, _plain(v))
        return out


def read_view(path: str | Path) -> MapOptions:
    """Read and check a saved view; returns the MapOptions it asks for.

    Raises
    ------
    InvalidData listing every problem (file, line, field, message, hint); OSError when the
    file cannot be read.
    """
    path = Path(path)
    shown = str(path)
    check = _Checker(shown)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        line = e.problem_mark.line + 1 if getattr(e, "problem_mark", None) else 1
        raise InvalidData([Problem(shown, line, "", f"is not valid YAML: {getattr(e, 'problem', e)}",
                                   "check the indentation and the colons")]) from None
    if root is None:
        raise InvalidData([Problem(shown, 1, "", "is empty", "give at least a title or filters")])
    top = check.mapping(root, "", VIEW_KEYS)
    opts: dict[str, Any] = {}
    if "title" in top:
        node, value = top["title"]
        if isinstance(value, str) and value.strip():
            opts["title"] = value.strip()
        else:
            check.bad(node, "title", "is not a text", "write the slide's title")
    if "filters" in top:
        opts.update(_filters(check, top["filters"][0]))
    if "focus" in top:
        opts.update(_focus(check, *top["focus"]))
    for key, choices in (("layout", LAYOUTS), ("activities", ACTIVITY_MODES)):
        if key in top:
            node, value = top[key]
            if value in choices:
                opts[key] = value
            else:
                check.bad(node, key, f"{value!r} is not one of {', '.join(choices)}", f"write {choices[0]}")
    for key in ("clusters", "isolated"):
        if key in top:
            node, value = top[key]
            if isinstance(value, bool):
                opts[key] = value
            else:
                check.bad(node, key, f"{value!r} is not true or false", "write true or false")
    if "highlights" in top:
        node, value = top["highlights"]
        names = _strings(value)
        if names is None:
            check.bad(node, "highlights", "is not a list of entities", "write [id or name, ...]")
        else:
            opts["highlights"] = tuple(names)
    if check.problems:
        raise InvalidData(check.problems)
    return slide_options(**opts)


def _filters(check: _Checker, node: yaml.Node) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, (vnode, value) in check.mapping(node, "filters", FILTER_KEYS).items():
        field = f"filters.{key}"
        if key in ("country", "kind"):
            items = _strings(value)
            if items is None:
                check.bad(vnode, field, "is not a list", f"write [{'KR' if key == 'country' else 'city'}, ...]")
                continue
            if key == "country":
                try:
                    out["countries"] = tuple(clean("country", c) for c in items)
                except BadValue as e:
                    check.bad(vnode, field, e.message, e.hint)
            else:
                out["kinds"] = tuple(items)
        elif key == "theme":
            if isinstance(value, str):
                out["theme"] = value
            else:
                check.bad(vnode, field, "is not a theme", "write a theme id, label or synonym")
        elif key == "as_of":
            try:
                out["as_of"] = clean("date", value)
            except BadValue as e:
                check.bad(vnode, field, e.message, e.hint)
        elif key == "public":
            if isinstance(value, bool):
                out["public"] = value
            else:
                check.bad(vnode, field, f"{value!r} is not true or false", "write true or false")
    return out


def _focus(check: _Checker, node: yaml.Node, value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {"focus": value}
    out: dict[str, Any] = {}
    fields = check.mapping(node, "focus", ("entity", "depth"))
    if "entity" not in fields:
        if isinstance(node, yaml.MappingNode):
            check.bad(node, "focus.entity", "is missing", "write the entity's id, name or alias")
        return out
    enode, entity = fields["entity"]
    if isinstance(entity, str):
        out["focus"] = entity
    else:
        check.bad(enode, "focus.entity", "is not a name", "write the entity's id, name or alias")
    if "depth" in fields:
        dnode, depth = fields["depth"]
        if isinstance(depth, int) and not isinstance(depth, bool) and 0 <= depth <= 10:
            out["depth"] = depth
        else:
            check.bad(dnode, "focus.depth", f"{depth!r} is not a number of steps from 0 to 10", "write 1 or 2")
    return out
