"""Where a query runs: ``--backend networkx|neo4j`` and the Neo4j connection options.

Connection options fall back to the environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE (and NEO4J_RETRY_SECONDS). Prefer the variable for the password, so it stays
out of shell history; it is never printed.
"""
from __future__ import annotations

import contextlib
import functools
from typing import Any, Callable

import click

from graph.errors import EspooNetError
from graph.model import paused_gc
from loaders import background
from loaders.neo4j import Settings, pull
from queries.server import server_twin

from .options import load_graph_for

__all__ = ["neo4j_options", "backend_options", "graph_for_query", "on_backend", "BACKENDS"]

BACKENDS = ("networkx", "neo4j")

_NEO4J_OPTIONS = [
    click.option("--neo4j-uri", envvar="NEO4J_URI", show_envvar=True, default=None, metavar="URI",
                 help="Bolt URI of the server  [default: bolt://localhost:7687]"),
    click.option("--neo4j-user", envvar="NEO4J_USER", show_envvar=True, default=None, metavar="USER",
                 help="User name  [default: neo4j]"),
    click.option("--neo4j-password", envvar="NEO4J_PASSWORD", show_envvar=True, default=None, metavar="PASSWORD",
                 help="Password (better set in the environment variable than on the command line)."),
    click.option("--neo4j-database", envvar="NEO4J_DATABASE", show_envvar=True, default=None, metavar="NAME",
                 help="Database  [default: the server's default database]"),
    click.option("--neo4j-retry-seconds", envvar="NEO4J_RETRY_SECONDS", show_envvar=True, type=float, default=None,
                 metavar="SECONDS", help="How long to retry a transaction after a lost connection  [default: 30]"),
]


def _settings(values: dict[str, Any]):
    return Settings.from_env(
        uri=values.pop("neo4j_uri"), user=values.pop("neo4j_user"), password=values.pop("neo4j_password"),
        database=values.pop("neo4j_database"), retry_seconds=values.pop("neo4j_retry_seconds"))


def neo4j_options(f: Callable) -> Callable:
    """The connection options; the command receives them as one `neo4j` keyword (a Settings)."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            kwargs["neo4j"] = _settings(kwargs)
        except EspooNetError as e:  # a malformed URI or a negative retry time: bad usage
            raise click.UsageError(str(e)) from None
        return f(*args, **kwargs)

    for option in reversed(_NEO4J_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


def backend_options(f: Callable) -> Callable:
    """``--backend networkx|neo4j`` plus the connection options, for the query commands.

    The command receives `backend` (the name) and `neo4j` (a Settings, used only with neo4j).
    """
    f = neo4j_options(f)
    return click.option(
        "--backend", type=click.Choice(BACKENDS), envvar="ESPOO_NET_BACKEND", show_envvar=True,
        default="networkx", show_default=True,
        help="Where the network is: the dataset in memory (networkx) or a Neo4j server (neo4j).",
    )(f)


def graph_for_query(data_path: str | None, backend: str, neo4j=None, *, theme: str | None = None,
                    focus: str | None = None, depth: int | None = None, lazy: bool = False):
    """The graph a query command works on: the dataset, or what it needs pulled from Neo4j.

    With the networkx backend the whole dataset is loaded (theme, focus and depth are left to
    the query). With neo4j, only the theme's part or the focus's neighbourhood is pulled when
    one is given, else the whole network. `lazy`: the question reads a bounded part of the
    network (a route, an introduction): the dataset's graph is read from the cache one entity
    at a time (`loaders.load_graph`).
    """
    if backend == "neo4j":
        return pull(neo4j, theme=theme, focus=focus, depth=depth)
    return load_graph_for(data_path, lazy=lazy)


def on_backend(backend: str, data_path: str | None, neo4j, function: Callable, *args, bounded: bool = False, **kwargs):
    """Run `function` of `queries` on the chosen backend.

    networkx: on the loaded dataset. neo4j: path, neighbours and intro run their search in the
    server (`queries.server`); the whole-network queries (clusters, brokers, suggest,
    themes) run on the network pulled from the server. Either way the result is the same.
    `bounded`: `function` reads a bounded part of the network (`graph_for_query`'s `lazy`); the
    cyclic garbage collector is paused while it runs, since reading the graph as it goes makes
    hundreds of thousands of objects and no cycles (the collector's full scans of them were
    more than half of such a question's time), and in the command line program the objects it
    made are frozen afterwards (`loaders.background.enabled`: a one-shot process).
    """
    if backend == "neo4j":
        twin = server_twin(function)
        if twin is not None:
            return twin(neo4j, *args, **kwargs)
    G = graph_for_query(data_path, backend, neo4j, lazy=bounded)
    # In the command line program (one question, then `os._exit`), what the question made is
    # frozen out of the collector's sight on the way out, not walked by the first collection
    # after the pause (half a second at a million relations); a longer-lived caller (a test
    # runner) lets the collector have it.
    with paused_gc(keep=background.enabled) if bounded else contextlib.nullcontext():
        return function(G, *args, **kwargs)
