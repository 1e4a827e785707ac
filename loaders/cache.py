"""A cache of validated datasets, so that every command does not re-read and re-check the YAML.

The key covers every data file (path, size, modification time) and the code that validates
(schema.yaml, the loaders and the cleaners), so an edit to either makes a new entry. Only valid
datasets are cached. `ESPOO_NET_CACHE` names the folder (default: the user's cache folder);
`ESPOO_NET_CACHE=off` turns caching off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from graph.records import Dataset

__all__ = ["cache_dir", "cache_key", "read_cached", "write_cached"]

CACHE_ENV = "ESPOO_NET_CACHE"
_CODE = [Path(__file__).parent / name for name in ("read.py", "validate.py", "__init__.py", "cache.py")] + [
    Path(__file__).resolve().parent.parent / "graph" / name for name in ("schema.yaml", "types.py", "records.py")
]


def cache_dir() -> Path | None:
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "espoo-network"


def cache_key(root: Path, files: list[Path]) -> str:
    h = hashlib.sha256()
    for p in (*_CODE, *files):
        st = p.stat()
        h.update(f"{p.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    h.update(str(root).encode())
    return h.hexdigest()[:32]


def read_cached(key: str) -> Dataset | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with (folder / f"{key}.pickle").open("rb") as f:
            data = pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        return None  # absent, unreadable or from another version: load from the files instead
    return data if isinstance(data, Dataset) else None


def write_cached(key: str, data: Dataset) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pickle")
    except OSError:
        pass  # a read-only or full disk only costs speed
