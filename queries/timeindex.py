"""The dates of a graph as arrays, for the time and upkeep queries, and rows made when read.

`changes`, `due` and `review` ask about every relation of a network (a million at the largest
size we measure). Walking them in Python and making a row for each takes tens of seconds; with
the dates, statuses, kinds and evidence dates of every relation in arrays (`TimeIndex`), a
window or a staleness limit is a few array comparisons, the order of the answer one sort of
integers, and each row is made only when it is read (`Rows`): a table that shows the first 20
rows of 400,000 makes 20.

The arrays follow the graph's edge order (`G.edges`), so an answer can break ties the way a
walk over the edges would. They are computed once per graph (`graph.derived`), and for a large
graph read by `loaders.load_graph` kept in the loaders' cache too, keyed by the graph's content
and this package's code, so the next command starts from them. numpy is imported inside the
functions that use it (`espoo-net stats` starts without it).
"""
from __future__ import annotations

import datetime as dt
import operator
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable, Iterator

import networkx as nx

from graph.derived import derived
from graph.model import TODAY_STATUSES, paused_gc
from graph.types import first_day, last_day
from loaders import LARGE_GRAPH
from loaders.cache import code_digest, content_key, read_object, write_object

__all__ = ["Rows", "TimeIndex", "time_index", "mapped", "STATUS_CODES", "NO_FIRST", "NO_LAST"]

NO_FIRST = 2**31 - 1  # the first day of an undated field: after every window
NO_LAST = -1  # its last day: before every window
OPEN = 2**31 - 2  # the last day a tie holds when it is open-ended
STATUS_CODES = {"active": 0, "unknown": 1, "ended": 2, "suspended": 3, "planned": 4}
OTHER_STATUS = 5
_HERE = Path(__file__).resolve().parent


class Rows(Sequence):
    """A list of result rows, each made when it is read (`make(i)` makes row i).

    Behaves as a read-only list: `len`, indexing, slicing (a list), iteration, equality with a
    list; `graph.interchange.json_default` writes it as a JSON array. `columns` may carry
    arrays with one value per row (such as each row's day), for summaries that need no rows.
    """

    __slots__ = ("_n", "_make", "columns")

    def __init__(self, n: int, make: Callable[[int], Any], columns: dict[str, Any] | None = None):
        self._n, self._make, self.columns = int(n), make, columns or {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._make(k) for k in range(*i.indices(self._n))]
        i = int(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("row index out of range")
        return self._make(i)

    def __iter__(self) -> Iterator[Any]:
        return map(self._make, range(self._n))

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, Rows)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({self._n} rows)"

    def map(self, fn: Callable[[Any], Any]) -> "Rows":
        """The same rows, each passed through `fn` when read."""
        make = self._make
        return Rows(self._n, lambda i: fn(make(i)), self.columns)


def mapped(rows: Sequence, fn: Callable[[Any], Any]) -> Sequence:
    """`rows` with `fn` applied to each: lazily for `Rows`, at once for a list."""
    return rows.map(fn) if isinstance(rows, Rows) else [fn(r) for r in rows]


def _days(texts) -> tuple[dict, dict]:
    """Each distinct date text's first and last day as ordinals (None: undated)."""
    lo: dict = {None: NO_FIRST, "": NO_FIRST}
    hi: dict = {None: NO_LAST, "": NO_LAST}
    for t in set(texts) - {None, ""}:
        lo[t], hi[t] = first_day(t).toordinal(), last_day(t).toordinal()
    return lo, hi


def _newest_published(sources) -> str | None:
    """The newest `published` date of sources (by its last day), or None."""
    best, best_day = None, None
    for s in sources or ():
        p = s.get("published")
        if p and (best_day is None or last_day(p) > best_day):
            best, best_day = p, last_day(p)
    return best


_FIELDS = ("id", "kind", "since", "until", "status", "confidence", "sources")


def _columns(D: list[dict]) -> list[list]:
    """The fields of `_FIELDS` of every relation, one list per field (one C-level pass when every
    relation has them all, as `graph.model.build_graph` makes them)."""
    if not D:
        return [[] for _ in _FIELDS]
    try:
        rows = list(map(operator.itemgetter(*_FIELDS), D))
    except KeyError:
        rows = [(d["id"], d["kind"], d.get("since"), d.get("until"), d.get("status", "active"), d.get("confidence"),
                 d.get("sources")) for d in D]
    return [list(c) for c in zip(*rows)]


