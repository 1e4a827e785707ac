"""What is computed from a graph and kept while that graph lives: its name index, its routing
graphs, their igraph copies. One explicit owner instead of private keys inside `G.graph`, so a
graph's attributes stay the data's (exports and equality never see a cache) and the caches can
be listed, bounded and dropped in one place.

A graph is not changed once built (everywhere in this project), so nothing here is ever stale;
a view shares its root graph's caches.

>>> import networkx as nx
>>> G = nx.Graph()
>>> derived(G).get("answer", lambda: 42)
42
>>> derived(nx.subgraph_view(G)) is derived(G)
True
"""
from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import Any, Callable, Hashable

__all__ = ["DerivedCache", "derived"]


class DerivedCache:
    """Named values built on first use; each name's family ("routing", ...) keeps at most
    `limit` entries, the oldest dropped first."""

    def __init__(self, limit: int = 8):
        self.limit = limit
        self._families: dict[Hashable, OrderedDict] = {}

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        family = key[0] if isinstance(key, tuple) else key
        entries = self._families.setdefault(family, OrderedDict())
        if key not in entries:
            value = build()
            if len(entries) >= self.limit:
                entries.popitem(last=False)
            entries[key] = value
        return entries[key]

    def peek(self, key: Hashable) -> Any:
        """The value kept under `key`, or None if none is (nothing is built)."""
        family = key[0] if isinstance(key, tuple) else key
        return self._families.get(family, {}).get(key)

    def clear(self) -> None:
        self._families.clear()

    def __len__(self) -> int:
        return sum(len(e) for e in self._families.values())


_CACHES: "weakref.WeakKeyDictionary[Any, DerivedCache]" = weakref.WeakKeyDictionary()


def derived(G: Any) -> DerivedCache:
    """The cache of `G` (of its root graph when `G` is a view)."""
    root = getattr(G, "_graph", G)
    cache = _CACHES.get(root)
    if cache is None:
        cache = _CACHES[root] = DerivedCache()
    return cache
