"""Validation: raw records in, frozen records out, or every problem at once.

One schema-driven path for every record type and kind: each field goes through the cleaner
its schema type names, then cross-record checks run over the whole dataset (duplicate ids,
references, which kinds a relation may join, themes, date order).
"""
from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, Iterable, Sized

from graph.errors import Problem
from graph.lookup import closest, normalize, theme_keys, unknown_theme_hint
from graph.model import ended_without_until
from graph.records import Entity, Relation, Theme, maker, relation_id
from graph.schema import SCHEMA, Field
from graph.types import CLEANERS, BadValue, first_day, last_day

from .read import RawRecord

__all__ = ["validate_records"]

_RECORD_CLASS = {"entity": Entity, "relation": Relation, "theme": Theme}
Progress = Callable[[str, int, int], None]


# Field types whose values repeat across records (a kind, a status, a date, an entity named by
# thousands of relations, the same source page): each distinct text value is cleaned once per load.
_MEMO_TYPES = frozenset({"sources", "date", "country", "themes", "entity_kind", "relation_kind", "status",
                         "confidence", "renewal", "bool", "url", "text_list", "ref"})
_MISSING = object()
_BY_ID = attrgetter("id")
make_entity, make_relation = maker(Entity), maker(Relation)
_CHECKED: dict = {}  # a relation's raw values once cleaned (never written to)


class _Cleaners:
    """The cleaner of every field of each record type, with one memo per repeating type, for one
    load (the memos go with it: nothing is kept between loads)."""

    def __init__(self):
        memos = {t: {} for t in _MEMO_TYPES}
        self.fields: dict[str, dict[str, Field]] = {}
        self.plan: dict[str, dict[str, tuple]] = {}
        self.required: dict[str, tuple[str, ...]] = {}
        for rtype in ("entity", "relation", "theme"):
            fields = self.fields[rtype] = SCHEMA.fields_for(rtype)
            self.plan[rtype] = {name: (CLEANERS[spec.type], memos.get(spec.type)) for name, spec in fields.items()}
            self.required[rtype] = tuple(name for name, spec in fields.items() if spec.required)


