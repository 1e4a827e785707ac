"""Cleaning the fields of raw records: each value through the cleaner its schema type names.

Two ways, one result: record by record (`clean_record`, for YAML and for what is not a plain
CSV table), and a column at a time (`clean_table`, for a slice of CSV rows), where each distinct
value of a column is cleaned once and the rows are assembled after. Both report the same
problems (file, line, field, message, hint) and give the same values; `validate` then checks
across records.
"""
from __future__ import annotations

import functools
import re
from itertools import filterfalse, repeat
from typing import Any

from graph.errors import Problem
from graph.lookup import closest
from graph.schema import SCHEMA, Field
from graph.records import Source
from graph.types import CLEANERS, URL_RE, BadValue

from .read import RawRecord, RawTable, unquoted

__all__ = ["Cleaners", "clean_record", "clean_table", "CHECKED"]

# Field types whose values repeat across records (a kind, a status, a date, an entity named by
# thousands of relations, the same source page): each distinct text value is cleaned once per load.
_MEMO_TYPES = frozenset({"sources", "date", "country", "themes", "entity_kind", "relation_kind", "status",
                         "confidence", "renewal", "bool", "url", "text_list", "ref"})
_MISSING = object()
_ABSENT = object()  # an empty cell, or a value that did not clean, in a cleaned column
CHECKED: dict = {}  # a relation's raw values once cleaned: the checks across records need only its place (never written to)


class Cleaners:
    """The cleaner of every field of each record type, with one memo per repeating type, for one
    load (the memos go with it: nothing is kept between loads). A memo holds only values that
    cleaned: a bad value is cleaned, and reported, every time it appears."""

    def __init__(self):
        memos = {t: {} for t in _MEMO_TYPES}
        self.fields: dict[str, dict[str, Field]] = {}
        self.plan: dict[str, dict[str, tuple]] = {}
        self.required: dict[str, tuple[str, ...]] = {}
        for rtype in ("entity", "relation", "theme"):
            fields = self.fields[rtype] = SCHEMA.fields_for(rtype)
            self.plan[rtype] = {name: (CLEANERS[spec.type], memos.get(spec.type)) for name, spec in fields.items()}
            self.required[rtype] = tuple(name for name, spec in fields.items() if spec.required)

    def unknown_field(self, rtype: str, name: Any, file: str, line: int) -> Problem:
        fields = self.fields[rtype]
        near = closest(str(name), fields, n=1)
        hint = f"did you mean {near[0]!r}?" if near else f"{rtype} fields are: {', '.join(fields)}"
        article = "an" if rtype[0] in "aeiou" else "a"
        return Problem(file, line, str(name), f"is not {article} {rtype} field", hint)

    def missing(self, rtype: str, name: str, file: str, line: int) -> Problem:
        return Problem(file, line, name, "is missing", self.fields[rtype][name].missing_hint)


def clean_record(raw: RawRecord, problems: list[Problem], cleaners: Cleaners) -> tuple[dict[str, Any], bool]:
    """Clean each field of one record: the fields that cleaned, and whether all of them did."""
    plan = cleaners.plan[raw.type]
    out: dict[str, Any] = {}
    ok = True
    values = raw.values
    for name, value in values.items():
        step = plan.get(name) if name.__class__ is str else None
        if step is None:
            problems.append(cleaners.unknown_field(raw.type, name, raw.file, raw.line_of(name)))
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
            problems.append(cleaners.missing(raw.type, name, raw.file, raw.line))
            ok = False
    return out, ok


def _absent(value: Any) -> bool:
    return value is None or value == "" or value == []


def clean_table(table: RawTable, problems: list[Problem], cleaners: Cleaners) -> list[tuple[RawRecord, dict, bool]]:
    """Clean a slice of CSV rows a column at a time: (record, values that cleaned, whether all
    did) per row, as `clean_record` gives for each row read as a record.

    Each distinct value of a column is cleaned once (through the load's memo for repeating types);
    a bad value is reported on every line it appears on. A relation's record keeps only its
    place (file and line); an entity's keeps whether it gives lat and lon (checked together later).
    """
    rtype, file, lines, n = table.type, table.file, table.lines, len(table.rows)
    plan = cleaners.plan[rtype]
    columns = list(zip(*table.rows))
    bad_rows: set[int] = set()
    given: dict[str, tuple[str, ...]] = {}  # field -> the column of raw cells
    for name, col in zip(table.header, columns):
        if name in table.implied:
            continue  # the file's name gives it (a cell may repeat it: the reader checked that)
        if name not in plan:
            for i in _nonempty_rows(col):
                problems.append(cleaners.unknown_field(rtype, name, file, lines[i]))
                bad_rows.add(i)
            continue
        given[name] = col
    for name, value in table.implied.items():
        given[name] = (value,) * n
    full: list[tuple[str, list]] = []  # fields every row gives
    partial: list[tuple[str, list]] = []  # fields some rows leave empty
    for name, col in given.items():
        cleaned, failed = _clean_column(col, *plan[name])
        for i, e in failed:
            problems.append(Problem(file, lines[i], name, e.message, e.hint))
            bad_rows.add(i)
        empty = col.count("")
        if empty == 0 and not failed:
            full.append((name, cleaned))
        elif empty + len(failed) < n:
            partial.append((name, cleaned))
    for name in cleaners.required[rtype]:
        col = given.get(name)
        for i in (range(n) if col is None else _empty_rows(col)):
            problems.append(cleaners.missing(rtype, name, file, lines[i]))
            bad_rows.add(i)
    rows = list(map(_row_maker(tuple(name for name, _ in full)), *(col for _, col in full))) if full else [{} for _ in range(n)]
    for name, col in partial:
        for row, value in zip(rows, col):
            if value is not _ABSENT:
                row[name] = value
    if rtype == "entity":  # lat and lon are given together or not at all: checked with the record
        places = [{k: c for k, c in (("lat", lat), ("lon", lon)) if c}
                  for _, lat, lon in zip(lines, given.get("lat", repeat("")), given.get("lon", repeat("")))]
    else:
        places = repeat(CHECKED)
    records = map(RawRecord, repeat(rtype), places, repeat(file), lines)
    oks = [i not in bad_rows for i in range(n)] if bad_rows else repeat(True)
    return list(zip(records, rows, oks))


