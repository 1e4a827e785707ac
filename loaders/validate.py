"""Validation: raw records in, frozen records out, or every problem at once.

One schema-driven path for every record type and kind: each field goes through the cleaner
its schema type names, then cross-record checks run over the whole dataset (duplicate ids,
references, which kinds a relation may join, themes, date order).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from operator import attrgetter
from typing import Callable, Iterable, Sized

from graph.errors import Problem
from graph.lookup import closest, closest_id, normalize, theme_keys, unknown_theme_hint
from graph.model import ended_without_until
from graph.records import Entity, Relation, Theme, maker, relation_id
from graph.schema import SCHEMA
from graph.types import first_day, last_day

from .clean import CHECKED, Cleaners, clean_record, clean_table
from .read import RawRecord, RawTable

__all__ = ["validate_records"]

_RECORD_CLASS = {"entity": Entity, "relation": Relation, "theme": Theme}
Progress = Callable[[str, int, int], None]


_BY_ID = attrgetter("id")
make_entity, make_relation = maker(Entity), maker(Relation)


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
    cleaners = Cleaners()
    for i, raw in enumerate(raws):
        if raw.__class__ is RawTable:  # a slice of CSV rows: cleaned a column at a time
            cleaned += clean_table(raw, problems, cleaners)
            continue
        values, ok = clean_record(raw, problems, cleaners)
        if raw.type == "relation":
            raw.values = CHECKED  # what is left to check needs only where it is written
        cleaned.append((raw, values, ok))
        if sized and i % 50_000 == 0:
            tick("checking fields", i, total)
    del cleaners  # the memos: a million distinct source texts, not needed any more
    total = len(cleaned)
    tick("checking fields", total, total)

    themes = [(raw, Theme(**v)) for raw, v, ok in cleaned if raw.type == "theme" and ok]
    _theme_clashes(themes, problems)
    resolver = _ThemeResolver(t for _, t in themes)

    # Ids: entities and themes share one namespace, since relations may point at either. Of two
    # records with one id, the duplicate reported is the later one, and a spreadsheet row is later
    # than a YAML record (new rows come from a spreadsheet): the keeper is sent to the row added.
    first_seen: dict[str, RawRecord] = {}
    named_records = [(raw, v) for raw, v, _ in cleaned if raw.type != "relation" and "id" in v]
    named_records.sort(key=lambda rv: rv[0].file.lower().endswith(".csv"))  # stable: files and lines in order
    for raw, v in named_records:
        prev = first_seen.get(v["id"])
        if prev is not None:
            problems.append(Problem(raw.file, raw.line_of("id"), "id", f"duplicate id {v['id']!r}",
                                    f"first defined at {prev.file}:{prev.line_of('id')}: "
                                    "give this record its own id, or delete it if it is the same entity"))
        else:
            first_seen[v["id"]] = raw
    del named_records

    kinds: dict[str, str] = {t.id: "theme" for _, t in themes}
    failed: dict[str, list] = {}  # id of an entity whose kind did not clean -> [its record, relations to it]
    today = dt.date.today().isoformat()  # ISO text: a partial date is in the future when it sorts after today
    future: dict[tuple, list] = {}  # (file, field, value) -> [first record, how many more] for the warnings
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
        elif "id" in v:  # its kind did not clean: its relations cannot be checked (said once, below)
            failed.setdefault(v["id"], [raw, 0])
        if ok:
            _future_sources(raw, v, today, future)
            entities.append(make_entity(v))
            named.append((raw, v))
            if locations is not None:
                locations[v["id"]] = (raw.file, raw.line)
    _look_alikes(named, warnings)
    _without_country(named, warnings)
    tick("checking references", 0, total)

    known_ids: list[str] | None = None  # sorted on the first unknown id (for its hint)
    relations: list[Relation] = []
    rel_seen: dict[str, tuple[str, int]] = {}  # relation id -> (file, line) of its record
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
        source_kind, target_kind = kinds.get(source), kinds.get(target)
        ends_ok = source_kind is not None and target_kind is not None
        if not ends_ok:
            for end, eid in (("source", source), ("target", target)):
                if eid is not None and eid not in kinds:
                    if eid in failed:  # the entity is written, with a problem of its own: not a second error
                        failed[eid][1] += 1
                        continue
                    known_ids = known_ids or sorted(kinds)
                    near = closest_id(eid, known_ids)
                    hint = f"did you mean {near!r}?" if near else "define the entity first, or check the id"
                    problems.append(Problem(raw.file, raw.line_of(end), end, f"unknown entity {eid!r}", hint))
        kind = v.get("kind", "")
        rk = relation_kinds.get(kind)
        if ends_ok and rk is not None:
            joined = (kind, source_kind, target_kind)
            may = allowed.get(joined)
            if may is None:
                may = allowed[joined] = rk.allows(source_kind, target_kind)
            if not may:
                problems.append(Problem(
                    raw.file, raw.line_of("kind"), "kind",
                    f"{kind} may not join a {source_kind} ({source}) to a {target_kind} ({target})",
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
        if since is not None and since > today and v.get("status", "active") == "active":
            _once(future, raw, "since", since, "status")
        _future_sources(raw, v, today, future)
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
                                    f"first at {prev[0]}:{prev[1]}; merge them, or give one its own id"))
        rel_seen[rid] = (raw.file, raw.line)
        if rid in kinds:
            problems.append(Problem(raw.file, raw.line, "id", f"relation id {rid!r} is an entity id", "choose another id"))
        relations.append(make_relation(v))
        if v.get("status") == "ended" and ended_without_until(v):
            held = f"counted as holding only up to its since ({since})" if since else "counted as holding on no day"
            warnings.append(Problem(raw.file, raw.line_of("status"), "status", f"ended without until: {held}",
                                    "add until: the date it ended, where a source says"))
    tick("checking references", total, total)
    _not_checked(failed, problems)
    warnings += _future_warnings(future)
    if locations is not None:
        locations.update(rel_seen)  # where each relation is written (the last, for a duplicate id)

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


def _once(future: dict, raw: RawRecord, field: str, value: str, kind: str) -> None:
    """Count a date in the future: the first record with it in a file is warned about, the rest counted."""
    seen = future.get((raw.file, field, value, kind))
    if seen is None:
        future[(raw.file, field, value, kind)] = [raw, 0]
    else:
        seen[1] += 1


def _future_sources(raw: RawRecord, v: dict, today: str, future: dict) -> None:
    """A source seen (or published) after today: most likely a typo in the year."""
    for src in v.get("sources") or ():
        if src.seen > today:
            _once(future, raw, "sources", src.seen, "seen")
        if src.published and src.published > today:
            _once(future, raw, "sources", src.published, "published")


def _future_warnings(future: dict) -> list[Problem]:
    """One warning per file and date: a date in the future where the data says what already is."""
    out = []
    for (file, field, value, kind), (raw, more) in future.items():
        also = f" (and {more} more record{'s' * (more != 1)} of this file)" if more else ""
        if kind == "status":
            out.append(Problem(file, raw.line_of(field), field, f"{value} is in the future while the status is active{also}",
                               "a typo in the year? a tie that has not begun yet is status: planned"))
        else:
            out.append(Problem(file, raw.line_of(field), field, f"a source {kind} {value}, a day still to come{also}",
                               "a typo in the year? write the day the page was seen (or published)"))
    return out


def _not_checked(failed: dict, problems: list[Problem]) -> None:
    """Say once, on the problem of an entity whose kind did not clean, that its relations were not
    checked (rather than an 'unknown entity' error for each of them)."""
    where = {(raw.file, raw.line_of("kind")): (eid, n) for eid, (raw, n) in failed.items() if n}
    for i, p in enumerate(problems):
        hit = where.pop((p.file, p.line), None) if p.field == "kind" else None
        if hit is not None:
            eid, n = hit
            note = f"{n} relation{'s' * (n != 1)} to {eid!r} {'is' if n == 1 else 'are'} not checked until it is fixed"
            sep = " " if p.hint.endswith(("?", ".")) else "; "
            problems[i] = dataclasses.replace(p, hint=f"{p.hint}{sep}{note}" if p.hint else note)
    for (file, line), (eid, n) in where.items():  # its kind missing, or its problem elsewhere
        problems.append(Problem(file, line, "kind", f"{n} relation{'s' * (n != 1)} to {eid!r} not checked",
                                "they are checked once this entity's own problem is fixed"))
