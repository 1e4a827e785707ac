"""Validated records. Loaders build these at the boundary; after that, code trusts them."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["Source", "Entity", "Relation", "Theme", "Dataset", "relation_id"]


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