def _clean_record(raw: RawRecord, problems: list[Problem], cleaners: _Cleaners) -> tuple[dict[str, Any], bool]:
    """Clean each field of one record: the fields that cleaned, and whether all of them did."""
    plan = cleaners.plan[raw.type]
    out: dict[str, Any] = {}
    ok = True
    values = raw.values
    for name, value in values.items():
        step = plan.get(name) if name.__class__ is str else None
        if step is None:
            fields = cleaners.fields[raw.type]
            near = closest(str(name), fields, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"{raw.type} fields are: {', '.join(fields)}"
            article = "an" if raw.type[0] in "aeiou" else "a"
            problems.append(Problem(raw.file, raw.line_of(name), str(name), f"is not {article} {raw.type} field", hint))
            ok = False
            continue
        if value is None or value == "" or value == []:
            continue  # absent; a required field is reported below
        cleaner, memo = step
        try:
            if memo is not None and value.__class__ is str:
                got = memo.get(value, _MISSING)
                if got is _MISSING:
                    got = memo[value] = cleaner(value)
                out[name] = got
            else:
                out[name] = cleaner(value)
        except BadValue as e:
            problems.append(Problem(raw.file, raw.line_of(name), name, e.message, e.hint))
            ok = False
    for name in cleaners.required[raw.type]:
        if name not in out and _absent(values.get(name)):
            spec = cleaners.fields[raw.type][name]
            problems.append(Problem(raw.file, raw.line, name, "is missing", spec.missing_hint))
            ok = False
    return out, ok


def _absent(value: Any) -> bool:
    return value is None or value == "" or value == []


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
                hint = unknown_theme_hint(w, self.by_key, near)
                problems.append(Problem(raw.file, raw.line_of(field), field, f"unknown theme {w!r}", hint))
            elif tid not in out:
                out.append(tid)
        return tuple(out)


def validate_records(raws: Iterable[RawRecord], problems: list[Problem], progress: Progress | None = None,
                     locations: dict | None = None, warnings: list[Problem] | None = None):
    """Clean and cross-check raw records; returns (themes, entities, relations), sorted by id.

    `raws` may be a list or a stream (a generator reading the files): each record's values are
    cleaned as it arrives, and a relation's raw values are dropped once cleaned (the checks across
    records need only where it is written), so a million relations are never all held twice.
    Problems are appended to `problems`; the caller decides that any problem means no dataset.
    When `locations` is a dict, it is filled with each record's id -> (file, line).
    Warnings (records that load but do not say what they mean: an `ended` tie without `until`)
    are appended to `warnings`; they never stop a load.
    """
    warnings = [] if warnings is None else warnings
    tick = progress or (lambda stage, done, total: None)
    sized = isinstance(raws, Sized)  # a stream reports its own progress as it is read
    total = len(raws) if sized else 0
    cleaned: list[tuple[RawRecord, dict, bool]] = []
    cleaners = _Cleaners()
    for i, raw in enumerate(raws):
        values, ok = _clean_record(raw, problems, cleaners)
        if raw.type == "relation":
            raw.values = _CHECKED  # what is left to check needs only where it is written
        cleaned.append((raw, values, ok))
        if sized and i % 50_000 == 0:
            tick("checking fields", i, total)
    del cleaners  # the memos: a million distinct source texts, not needed any more
    total = len(cleaned)
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
    named: list[tuple[RawRecord, dict]] = []
    for raw, v, ok in cleaned:
        if raw.type != "entity":
            continue
        if "themes" in v:
            v["themes"] = resolver.resolve(v["themes"], raw, "themes", problems)
        has_lat, has_lon = raw.values.get("lat") not in (None, ""), raw.values.get("lon") not in (None, "")
        if has_lat != has_lon:
            missing = "lon" if has_lat else "lat"
            problems.append(Problem(raw.file, raw.line, missing, "is missing while the other coordinate is given", "give both lat and lon, or neither"))
        if "id" in v and "kind" in v:
            kinds.setdefault(v["id"], v["kind"])
            ok = _fields_fit_kind(raw, v, problems) and ok
        if ok:
            entities.append(make_entity(v))
            named.append((raw, v))
            if locations is not None:
                locations[v["id"]] = (raw.file, raw.line)
    _look_alikes(named, warnings)
    _without_country(named, warnings)
    tick("checking references", 0, total)

    known_ids: list[str] | None = None  # sorted on the first unknown id (for its hint)
    relations: list[Relation] = []
    rel_seen: dict[str, RawRecord] = {}
    undirected: dict[tuple, tuple[RawRecord, str]] = {}  # (kind, ends sorted, since) -> first record, its source
    relation_kinds = SCHEMA.relation_kinds
    allowed: dict[tuple[str, str, str], bool] = {}  # (kind, source's kind, target's kind) -> may it join them
    for i, (raw, v, ok) in enumerate(cleaned):
        if raw.type != "relation":
            continue
        cleaned[i] = None  # the last pass: each relation's values go as its record is made
        if i % 50_000 == 0:
            tick("checking references", i, total)
        source, target = v.get("source"), v.get("target")
        ends_ok = source is not None and target is not None
        for end, eid in (("source", source), ("target", target)):
            if eid is not None and eid not in kinds:
                known_ids = known_ids or sorted(kinds)
                near = closest(eid, known_ids, n=1, cutoff=0.5)
                hint = f"closest id: {near[0]!r}" if near else "define the entity first"
                problems.append(Problem(raw.file, raw.line_of(end), end, f"unknown entity {eid!r}", hint))
                ends_ok = False
        kind = v.get("kind", "")
        rk = relation_kinds.get(kind)
        if ends_ok and rk is not None:
            joined = (kind, kinds[source], kinds[target])
            may = allowed.get(joined)
            if may is None:
                may = allowed[joined] = rk.allows(joined[1], joined[2])
            if not may:
                problems.append(Problem(
                    raw.file, raw.line_of("kind"), "kind",
                    f"{kind} may not join a {kinds[source]} ({source}) to a {kinds[target]} ({target})",
                    f"{kind} goes from {_kinds_text(rk.from_kinds)} to {_kinds_text(rk.to_kinds)}"))
        if ends_ok and source == target:
            problems.append(Problem(raw.file, raw.line_of("target"), "target", f"{source!r} is tied to itself",
                                    "a relation joins two different entities"))
            ends_ok = False
        since = v.get("since")
        if since is not None and "until" in v and last_day(v["until"]) < first_day(since):
            problems.append(Problem(raw.file, raw.line_of("until"), "until", f"{v['until']} is before since {since}",
                                    "swap them, or correct the year"))
        if "themes" in v:
            v["themes"] = resolver.resolve(v["themes"], raw, "themes", problems)
        if not (ok and ends_ok and rk is not None):
            continue
        if not rk.directed:
            tie = (kind, source, target, since) if source < target else (kind, target, source, since)
            prev = undirected.get(tie)
            if prev is not None and prev[1] != source:
                problems.append(Problem(
                    raw.file, raw.line, "source", f"the mutual {kind} tie {source} – {target} is "
                    f"also written the other way round at {prev[0].file}:{prev[0].line}", "keep one of them"))
            if prev is None:
                undirected[tie] = (raw, source)
        rid = v.get("id")
        if rid is None:
            rid = v["id"] = relation_id(source, kind, target, since)
        prev = rel_seen.get(rid)
        if prev is not None:
            problems.append(Problem(raw.file, raw.line, "id", f"duplicate relation {rid!r}",
                                    f"first at {prev.file}:{prev.line}; merge them, or give one its own id"))
        rel_seen[rid] = raw
        if rid in kinds:
            problems.append(Problem(raw.file, raw.line, "id", f"relation id {rid!r} is an entity id", "choose another id"))
        relations.append(make_relation(v))
        if locations is not None:
            locations[rid] = (raw.file, raw.line)
        if ended_without_until(v):
            held = f"counted as holding only up to its since ({since})" if since else "counted as holding on no day"
            warnings.append(Problem(raw.file, raw.line_of("status"), "status", f"ended without until: {held}",
                                    "add until: the date it ended, where a source says"))
    tick("checking references", total, total)

    return (
        tuple(sorted((t for _, t in themes), key=_BY_ID)),
        tuple(sorted(entities, key=_BY_ID)),
        tuple(sorted(relations, key=_BY_ID)),
    )


def _without_country(named: list[tuple[RawRecord, dict]], warnings: list[Problem]) -> None:
    """Warn where an organisation seated in one country (the schema's `seated` kinds) has no
    country: `find --country` and the country views miss it."""
    seated = SCHEMA.groups["seated"]
    for raw, v in named:
        if v.get("kind") in seated and not v.get("country"):
            warnings.append(Problem(raw.file, raw.line, "country", f"a {v['kind']} with no country",
                                    "add country: the two-letter code of where it is seated, such as DE, "
                                    "so that find --country and the country views include it"))


def _look_alikes(named: list[tuple[RawRecord, dict]], warnings: list[Problem]) -> None:
    """Warn where an entity's name or alias is already another entity's name or alias, of the
    same kind and country: most likely the same partner added twice under a new id (a row pasted
    from a spreadsheet), which would also make the name ambiguous in every question. Same-named
    entities of another kind or country (Cambridge, GB and US) are left alone."""
    first: dict[tuple, tuple[RawRecord, dict]] = {}
    for raw, v in named:
        for field, word in (("name", v.get("name")), *(("aliases", a) for a in v.get("aliases") or ())):
            if not word:
                continue
            key = (normalize(word), v.get("kind"), v.get("country"))
            prev = first.setdefault(key, (raw, v))
            if prev[1]["id"] != v["id"]:
                warnings.append(Problem(raw.file, raw.line_of(field), field,
                                        f"{word!r} is also the name of {prev[1]['id']!r} ({prev[0].file}:{prev[0].line})",
                                        f"the same partner? use the id {prev[1]['id']!r}; else tell the names apart"))
                break


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
