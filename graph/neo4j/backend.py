"""The Neo4j backend: push the graph to a server, pull it back, and report on the server.

One driver per process and connection settings, closed at exit (`close_drivers`). Every write
is a managed transaction (`execute_write`, which retries transient errors and lost
connections for `Settings.retry_seconds`); every read is `execute_query`. All Cypher lives in
`graph.neo4j.cypher`; the stored form of attributes in `graph.neo4j.storage`.

Push is idempotent: entities, relations and themes are MERGEd by id in batches, each batch its
own transaction, and a row whose stored properties already equal the data is not written, so a
second push of the same data reports nothing created or updated. A push that fails part-way
leaves every batch before the failing one committed and the failing one rolled back, and the
error says what was written; pushing again finishes the job.

>>> from graph.neo4j.backend import Settings, push, pull
>>> s = Settings(uri="bolt://localhost:7687", user="neo4j", password="secret")   # doctest: +SKIP
>>> push(G, s).entities.created                                                  # doctest: +SKIP
>>> pull(s, focus="espoo", depth=2)                                              # doctest: +SKIP
"""
from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

import networkx as nx

from graph.errors import BackendError, EspooNetError
from graph.model import paused_gc
from graph.schema import SCHEMA

from . import DEFAULT_BATCH_SIZE
from . import cypher as C
from .storage import node_attrs, node_row, relation_attrs, relation_row, theme_dict, theme_row

__all__ = [
    "Settings",
    "Connection",
    "Counts",
    "PushSummary",
    "connect",
    "close_drivers",
    "push",
    "pull",
    "status",
    "read_taxonomy",
    "read_names",
    "read_subgraph",
    "neighbourhood",
    "NO_FILTER",
    "DEFAULT_BATCH_SIZE",
    "SCHEMES",
]

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
ENV = {"uri": "NEO4J_URI", "user": "NEO4J_USER", "password": "NEO4J_PASSWORD", "database": "NEO4J_DATABASE",
       "retry_seconds": "NEO4J_RETRY_SECONDS"}

