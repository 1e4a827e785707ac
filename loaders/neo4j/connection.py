"""The connection to a Neo4j server: settings (never showing the password), one driver per
process, checked connections, and driver errors turned into one clear line."""
from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit, urlunsplit


from graph.errors import BackendError

from graph.neo4j import cypher as C



SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
ENV = {"uri": "NEO4J_URI", "user": "NEO4J_USER", "password": "NEO4J_PASSWORD", "database": "NEO4J_DATABASE",
       "retry_seconds": "NEO4J_RETRY_SECONDS"}

# The driver logs every retry on the 'neo4j' logger; the final error is what the user needs to
# see, as one line, so the retries stay quiet unless the application configures logging.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


_RETRY = "retry time (--neo4j-retry-seconds, NEO4J_RETRY_SECONDS)"


@dataclass(frozen=True)
class Settings:
    """Where the server is and how to log in. The password never appears in repr or messages."""

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str | None = None  # None: the server's default database
    retry_seconds: float = 30.0  # how long a managed transaction keeps retrying

    def __post_init__(self) -> None:
        _seconds(self.retry_seconds, _RETRY)
        try:
            parts = urlsplit(self.uri)
            parts.port  # noqa: B018 - parsing the port is the check
        except (ValueError, TypeError) as e:
            scheme, sep, rest = str(self.uri).partition("://")
            shown = f"{scheme}{sep}{rest.rpartition('@')[2]}"  # never a user or password written into it
            raise BackendError(_one_line(
                f"Neo4j URI {shown!r} cannot be read ({e}): use bolt://HOST:7687; check --neo4j-uri or NEO4J_URI",
                self)) from None

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
                values[name] = _seconds(value, _RETRY) if name == "retry_seconds" else value
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
    if not 0 <= seconds < float("inf"):
        raise BackendError(f"{name} {value!r} is not a number of seconds from 0 up")
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


def id_constraints(conn: Connection) -> set[str] | None:
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
