"""One cleaner per property type.

Each cleaner takes a raw value as read from YAML or CSV and returns the clean value, or raises
`BadValue` with what is wrong and a hint. Cleaners know nothing of other records: references to
entities and themes are resolved by the validator, which sees the whole dataset.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Callable

__all__ = ["BadValue", "CLEANERS", "clean", "date_bounds", "ISO_COUNTRIES"]

from .countries import country_code_of
from .lookup import closest
from .errors import CONTROL_RE
from .records import Source


class BadValue(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


# ISO 3166-1 alpha-2 officially assigned codes, plus XK (Kosovo, the code the EU and the UN use).
ISO_COUNTRIES = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC
    EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK
    HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB
    LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU
    RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN
    TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW""".split()
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-+[a-z0-9]+)*$")  # "--" allowed: derived relation ids use it
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
WIKIDATA_RE = re.compile(r"^(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?(Q[1-9]\d*)$")
ROR_RE = re.compile(r"^(?:https?://ror\.org/)?(0[0-9a-hjkmnp-tv-z]{6}[0-9]{2})$")
CORDIS_RE = re.compile(r"^(?:https?://cordis\.europa\.eu/project/id/)?([1-9]\d{3,9})/?$")
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


def _kind_of(v: Any) -> str:
    """A value's type in the words of the data format, not Python's."""
    for types, word in ((bool, "true/false"), (dict, "mapping"), ((list, tuple), "list"), ((int, float), "number"),
                        (str, "text"), (dt.date, "date")):
        if isinstance(v, types):
            return word
    return type(v).__name__


# Control characters (graph.errors.CONTROL_RE: all but tab and newline) are refused in text: an
# escape sequence in a name would reach whoever's terminal prints it (a title change, a cleared
# screen), and no real text needs one.


def _text(v: Any) -> str:
    if v.__class__ is not str and (isinstance(v, bool) or not isinstance(v, (str, int, float))):
        raise BadValue(f"expected text, got {_kind_of(v)}", "write it as a plain string")
    s = str(v).strip()
    if not s:
        raise BadValue("is empty", "leave the field out instead")
    bad = CONTROL_RE.search(s)
    if bad:
        raise BadValue(f"holds a control character ({bad.group()!r} at position {bad.start() + 1})",
                       "remove it; only tab and newline are allowed in text")
    return s


def _text_list(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):  # CSV cells, and a lone YAML string, hold a ';'-separated list
        v = [p for p in (x.strip() for x in v.split(";")) if p]
    if not isinstance(v, (list, tuple)):
        raise BadValue(f"expected a list, got {_kind_of(v)}", "write a YAML list: [a, b]")
    return tuple(_text(x) for x in v)


def _slug(v: Any) -> str:
    s = _text(v)
    if not SLUG_RE.match(s):
        suggestion = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
        raise BadValue(f"{s!r} is not a slug", f"use lowercase letters, digits and hyphens, e.g. {suggestion!r}")
    return s


def _country(v: Any) -> str:
    s = _text(v)
    if s.upper() in ISO_COUNTRIES and len(s) == 2:
        return s.upper()
    code = country_code_of(s)
    hint = f"write {code}" if code else "use two letters such as FI, DE or KR"
    raise BadValue(f"{s!r} is not an ISO 3166-1 alpha-2 country code", hint)


def _date(v: Any) -> str:
    if v.__class__ is str:
        return _date_text(v)
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    return _date_text(_text(v))


@functools.lru_cache(maxsize=1 << 14)  # a large network repeats few distinct dates: each checked once
def _date_text(v: str) -> str:
    s = _text(v)
    m = DATE_RE.match(s)
    if not m:
        raise BadValue(f"{s!r} is not a date", _date_hint(s))
    year, month, day = m.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as e:
        raise BadValue(f"{s!r} is not a real date ({e})", "check the month and the day") from None
    return s


FINNISH_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # d.m.yyyy, as a Finnish Excel writes it
FINNISH_MONTH_RE = re.compile(r"^(\d{1,2})[./](\d{4})$")


