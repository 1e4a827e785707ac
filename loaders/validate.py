"""Validation: raw records in, frozen records out, or every problem at once.

One schema-driven path for every record type and kind: each field goes through the cleaner
its schema type names, then cross-record checks run over the whole dataset (duplicate ids,
references, which kinds a relation may join, themes, date order).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from graph.errors import Problem
from graph.lookup import closest, normalize, theme_keys
from graph.model import ended_without_until
from graph.records import Entity, Relation, Theme, relation_id
from graph.schema import SCHEMA
from graph.types import BadValue, clean, date_bounds

from .read import RawRecord

__all__ = ["validate_records"]

_RECORD_CLASS = {"entity": Entity, "relation": Relation, "theme": Theme}
Progress = Callable[[str, int, int], None]


def _clean_record(raw: RawRecord, problems: list[Problem]) -> tuple[dict[str, Any], bool]:
    """Clean each field of one record: the fields that cleaned, and whether all of them did."""
    fields = SCHEMA.fields_for(raw.type)
    out: dict[str, Any] = {}
    ok = True
    given: set[str] = set()
    for name, value in raw.values.items():
        spec = fields.get(str(name))
        if spec is None:
            near = closest(str(name), fields, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"{raw.type} fields are: {', '.join(fields)}"
            article = "an" if raw.type[0] in "aeiou" else "a"
            problems.append(Problem(raw.file, raw.line_of(name), str(name), f"is not {article} {raw.type} field", hint))
            ok = False
            continue
        if value is None or value == "" or value == []:
            continue  # absent; a required field is reported below
        given.add(name)
        try:
            out[name] = clean(spec.type, value)
        except BadValue as e:
            problems.append(Problem(raw.file, raw.line_of(name), name, e.message, e.hint))
            ok = False
    for name, spec in fields.items():
        if spec.required and name not in given:
            hint = "every fact needs at least one source: url and the date it was seen" if name == "sources" else spec.description
            problems.append(Problem(raw.file, raw.line, name, "is missing", hint))
            ok = False
    return out, ok


class _ThemeResolver:
    def __init__(self, themes: Iterable[Theme]):
        self.by_key = theme_keys((t.id, t.label, t.synonyms) for t in themes)
        self.cache: dict[str, str | None] = {}

    def resolve(self, words: tuple[str, ...], raw: RawRecord, field: str, problems: list[Problem]) -> tuple[str, ...]:
        out: list[str] = []
        for w in words:
            tid = self.cache.get(w)
            if tid is None:
                tid = self.cache[w] = self.by_key.get(normalize(w))
            if tid is None:
                near = closest(w, self.by_key, n=1, cutoff=0.5)
                hint = f"closest theme: {self.by_key[near[0]]!r}" if near else "add it to themes.yaml, or use a listed theme"
                problems.append(Problem(raw.file, raw.line_of(field), field, f"unknown theme {w!r}", hint))
            elif tid not in out:
                out.append(tid)
        return tuple(out)


def validate_records(raws: list[RawRecord], problems: list[Problem], progress: Progress | None = None,
                     locations: dict | None = None, warnings: list[Problem] | None = None):
    """Clean and cross-check raw records; returns (themes, entities, relations), sorted by id.

    Problems are appended to `problems`; the caller decides that any problem means no dataset.
    When `locations` is a dict, it is filled with each record's id -> (file, line).
    Warnings (records that load but do not say what they mean: an `ended` tie without `until`)
    are appended to `warnings`; they never stop a load.
    """
    warnings = [] if warnings is None else warnings
    tick = progress or (lambda stage, done, total: None)
    total = len(raws)
    cleaned: list[tuple[RawRecord, dict]] = []
    for i, raw in enumerate(raws):
        values, ok = _clean_record(raw, problems)
        cleaned.append((raw, values, ok))
        if i % 50_000 == 0:
            tick("checking fields", i, total)
    tick("checking fields", total, total)

    themes = [(raw, Theme(**v)) for raw, v, ok in cleaned if raw.type == "theme" and ok]
    _theme_clashes(themes, problems)
    resolver = _ThemeResolver(t for _, t in themes)

    # Ids: entities and themes share one namespace, since relations may point at either.
    first_seen: dict[str, RawRecord] = {}
    for raw, v, _ in cleaned:
        if raw.type == "relation" or "id" not in v:
            continue
        prev = first_seen.get(v["id"])
        if prev is not None:
            problems.append(Problem(raw.file, raw.line_of("id"), "id", f"duplicate id {v['id']!r}",
                                    f"first defined at {prev.file}:{prev.line_of('id')}"))
        else:
            first_seen[v["id"]] = raw

    kinds: dict[str, str] = {t.id: "theme" for _, t in themes}
    entities: list[Entity] = []
    for raw, v, ok in cleaned:
        if raw.type != "entity":
            continue
        if "themes" in v:
            v["themes"] = resolver.resolve(v["themes"], raw, "themes", problems)
        given = {k for k, x in raw.values.items() if x not in (None, "")}
        if ("lat" in given) != ("lon" in given):
            missing = "lon" if "lat" in given else "lat"
            problems.append(Problem(raw.file, raw.line, missing, "is missing while the other coordinate is given", "give both lat and lon, or neither"))
        if "id" in v and "kind" in v:
            kinds.setdefault(v["id"], v["kind"])
            ok = _fields_fit_kind(raw, v, problems) and ok
        if ok:
            entities.append(Entity(**v))
            if locations is not None:
                locations[v["id"]] = (raw.file, raw.line)
    tick("checking references", 0, total)

    known_ids = sorted(kinds)
    relations: list[Relation] = []
    rel_seen: dict[str, RawRecord] = {}
    undirected: dict[tuple, tuple[RawRecord, str]] = {}  # (kind, ends sorted, since) -> first record, its source
    for i, (raw, v, ok) in enumerate(cleaned):
        if raw.type != "relation":
            continue
        ends_ok = all(end in v for end in ("source", "target"))
        for end in ("source", "target"):
            if end in v and v[end] not in kinds:
                near = closest(v[end], known_ids, n=1, cutoff=0.5)
                hint = f"closest id: {near[0]!r}" if near else "define the entity first"
                problems.append(Problem(raw.file, raw.line_of(end), end, f"unknown entity {v[end]!r}", hint))
                ends_ok = False
        rk = SCHEMA.relation_kinds.get(v.get("kind", ""))
        if ends_ok and rk is not None and not rk.allows(kinds[v["source"]], kinds[v["target"]]):
            problems.append(Problem(
                raw.file, raw.line_of("kind"), "kind",
                f"{v['kind']} may not join a {kinds[v['source']]} ({v['source']}) to a {kinds[v['target']]} ({v['target']})",
                f"{v['kind']} goes from {_kinds_text(rk.from_kinds)} to {_kinds_text(rk.to_kinds)}"))
        if ends_ok and v["source"] == v["target"]:
            problems.append(Problem(raw.file, raw.line_of("target"), "target", f"{v['source']!r} is tied to itself",
                                    "a relation joins two different entities"))
            ends_ok = False
        if "since" in v and "until" in v and date_bounds(v["until"])[1] < date_bounds(v["since"])[0]:
            problems.append(Problem(raw.file, raw.line_of("until"), "until", f"{v['until']} is before since {v['since']}",
                                    "swap them, or correct the year"))
        if "themes" in v:
            v["themes"] = resolver.resolve(v["themes"], raw, "themes", problems)
        if not (ok and ends_ok and rk is not None):
            continue
        if not rk.directed:
            tie = (v["kind"], *sorted((v["source"], v["target"])), v.get("since"))
            prev = undirected.get(tie)
            if prev is not None and prev[1] != v["source"]:
                problems.append(Problem(
                    raw.file, raw.line, "source", f"the mutual {v['kind']} tie {v['source']} – {v['target']} is "
                    f"also written the other way round at {prev[0].file}:{prev[0].line}", "keep one of them"))
            undirected.setdefault(tie, (raw, v["source"]))
        v.setdefault("id", relation_id(v["source"], v["kind"], v["target"], v.get("since")))
        prev = rel_seen.get(v["id"])
        if prev is not None:
            problems.append(Problem(raw.file, raw.line, "id", f"duplicate relation {v['id']!r}",
                                    f"first at {prev.file}:{prev.line}; merge them, or give one its own id"))
        rel_seen[v["id"]] = raw
        if v["id"] in kinds:
            problems.append(Problem(raw.file, raw.line, "id", f"relation id {v['id']!r} is an entity id", "choose another id"))
        relations.append(Relation(**v))
        if locations is not None:
            locations[v["id"]] = (raw.file, raw.line)
        if ended_without_until(v):
            held = f"counted as holding only up to its since ({v['since']})" if v.get("since") else "counted as holding on no day"
            warnings.append(Problem(raw.file, raw.line_of("status"), "status", f"ended without until: {held}",
                                    "add until: the date it ended, where a source says"))
        if i % 50_000 == 0:
            tick("checking references", i, total)
    tick("checking references", total, total)

    return (
        tuple(sorted((t for _, t in themes), key=lambda t: t.id)),
        tuple(sorted(entities, key=lambda e: e.id)),
        tuple(sorted(relations, key=lambda r: r.id)),
    )


def _fields_fit_kind(raw: RawRecord, values: dict, problems: list[Problem]) -> bool:
    """Whether every field of an entity may be carried by its kind (terms only on agreements...)."""
    ok = True
    for name in values:
        spec = SCHEMA.entity_fields[name]
        if not spec.allowed_for(values["kind"]):
            problems.append(Problem(raw.file, raw.line_of(name), name, f"is not a field of a {values['kind']}",
                                    f"{name} belongs on {_kinds_text(spec.kinds)} entities"))
            ok = False
    return ok


def _theme_clashes(themes: list[tuple[RawRecord, Theme]], problems: list[Problem]) -> None:
    """A word (id, label or synonym, normalized) that two themes claim would tag data with
    whichever theme came first: report it at both places."""
    owner: dict[str, tuple[RawRecord, Theme, str]] = {}
    for raw, t in themes:
        for field, word in (("id", t.id), ("label", t.label), *(("synonyms", w) for w in t.synonyms)):
            key = normalize(word)
            prev = owner.get(key)
            if prev is None:
                owner[key] = (raw, t, field)
            elif prev[1].id != t.id:
                praw, pt, pfield = prev
                problems.append(Problem(
                    raw.file, raw.line_of(field), field, f"{word!r} of theme {t.id!r} is also the {pfield.rstrip('s')} "
                    f"of theme {pt.id!r} at {praw.file}:{praw.line_of(pfield)}",
                    "each word may name one theme only; drop it from one of them"))


def _kinds_text(kinds: frozenset[str]) -> str:
    groups = sorted(SCHEMA.groups.items(), key=lambda g: -len(g[1]))
    for name, members in groups:
        if kinds == frozenset(members):
            return f"any {name} ({', '.join(members)})" if name != "any" else "any kind"
    return "/".join(sorted(kinds))
