"""Loaders: records in from YAML and CSV, validated, into a Dataset (and from there a graph).

>>> from loaders import load_dataset
>>> data = load_dataset("data")          # raises graph.errors.InvalidData with every problem
"""
from __future__ import annotations

import os
import site
import sys
from pathlib import Path
from typing import Callable

import networkx as nx

from graph.derived import derived
from graph.errors import EspooNetError, InvalidData, Problem
from graph.model import build_graph, paused_gc
from graph.records import Dataset

from . import background
from .cache import content_key, dataset_key, read_object, write_object
from .lazy import open_lazy, write_lazy
from .read import RawTable, data_files, read_path
from .validate import validate_records

__all__ = ["load_dataset", "load_graph", "LARGE_GRAPH", "default_data_path", "bundled_data_path", "DATA_ENV", "INSTALLED_DATA"]

DATA_ENV = "ESPOO_NET_DATA"
# Where the bundled data/ folder sits, relative to a prefix, in an installed wheel (the data-files
# of pyproject.toml); a checkout (and an editable install) has it beside the code instead.
INSTALLED_DATA = Path("share", "espoo-network", "data")
# Curated datasets are cached (a warm start skips the YAML); bulk ones are not, since pickling a
# million records costs about as much as validating them again.
CACHE_MAX_RECORDS = 50_000
# From this many entities a graph is large: kept out of the garbage collector's sight once read
# (`graph.model.paused_gc`), and what queries derive from it is cached too.
LARGE_GRAPH = 10_000


def bundled_data_path(code: Path | None = None, prefixes: list[str] | None = None) -> Path:
    """The bundled data/ folder: beside the code in a checkout, else under an install prefix.

    `code` (the folder holding loaders/) and `prefixes` default to this installation's.
    """
    code = code or Path(__file__).resolve().parent.parent
    beside = code / "data"
    if beside.is_dir():
        return beside
    if prefixes is None:
        prefixes = [sys.prefix, sys.base_prefix, site.getuserbase()]
    for prefix in prefixes:
        installed = Path(prefix) / INSTALLED_DATA
        if installed.is_dir():
            return installed
    return beside  # missing everywhere: load_dataset names this path in its error


