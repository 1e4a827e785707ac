"""The lazily read cached graph (`loaders.lazy`) is the whole graph: the same entities, relations
and order, the same routing rows, introductions and routes; it follows its data, and a
truncated or corrupt entry is rebuilt or read around, never believed."""
from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest

from bench.generate import generate
from graph.errors import EspooNetError
from graph.interchange import to_records
from graph.model import build_graph, node_values
from loaders import load_graph
from loaders.lazy import COLUMNS, MAGIC, LazyGraph, open_lazy, write_lazy
from queries.introductions import introductions
from queries.localties import local_routing
from queries.paths import find_paths
from queries.ties import build_routing_graph

KEY = "0123456789abcdef0123456789abcdef"
SMALL = """\
themes:
  - {id: ai, label: Artificial intelligence}
entities:
  - {id: espoo, kind: city, name: Espoo, country: FI, home: true, themes: [ai], sources: [{url: "https://www.espoo.fi/en", seen: 2026-11-20}]}
  - {id: koge, kind: city, name: Køge, country: DK, sources: [{url: "https://www.koege.dk", seen: 2026-11-20}]}
  - {id: odense, kind: city, name: Odense, country: DK, sources: [{url: "https://www.odense.dk", seen: 2026-11-20}]}
relations:
  - {source: espoo, target: koge, kind: twin_town, since: 1948, sources: [{url: "https://www.espoo.fi/en", seen: 2026-11-20}]}
  - {source: koge, target: odense, kind: twin_town, since: 1990, sources: [{url: "https://www.koege.dk", seen: 2026-11-20}]}
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ESPOO_NET_CACHE", str(folder))
    yield folder
    gc.unfreeze()  # a large graph's objects are frozen once read (graph.model.paused_gc)


@pytest.fixture
def small(tmp_path) -> Path:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "net.yaml").write_text(SMALL, encoding="utf-8")
    return tmp_path / "d"


@pytest.fixture(scope="module")
def generated():
    return build_graph(generate(1500, degree=12, seed=11))


def _lazy(G, cache) -> LazyGraph:
    write_lazy(KEY, G)
    L = open_lazy(KEY)
    assert isinstance(L, LazyGraph)
    return L


def _lazy_file(cache: Path) -> Path:
    found = [p for p in cache.glob("*.cache") if p.read_bytes().startswith(MAGIC)]
    assert len(found) == 1
    return found[0]


def _answer(f, *args, **kwargs):
    try:
        return f(*args, **kwargs)
    except EspooNetError as e:
        return type(e).__name__, str(e)


def test_the_same_graph_in_the_same_order(cache, generated):
    G = generated
    L = _lazy(G, cache)
    assert list(L) == list(G) and len(L) == len(G) and L.graph == G.graph
    assert L.number_of_edges() == G.number_of_edges()
    for n in G:
        assert L.nodes[n] == G.nodes[n]
        for mine, theirs in ((L._succ[n], G._succ[n]), (L._pred[n], G._pred[n])):
            assert [(b, list(keys.items())) for b, keys in mine.items()] == [(b, list(keys.items())) for b, keys in theirs.items()]
    assert to_records(L) == to_records(G)
    for field in COLUMNS:
        assert node_values(L, field) == dict(G.nodes(data=field))


@pytest.mark.parametrize("day, theme, inactive", [(dt.date(2026, 1, 1), None, False), (dt.date(2019, 6, 1), "ai", True)])
def test_the_same_routing_rows(cache, generated, day, theme, inactive):
    G = generated
    L = _lazy(G, cache)
    full = build_routing_graph(G, day, theme, inactive)
    local = local_routing(L, day, theme, inactive)
    for node in G:
        assert list(local._adj[node].items()) == list(full._adj[node].items()), node
    assert local.graph["home"] == full.graph["home"] and local.graph["no_transit"] == full.graph["no_transit"]


def test_the_same_introductions_and_routes(cache, generated):
    G = generated
    L = _lazy(G, cache)
    others = [n for n, h in G.nodes(data="home") if not h]
    for t in others[::97]:
        assert _answer(introductions, L, t) == _answer(introductions, G, t), t
        assert _answer(introductions, L, t, k=3, as_of="2020-01-01", all_routes=True) == \
            _answer(introductions, G, t, k=3, as_of="2020-01-01", all_routes=True), t
    for s, t in zip(others[::211], others[50::211]):
        for by in ("hops", "strength"):
            assert _answer(find_paths, L, s, t, by=by) == _answer(find_paths, G, s, t, by=by), (s, t, by)


def test_the_bundled_data_answers_the_same(cache, bundled):
    L = _lazy(bundled, cache)
    for target in ("SK hynix", "cbnu", "munich", "shanghai"):
        assert _answer(introductions, L, target) == _answer(introductions, bundled, target), target
    assert _answer(find_paths, L, "espoo", "cbnu", by="strength", avoid=("person",)) == \
        _answer(find_paths, bundled, "espoo", "cbnu", by="strength", avoid=("person",))


def test_load_graph_writes_then_reads_it_and_follows_the_data(cache, small):
    first = load_graph(small, lazy=True)  # no cache yet: the whole graph, and both entries written
    assert not isinstance(first, LazyGraph)
    again = load_graph(small, lazy=True)
    assert isinstance(again, LazyGraph) and to_records(again) == to_records(first)
    assert not isinstance(load_graph(small), LazyGraph)  # whole-network commands: the whole graph
    (small / "net.yaml").write_text(SMALL.replace("name: Odense", "name: Odensf"), encoding="utf-8")
    edited = load_graph(small, lazy=True)
    assert edited.nodes["odense"]["name"] == "Odensf"
    assert load_graph(small, lazy=True).nodes["odense"]["name"] == "Odensf"


@pytest.mark.parametrize("cut", [1, 100, 0.5])
def test_a_truncated_entry_is_rebuilt_not_trusted(cache, small, cut):
    expected = introductions(load_graph(small, lazy=True), "odense")
    path = _lazy_file(cache)
    blob = path.read_bytes()
    path.write_bytes(blob[:int(len(blob) * cut) if isinstance(cut, float) else len(blob) - cut])
    G = load_graph(small, lazy=True)
    assert not isinstance(G, LazyGraph)  # not believed: read whole, and the entry written anew
    assert introductions(G, "odense") == expected
    assert _lazy_file(cache).read_bytes() == blob
    assert introductions(load_graph(small, lazy=True), "odense") == expected


def test_a_corrupt_head_is_rebuilt_not_trusted(cache, small):
    load_graph(small, lazy=True)
    path = _lazy_file(cache)
    blob = bytearray(path.read_bytes())
    blob[-5] ^= 0x40  # in the head (ids, columns, offsets, checksums)
    path.write_bytes(bytes(blob))
    assert not isinstance(load_graph(small, lazy=True), LazyGraph)


def test_a_corrupt_entity_is_read_from_the_whole_graph(cache, small):
    whole = load_graph(small, lazy=True)
    expected = introductions(whole, "odense")
    path = _lazy_file(cache)
    blob = bytearray(path.read_bytes())
    L = load_graph(small, lazy=True)
    assert isinstance(L, LazyGraph)
    at = len(MAGIC) + 32 + 8 + 8 + 32  # the first blob: the first entity's attributes
    blob[at + 10] ^= 0x01
    path.write_bytes(bytes(blob))  # changed under the open graph
    assert introductions(L, "odense") == expected
    assert L.nodes["espoo"] == whole.nodes["espoo"]
    assert not path.exists()  # never read again: the next command writes it anew
    assert not isinstance(load_graph(small, lazy=True), LazyGraph)
