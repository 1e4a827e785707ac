"""`espoo-net serve` started for the tests: a real server process on a free port.

`start_server(data)` runs ``espoo-net serve --data DATA --port 0`` (the server binds a free port
itself and prints the address, so there is no race for a port), waits for the address line and
returns a `Server` with its `url`; `stop()` ends it (SIGTERM, then kill). `small_server` is one
server over the small hand-built dataset (tests/support/mapdata.py) for a whole session.
"""
from __future__ import annotations

import os
import re
import selectors
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

__all__ = ["Server", "start_server", "small_server"]

_ADDRESS = re.compile(r"open (http://\S+?)/? ")


class Server:
    def __init__(self, proc: subprocess.Popen, url: str, banner: list[str]):
        self.proc, self.url, self.banner = proc, url, banner

    def get(self, path: str, **params):
        """GET a path of the server with query parameters (an httpx Response)."""
        import httpx

        return httpx.get(self.url + path, params=params, timeout=60)

    def stop(self) -> str:
        """Stop the server; what it wrote on stderr."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        err = self.proc.stderr.read() if self.proc.stderr else ""
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()
        return err


def start_server(data: Path, *args: str, timeout: float = 120) -> Server:
    """Start ``espoo-net serve`` on `data` and wait until it prints the address it answers on."""
    exe = shutil.which("espoo-net", path=os.path.dirname(sys.executable)) or "espoo-net"
    proc = subprocess.Popen([exe, "serve", "--data", str(data), "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    banner: list[str] = []
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if selector.select(timeout=0.2):
                line = proc.stdout.readline()
                if not line:
                    break  # the process ended
                banner.append(line.rstrip("\n"))
                m = _ADDRESS.search(line)
                if m:
                    return Server(proc, m.group(1), banner)
        server = Server(proc, "", banner)
        raise RuntimeError(f"espoo-net serve printed no address: {banner} {server.stop()}")
    finally:
        selector.close()


@pytest.fixture(scope="session")
def small_server(small_data):
    """One explorer over the small hand-built dataset, for the whole session."""
    server = start_server(small_data)
    yield server
    server.stop()
