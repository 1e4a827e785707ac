"""The network the explorer answers from: loaded once, reloaded when its files change.

`Network` holds the graph of a dataset folder (or pulled from a Neo4j server) and hands it
to the API functions. Before a question is answered it looks, at most once per `check_every`
seconds, at the data files' sizes and modification times (a `stat` per file, no reading); when
one changed, appeared or went, the dataset is loaded again. A dataset that no longer validates
is not swapped in: the previous one keeps answering and `problem` says what is wrong, so the
page is never half loaded.

With the neo4j backend, path and introduction searches run in the server (`queries.server`, as
the CLI's ``--backend neo4j`` does) and the rest on the network pulled from it. Instead of the
files, it looks at the data version that every push that changed anything records on the server
(`loaders.neo4j.data_version`: one small read, at most once per `check_every` seconds); a new
version is pulled again, read before the pull, so a push that ends during the pull is pulled
once more at the next look.
"""
from __future__ import annotations

import gc
import threading
import time
import weakref
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import networkx as nx

from graph.errors import EspooNetError
from graph.interchange import entity_count
from loaders import default_data_path, load_graph
from loaders.read import data_files
from queries.routing import routing_graph

__all__ = ["Network", "BACKENDS"]

BACKENDS = ("networkx", "neo4j")
_COLLECT_TRIES = 5  # looks at a replaced graph still in use before it is left to the collector


def _fingerprint(root: Path) -> tuple:
    """Every data file under `root` with its size and modification time: what a change changes."""
    try:
        files = data_files(root) if root.exists() else []
        return tuple((str(p), st.st_size, st.st_mtime_ns) for p in files for st in (p.stat(),))
    except OSError:  # a file removed between listing and stat: it changed
        return (("?", time.monotonic_ns()),)


