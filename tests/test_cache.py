"""The dataset cache cannot lie: content keys, verified entries, odd files ignored, eviction.

The fuzz tests corrupt real entries (seeded byte flips, truncations, hypothesis mutations):
every outcome is either the original payload or a miss, never an exception or another answer.
"""
from __future__ import annotations

import gc
import os
import random
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from graph.records import Dataset
from loaders import load_dataset
from loaders.cache import (MAX_ENTRIES, content_key, dataset_key, evict, read_entry, read_object, write_entry,
                           write_object)
from loaders.read import data_files

REPO = Path(__file__).resolve().parent.parent
SMALL = """\
themes:
  - {id: ai, label: Artificial intelligence}
entities:
  - {id: espoo, kind: city, name: Espoo, country: FI, themes: [ai], sources: [{url: "https://www.espoo.fi/en", seen: 2026-11-20}]}
  - {id: koge, kind: city, name: Køge, country: DK, sources: [{url: "https://www.koege.dk", seen: 2026-11-20}]}
relations:
  - {source: espoo, target: koge, kind: twin_town, since: 1948, sources: [{url: "https://www.espoo.fi/en", seen: 2026-11-20}]}
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ESPOO_NET_CACHE", str(folder))
    return folder


@pytest.fixture
def small(tmp_path) -> Path:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "net.yaml").write_text(SMALL, encoding="utf-8")
    return tmp_path / "d"


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (a FIFO read would block forever)."""
    def fail(*_):
        raise AssertionError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def only_entry(cache: Path) -> Path:
    entries = list(cache.glob("*.cache"))
    assert len(entries) == 1
    return entries[0]


def test_bytes_round_trip_and_a_miss(cache):
    key = content_key("a", b"b")
    assert read_entry(key) is None
    write_entry(key, b"payload")
    assert read_entry(key) == b"payload"
    assert content_key("ab", "") != content_key("a", "b")  # parts are length-prefixed
    with pytest.raises(ValueError):
        read_entry("../../etc/passwd")


def test_an_edit_that_keeps_size_and_mtime_is_seen(cache, small):
    f = small / "net.yaml"
    first = load_dataset(small)
    st_before = f.stat()
    f.write_text(SMALL.replace("name: Køge", "name: Køgf"), encoding="utf-8")
    os.utime(f, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    assert f.stat().st_size == st_before.st_size and f.stat().st_mtime_ns == st_before.st_mtime_ns
    names = {e.id: e.name for e in load_dataset(small).entities}
    assert names["koge"] == "Køgf" and first.entities[1].name == "Køge"


def test_the_key_covers_the_code(small, monkeypatch):
    import loaders.cache as cache_module

    files = data_files(small)
    key = dataset_key(small, files)
    monkeypatch.setattr(cache_module, "_code_digest", lambda: "another version of the code")
    assert dataset_key(small, files) != key


def test_a_renamed_entry_is_foreign_and_discarded(cache):
    a, b = content_key("a"), content_key("b")
    write_entry(a, b"for a")
    os.replace(cache / f"{a}.cache", cache / f"{b}.cache")
    assert read_entry(b) is None and not (cache / f"{b}.cache").exists()


def test_a_pickle_of_another_type_is_not_served(cache):
    key = content_key("x")
    write_object(key, {"not": "a dataset"})
    assert read_object(key, Dataset) is None
    assert read_object(key, dict) == {"not": "a dataset"}


@pytest.mark.parametrize("odd", ["fifo", "symlink to /dev/zero", "dangling symlink", "directory"])
def test_odd_files_at_the_entry_path_are_ignored(cache, small, odd, capfd):
    expected = load_dataset(small)
    entry = only_entry(cache)
    entry.unlink()
    if odd == "fifo":
        os.mkfifo(entry)
    elif odd == "symlink to /dev/zero":
        entry.symlink_to("/dev/zero")
    elif odd == "dangling symlink":
        entry.symlink_to(cache / "nowhere")
    else:
        entry.mkdir()
    with deadline(20):
        assert load_dataset(small) == expected
        assert load_dataset(small) == expected
    assert capfd.readouterr().out == ""


def test_a_cache_folder_that_is_a_file_only_costs_speed(tmp_path, small, monkeypatch):
    (tmp_path / "blocker").write_text("x")
    monkeypatch.setenv("ESPOO_NET_CACHE", str(tmp_path / "blocker"))
    assert len(load_dataset(small).entities) == 2


def test_old_entries_are_evicted_least_recently_used_first(cache):
    keys = [content_key(str(i)) for i in range(5)]
    for n, key in enumerate(keys):
        write_entry(key, b"x" * 100)
        os.utime(cache / f"{key}.cache", ns=(n * 10**9, n * 10**9))
    read_entry(keys[0])  # used now: the newest
    gone = evict(cache, max_entries=3)
    assert sorted(p.name for p in gone) == sorted(f"{k}.cache" for k in keys[1:3])
    assert evict(cache, max_entries=3, max_bytes=400) == [cache / f"{keys[3]}.cache"]  # 190 bytes each
    (cache / ".old.tmp").write_bytes(b"half")
    os.utime(cache / ".old.tmp", ns=(0, 0))
    assert evict(cache) == [cache / ".old.tmp"]


def test_the_folder_never_grows_past_its_entry_limit(cache):
    for i in range(MAX_ENTRIES + 5):
        write_entry(content_key(str(i)), b"y")
    assert len(list(cache.glob("*.cache"))) == MAX_ENTRIES


# --- corruption fuzz ------------------------------------------------------------------------------

CORRUPTIONS = 300


def test_corrupted_dataset_entries_are_rebuilt_never_believed(cache, small, capfd):
    """Seeded byte flips and truncations of a real entry: every load gives the true dataset,
    nothing on stdout, and the entry is whole again afterwards."""
    expected = load_dataset(small)
    entry = only_entry(cache)
    good = entry.read_bytes()
    rnd = random.Random(10)
    outcomes = {"rebuilt": 0, "served": 0}
    for i in range(CORRUPTIONS):
        blob = bytearray(good)
        if i % 10 == 9:
            blob = blob[:rnd.randrange(len(blob))]
        else:
            for _ in range(rnd.choice((1, 1, 1, 2, 8))):
                blob[rnd.randrange(len(blob))] ^= rnd.randrange(1, 256)
        entry.write_bytes(bytes(blob))
        assert load_dataset(small) == expected
        outcomes["served" if bytes(blob) == good else "rebuilt"] += 1
        assert entry.read_bytes() == good
    assert outcomes["rebuilt"] == CORRUPTIONS
    assert capfd.readouterr().out == ""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(max_size=200), edits=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=4),
       cut=st.one_of(st.none(), st.integers(0, 400)))