# The driver logs every retry on the 'neo4j' logger; the final error is what the user needs to
# see, as one line, so the retries stay quiet unless the application configures logging.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Settings:
    """Where the server is and how to log in. The password never appears in repr or messages."""

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str | None = None  # None: the server's default database
    retry_seconds: float = 30.0  # how long a managed transaction keeps retrying

    @classmethod
    def from_env(cls, environ: dict | None = None, **given: Any) -> "Settings":
        """Settings from keyword arguments, else the NEO4J_* environment variables, else defaults.

        >>> Settings.from_env({"NEO4J_URI": "bolt://db:7687"}, user="me").uri
        'bolt://db:7687'
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, var in ENV.items():
            value = given.get(name)
            if value is None or value == "":
                value = env.get(var) or None
            if value is not None:
                values[name] = _seconds(value, var) if name == "retry_seconds" else value
        return cls(**values)

    @property
    def shown_uri(self) -> str:
        """The URI without any user or password written into it."""
        parts = urlsplit(self.uri)
        if not parts.scheme:
            return self.uri
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))

    @property
    def where(self) -> str:
        """The URI (without credentials) and the database, for messages."""
        return f"{self.shown_uri} (database {self.database or 'default'})"


def _seconds(value: Any, name: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if seconds < 0:
        raise BackendError(f"{name} {value!r} is not a number of seconds")
    return seconds


# --- errors ----------------------------------------------------------------------------------------

def _one_line(text: str, settings: Settings) -> str:
    text = " ".join(str(text).split())
    if settings.password:
        text = text.replace(settings.password, "***")
    return text


def _reason(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    lines = [ln.strip() for ln in str(message).splitlines() if ln.strip()]
    last = lines[-1] if lines else type(exc).__name__
    m = re.search(r"\(reason (.*)\)\s*$", last)
    return m.group(1) if m else last


def _translate(exc: Exception, settings: Settings, doing: str) -> BackendError:
    """One clear line for a driver error: what failed, where (never the password), and a hint."""
    from neo4j import exceptions as neo

    uri = settings.shown_uri
    if isinstance(exc, neo.AuthError):
        text = (f"authentication failed at {uri} for user {settings.user!r} "
                "(check --neo4j-user and --neo4j-password, or NEO4J_USER and NEO4J_PASSWORD)")
    elif isinstance(exc, neo.ClientError) and exc.code == "Neo.ClientError.Database.DatabaseNotFound":
        text = (f"database {settings.database!r} does not exist at {uri} "
                "(check --neo4j-database or NEO4J_DATABASE; SHOW DATABASES lists them)")
    elif isinstance(exc, (neo.ServiceUnavailable, neo.SessionExpired, neo.IncompleteCommit)):
        text = (f"cannot reach the Neo4j server at {uri} while {doing}: {_reason(exc)} "
                "(is the server running? check --neo4j-uri or NEO4J_URI)")
    elif isinstance(exc, neo.ConfigurationError):
        text = f"bad Neo4j settings for {uri}: {_reason(exc)} (check --neo4j-uri or NEO4J_URI)"
    elif isinstance(exc, neo.Neo4jError):
        text = f"the Neo4j server at {uri} refused a statement while {doing}: {_reason(exc)} ({exc.code})"
    else:
        text = f"Neo4j driver error at {uri} while {doing}: {_reason(exc)}"
    return BackendError(_one_line(text, settings))


@contextlib.contextmanager
def _driver_errors(settings: Settings, doing: str) -> Iterator[None]:
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        yield
    except (DriverError, Neo4jError) as e:
        raise _translate(e, settings, doing) from None
    except OSError as e:  # DNS or socket trouble the driver did not wrap
        raise BackendError(_one_line(f"cannot reach the Neo4j server at {settings.shown_uri}: {e}", settings)) from None


# --- the connection ------------------------------------------------------------------------------

_DRIVERS: dict[tuple, Any] = {}


def close_drivers() -> None:
    """Close every driver this process opened (also run at exit)."""
    while _DRIVERS:
        _, driver = _DRIVERS.popitem()
        with contextlib.suppress(Exception):
            driver.close()


atexit.register(close_drivers)


def _driver(settings: Settings):
    scheme = urlsplit(settings.uri).scheme if "://" in settings.uri else ""
    if scheme not in SCHEMES:
        raise BackendError(_one_line(
            f"unsupported Neo4j URI {settings.shown_uri!r}: use bolt://HOST:7687 or neo4j://HOST:7687 "
            "(bolt+s:// or neo4j+s:// for TLS); check --neo4j-uri or NEO4J_URI", settings))
    key = (settings.uri, settings.user, settings.password, settings.retry_seconds)
    driver = _DRIVERS.get(key)
    if driver is None:
        from neo4j import GraphDatabase

        auth = (settings.user, settings.password) if settings.password is not None else None
        with _driver_errors(settings, "connecting"):
            driver = GraphDatabase.driver(
                settings.uri, auth=auth, max_transaction_retry_time=settings.retry_seconds,
                connection_timeout=10.0, user_agent="espoo-net")
        _DRIVERS[key] = driver
    return driver


class Connection:
    """A checked connection to one database: the shared driver, the dialect, read and write."""

    def __init__(self, settings: Settings, driver, agent: str):
        self.settings = settings
        self.driver = driver
        self.agent = agent
        self.dialect = C.ARCADEDB if "ArcadeDB" in agent else C.NEO4J

    def read(self, query: str, doing: str = "reading", **params: Any) -> list:
        """The records of a read query (a managed transaction with retries)."""
        from neo4j import RoutingControl

        with _driver_errors(self.settings, doing):
            records, _, _ = self.driver.execute_query(
                query, params, routing_=RoutingControl.READ, database_=self.settings.database)
        return records

    def write(self, work: Callable, doing: str = "writing") -> Any:
        """Run `work(tx)` in one managed write transaction: all of it commits, or none."""
        with _driver_errors(self.settings, doing):
            with self.driver.session(database=self.settings.database) as session:
                return session.execute_write(work)


def connect(settings: Settings | None = None) -> Connection:
    """A connection to the server in `settings` (default: from the environment), checked once.

    Raises BackendError with one line naming the URI and a hint when the URI is malformed,
    the server does not answer, the login fails or the database does not exist.
    """
    settings = settings or Settings.from_env()
    driver = _driver(settings)
    with _driver_errors(settings, "connecting"):
        agent = driver.get_server_info().agent
    conn = Connection(settings, driver, agent)
    conn.read("RETURN 1 AS ok", doing="opening the database")  # an unknown database fails here
    return conn


# --- push ----------------------------------------------------------------------------------------

@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    stale: int = 0  # on the server, no longer in the data, and not pruned

    def __str__(self) -> str:
        parts = [f"{self.created:,} created", f"{self.updated:,} updated", f"{self.unchanged:,} unchanged"]
        if self.removed:
            parts.append(f"{self.removed:,} removed")
        if self.stale:
            parts.append(f"{self.stale:,} stale")
        return ", ".join(parts)


@dataclass
class PushSummary:
    """What a push did; `to_dict` for JSON."""

    target: str
    server: str
    themes: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)
    batches: int = 0
    constraints: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    pruned: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def written(self) -> str:
        """What is committed so far, in one phrase, for error messages."""
        def rows(c: Counts) -> int:
            return c.created + c.updated + c.unchanged

        removed = self.entities.removed + self.relations.removed + self.themes.removed
        return (f"{self.batches} batch{'es' if self.batches != 1 else ''} ({rows(self.themes):,} themes, "
                f"{rows(self.entities):,} entities, {rows(self.relations):,} relations"
                + (f", {removed:,} removals)" if removed else ")"))


@dataclass(frozen=True)
class _Row:
    """One write: the statement group it belongs to (a kind, or kinds) and what is sent."""

    group: Any
    wire: dict


def _graph_rows(G: nx.MultiDiGraph) -> tuple[list[_Row], list[_Row], list[_Row]]:
    """The write rows of a graph, grouped by statement (entities by kind, relations by kind)
    and checked against the whitelist before anything is written. Sorted by group, then id,
    so most batches need one statement."""
    themes = [_Row(None, theme_row(t)) for _, t in sorted(G.graph.get("themes", {}).items())]
    nodes = []
    for n, d in G.nodes(data=True):
        row = node_row(n, d)
        C.label_for(row.pop("kind"))
        nodes.append(_Row(d.get("kind"), row))
    rels = []
    for u, v, k, d in G.edges(keys=True, data=True):
        row = relation_row(u, v, k, d)
        kind = row.pop("kind")
        C.type_for(kind)
        rels.append(_Row((kind,), row))
    nodes.sort(key=lambda r: (r.group, r.wire["id"]))
    rels.sort(key=lambda r: (r.group, r.wire["id"]))
    ids = sorted(r.wire["id"] for r in rels)
    for a, b in zip(ids, ids[1:]):
        if a == b:
            raise BackendError(f"relation id {a!r} is used by two relations; ids must be unique to MERGE by id")
    return themes, nodes, rels


def _groups(rows: Iterable[_Row]) -> dict[Any, list[dict]]:
    out: dict[Any, list[dict]] = {}
    for r in rows:
        out.setdefault(r.group, []).append(r.wire)
    return out


def _chunks(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class _Pusher:
    """One push: the batches, the running summary, and what to say if a batch fails."""

    def __init__(self, conn: Connection, summary: PushSummary, batch_size: int, progress):
        self.conn = conn
        self.summary = summary
        self.batch_size = batch_size
        self.progress = progress or (lambda stage, done, total: None)
        self.elements: dict[str, str] = {}  # entity id -> element id, as the entity batches wrote them

    def _run(self, stage: str, number: int, total: int, work: Callable) -> Any:
        try:
            result = self.conn.write(work, doing=f"writing {stage} batch {number} of {total}")
        except BackendError as e:
            raise BackendError(
                f"push to {self.conn.settings.where} failed at {stage} batch {number} of {total}, which was "
                f"rolled back; committed before it: {self.summary.written()}. Push again to finish. Cause: {e}"
            ) from None
        self.summary.batches += 1
        return result

    def upsert(self, stage: str, rows: list[_Row], counts: Counts, statement_for: Callable[[Any], str],
               before: Callable[[Any, list[_Row]], int] | None = None,
               params: Callable[[Any, list[_Row]], dict] | None = None) -> None:
        """MERGE `rows` in batches; each batch one transaction, one statement per group in it.

        `before(tx, batch)` runs first in the same transaction (relabels, moved relations) and
        returns how many of the batch's creations are really updates. `params(tx, batch)` gives
        the statement rows per group (default: the rows' wires).
        """
        batches = list(_chunks(rows, self.batch_size))
        done = 0
        for number, batch in enumerate(batches, 1):
            def work(tx, batch=batch):
                moved = before(tx, batch) if before else 0
                got = {"rows": 0, "created": 0, "updated": 0}
                elements: list = []
                for group, wires in (params(tx, batch) if params else _groups(batch)).items():
                    record = tx.run(statement_for(group), rows=wires).single()
                    for key in got:
                        got[key] += record[key] or 0
                    if "elements" in record.keys():
                        elements += record["elements"]
                if got["rows"] != len(batch):  # raised inside: the batch rolls back
                    raise BackendError(f"{len(batch) - got['rows']} {stage} found no entity to attach to "
                                       "(was the database changed during the push?)")
                return got, moved, elements

            got, moved, elements = self._run(stage, number, len(batches), work)
            self.elements.update(elements)
            counts.created += got["created"] - moved
            counts.updated += got["updated"] + moved
            counts.unchanged += len(batch) - got["created"] - got["updated"]
            done += len(batch)
            self.progress(f"pushing {stage}", done, len(rows))

    def delete(self, stage: str, rows: list[_Row], counts: Counts, statement_for: Callable[[Any], str],
               param: str) -> None:
        """Delete `rows` (their wire is an id or a relation key) in batches."""
        batches = list(_chunks(rows, self.batch_size))
        for number, batch in enumerate(batches, 1):
            def work(tx, batch=batch):
                return sum(tx.run(statement_for(group), {param: wires, "marker": C.MARKER}).single()["removed"]
                           for group, wires in _groups(batch).items())

            removed = self._run(f"removing {stage}", number, len(batches), work)
            counts.removed += removed
            counts.stale = max(0, counts.stale - len(batch))
            self.progress(f"removing {stage}", min(number * self.batch_size, len(rows)), len(rows))


def _ensure_schema(conn: Connection, summary: PushSummary) -> None:
    """Create the id constraints the server supports; note the ones it refuses.

    A refusal (no such feature, no privilege, existing duplicates) does not stop the push:
    MERGE by id keeps the data consistent, the constraints only guard it against other writers.
    """
    from neo4j.exceptions import Neo4jError

    present = _id_constraints(conn) or set()  # one query, instead of 37 statements on every push
    for target, statement in C.schema_statements():
        if target not in present:
            with _driver_errors(conn.settings, "creating constraints"):
                try:
                    conn.driver.execute_query(statement, database_=conn.settings.database)
                except Neo4jError as e:  # lost connections are DriverErrors and stop the push
                    summary.unsupported.append(f"{target} ({e.code})")
                    continue
        summary.constraints.append(target)


@dataclass
class _Existing:
    """What this tool manages on the server before the push."""

    themes: set[str]
    entities: dict[str, str]  # id -> kind
    relations: dict[str, list[dict]]  # id -> stored keys (normally one)


def _existing(conn: Connection) -> _Existing:
    marker = {"marker": C.MARKER}
    themes = {r["id"] for r in conn.read(C.MANAGED_THEME_KEYS, doing="reading managed themes", **marker)}
    entities = {}
    for r in conn.read(C.MANAGED_ENTITY_KEYS, doing="reading managed entities", **marker):
        kind = C.kind_of_labels(r["labels"])
        if kind:
            entities[r["id"]] = kind
    relations: dict[str, list[dict]] = {}
    for r in conn.read(C.MANAGED_RELATION_KEYS, doing="reading managed relations", **marker):
        ends = (C.kind_of_labels(r["source_labels"]), C.kind_of_labels(r["target_labels"]))
        if all(ends):
            key = {"id": r["id"], "type": r["type"], "source": r["source"], "target": r["target"]}
            relations.setdefault(r["id"], []).append({"ends": ends, "key": key})
    return _Existing(themes, entities, relations)


def _relabeller(old: dict[str, str]) -> Callable:
    """Inside an entity batch's transaction: move entities whose kind changed to the new label."""
    def relabel(tx, batch: list[_Row]) -> int:
        moves: dict[tuple[str, str], list[str]] = {}
        for row in batch:
            was = old.get(row.wire["id"])
            if was is not None and was != row.group:
                moves.setdefault((was, row.group), []).append(row.wire["id"])
        for (was, now), ids in moves.items():
            tx.run(C.relabel_entities(was, now), ids=ids, marker=C.MARKER).consume()
        return 0  # the MERGE that follows finds them, and counts them as updated

    return relabel


def _relation_key(row: _Row) -> dict:
    """How a relation row is stored: id, relationship type and ends (as `_existing` reads them)."""
    w = row.wire
    return {"id": w["id"], "type": SCHEMA.neo4j_types[row.group[0]], "source": w["source"], "target": w["target"]}


def _split_new(rels: list[_Row], old: dict[str, list[dict]], constraints: list[str]) -> list[_Row]:
    """Mark the relations the database does not hold (as they are) and whose type has its
    uniqueness constraint: those are CREATEd, the rest MERGEd (see cypher._CREATE_RELATIONS)."""
    out = []
    for row in rels:
        want = _relation_key(row)
        new = (SCHEMA.neo4j_types[row.group[0]] in constraints
               and all(o["key"] != want for o in old.get(row.wire["id"], ())))
        out.append(_Row((*row.group, new), row.wire))
    out.sort(key=lambda r: (r.group, r.wire["id"]))
    return out


def _relation_statement(group: tuple) -> str:
    kind, new = group
    return (C.create_relations if new else C.merge_relations)(kind)


def _relation_params(kinds: dict[str, str], elements: dict[str, str]) -> Callable:
    """Inside a relation batch's transaction: give each statement its rows {a, b, source, target,
    id, props}, a and b the element ids of the ends (as the entity batches returned them, else
    looked up now). A row whose end is missing is left out, and the batch then fails."""
    def params(tx, batch: list[_Row]) -> dict:
        unknown: dict[str, set] = {kind: set() for kind in SCHEMA.neo4j_labels}
        for row in batch:
            for end in (row.wire["source"], row.wire["target"]):
                if end not in elements:
                    unknown[kinds[end]].add(end)
        if any(unknown.values()):
            found = tx.run(C.ELEMENT_IDS, {k: sorted(v) for k, v in unknown.items()})
            elements.update((r["id"], r["element"]) for r in found)
        out: dict[Any, list[dict]] = {}
        for row in batch:
            w = row.wire
            a, b = elements.get(w["source"]), elements.get(w["target"])
            if a is not None and b is not None:
                out.setdefault(row.group, []).append({"a": a, "b": b, **w})
        return out

    return params


def _moved_deleter(old: dict[str, list[dict]]) -> Callable:
    """Inside a relation batch's transaction: delete stored relations whose id is in the batch
    but whose kind or ends changed, so the MERGE that follows writes the one true relation."""
    def delete_moved(tx, batch: list[_Row]) -> int:
        moved: list[_Row] = []
        for row in batch:
            want = _relation_key(row)
            moved += [_Row(o["ends"], o["key"]) for o in old.get(row.wire["id"], ()) if o["key"] != want]
        for ends, keys in _groups(moved).items():
            tx.run(C.delete_relations(*ends), rows=keys, marker=C.MARKER).consume()
        return len({m.wire["id"] for m in moved})

    return delete_moved


def push(G: nx.MultiDiGraph, settings: Settings | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
         prune: bool = False, progress: Callable[[str, int, int], None] | None = None) -> PushSummary:
    """Write the graph to Neo4j: entities, relations and the theme taxonomy, MERGEd by id.

    Parameters
    ----------
    G : the network (see graph.model). settings : the server (default: NEO4J_* variables).
    batch_size : rows per transaction. prune : also remove what this tool wrote earlier and the
    data no longer has (other data in the database is never touched).
    progress : ``progress(stage, done, total)``, called after every batch.

    Returns
    -------
    PushSummary with created, updated, unchanged, removed and stale counts per themes, entities
    and relations.

    Raises
    ------
    BackendError : the server cannot be reached or refuses a batch; every batch before it is
    committed and the message says what was written.

    Examples
    --------
    >>> summary = push(G, Settings(password="secret"), prune=True)   # doctest: +SKIP
    >>> print(summary.entities)                                      # doctest: +SKIP
    3 created, 1 updated, 120 unchanged, 1 removed
    """
    if batch_size < 1:
        raise EspooNetError(f"batch size {batch_size} is not a positive number")
    started = time.monotonic()
    with paused_gc():  # a million small dicts: the cyclic GC would rescan the graph again and again
        themes, nodes, rels = _graph_rows(G)
    conn = connect(settings)
    summary = PushSummary(target=conn.settings.where, server=conn.agent, pruned=prune)
    _ensure_schema(conn, summary)
    old = _existing(conn)
    pusher = _Pusher(conn, summary, batch_size, progress)

    pusher.upsert("themes", themes, summary.themes, lambda _: C.MERGE_THEMES)
    pusher.upsert("entities", nodes, summary.entities, C.merge_entities, before=_relabeller(old.entities))
    rels = _split_new(rels, old.relations, summary.constraints)
    pusher.upsert("relations", rels, summary.relations, _relation_statement, before=_moved_deleter(old.relations),
                  params=_relation_params(dict(G.nodes(data="kind")), pusher.elements))

    wanted = {r.wire["id"] for r in rels}
    stale_rels = [_Row(o["ends"], o["key"]) for rid, keys in sorted(old.relations.items()) if rid not in wanted
                  for o in keys]
    wanted = {r.wire["id"] for r in nodes}
    stale_nodes = sorted((_Row(kind, eid) for eid, kind in old.entities.items() if eid not in wanted),
                         key=lambda r: (r.group, r.wire))
    wanted = {r.wire["id"] for r in themes}
    stale_themes = [_Row(None, tid) for tid in sorted(old.themes - wanted)]
    summary.relations.stale, summary.entities.stale, summary.themes.stale = (
        len(stale_rels), len(stale_nodes), len(stale_themes))
    if prune:
        pusher.delete("relations", stale_rels, summary.relations, lambda g: C.delete_relations(*g), "rows")
        pusher.delete("entities", stale_nodes, summary.entities, C.delete_entities, "ids")
        pusher.delete("themes", stale_themes, summary.themes, lambda _: C.DELETE_THEMES, "ids")
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


# --- pull ----------------------------------------------------------------------------------------

def read_taxonomy(conn: Connection) -> dict[str, dict]:
    """The theme taxonomy stored on the server, by id."""
    found = (theme_dict(r["props"]) for r in conn.read(C.READ_THEMES, doing="reading themes", marker=C.MARKER))
    return {t["id"]: t for t in sorted(found, key=lambda t: t["id"])}


def read_names(conn: Connection) -> tuple[Any, dict[str, str]]:
    """The name index of the stored entities, and their kinds by id."""
    from graph.lookup import EntityIndex

    rows = conn.read(C.READ_NAMES, doing="reading names", marker=C.MARKER)
    kinds = {r["id"]: r["kind"] for r in rows}
    return EntityIndex((r["id"], r["name"] or r["id"], r["aliases"] or []) for r in rows), kinds


def _by_kind(ids: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for eid, kind in sorted(ids.items()):
        out.setdefault(kind, []).append(eid)
    return out


NO_FILTER = {"types": None, "day": None, "present": False, "theme": None}
"""Follow every relation (see `cypher.expand`)."""


def neighbourhood(conn: Connection, start: dict[str, str], depth: int | None,
                  follow: dict | None = None) -> dict[str, str]:
    """Entities within `depth` followed relations of any of `start` (id -> kind), either
    direction; all that can be reached when depth is None. One server query per step and kind,
    so only the frontier ever leaves the server. `follow`: the filter of `cypher.expand`."""
    params = {**NO_FILTER, **(follow or {}), "marker": C.MARKER}
    seen, frontier = dict(start), dict(start)
    step = 0
    while frontier and (depth is None or step < depth):
        found: dict[str, str] = {}
        for kind, ids in _by_kind(frontier).items():
            for r in conn.read(C.expand(kind), doing="expanding a neighbourhood", ids=ids, **params):
                if r["id"] not in seen:
                    found[r["id"]] = r["kind"]
        seen.update(found)
        frontier = found
        step += 1
    return seen


def _theme_members(conn: Connection, theme: str) -> dict[str, str]:
    ids = {r["id"]: r["kind"] for r in conn.read(C.ENTITIES_WITH_THEME, doing="reading a theme", theme=theme,
                                                   marker=C.MARKER)}
    for r in conn.read(C.RELATIONS_ON_THEME, doing="reading a theme", **{**NO_FILTER, "theme": theme},
                       marker=C.MARKER):
        ids[r["source"]] = r["source_kind"]
        ids[r["target"]] = r["target_kind"]
    return ids


def _build(settings: Settings, themes: dict, nodes: Iterable[dict], rels: Iterable) -> nx.MultiDiGraph:
    """The model graph, in the order `graph.model.build_graph` makes: entities by id, then the
    theme nodes as relations (by id) first name them; relations by id. Queries that break ties
    by the order of the data then give the same answers on a pulled graph as on a loaded one."""
    G = nx.MultiDiGraph()
    G.graph["themes"] = themes
    G.graph["origin"] = f"neo4j {settings.where}"
    props = {p["id"]: p for p in nodes}
    rels = sorted(rels, key=lambda r: r["props"]["id"])
    later = {n for n, p in props.items() if p.get("kind") == "theme"}
    for n in sorted(props.keys() - later):
        G.add_node(n, **node_attrs(props[n]))
    for r in rels:
        for end in (r["source"], r["target"]):
            if end in later and end not in G:
                G.add_node(end, **node_attrs(props[end]))
    for n in sorted(later - set(G)):
        G.add_node(n, **node_attrs(props[n]))
    previous = None
    for r in rels:
        rid = r["props"]["id"]
        if rid == previous:
            raise BackendError(f"relation id {rid!r} is stored twice at {settings.where} "
                               "(a stale copy: push with --prune to clean up)")
        previous = rid
        if r["source"] in props and r["target"] in props:
            G.add_edge(r["source"], r["target"], key=rid, **relation_attrs(r["props"]))
    return G


def read_subgraph(conn: Connection, ids: dict[str, str] | None, themes: dict | None = None) -> nx.MultiDiGraph:
    """The entities `ids` (id -> kind; all when None) and every relation among them, as the model."""
    themes = read_taxonomy(conn) if themes is None else themes
    marker = {"marker": C.MARKER}
    with paused_gc():  # as in push: many small objects, no cycles
        if ids is None:
            nodes = [r["props"] for r in conn.read(C.READ_ENTITIES, doing="reading entities", **marker)]
            rels = conn.read(C.READ_RELATIONS, doing="reading relations", **marker)
            return _build(conn.settings, themes, nodes, rels)
        nodes, rels = [], []
        for kind, some in _by_kind(ids).items():
            nodes += [r["props"] for r in conn.read(C.read_entities_by_id(kind), doing="reading entities",
                                                     ids=some, **marker)]
            rels += [r for r in conn.read(C.read_relations_from(kind), doing="reading relations", ids=some,
                                          **marker) if r["target"] in ids]
        return _build(conn.settings, themes, nodes, rels)


def pull(settings: Settings | None = None, *, theme: str | None = None, focus: str | None = None,
         depth: int | None = None) -> nx.MultiDiGraph:
    """Read the network back from Neo4j: all of it, a theme's part, or a neighbourhood.

    Parameters
    ----------
    settings : the server (default: NEO4J_* variables).
    theme : a theme id, label or synonym: the entities tagged with it and the ends of the
        relations on it (tagged with it, or untagged between entities on it: the rule of
        `queries.routing.tie_themes`), with every relation among them.
    focus, depth : an entity (id, name or alias) and the entities within `depth` relations of
        it (either direction; depth 1 when not given), with every relation among them.
        With `theme` as well, only the neighbours that are also in the theme's part.

    Returns
    -------
    networkx.MultiDiGraph equal to the pushed graph, attribute for attribute (the whole graph),
    or its induced subgraph; ``G.graph["themes"]`` is the whole taxonomy.

    Examples
    --------
    >>> G = pull(Settings(password="secret"), focus="Enter Espoo", depth=2)   # doctest: +SKIP
    """
    conn = connect(settings)
    themes = read_taxonomy(conn)
    if theme is None and focus is None:
        return read_subgraph(conn, None, themes)
    ids: dict[str, str] | None = None
    if theme is not None:
        from queries.entities import resolve_theme

        ids = _theme_members(conn, resolve_theme(nx.MultiDiGraph(themes=themes), theme))
    if focus is not None:
        index, kinds = read_names(conn)
        start = index.resolve(focus)
        ball = neighbourhood(conn, {start: kinds[start]}, C.hops(depth if depth is not None else 1))
        ids = ball if ids is None else {n: k for n, k in ball.items() if n in ids or n == start}
    return read_subgraph(conn, ids, themes)


# --- status --------------------------------------------------------------------------------------

def _product(agent: str, components: list) -> tuple[str, str, str | None]:
    m = re.search(r"\((ArcadeDB) ([^)]+)\)", agent)
    if m:
        return m.group(1), m.group(2), None
    comp = next((c for c in components if c["name"] == "Neo4j Kernel"), None)
    version = comp["versions"][0] if comp and comp["versions"] else agent.partition("/")[2]
    return "Neo4j", version, comp["edition"] if comp else None


def status(settings: Settings | None = None) -> dict:
    """The server, its version, the database and its counts by label and relationship type.

    Examples
    --------
    >>> status(Settings(password="secret"))["managed"]   # doctest: +SKIP
    {'entities': 124, 'relations': 310, 'themes': 18}
    """
    conn = connect(settings)
    components = conn.read(C.SERVER_COMPONENTS, doing="reading the server version")
    product, version, edition = _product(conn.agent, components)
    labels = {r["label"]: r["count"] for r in conn.read(C.COUNT_LABELS, doing="counting labels")}
    types = {r["type"]: r["count"] for r in conn.read(C.COUNT_TYPES, doing="counting relationship types")}
    nodes = conn.read(C.COUNT_MANAGED_NODES, doing="counting entities", marker=C.MARKER)[0]
    rels = conn.read(C.COUNT_MANAGED_RELATIONS, doing="counting relations", marker=C.MARKER)[0]
    return {
        "uri": conn.settings.shown_uri,
        "database": conn.settings.database or "default",
        "server": conn.agent,
        "product": product,
        "version": version,
        "edition": edition,
        "dialect": conn.dialect,
        "labels": labels,
        "types": types,
        "managed": {"entities": nodes["entities"] or 0, "relations": rels["relations"] or 0,
                    "themes": nodes["themes"] or 0},
        "constraints": _our_constraints(conn),
    }


def _our_constraints(conn: Connection) -> list[str] | None:
    found = _id_constraints(conn)
    return None if found is None else sorted(t for t, _ in C.schema_statements() if t in found)


def _id_constraints(conn: Connection) -> set[str] | None:
    """The labels and relationship types with a uniqueness constraint on id (whatever its name);
    None when the user may not list constraints."""
    from neo4j import RoutingControl
    from neo4j.exceptions import ClientError

    with _driver_errors(conn.settings, "listing constraints"):
        try:
            records, _, _ = conn.driver.execute_query(C.SHOW_CONSTRAINTS, routing_=RoutingControl.READ,
                                                      database_=conn.settings.database)
        except ClientError:  # a user without the SHOW CONSTRAINT privilege
            return None
    return {r["labelsOrTypes"][0] for r in records
            if "UNIQUENESS" in (r["type"] or "") and r["properties"] == ["id"] and len(r["labelsOrTypes"] or []) == 1}
