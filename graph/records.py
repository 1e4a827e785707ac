"""Validated records. Loaders build these at the boundary; after that, code trusts them."""
from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any, Callable, Iterator

__all__ = ["Source", "Entity", "Relation", "Theme", "Dataset", "Locations", "relation_id", "maker"]


@dataclass(frozen=True, slots=True, order=True)
class Source:
    url: str
    seen: str  # YYYY-MM-DD: the day the page was seen
    published: str | None = None  # YYYY[-MM[-DD]]: when the page stated the fact, where it says

    def to_dict(self) -> dict:
        """{url, seen}, and published when known (the form the graph and the exports carry)."""
        d = {"url": self.url, "seen": self.seen}
        if self.published:
            d["published"] = self.published
        return d


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: str
    name: str
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    country: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    website: str | None = None
    themes: tuple[str, ...] = ()
    description: str | None = None
    role: str | None = None
    home: bool = False
    confidence: str | None = None
    wikidata: str | None = None
    ror: str | None = None
    cordis: str | None = None
    valid_until: str | None = None
    review_on: str | None = None
    renewal: str | None = None

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    source: str
    target: str
    kind: str
    sources: tuple[Source, ...]
    since: str | None = None
    until: str | None = None
    status: str = "active"
    themes: tuple[str, ...] = ()
    strength: float | None = None
    note: str | None = None
    confidence: str | None = None

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    description: str | None = None

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class Dataset:
    """Everything one load produced, in a stable order (themes, entities and relations by id)."""

    themes: tuple[Theme, ...] = ()
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    origin: str = ""  # where it was loaded from, for messages
    counts: dict = field(default_factory=dict, compare=False)
    # Record id -> (file, line) where it is written, so a data keeper's queue can say where to edit.
    locations: dict = field(default_factory=dict, compare=False)
    warnings: tuple = field(default=(), compare=False)  # graph.errors.Problem: worth fixing, loaded anyway


class Locations(Mapping):
    """Record id -> (file, line): where each record is written, kept compactly.

    A large network has a million of them, and as a dict of tuples they took a third of the time
    of reading a cached graph back. Here the ids are one tuple, the files a short tuple and the
    file numbers and lines two arrays (pickled as bytes); the lookup dict is built on first use.

    >>> where = Locations({"espoo": ("data/cities.yaml", 3)})
    >>> where["espoo"], where.get("nowhere"), len(where)
    (('data/cities.yaml', 3), None, 1)
    """

    __slots__ = ("_files", "_ids", "_file_of", "_lines", "_index")

    def __init__(self, pairs: Mapping[str, tuple[str, int]] | None = None):
        files: dict[str, int] = {}
        self._ids = tuple(pairs or ())
        self._file_of = array("I", (files.setdefault(f, len(files)) for f, _ in (pairs or {}).values()))
        self._lines = array("q", (line for _, line in (pairs or {}).values()))
        self._files = tuple(files)
        self._index: dict[str, int] | None = None

    def __reduce__(self):
        return _locations, (self._files, self._ids, self._file_of.tobytes(), self._lines.tobytes())

    def _position(self, rid: str) -> int | None:
        if self._index is None:
            self._index = {r: i for i, r in enumerate(self._ids)}
        return self._index.get(rid)

    def __getitem__(self, rid: str) -> tuple[str, int]:
        i = self._position(rid)
        if i is None:
            raise KeyError(rid)
        return self._files[self._file_of[i]], self._lines[i]

    def __contains__(self, rid: object) -> bool:
        return isinstance(rid, str) and self._position(rid) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"Locations({len(self)} records)"


def _locations(files: tuple, ids: tuple, file_of: bytes, lines: bytes) -> Locations:
    out = Locations.__new__(Locations)
    out._files, out._ids, out._index = files, ids, None
    out._file_of, out._lines = array("I"), array("q")
    out._file_of.frombytes(file_of)
    out._lines.frombytes(lines)
    return out


def maker(cls: type) -> Callable[[dict[str, Any]], Any]:
    """A constructor of the frozen record `cls` from a dict of its field values (defaults for
    the rest), for the loaders' million records: the same record as ``cls(**values)``, about a
    third faster (each slot set directly, not through the frozen class's generic setattr).
    Only for values already checked against the schema: unknown keys are ignored.

    >>> maker(Source)({"url": "https://espoo.fi", "seen": "2026-01-01"}) == Source("https://espoo.fi", "2026-01-01")
    True
    """
    spec = fields(cls)
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls, "absent": object()}
    lines = ["def make(values):", "    self = new(cls)", "    get = values.get"]
    for i, f in enumerate(spec):
        if f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name} has a default factory, which maker() does not call")
        scope[f"set{i}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:  # required: a KeyError when absent, where cls(**values) raises TypeError
            lines.append(f"    set{i}(self, values[{f.name!r}])")
        else:
            scope[f"default{i}"] = f.default
            lines.append(f"    set{i}(self, get({f.name!r}, default{i}))")
    lines.append("    return self")
    exec("\n".join(lines), scope)  # the way dataclasses writes __init__
    return scope["make"]


def relation_id(source: str, kind: str, target: str, since: str | None) -> str:
    """The derived id of a relation: stable across reloads, so Neo4j MERGE stays idempotent."""
    base = f"{source}--{kind.replace('_', '-')}--{target}"
    return f"{base}--{since}" if since else base


def _plain(record) -> dict:
    """A record as JSON-ready data: tuples become lists, sources become {url, seen[, published]}."""
    d = asdict(record)
    for k, v in d.items():
        if isinstance(v, tuple):
            d[k] = [_source_dict(x) if isinstance(x, dict) else x for x in v]
    return d


def _source_dict(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}