def _date_hint(s: str) -> str:
    """How to write a date that is not ISO: the ISO form of a d.m.yyyy (or m.yyyy) date.

    >>> _date_hint("2.4.2025")
    "write it as YYYY-MM-DD: '2025-04-02' (d.m.yyyy is read as day.month.year)"
    """
    m = FINNISH_DATE_RE.match(s)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        try:
            iso = dt.date(y, mo, d).isoformat()
        except ValueError:
            return "write YYYY, YYYY-MM or YYYY-MM-DD; day.month.year is not a real date here"
        return f"write it as YYYY-MM-DD: {iso!r} (d.m.yyyy is read as day.month.year)"
    m = FINNISH_MONTH_RE.match(s)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"write it as YYYY-MM: '{int(m.group(2)):04d}-{int(m.group(1)):02d}'"
    return "write YYYY, YYYY-MM or YYYY-MM-DD"


def date_bounds(s: str) -> tuple[dt.date, dt.date]:
    """First and last day that a partial date covers: '2019' is 2019-01-01 .. 2019-12-31."""
    m = DATE_RE.match(s)
    if not m:
        raise ValueError(f"not a date: {s!r}")
    y, mo, d = (int(x) if x else None for x in m.groups())
    if d:
        day = dt.date(y, mo, d)
        return day, day
    if mo:
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return dt.date(y, mo, 1), nxt - dt.timedelta(days=1)
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


@functools.lru_cache(maxsize=65536)  # a large network repeats few distinct dates; parse each once
def first_day(text: str) -> dt.date:
    """The first day a partial date covers: '2019-05' is 2019-05-01."""
    return date_bounds(text)[0]


@functools.lru_cache(maxsize=65536)
def last_day(text: str) -> dt.date:
    """The last day a partial date covers: '2019-05' is 2019-05-31."""
    return date_bounds(text)[1]


def day_of(on: dt.date | str | None = None) -> dt.date:
    """The day a view stands on: a date, the first day of a partial ISO date, or today (None).

    >>> day_of("2021-06")
    datetime.date(2021, 6, 1)
    """
    if on is None:
        return dt.date.today()
    if isinstance(on, dt.date):
        return on
    return first_day(on)


def _identifier(pattern: re.Pattern, what: str, hint: str, check: Callable[[str], bool] = lambda s: True):
    def clean_identifier(v: Any) -> str:
        s = _text(v)
        m = pattern.match(s)
        if not m or not check(m.group(1)):
            raise BadValue(f"{s!r} is not a {what}", hint)
        return m.group(1)

    return clean_identifier


_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def _ror_checksum_ok(ror: str) -> bool:
    """ROR ids end in an ISO 7064 mod 97-10 checksum of the base-32 number before it."""
    number = 0
    for c in ror[:7]:
        number = number * 32 + _CROCKFORD.index(c)
    return f"{98 - (number * 100) % 97:02d}" == ror[7:]


def _url(v: Any) -> str:
    s = _text(v)
    if not URL_RE.match(s):
        raise BadValue(f"{s!r} is not a web address", "write the full address, starting with https://")
    return s


def _float_in(lo: float, hi: float, what: str) -> Callable[[Any], float]:
    def clean_number(v: Any) -> float:
        if isinstance(v, bool):
            raise BadValue(f"expected a number, got {v!r}", f"{what} is a number from {lo:g} to {hi:g}")
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise BadValue(f"{v!r} is not a number", f"{what} is a number from {lo:g} to {hi:g}") from None
        if not lo <= x <= hi:
            raise BadValue(f"{x:g} is out of range", f"{what} is a number from {lo:g} to {hi:g}")
        return x

    return clean_number


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return v.strip().lower() in ("true", "yes", "1")
    raise BadValue(f"{v!r} is not true or false", "write true or false")