def _clean_column(col: tuple[str, ...], cleaner, memo: dict | None) -> tuple[list, list[tuple[int, BadValue]]]:
    """A column's cleaned values (_ABSENT for an empty cell or a bad value), and (row, BadValue)
    for each cell that did not clean."""
    distinct = set(col)
    distinct.discard("")
    # A spreadsheet's quote before a formula-like start ('=1+1) is not part of the value: the
    # memo is keyed by the text the cleaner sees, as record by record.
    quoted = {}
    if "\n'" in "\n" + "\n".join(distinct):  # a cell starts with a quote (or a line of one does)
        quoted = {c: unquoted(c) for c in distinct if c[:1] == "'"}
        quoted = {c: u for c, u in quoted.items() if u != c}
    if quoted:
        col = tuple(quoted.get(c, c) for c in col)
        distinct = set(col)
        distinct.discard("")
    memo = {} if memo is None else memo
    failures: dict[str, BadValue] = {}
    todo = list(filterfalse(memo.__contains__, distinct)) if memo else distinct  # (not `- memo.keys()`: that walks the memo)
    if todo and cleaner in _SLUG_TYPES:
        text = "\n".join(todo) + "\n"
        if text.count("\n") == len(todo) and _SLUGS.fullmatch(text):  # every one a slug: itself, cleaned
            memo.update(zip(todo, todo))
            todo = ()
    fast = _FAST.get(cleaner)
    for cell in todo:
        got = fast(cell) if fast is not None else None
        if got is not None:
            memo[cell] = got
            continue
        try:
            memo[cell] = cleaner(cell)
        except BadValue as e:
            failures[cell] = e
    cleaned = list(map(memo.get, col, repeat(_ABSENT)))
    if not failures:
        return cleaned, []
    return cleaned, [(i, failures[c]) for i, c in enumerate(col) if c in failures]


# The common, valid form of a few types, recognised at once: what the type's cleaner would
# return, or None (then the cleaner decides, and says what is wrong). Only text as a CSV cell
# holds it (stripped): printable ASCII, so no control character and no other whitespace.
_SLUG = re.compile(r"[a-z0-9]+(?:-+[a-z0-9]+)*")  # graph.types.SLUG_RE, whole text
_ONE_SOURCE = re.compile(r"([!-:<-~]+) ([0-9]{4}-[0-9]{2}-[0-9]{2})")  # URL SEEN: one source, no ';'
_date = CLEANERS["date"]


def _fast_slug(text: str) -> str | None:
    return text if _SLUG.fullmatch(text) else None


# The commonest source of all, a plain http(s) address and the day it was seen, in one match: a
# narrower form of `_ONE_SOURCE` whose address `URL_RE` always accepts (letters, digits, dots and
# hyphens up to the path, then printable ASCII but ';'), so it needs no second check.
_PLAIN_SOURCE = re.compile(r"(https?://[A-Za-z0-9.-]+\.[A-Za-z0-9-]+(?:[/?#][!-:<-~]*)?) ([0-9]{4}-[0-9]{2}-[0-9]{2})")
_SEEN: dict[str, str] = {}  # a seen day's text -> the day cleaned (a million sources, a few hundred days)


def _fast_sources(text: str) -> tuple[Source] | None:
    m = _PLAIN_SOURCE.fullmatch(text) or _ONE_SOURCE.fullmatch(text)
    if m is None:
        return None
    url, day = m.groups()
    if m.re is _ONE_SOURCE and not URL_RE.match(url):
        return None
    seen = _SEEN.get(day)
    if seen is None:
        try:
            seen = _date(day)
        except BadValue:
            return None  # not a real day: the cleaner says so
        if len(_SEEN) < 100_000:
            _SEEN[day] = seen
    return (Source(url, seen),)


_FAST = {CLEANERS["slug"]: _fast_slug, CLEANERS["ref"]: _fast_slug, CLEANERS["sources"]: _fast_sources}
_SLUG_TYPES = (CLEANERS["slug"], CLEANERS["ref"])
_SLUGS = re.compile(r"(?:[a-z0-9]+(?:-+[a-z0-9]+)*\n)*")  # slugs, one a line: a slice's ids checked at once


@functools.lru_cache(maxsize=64)
def _row_maker(names: tuple[str, ...]):
    """A function of one value per name that returns {name: value, ...} (a dict display with
    constant keys: about a third faster than dict(zip(names, values)) for a million rows)."""
    args = [f"a{i}" for i in range(len(names))]
    return eval(f"lambda {', '.join(args)}: {{{', '.join(f'{n!r}: {a}' for n, a in zip(names, args))}}}")  # names: schema fields


def _nonempty_rows(col) -> list[int]:
    return [i for i, c in enumerate(col) if c]


def _empty_rows(col) -> list[int]:
    return [i for i, c in enumerate(col) if not c]
