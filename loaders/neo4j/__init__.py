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

>>> from loaders.neo4j import Settings, push, pull
>>> s = Settings(uri="bolt://localhost:7687", user="neo4j", password="secret")   # doctest: +SKIP
>>> push(G, s).entities.created                                                  # doctest: +SKIP
>>> pull(s, focus="espoo", depth=2)                                              # doctest: +SKIP

Modules: `connection` (settings, driver, errors), `push`, `pull`, `status`. Why here: pushing
and pulling turn files' records into a graph in a server and back, the loaders' job; the
labels and the Cypher they use are the model's (`graph.neo4j`), the searches that run in the
server are queries (`queries.server`).
"""
from __future__ import annotations

from .connection import SCHEMES, Connection, Settings, close_drivers, connect
from .pull import NO_FILTER, neighbourhood, pull, read_names, read_subgraph, read_taxonomy
from .push import DEFAULT_BATCH_SIZE, Counts, PushSummary, push
from .status import data_version, status

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
    "data_version",
    "read_taxonomy",
    "read_names",
    "read_subgraph",
    "neighbourhood",
    "NO_FILTER",
    "DEFAULT_BATCH_SIZE",
    "SCHEMES",
]