def _one_of(choices: Callable[[], Any], what: str) -> Callable[[Any], str]:
    known: list = []

    def clean_choice(v: Any) -> str:
        s = _text(v)
        if not known:
            known.extend(choices())
        options = known
        if s not in options:
            near = closest(s, list(options), n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"one of: {', '.join(options)}"
            raise BadValue(f"unknown {what} {s!r}", hint)
        return s

    return clean_choice


def _source(v: Any) -> Source:
    if isinstance(v, str):  # CSV form: "URL SEEN" or "URL SEEN PUBLISHED"
        parts = v.split()
        if len(parts) not in (2, 3):
            raise BadValue(f"{v!r} is not 'URL DATE'", "write the address, a space and the date it was seen "
                           "(and, optionally, a space and the date it was published)")
        return _source_of(parts[0], parts[1], parts[2] if len(parts) == 3 else None)
    if not isinstance(v, dict):
        raise BadValue(f"expected url and seen, got {_kind_of(v)}", "write {url: https://..., seen: YYYY-MM-DD}")
    extra = set(v) - {"url", "seen", "published"}
    if extra:
        raise BadValue(f"unknown key {sorted(extra)[0]!r} in a source", "a source has url, seen and optionally published")
    if "url" not in v or "seen" not in v:
        missing = "url" if "url" not in v else "seen"
        raise BadValue(f"a source has no {missing}", "write {url: https://..., seen: YYYY-MM-DD}")
    return _source_of(v["url"], v["seen"], v.get("published"))


def _source_of(url: Any, seen: Any, published: Any) -> Source:
    seen = _date(seen)
    if len(seen) != 10:
        raise BadValue(f"seen {seen!r} is not a full date", "write the day it was seen as YYYY-MM-DD")
    published = _date(published) if published not in (None, "") else None
    if published and first_day(published) > first_day(seen):
        raise BadValue(f"published {published} is after seen {seen}", "a page is published before it is read")
    return Source(url=_url(url), seen=seen, published=published)


def _sources(v: Any) -> tuple[Source, ...]:
    if isinstance(v, str):
        one = v.strip()
        if one and ";" not in one:  # the common case: one source
            return (_source(one),)
        v = [p for p in (x.strip() for x in v.split(";")) if p]
    if isinstance(v, dict):
        v = [v]
    if not isinstance(v, (list, tuple)):
        raise BadValue(f"expected a list of sources, got {_kind_of(v)}", "list each source's url and seen date")
    if not v:
        raise BadValue("no source given", "every fact needs at least one source: url and the date it was seen")
    return tuple(_source(x) for x in v)


_BOUND: list = []  # the Schema, bound by graph.schema once it is built (it is built from these types)


def bind_schema(schema) -> None:
    """Give the enumerated types (kinds, statuses, confidence) the schema they choose from."""
    _BOUND[:] = [schema]


def _schema():
    return _BOUND[0]


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "text_list": _text_list,
    "slug": _slug,
    "ref": _slug,
    "themes": lambda v: tuple(s.lower() for s in _text_list(v)),  # resolved against the taxonomy later
    "country": _country,
    "date": _date,
    "url": _url,
    "latitude": _float_in(-90, 90, "latitude"),
    "longitude": _float_in(-180, 180, "longitude"),
    "strength": _float_in(0, 1, "strength"),
    "bool": _bool,
    "sources": _sources,
    "entity_kind": _one_of(lambda: list(_schema().entity_kinds), "entity kind"),
    "relation_kind": _one_of(lambda: list(_schema().relation_kinds), "relation kind"),
    "status": _one_of(lambda: list(_schema().statuses), "status"),
    "confidence": _one_of(lambda: list(_schema().confidence), "confidence"),
    "renewal": _one_of(lambda: list(_schema().renewals), "renewal"),
    "wikidata": _identifier(WIKIDATA_RE, "Wikidata id", "write the item id, such as Q47034"),
    "ror": _identifier(ROR_RE, "ROR id", "write the 9 characters after https://ror.org/, such as 020hwjq30",
                       _ror_checksum_ok),
    "cordis": _identifier(CORDIS_RE, "CORDIS project id", "write the digits of cordis.europa.eu/project/id/..."),
}


# Types whose values repeat across records (the same source page, date or kind on thousands of
# rows): their text values are cleaned once and remembered, which halves the time of a bulk load.
_REPEATING = frozenset({"sources", "date", "country", "themes", "entity_kind", "relation_kind", "status",
                        "confidence", "renewal", "bool", "url", "text_list"})


@functools.lru_cache(maxsize=1 << 16)
def _clean_text_cached(type_name: str, value: str) -> Any:
    return CLEANERS[type_name](value)


def clean(type_name: str, value: Any) -> Any:
    if type_name in _REPEATING and isinstance(value, str):
        return _clean_text_cached(type_name, value)
    return CLEANERS[type_name](value)