def default_data_path() -> Path:
    """The dataset used when none is named: $ESPOO_NET_DATA, else the bundled data/."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else bundled_data_path()


def load_dataset(path: str | Path | None = None, progress: Callable[[str, int, int], None] | None = None) -> Dataset:
    """Read, clean and check every record under `path`; a Dataset, or InvalidData with all problems.

    Nothing is returned unless everything is valid: no dataset is ever half loaded.
    """
    root, files, skipped, key = _locate(path)
    return _dataset(root, files, skipped, key, progress)


def _locate(path) -> tuple[Path, list[Path], list[Problem], str | None]:
    """The dataset's folder, its data files, the files skipped, and its cache key (None if a file
    cannot be read: the loader then reports it)."""
    root = Path(path) if path is not None else default_data_path()
    if not root.exists():
        raise EspooNetError(f"no dataset at {root} (give --data PATH or set {DATA_ENV})")
    skipped: list[Problem] = []
    files = data_files(root, skipped)
    if not files:
        if skipped:
            raise InvalidData(skipped)
        raise EspooNetError(f"no .yaml, .yml or .csv files under {root}")
    try:
        key = dataset_key(root, files)
    except OSError:
        key = None
    return root, files, skipped, (key if not skipped else None)


def _dataset(root, files, skipped, key, progress, writes=None) -> Dataset:
    cached = _read_or_wait(key, lambda: read_object(key, Dataset), progress) if key else None
    if cached is not None:
        return cached
    data = None
    # A large dataset lives as long as the command: out of the collector's sight once read, or
    # the first collection after the pause walks its millions of objects (10 s at 1M relations).
    with paused_gc(keep=lambda: data is not None and len(data.entities) >= LARGE_GRAPH):
        data = _load(root, files, progress, skipped)
    if key and len(data.entities) + len(data.relations) <= CACHE_MAX_RECORDS:
        _write(writes, key, lambda: write_object(key, data))
    return data


def _write(writes: list | None, key: str, write) -> None:
    """Write a cache entry now, or add it to `writes` (for `background.later`)."""
    if writes is None:
        write()
    else:
        writes.append((key, write))


def _read_or_wait(key: str, read, progress):
    """`read()` the entry `key`; if it is not there but another run is writing it, wait for that
    run (`background.wait_for`) and read again."""
    got = read()
    if got is None and background.wait_for(key, progress):
        got = read()
    return got


def _load(root: Path, files: list[Path], progress, problems: list[Problem]) -> Dataset:
    def records():  # read and cleaned as a stream: no million raw records held at once
        n = 0
        for i, f in enumerate(files):
            shown = str(f) if root.is_file() else str(root / f.relative_to(root))
            for raw in read_path(f, shown, problems, tables=True):  # CSV rows come as tables
                yield raw
                step = len(raw.rows) if raw.__class__ is RawTable else 1
                if progress and (n + step) // 50_000 > n // 50_000:
                    progress(f"reading {f.name}", n + step, 0)
                n += step
            if progress:
                progress("reading files", i + 1, len(files))

    locations: dict[str, tuple[str, int]] = {}
    warnings: list[Problem] = []
    themes, entities, relations = validate_records(records(), problems, progress, locations=locations, warnings=warnings)
    if problems:
        raise InvalidData(problems)
    return Dataset(
        themes=themes, entities=entities, relations=relations, origin=str(root), locations=locations,
        counts={"files": len(files), "themes": len(themes), "entities": len(entities), "relations": len(relations)},
        warnings=tuple(sorted(warnings)),
    )


def load_graph(path: str | Path | None = None, progress: Callable[[str, int, int], None] | None = None, *,
               lazy: bool = False, defer: bool = False):
    """The validated dataset under `path` as a NetworkX MultiDiGraph (see graph.model).

    The built graph is cached under a key of the dataset's content and the code (`dataset_key`),
    for every size: reading a million relations back as a graph takes a few seconds where
    reading, validating and building them takes most of a minute. The key is kept with the graph
    (`graph.derived`, as ``"content_key"``) so that what queries derive from it can be cached too.

    `lazy`: for a question that reads a bounded part of the network (a route, an introduction):
    a `loaders.lazy.LazyGraph` that reads each entity from the cache when first asked for, the
    same graph without unpickling all of it; the whole graph when there is no cache (and the
    lazily read entry is written then, for the next question, before the whole graph's).

    `defer`: the cache entries this load makes are written through `background.later` (after
    the answer, by a detached child, in the command line program; at once anywhere else). An
    entry that another run is writing at the moment is waited for rather than rebuilt.
    """
    root, files, skipped, key = _locate(path)
    gkey = content_key("graph", key) if key else None
    writes: list = []
    if gkey and lazy:
        lkey = content_key("lazy", gkey)
        G = _read_or_wait(lkey, lambda: open_lazy(lkey, fallback=lambda: _whole_graph(root, files, skipped, key, gkey, progress)),
                          progress)
        if G is None:
            G = _whole_graph(root, files, skipped, key, gkey, progress, writes)
            big = len(G) >= LARGE_GRAPH

            def write_it():
                with paused_gc(keep=lambda: big):
                    write_lazy(lkey, G)
            writes.insert(0, (lkey, write_it))  # first: the next intro or path reads it
    else:
        G = _whole_graph(root, files, skipped, key, gkey, progress, writes)
    for k, write in writes:
        (background.later if defer else _now)(k, write)
    if gkey:
        derived(G).get("content_key", lambda: gkey)
    return G


def _now(key: str, write) -> None:
    write()


def _whole_graph(root, files, skipped, key, gkey, progress, writes=None) -> nx.MultiDiGraph:
    G = None
    if gkey:
        with paused_gc(keep=lambda: G is not None and len(G) >= LARGE_GRAPH):
            G = _read_or_wait(gkey, lambda: read_object(gkey, nx.MultiDiGraph), progress)
    if G is None:
        with paused_gc(keep=lambda: G is not None and len(G) >= LARGE_GRAPH):  # as the dataset is, above
            G = build_graph(_dataset(root, files, skipped, key, progress, writes))
        if gkey:
            big = len(G) >= LARGE_GRAPH

            def write_it():
                with paused_gc(keep=lambda: big):
                    write_object(gkey, G)
            _write(writes, gkey, write_it)
    return G