def test_an_entry_reads_back_whole_or_not_at_all(cache, payload, edits, cut):
    key = content_key(payload)
    write_entry(key, payload)
    path = cache / f"{key}.cache"
    blob = bytearray(path.read_bytes())
    for pos, value in edits:
        if pos < len(blob):
            blob[pos] = value
    if cut is not None:
        blob = blob[:cut]
    path.write_bytes(bytes(blob))
    got = read_entry(key)
    assert got == payload if bytes(blob) == path_bytes_of(key, payload) else got is None


def path_bytes_of(key: str, payload: bytes) -> bytes:
    import hashlib

    from loaders.cache import MAGIC

    return MAGIC + key.encode() + len(payload).to_bytes(8, "big") + hashlib.sha256(payload).digest() + payload


def test_the_bundled_dataset_survives_a_corrupt_entry(cache):
    expected = load_dataset(REPO / "data")
    entry = only_entry(cache)
    blob = bytearray(entry.read_bytes())
    blob[len(blob) // 2] ^= 0x20
    entry.write_bytes(bytes(blob))
    started = time.monotonic()
    assert load_dataset(REPO / "data") == expected
    assert time.monotonic() - started < 60


def test_the_built_graph_is_cached_and_follows_its_data(cache, small):
    from graph.derived import derived
    from graph.interchange import to_records
    from loaders import load_graph

    first = load_graph(small)
    entries = set(cache.glob("*.cache"))
    again = load_graph(small)  # from the cache: no new entry, the same graph
    assert set(cache.glob("*.cache")) == entries
    assert again is not first and to_records(again) == to_records(first)
    assert derived(again).peek("content_key") == derived(first).peek("content_key") is not None
    (small / "net.yaml").write_text(SMALL.replace("name: Køge", "name: Køgf"), encoding="utf-8")
    edited = load_graph(small)
    assert edited.nodes["koge"]["name"] == "Køgf"
    assert derived(edited).peek("content_key") != derived(first).peek("content_key")


def test_a_large_graphs_routing_graph_is_cached_by_content_and_day(cache, small, monkeypatch):
    import queries.routing as routing
    from loaders import load_graph

    monkeypatch.setattr(routing, "LARGE_GRAPH", 1)  # the bundled sizes are small: pretend
    try:
        built = routing.routing_graph(load_graph(small), as_of="2026-01-01")
        entries = set(cache.glob("*.cache"))
        read = routing.routing_graph(load_graph(small), as_of="2026-01-01")  # a new graph, as the next command
        assert set(cache.glob("*.cache")) == entries and read is not built
        assert list(read.edges(data=True)) == list(built.edges(data=True))
        routing.routing_graph(load_graph(small), as_of="2020-01-01")  # another day, another entry
        assert len(set(cache.glob("*.cache")) - entries) == 1
    finally:
        gc.unfreeze()  # a large graph's objects are frozen once read (graph.model.paused_gc)
