"""A cache that cannot lie: payloads stored by a key of their inputs' content, verified on read.

Any payload (bytes, or a Python object through `read_object`/`write_object`) is stored under a
key that the caller derives from the content of everything that shapes it (`content_key`;
`dataset_key` for a validated dataset: every data file's bytes and every module of the code that
reads, cleans and checks them). Each entry is one file:

    MAGIC, key (32 ASCII hex digits), payload length (8 bytes), SHA-256 of the payload, payload

and a read checks all of it before the payload is used, so a corrupt, truncated, renamed or
foreign file is discarded (deleted) and the caller rebuilds, without a word. Entries are opened
without following symlinks and without blocking, and only regular files are read, so a FIFO or a
device at an entry's path is ignored rather than hanging the command. Writes go to a temporary
file renamed into place. The folder keeps at most `MAX_ENTRIES` entries and `MAX_BYTES` bytes;
the least recently used go first.

`ESPOO_NET_CACHE` names the folder (default: the user's cache folder); `ESPOO_NET_CACHE=off`
turns caching off. Nothing here raises for a cache problem: a broken cache only costs speed.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable

__all__ = ["cache_dir", "content_key", "code_digest", "dataset_key", "read_entry", "write_entry", "read_object", "write_object",
           "evict", "MAX_ENTRIES", "MAX_BYTES"]

CACHE_ENV = "ESPOO_NET_CACHE"
MAGIC = b"espoo-net cache 2\n"
SUFFIX = ".cache"
MAX_ENTRIES = 32
MAX_BYTES = 1 << 30  # 1 GiB: room for a few cached graphs of large datasets
_HEADER = len(MAGIC) + 32 + 8 + 32
_STALE_TMP_SECONDS = 3600

_HERE = Path(__file__).resolve().parent
# The code that turns files into a Dataset: the loaders and the model they build it with.
_CODE_FOLDERS = (_HERE, _HERE.parent / "graph")


def cache_dir() -> Path | None:
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "espoo-network"


def content_key(*parts: bytes | str) -> str:
    """A 32-hex-digit key of `parts`, each length-prefixed (so no two sequences share a key)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:32]


@lru_cache(maxsize=1)
def _code_digest() -> str:
    files = sorted(p for folder in _CODE_FOLDERS for p in folder.iterdir() if p.suffix in (".py", ".yaml"))
    return content_key(f"python {sys.version_info[:2]} pickle {pickle.HIGHEST_PROTOCOL}",
                       *(x for p in files for x in (p.name, p.read_bytes())))


@lru_cache(maxsize=None)
def code_digest(folder: Path) -> str:
    """A key of the Python and YAML files of `folder` (and of the loaders' own code): for caching
    what a layer above derives from a graph (`queries.routing` keeps its routing graphs so)."""
    files = sorted(p for p in Path(folder).iterdir() if p.suffix in (".py", ".yaml"))
    return content_key("code", _code_digest(), *(x for p in files for x in (p.name, p.read_bytes())))


def dataset_key(root: Path, files: Iterable[Path]) -> str:
    """The key of the dataset under `root`: the bytes and names of its files, and the code.

    Reads every file (a content hash: an edit that keeps size and modification time is seen).
    Raises OSError if a file cannot be read; the loader then reports it as a problem.
    """
    parts: list[bytes | str] = ["dataset", _code_digest(), str(root)]
    for p in files:
        parts += [str(p), p.read_bytes()]
    return content_key(*parts)


def _entry(folder: Path, key: str) -> Path:
    if len(key) != 32 or any(c not in "0123456789abcdef" for c in key):
        raise ValueError(f"cache key {key!r} is not 32 lower-case hex digits")
    return folder / f"{key}{SUFFIX}"


def mark_used(path: Path) -> None:
    """Touch an entry just read: the least recently used are evicted first."""
    try:
        os.utime(path)
    except OSError:
        pass


def open_unfollowed(path: Path) -> int | None:
    """A read-only descriptor of `path` that never follows a link nor blocks on a FIFO; None on
    any error. The caller checks with fstat that it is a regular file."""
    try:
        return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None