def _build_arrays(G: nx.MultiDiGraph) -> dict:
    """Every array of a `TimeIndex`, from the graph (see its attributes)."""
    import numpy as np

    nodes = list(G)
    pos = {n: i for i, n in enumerate(nodes)}
    walk = [(u, v, j, d) for u, nbrs in G.adjacency() for v, keyed in nbrs.items() for j, d in enumerate(keyed.values())]
    m = len(walk)
    U, V, J, D = (list(c) for c in zip(*walk)) if walk else ([], [], [], [])
    del walk
    edge_ids, kind_names, since, until, status, confidence, srcs = _columns(D)
    # evidence_date: the newest published date of the sources, else until, else since
    published = [(s[0].get("published") if len(s) == 1 else _newest_published(s)) if s else None for s in srcs]
    evidence = [p or t or s for p, t, s in zip(published, until, since)]
    node_data = [G.nodes[n] for n in nodes]
    node_evidence = [_newest_published(nd.get("sources")) for nd in node_data]
    lo, hi = _days([*since, *until, *evidence, *node_evidence])

    def col(values, table, dtype=np.int32):
        return np.fromiter(map(table.__getitem__, values), dtype, count=len(values))

    st = col(status, {x: STATUS_CODES.get(x, OTHER_STATUS) for x in set(status)}, np.int8)
    kinds = sorted(set(kind_names))
    s_hi, t_hi = col(since, hi), col(until, hi)
    # the last day a tie holds (graph.model.last_day_held, not one-off): until's last day; an
    # ended tie without until holds to its since's last day (undated: no day at all)
    held = np.where(t_hi != NO_LAST, t_hi, OPEN).astype(np.int32)
    ended_open = (st == STATUS_CODES["ended"]) & (t_hi == NO_LAST)
    held[ended_open] = np.where(s_hi[ended_open] != NO_LAST, s_hi[ended_open], dt.date.min.toordinal())

    node_kind_names = [str(nd.get("kind")) for nd in node_data]
    node_kinds = sorted(set(node_kind_names))
    ids = nodes + edge_ids
    order = sorted(range(len(ids)), key=ids.__getitem__)
    rank = np.empty(len(ids), np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(ids), dtype=np.int64)
    del order

    # where each record is written: (file, line) as one dense rank; unknown places last
    locations = G.graph.get("locations") or {}
    if locations:
        where = [locations.get(r, (None, None)) for r in ids]
        files = sorted({f for f, _ in where if f is not None})
        file_rank = {f: i for i, f in enumerate(files)}
        place = np.fromiter(((file_rank.get(f, len(files)) << 32) + (line or 0) for f, line in where), np.int64,
                            count=len(ids))
        place_rank = np.unique(place, return_inverse=True)[1].astype(np.int64).reshape(-1)
    else:
        place_rank = np.zeros(len(ids), np.int64)

    n_sources = np.fromiter(map(len, (s or () for s in srcs)), np.int32, count=m)
    arrays = {
        "n_nodes": len(nodes), "n_edges": m, "node_checksum": _fingerprint(G), "kinds": kinds, "node_kinds": node_kinds,
        "u": col(U, pos), "v": col(V, pos), "j": np.asarray(J, np.int32),
        "kind": col(kind_names, {k: i for i, k in enumerate(kinds)}, np.int16), "status": st,
        "s_lo": col(since, lo), "s_hi": s_hi, "t_lo": col(until, lo), "t_hi": t_hi, "held": held,
        "ev_hi": col(evidence, hi), "n_sources": np.minimum(n_sources, 2).astype(np.int8),
        "low": np.asarray(confidence, dtype=object) == "low",
        "node_kind": col(node_kind_names, {k: i for i, k in enumerate(node_kinds)}, np.int16),
        "node_sourced": np.fromiter((bool(nd.get("sources")) for nd in node_data), bool, count=len(nodes)),
        "node_role": np.fromiter((nd.get("kind") == "person" and bool(nd.get("role")) for nd in node_data), bool,
                                 count=len(nodes)),
        "node_low": np.fromiter((nd.get("confidence") == "low" for nd in node_data), bool, count=len(nodes)),
        "node_ev_hi": col(node_evidence, hi), "rank": rank, "place": place_rank,
    }
    # every entity's earliest dated tie (planned ones aside): the `first_seen` of `changes`
    arrays["earliest"] = _earliest(arrays, (st != STATUS_CODES["planned"]) & (arrays["s_lo"] != NO_FIRST))
    return arrays


def _earliest(a: dict, counted) -> tuple[Any, Any]:
    """For each entity with a counted relation: (entity positions, the position of its earliest
    relation by the first day of `since`, the first in edge order among equals)."""
    import numpy as np

    e = np.nonzero(counted)[0]
    ends = np.concatenate([a["u"][e], a["v"][e]])
    edges = np.concatenate([e, e])
    order = np.lexsort((edges, a["s_lo"][edges], ends))
    ends, edges = ends[order], edges[order]
    first = np.ones(len(ends), bool)
    first[1:] = ends[1:] != ends[:-1]
    return ends[first], edges[first]


