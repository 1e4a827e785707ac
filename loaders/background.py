"""Cache entries written after the answer: the first question on a big network prints its answer,
gives the prompt back, and leaves the writing of the cache to a detached child process.

Writing a million-relation graph's two cache entries takes longer than answering the question
(pickling the whole graph and every entity's blobs: about a third of a first run at 1M
relations). So the command line program (`cli.run`, and nothing else: a test runner or the
explorer keeps writing in place) turns `enable` on; `load_graph(..., defer=True)` then hands
each entry's write to `later` instead of doing it; and once the output is flushed, `detach`
forks: the parent ends (the user has the prompt back), the child writes the entries in the
order they were queued and ends with `os._exit`, never printing anything (its standard streams
are /dev/null, its own session: no traceback, no terminal signal reaches it).

A write holds a lock named after its entry (``<key>.lock`` in the cache folder, `fcntl.flock`),
taken by the parent before the fork (the child inherits it) and released by the child when
that entry is in place. A later run that finds no entry but its lock held waits for the writer
(`wait_for`, saying so on its progress line) instead of rebuilding beside it: the writer needs
a few seconds more, a rebuild most of the first run again, and twice the memory. Correctness
never rests on the lock: entries are renamed into place whole and verified on read, so a run
that cannot see a lock (or gives up waiting) rebuilds and gets the same answer.
"""
from __future__ import annotations

import fcntl
import gc
import os
import time
from pathlib import Path
from typing import Callable

from .cache import _discard, cache_dir

__all__ = ["enable", "enabled", "later", "pending", "detach", "busy", "wait_for", "wait_idle", "LOCK_SUFFIX", "WAIT_SECONDS"]

LOCK_SUFFIX = ".lock"
WAIT_SECONDS = 120.0  # longest wait for another run's writer before rebuilding beside it

_enabled = False
_queue: list[tuple[str, Callable[[], None]]] = []


def enable(on: bool = True) -> None:
    """Let `later` defer writes until `detach` (only the command line program does)."""
    global _enabled
    _enabled = on
    if not on:
        run_pending()


def enabled() -> bool:
    return _enabled


def later(key: str, write: Callable[[], None]) -> None:
    """Write the cache entry `key` through `write()`: now, or after the answer when enabled."""
    if _enabled and cache_dir() is not None:
        _queue.append((key, write))
    else:
        write()


def pending() -> list[str]:
    """The keys of the entries waiting to be written."""
    return [key for key, _ in _queue]


def run_pending() -> None:
    """Write what is queued, here and now."""
    while _queue:
        _, write = _queue.pop(0)
        write()


def _lock_path(folder: Path, key: str) -> Path:
    return folder / f"{key}{LOCK_SUFFIX}"


def _take(path: Path) -> int | None:
    """A descriptor holding `path`'s lock, or None if another process holds it (or on error)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.utime(fd)  # a lock file is stale (evicted) an hour after it was last taken
        return fd
    except OSError:
        os.close(fd)
        return None


def _release(path: Path, fd: int) -> None:
    _discard(path)  # before the unlock: a waiter then finds the entry, a new writer a new file
    os.close(fd)


def detach() -> bool:
    """Fork a child that writes the queued entries; True in the parent, which should end now.

    False when nothing is queued, or when fork is not possible (then the entries are written here,
    before returning). Call it only after the output is flushed. A queued entry whose lock another
    run holds is left to that run (it is writing the same content)."""
    folder = cache_dir()
    if not _queue or folder is None:
        _queue.clear()
        return False
    held: list[tuple[Path, int, Callable[[], None]]] = []
    for key, write in _queue:
        path = _lock_path(folder, key)
        fd = _take(path)
        if fd is not None:
            held.append((path, fd, write))
    _queue.clear()
    if not held:
        return False
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid > 0:
        for _, fd, _ in held:
            os.close(fd)  # the child holds the locks now
        return True
    if pid == 0:
        _child(held)  # never returns
    for path, fd, write in held:  # no fork: write here, as before
        try:
            write()
        finally:
            _release(path, fd)
    return False


def _child(held) -> None:
    code = 0
    try:
        os.setsid()  # its own session: no terminal, so no Ctrl-C or hang-up meant for the shell
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        gc.disable()  # pickling makes no cycles; a collection would walk the whole graph
        for path, fd, write in held:
            try:
                write()
            except BaseException:
                code = 1
            finally:
                _release(path, fd)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def busy(key: str) -> bool:
    """Whether another process is writing the entry `key` now."""
    folder = cache_dir()
    return folder is not None and _held(_lock_path(folder, key))


def _held(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def wait_for(key: str, progress: Callable[[str, int, int], None] | None = None,
             timeout: float | None = None) -> bool:
    """Wait while another process writes the entry `key` (at most `timeout` seconds, by default
    `WAIT_SECONDS`, saying so through `progress`); True if there was a writer to wait for."""
    timeout = WAIT_SECONDS if timeout is None else timeout
    folder = cache_dir()
    if folder is None or not busy(key):
        return False
    path = _lock_path(folder, key)
    start = time.monotonic()
    while _held(path) and time.monotonic() - start < timeout:
        if progress:
            progress("waiting for an earlier run to finish writing the cache (seconds)", int(time.monotonic() - start), 0)
        time.sleep(0.05)
    if progress:
        progress("waiting for an earlier run to finish writing the cache (seconds)", 1, 1)
    return True


def wait_idle(folder: str | Path, timeout: float | None = None) -> float:
    """Wait until no process writes an entry into `folder` (for benchmarks and tests); the
    seconds waited."""
    timeout = WAIT_SECONDS if timeout is None else timeout
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            locks = [Path(e.path) for e in os.scandir(folder) if e.name.endswith(LOCK_SUFFIX)]
        except OSError:
            locks = []
        if not any(_held(p) for p in locks):
            break
        time.sleep(0.02)
    return time.monotonic() - start