def _read_regular(path: Path, limit: int) -> memoryview | None:
    """The bytes of `path` if it is a regular file (not a link, FIFO or device) of at most
    `limit` bytes; None otherwise or on any error. Never blocks on a FIFO. Read straight into
    one buffer (a cached graph is hundreds of megabytes: no chunks joined, no copies)."""
    fd = open_unfollowed(path)
    if fd is None:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        buf = bytearray(st.st_size)
        view, got = memoryview(buf), 0
        with os.fdopen(os.dup(fd), "rb", buffering=0) as f:
            while got < len(buf):
                n = f.readinto(view[got:])
                if not n:
                    break
                got += n
            if got == len(buf) and f.read(1):  # grew while read: not what was measured
                return None
        return view[:got]
    except OSError:
        return None
    finally:
        os.close(fd)


def _discard(path: Path) -> None:
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
    except OSError:
        pass


def read_entry(key: str) -> bytes | None:
    """The payload stored under `key`, or None if there is none, or it fails verification
    (then the entry is deleted)."""
    payload = _read_verified(key)
    return None if payload is None else bytes(payload)


def _read_verified(key: str) -> memoryview | None:
    """`read_entry` without a copy: a view of the verified payload."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _entry(folder, key)
    blob = _read_regular(path, MAX_BYTES + _HEADER)
    if blob is None:
        return None
    payload = blob[_HEADER:]
    ok = (blob[:len(MAGIC)] == MAGIC
          and blob[len(MAGIC):len(MAGIC) + 32] == key.encode()
          and int.from_bytes(blob[len(MAGIC) + 32:len(MAGIC) + 40], "big") == len(payload)
          and blob[len(MAGIC) + 40:_HEADER] == hashlib.sha256(payload).digest())
    if not ok:
        _discard(path)
        return None
    mark_used(path)
    return payload


def write_entry(key: str, payload: bytes) -> None:
    """Store `payload` under `key` (atomically), then evict old entries. Never raises OSError."""
    if len(payload) > MAX_BYTES:
        return

    def write(f) -> bool:
        f.write(MAGIC + key.encode() + len(payload).to_bytes(8, "big") + hashlib.sha256(payload).digest())
        f.write(payload)
        return True

    write_atomically(key, write)


def write_atomically(key: str, write: Callable[[BinaryIO], bool]) -> None:
    """Write the entry `key` through `write(file)` into a temporary file renamed into place when
    it returns True (False abandons it), then evict old entries. Never raises OSError: a
    read-only or full disk, or a folder that is not one, only costs speed."""
    folder = cache_dir()
    if folder is None:
        return
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            done = write(f)
        if done:
            os.replace(tmp, _entry(folder, key))
            tmp = None
            evict(folder)
    except OSError:
        pass
    finally:
        if tmp is not None:
            _discard(Path(tmp))


def evict(folder: Path, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> list[Path]:
    """Delete the least recently used entries beyond `max_entries` or `max_bytes` in total, and
    temporary files and writers' locks (`loaders.background`) left by interrupted writes;
    returns what was deleted."""
    entries, gone = [], []
    now = time.time()
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return gone
    for e in listing:
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if e.name.endswith((".tmp", ".lock")) and now - st.st_mtime > _STALE_TMP_SECONDS:
            gone.append(Path(e.path))
        elif e.name.endswith(SUFFIX):
            entries.append((st.st_mtime_ns, e.name, st.st_size, Path(e.path)))
    entries.sort(reverse=True)  # newest first
    total = 0
    for n, (_, _, size, path) in enumerate(entries):
        total += size
        if n >= max_entries or total > max_bytes:
            gone.append(path)
    for path in gone:
        _discard(path)
    return gone


def read_object(key: str, kind: type) -> Any | None:
    """The object stored under `key` if it verifies and is a `kind`; else None."""
    payload = _read_verified(key)
    if payload is None:
        return None
    try:
        obj = pickle.loads(payload)
    except Exception:  # verified bytes that do not unpickle: written by another version of the code
        obj = None
    return obj if isinstance(obj, kind) else None


def write_object(key: str, obj: Any) -> None:
    write_entry(key, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