class Network:
    """The loaded network, its version (bumped on every reload) and the last reload problem.

    Parameters
    ----------
    data : dataset folder or file (default: $ESPOO_NET_DATA, else the bundled data/).
    backend : "networkx" (the dataset in memory) or "neo4j" (a server; `neo4j` is its Settings).
    check_every : seconds between two looks at the data (0: before every question).
    background : read a changed network in a thread, answering from the current one meanwhile
        (`espoo-net serve` does: a pull of a large network takes a while); else before answering.
    """

    def __init__(self, data: str | Path | None = None, *, backend: str = "networkx", neo4j=None,
                 check_every: float = 1.0, progress: Callable | None = None, background: bool = False):
        if backend not in BACKENDS:
            raise EspooNetError(f"unknown backend {backend!r} (use networkx or neo4j)")
        self.backend, self.settings, self.check_every = backend, neo4j, check_every
        self.background = background
        self.root = Path(data) if data is not None else default_data_path()
        self.version = 0
        self.problem: str | None = None
        self.loaded_at = 0.0
        self.loaded: dict | None = None  # neo4j: the data version (data_version) of the network loaded
        self._lock = threading.RLock()
        self._checked = 0.0
        self._stamp: tuple | None = ()
        self._reloading: threading.Thread | None = None
        self._retired: list[list] = []  # replaced graphs not yet freed (see _collect_retired)
        self.views: dict[str, OrderedDict] = {}  # answers kept, by question, version, day and parameters: explorer.api.remember
        self._graph: nx.MultiDiGraph | None = None
        self._counted: tuple[int, int, int] | None = None  # (version, entities, relations): describe
        self._install(*self._load(progress))

    def _look(self) -> tuple[tuple | None, dict | None]:
        """What changes when the data does (the files' sizes and times, or the server's data
        version), and the server's data version itself (None for files)."""
        if self.backend == "neo4j":
            from loaders.neo4j import data_version

            found = data_version(self.settings)
            return (None if found is None else (found["stamp"], found["version"])), found
        return _fingerprint(self.root), None

    def _load(self, progress=None) -> tuple[nx.MultiDiGraph, tuple | None, dict | None]:
        """The network read now, with what it was read after (`_look`)."""
        stamp, pushed = self._look()  # before reading: a change during the read is seen at the next look
        if self.backend == "neo4j":
            from loaders.neo4j import pull

            G = pull(self.settings)
        else:
            G = load_graph(self.root, progress=progress)
        # A server answers many questions: today's routing graph, built once here, makes each
        # answer a search over ready ties instead of computing them as the search reaches them.
        routing_graph(G)
        return G, stamp, pushed

    def _install(self, G: nx.MultiDiGraph, stamp: tuple | None, pushed: dict | None) -> None:
        """Answer from `G` from now on: a new version, so no answer kept for the old one is given."""
        with self._lock:
            if self._graph is not None:
                self._retired.append([weakref.ref(self._graph), 0])
            self._graph, self._stamp, self.loaded, self.problem = G, stamp, pushed, None
            self.version += 1
            self.loaded_at = time.time()

    @property
    def reloading(self) -> bool:
        """Whether a new network is being read in the background (the old one answers meanwhile)."""
        return self._reloading is not None and self._reloading.is_alive()

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The current graph, reloaded first when the data changed since the last look (the files,
        or the data version a push records on the server). With `background`, the reload runs in
        a thread and questions are answered from the current graph until it is done."""
        if time.monotonic() - self._checked >= self.check_every and not self.reloading:
            with self._lock:
                if time.monotonic() - self._checked >= self.check_every and not self.reloading:
                    self._check()
                    self._checked = time.monotonic()
        return self._graph

    def _check(self) -> None:
        try:
            stamp, _ = self._look()
        except EspooNetError as e:  # the server is away: answer from what was pulled
            self.problem = f"cannot check the server for a new push: {e}"
            return
        if self.problem and self.problem.startswith("cannot check the server"):
            self.problem = None
        if stamp != self._stamp:
            if self.background:
                self._reloading = threading.Thread(target=self._reload, args=(stamp,), name="espoo-net reload",
                                                   daemon=True)
                self._reloading.start()
            else:
                self._reload(stamp)
        elif self._retired:
            self._collect_retired()

    def _reload(self, stamp: tuple | None) -> None:
        try:
            loaded = self._load()
        except EspooNetError as e:  # keep answering from the last good data
            with self._lock:
                # Not tried again until the data changes again (a bad file edited, another push).
                self._stamp = stamp
                self.problem = str(e)
            return
        self._install(*loaded)
        del loaded
        with self._lock:
            self._collect_retired()

    def _collect_retired(self) -> None:
        """Free the graphs a reload replaced.

        A large graph is frozen once read (`graph.model.paused_gc`: `gc.freeze`), and a graph holds
        reference cycles (NetworkX's views of it), so a replaced one would never be freed: every
        reload would keep another copy. Once nothing uses it any more (a question still being
        answered from it may), everything frozen is handed back to the collector, collected, and
        what is left (the new graph) frozen again. Checked again at the next look at the files
        while an old graph is still alive, a few times at most.
        """
        if not self._retired:
            return
        frozen = gc.get_freeze_count() > 0
        if frozen:
            gc.unfreeze()
        gc.collect()
        if frozen:
            gc.freeze()
        for entry in self._retired:
            entry[1] += 1
        self._retired = [e for e in self._retired if e[0]() is not None and e[1] < _COLLECT_TRIES]

    def run(self, function: Callable, *args, **kwargs):
        """Run `function` of `queries` on this network, as `espoo-net --backend` would."""
        G = self.graph
        if self.backend == "neo4j":
            from queries.server import server_twin

            twin = server_twin(function)
            if twin is not None:
                return twin(self.settings, *args, **kwargs)
        return function(G, *args, **kwargs)

    def _counts(self) -> tuple[int, int, int]:
        """The version, entities and relations of the network answering now, counted once per
        version: counting walks every relation (a quarter of a second at a million), which the
        page's look every 5 seconds would otherwise take from the answers being worked out."""
        self.graph  # noqa: B018 - a look at the files first (a reload, if they changed)
        with self._lock:
            G, version = self._graph, self.version
        found = self._counted
        if found is None or found[0] != version:
            found = self._counted = (version, entity_count(G), G.number_of_edges())
        return found

    def describe(self) -> dict:
        version, entities, relations = self._counts()
        where = self.root.name if self.backend == "networkx" else "neo4j"  # a name, not a path of this machine
        out = {"backend": self.backend, "data": where, "version": version, "entities": entities,
               "relations": relations, "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.loaded_at)),
               "problem": self.problem}
        if self.backend == "neo4j":  # the push the network was pulled after (None: none recorded)
            out["pushed"] = None if self.loaded is None else {k: self.loaded[k] for k in ("version", "pushed_at")}
        out["reloading"] = self.reloading
        return out
