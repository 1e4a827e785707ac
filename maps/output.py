"""Every output file is written whole or not at all: to a temporary file beside it, renamed into place.

A failure half way (a full disk, an error while drawing, Ctrl-C) leaves the previous file as it
was and no temporary file behind. A path that exists and is not a regular file (``/dev/null``, a
FIFO, ``/dev/stdout``) is written directly, since renaming over it would replace the device.
"""
from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["atomic_output"]


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a path to write to; on leaving without error it becomes `path`.

    An OSError raised while writing names `path` (a full disk says which file it could not write).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_output(out) as tmp:
    ...     _ = tmp.write_text("whole")
    >>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('whole', ['a.txt'])
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _naming(path):
            yield path
        return
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        with _naming(path):
            yield tmp
            os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as e:
        if not e.filename or str(e.filename).startswith(str(path.parent / f".{path.name}.")):
            e.filename = str(path)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
