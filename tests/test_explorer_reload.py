"""The explorer's network state: a reload frees the network it replaces (even when large graphs
are frozen), and the depth of a large network's map.

A graph of `loaders.LARGE_GRAPH` entities or more is moved out of the garbage collector's sight
once read (`gc.freeze`); a graph holds reference cycles, so a replaced one would stay for good and
every reload would keep one more copy. Here every graph counts as large (the threshold is 1) and
the dataset changes twice: each replaced graph must be gone (a weak reference says so), and the
frozen heap must not grow by a graph per reload.
"""
from __future__ import annotations

import gc
import weakref

import yaml

import loaders
from explorer import Network
from queries import routing
from tests.support.mapdata import SMALL, write_dataset


def _grow(folder, n: int) -> None:
    extra = [{"id": f"town{i}", "kind": "city", "name": f"Town {i}", "country": "EE",
              "sources": [{"url": f"https://example.org/town{i}", "seen": "2025-01-01"}]} for i in range(n)]
    data = dict(SMALL, entities=[*SMALL["entities"], *extra])
    (folder / "net.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_reload_frees_the_frozen_graph_it_replaces(tmp_path, monkeypatch):
    monkeypatch.setattr(loaders, "LARGE_GRAPH", 1)  # every graph is large: frozen once read
    monkeypatch.setattr(routing, "LARGE_GRAPH", 1)
    folder = write_dataset(tmp_path / "net", SMALL)
    try:
        net = Network(folder, check_every=0)
        first = weakref.ref(net.graph)
        assert gc.get_freeze_count() > 0  # the premise: the loaded graph is frozen
        frozen = []
        for n in (1, 2, 3):
            _grow(folder, n)
            G = net.graph  # looks at the files: changed, so reloaded
            assert net.version == n + 1 and len(G) == len(SMALL["entities"]) + n
            assert first() is None, "the replaced graph was not freed"
            first = weakref.ref(G)
            del G
            frozen.append(gc.get_freeze_count())
        # Each reload swaps one graph for another of about the same size: the frozen heap stays
        # about as it was (a graph of this size is thousands of objects), not one graph more each time.
        assert frozen[2] - frozen[0] < 2000, frozen
    finally:
        gc.unfreeze()


def test_a_replaced_graph_still_in_use_is_freed_once_let_go(tmp_path, monkeypatch):
    monkeypatch.setattr(loaders, "LARGE_GRAPH", 1)
    monkeypatch.setattr(routing, "LARGE_GRAPH", 1)
    folder = write_dataset(tmp_path / "net", SMALL)
    try:
        net = Network(folder, check_every=0)
        in_use = net.graph  # a question still being answered from the old graph
        old = weakref.ref(in_use)
        _grow(folder, 1)
        assert net.version == 1 and net.graph is not in_use and net.version == 2
        assert old() is not None  # still used: kept
        del in_use
        net.graph  # the next look at the files collects it
        assert old() is None
    finally:
        gc.unfreeze()


def test_the_map_of_a_large_network_shows_two_steps_when_they_fit(small_graph):
    """`auto_depth`: the page's map of an entity shows two steps around it when they reach at most
    the map's limit of entities, else one (counted along every tie, on any day)."""
    import networkx as nx

    from explorer.api import auto_depth

    two = {m for n in nx.all_neighbors(small_graph, "nomme") for m in nx.all_neighbors(small_graph, n)}
    two |= set(nx.all_neighbors(small_graph, "nomme")) | {"nomme"}
    assert auto_depth(small_graph, "Nõmme", limit=len(two)) == 2  # by name, as the page asks
    assert auto_depth(small_graph, "nomme", limit=len(two) - 1) == 1
    assert auto_depth(small_graph, "no such place") == 1  # the map's own selection reports it


def test_a_background_reload_answers_from_the_current_graph_meanwhile(tmp_path, monkeypatch):
    """As `espoo-net serve` runs it: a changed network is read in a thread; questions asked
    meanwhile get the current graph at once, and the new one (a new version) once it is read."""
    import threading

    from explorer import state

    folder = write_dataset(tmp_path / "net", SMALL)
    net = Network(folder, check_every=0, background=True)
    current = net.graph
    gate, real = threading.Event(), state.load_graph

    def slow_load(*args, **kwargs):
        assert gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(state, "load_graph", slow_load)
    _grow(folder, 1)
    assert net.graph is current  # the look starts the reload; the question is not held up
    assert net.reloading and net.describe()["reloading"] is True and net.version == 1
    assert net.graph is current
    gate.set()
    net._reloading.join(30)
    assert not net.reloading and net.version == 2
    assert len(net.graph) == len(current) + 1 and net.describe()["reloading"] is False


def test_the_network_is_counted_once_per_version(tmp_path, monkeypatch):
    """/api/meta, which the page asks every 5 seconds, counts the entities and relations once per
    version of the network (counting walks every relation), and again after a reload."""
    import explorer.state as state

    counted = []
    count = state.entity_count
    monkeypatch.setattr(state, "entity_count", lambda G: counted.append(1) or count(G))
    folder = write_dataset(tmp_path / "net", SMALL)
    net = Network(folder, check_every=0)
    first = net.describe()
    assert [net.describe()["entities"] for _ in range(3)] == [first["entities"]] * 3 and len(counted) == 1
    assert first["relations"] == net.graph.number_of_edges() and first["version"] == 1
    _grow(folder, 2)
    again = net.describe()
    assert (again["version"], again["entities"], len(counted)) == (2, first["entities"] + 2, 2)
    assert again["relations"] == net.graph.number_of_edges()