class TimeIndex:
    """The dates, statuses and kinds of every relation of a graph as arrays, in edge order.

    Relation arrays (one value per edge): ``u``, ``v`` (positions in `nodes`), ``j`` (the
    edge's place among those between u and v), ``kind`` (index into `kinds`, which is sorted,
    so codes sort as names do), ``status`` (`STATUS_CODES`), ``s_lo``/``s_hi`` and
    ``t_lo``/``t_hi`` (first and last day of since and until as ordinals; `NO_FIRST`/`NO_LAST`
    when undated, so an undated field is in no window), ``held`` (the last day the tie holds),
    ``ev_hi`` (the last day of its evidence date), ``n_sources`` (up to 2), ``low``. Entity
    arrays: ``node_kind``, ``node_sourced``, ``node_role``, ``node_low``, ``node_ev_hi``.
    Records (entities, then relations): ``rank`` (the order of their ids), ``place`` (the order
    of the file and line they are written at).
    """

    def __init__(self, G: nx.MultiDiGraph, arrays: dict):
        self.G = G
        self.nodes = list(G)
        self.__dict__.update(arrays)
        self.names = dict(G.nodes(data="name"))
        self._masks: dict = {}

    # --- reading rows back -----------------------------------------------------------------------

    def edge(self, p: int) -> tuple[str, str, dict]:
        """The relation at position `p`: (source, target, attributes)."""
        u, v = self.nodes[self.u[p]], self.nodes[self.v[p]]
        keyed = self.G._adj[u][v]
        j = int(self.j[p])
        d = next(iter(keyed.values())) if j == 0 else list(keyed.values())[j]
        return u, v, d

    # --- masks -----------------------------------------------------------------------------------

    def holds(self, day: dt.date):
        """Which relations hold on `day` (`graph.model.is_active`, not one-off), as a boolean array."""
        d = day.toordinal()
        m = (self.status != STATUS_CODES["planned"]) & ((self.s_lo == NO_FIRST) | (self.s_lo <= d)) & (self.held >= d)
        if day >= dt.date.today():
            m &= self.status_in(TODAY_STATUSES)
        return m

    def status_in(self, statuses) -> Any:
        import numpy as np

        return np.isin(self.status, [STATUS_CODES[s] for s in statuses if s in STATUS_CODES])

    def kind_in(self, kinds) -> Any:
        import numpy as np

        return np.isin(self.kind, [self.kinds.index(k) for k in kinds if k in self.kinds])

    def theme_mask(self, tid: str) -> Any:
        """Which relations are on a theme (`graph.model.on_theme`), kept per theme."""
        import numpy as np

        from graph.model import on_theme

        if ("theme", tid) not in self._masks:
            G = self.G
            self._masks["theme", tid] = np.fromiter(
                (on_theme(G, u, v, d, tid) for u, v, d in G.edges(data=True)), bool, count=self.n_edges)
        return self._masks["theme", tid]

    def earliest_of(self, counted) -> tuple[Any, Any]:
        """For each entity with a counted relation (a boolean array): (entity positions, the
        position of its earliest relation by the first day of `since`, the first in edge order
        among equals). With every dated relation but planned ones: ``self.earliest``."""
        return _earliest(self.__dict__, counted)

    def sort_key(self, day, kind, record):
        """An integer key that sorts by day, then kind code, then record id (all arrays)."""
        import numpy as np

        if len(day) == 0:
            return np.zeros(0, np.int64)
        day = day.astype(np.int64) - int(day.min())
        return (day * (len(self.kinds) + len(self.node_kinds) + 1) + kind) * len(self.rank) + self.rank[record]


def _fingerprint(G: nx.Graph) -> int:
    """A checksum of the entities in graph order: arrays read back from the cache must be the
    same graph's, in the same order."""
    return zlib.crc32("\n".join(G).encode("utf-8"))


def time_index(G: nx.MultiDiGraph) -> TimeIndex:
    """The `TimeIndex` of `G`, built on first use and kept with it (a view gets its own, uncached)."""
    root = getattr(G, "_graph", G)
    if root is not G:
        return TimeIndex(G, _build_arrays(G))

    def build() -> TimeIndex:
        source = derived(G).get("content_key", lambda: None)  # set by loaders.load_graph
        large = G.number_of_nodes() >= LARGE_GRAPH
        with paused_gc(keep=lambda: large):
            if source is None or not large:
                return TimeIndex(G, _build_arrays(G))
            key = content_key("time index", source, code_digest(_HERE))
            arrays = read_object(key, dict)
            if arrays is None or arrays.get("n_edges") != G.number_of_edges() or arrays.get("node_checksum") != _fingerprint(G):
                arrays = _build_arrays(G)
                write_object(key, arrays)
            return TimeIndex(G, arrays)

    return derived(G).get("time index", build)
