"""A cached graph read one entity at a time: for questions that touch a few thousand entities.

Unpickling a million-relation MultiDiGraph takes seconds (its cost is the number of Python
objects, not their size), while an introduction or a route reads a few thousand entities' rows.
So beside the whole graph (`loaders.cache`), `load_graph(..., lazy=True)` keeps the same graph
in a second entry read on demand: each entity's attributes, its outgoing relations
(``{target: {key: attributes}}``, in the multigraph's order) and the rows of all its relations
in the compact form the routing rows judge them by (`relation_rows`: both ends, the fields of
a tie's strength and theme) pickled apart, located by an offset table, and read (`os.pread`)
the first time a search touches them. Incoming relations are the sources' outgoing ones (the
same dicts, as in a multigraph), found through the rows.
`LazyGraph` is a `networkx.MultiDiGraph` whose ``_node``, ``_succ`` and ``_pred`` are such
mappings, so every NetworkX view and every query reads it as it reads the full graph (a walk
over all of it works too, reading every entity: whole-network commands get the full graph).
Its ``columns`` hold what a question scans on every entity (kind, home, country).

One file per entry (``<key>.cache``, evicted with the others by `loaders.cache.evict`)::

    MAGIC, key (32 ASCII hex digits), head offset (8 bytes), head length (8), SHA-256 of the head,
    the blobs (3 per entity: attributes, outgoing relations, relation rows), the head

The head (a pickle: ids, columns, the graph's own attributes, the blob offsets and each blob's
CRC-32) is verified whole on open, and the file's length against it (a truncated file is
discarded and rebuilt); each blob is checked against its CRC-32 when read. A blob that fails
(the file changed under us) is never used: the entry is deleted and the graph answers from the
whole graph from then on (`fallback`), whose contents are the same. Writes go to a temporary
file renamed into place.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import zlib
from array import array
from collections.abc import Mapping
from operator import itemgetter
from pathlib import Path
from typing import Callable

import networkx as nx

from .cache import MAX_BYTES, _discard, _entry, cache_dir, mark_used, open_unfollowed, write_atomically

__all__ = ["LazyGraph", "write_lazy", "open_lazy", "relation_rows", "COLUMNS", "ROW_FIELDS"]

MAGIC = b"espoo-net lazy 3\n"
_FIXED = len(MAGIC) + 32 + 8 + 8 + 32
COLUMNS = ("kind", "home", "country")  # node fields a question scans on every entity
# What judging a tie reads of a relation (`queries.strength.tie_strength`, the theme rule).
ROW_FIELDS = ("kind", "since", "until", "status", "strength", "confidence", "themes")
_PARTS = 3  # blobs per entity: attributes, outgoing relations, the rows of its relations


class _Broken(Exception):
    """A blob that does not verify."""


class _Store:
    """The blobs of one entry, read by index; on a failed check, the whole graph instead."""

    def __init__(self, path: Path, fd: int, base: int, offsets: array, crcs: array, ids: tuple,
                 fallback: Callable[[], nx.MultiDiGraph] | None):
        self.path, self.fd, self.base, self.offsets, self.crcs, self.ids = path, fd, base, offsets, crcs, ids
        self.fallback, self.full = fallback, None

    def load(self, i: int):
        if self.full is None:
            try:
                return self._read(i)
            except (_Broken, OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
                self._give_up()
        return self._from_full(i)

    def _read(self, i: int):
        start, end = self.offsets[i], self.offsets[i + 1]
        blob = os.pread(self.fd, end - start, self.base + start)
        if len(blob) != end - start or zlib.crc32(blob) != self.crcs[i]:
            raise _Broken(i)
        return pickle.loads(blob)

    def _give_up(self) -> None:
        _discard(self.path)
        if self.fallback is None:
            raise _Broken("the lazily read graph changed on disk and there is no whole graph to read instead")
        self.full = self.fallback()

    def _from_full(self, i: int):
        G = self.full
        node = self.ids[i // _PARTS]
        part = i % _PARTS
        return relation_rows(G, node) if part == 2 else (G._node, G._succ)[part][node]


class _Lazy(Mapping):
    """id -> one part of each entity (attributes, outgoing relations or relation rows), read on first use."""

    def __init__(self, store: _Store, place: dict[str, int], ids: tuple, part: int):
        self._store, self._place, self._ids, self._part = store, place, ids, part
        self._got: dict = {}

    def __getitem__(self, node):
        got = self._got.get(node)
        if got is None:
            i = self._place[node]  # KeyError for an unknown entity, as a dict
            got = self._got[node] = self._store.load(i * _PARTS + self._part)
        return got

    def __contains__(self, node) -> bool:
        return node in self._place

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class _Incoming(_Lazy):
    """id -> its incoming relations, {source: {key: attributes}} in the multigraph's order: the
    sources from the entity's relation rows, each one's dicts from its outgoing relations (the
    same dicts, as in a multigraph), so incoming relations are stored once."""

    def __init__(self, succ: _Lazy, rows: _Lazy):
        super().__init__(succ._store, succ._place, succ._ids, -1)
        self._succ, self._rows = succ, rows

    def __getitem__(self, node):
        got = self._got.get(node)
        if got is None:
            succ = self._succ
            got = self._got[node] = {u: succ[u][node] for u, _ in self._rows[node][1]}
        return got


class LazyGraph(nx.MultiDiGraph):
    """A MultiDiGraph read from a lazy cache entry (`open_lazy`); built empty otherwise (as
    NetworkX's views make one), it is a plain MultiDiGraph. Read-only."""

    columns: dict[str, list] | None = None
    rows: Mapping | None = None

    def relation_rows(self, node: str) -> tuple:
        """`relation_rows` of `node`, read apart from its full relations."""
        return relation_rows(self, node) if self.rows is None else self.rows[node]


def relation_rows(G: nx.MultiDiGraph, node: str) -> tuple:
    """(outgoing, incoming) relations of `node` in the multigraph's order, each side a tuple of
    (other end, ((key, the relation's `ROW_FIELDS` as a tuple), ...)): what the routing rows
    judge ties by (`queries.localties`), without the sources and notes."""
    def side(adj):  # lists made into tuples, not tuples of generators: a third of the time
        return tuple([(b, tuple(zip(keys, map(_row, keys.values())))) for b, keys in adj[node].items()])
    return side(G._succ), side(G._pred)


_ROW = itemgetter(*ROW_FIELDS)


def _row(d: dict) -> tuple:
    try:
        return _ROW(d)  # every field is there in a graph of `graph.model.build_graph`
    except KeyError:
        return tuple(d.get(f) for f in ROW_FIELDS)


def _columns(G: nx.MultiDiGraph) -> dict[str, list]:
    return {f: [d.get(f) for d in G._node.values()] for f in COLUMNS}


def write_lazy(key: str, G: nx.MultiDiGraph) -> None:
    """Store `G` under `key` as a lazily read entry (atomically), then evict old entries.
    Never raises OSError: a cache problem only costs speed."""

    def write(f) -> bool:
        f.write(bytes(_FIXED))
        offsets, crcs = array("Q", [0]), array("I")
        dumps, crc, at, chunk = pickle.dumps, zlib.crc32, 0, []
        node, succ = G._node, G._succ
        for n in node:
            for part in (node[n], succ[n], relation_rows(G, n)):
                blob = dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
                chunk.append(blob)
                at += len(blob)
                offsets.append(at)
                crcs.append(crc(blob))
            if len(chunk) > 3000:
                f.write(b"".join(chunk))
                chunk.clear()
        f.write(b"".join(chunk))
        head = pickle.dumps({"ids": tuple(node), "columns": _columns(G), "graph": dict(G.graph),
                             "offsets": offsets.tobytes(), "crcs": crcs.tobytes()},
                            protocol=pickle.HIGHEST_PROTOCOL)
        if _FIXED + at + len(head) > MAX_BYTES:
            return False
        f.write(head)
        f.seek(0)
        f.write(MAGIC + key.encode() + (_FIXED + at).to_bytes(8, "big") + len(head).to_bytes(8, "big")
                + hashlib.sha256(head).digest())
        return True

    write_atomically(key, write)


def open_lazy(key: str, fallback: Callable[[], nx.MultiDiGraph] | None = None) -> LazyGraph | None:
    """The graph stored under `key` by `write_lazy`, read lazily; None if there is none or its
    head or length does not verify (then the entry is deleted). `fallback` gives the whole
    graph should a blob fail its check later."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _entry(folder, key)
    fd = open_unfollowed(path)
    if fd is None:
        return None
    try:
        G = _open(path, fd, key, fallback)
    except Exception:  # anything unexpected in a verified-looking file: not trusted
        G = None
    if G is None:
        os.close(fd)
        _discard(path)
        return None
    mark_used(path)
    return G


def _open(path: Path, fd: int, key: str, fallback) -> LazyGraph | None:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES or st.st_size < _FIXED:
        return None
    fixed = os.pread(fd, _FIXED, 0)
    if len(fixed) != _FIXED or fixed[:len(MAGIC)] != MAGIC or fixed[len(MAGIC):len(MAGIC) + 32] != key.encode():
        return None
    at = len(MAGIC) + 32
    head_at, head_len = int.from_bytes(fixed[at:at + 8], "big"), int.from_bytes(fixed[at + 8:at + 16], "big")
    if head_at + head_len != st.st_size:
        return None
    head = os.pread(fd, head_len, head_at)
    if len(head) != head_len or hashlib.sha256(head).digest() != fixed[at + 16:]:
        return None
    h = pickle.loads(head)
    offsets, crcs = array("Q"), array("I")
    offsets.frombytes(h["offsets"])
    crcs.frombytes(h["crcs"])
    ids = h["ids"]
    if len(offsets) != _PARTS * len(ids) + 1 or len(crcs) != _PARTS * len(ids) or _FIXED + offsets[-1] != head_at:
        return None
    store = _Store(path, fd, _FIXED, offsets, crcs, ids, fallback)
    place = {n: i for i, n in enumerate(ids)}
    G = LazyGraph()
    G.graph.update(h["graph"])
    G._node = _Lazy(store, place, ids, 0)
    G._adj = _Lazy(store, place, ids, 1)  # also _succ
    G.rows = _Lazy(store, place, ids, 2)
    G._pred = _Incoming(G._adj, G.rows)
    G.columns = h["columns"]
    return G
