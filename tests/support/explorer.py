"""`espoo-net serve` started for the tests: a real server process on a free port.

`start_server(data)` runs ``espoo-net serve --data DATA --port 0`` (the server binds a free port
itself and prints the address, so there is no race for a port), waits for the address line and
returns a `Server` with its `url`; `stop()` ends it (SIGTERM, then kill). `small_server` is one
server over the small hand-built dataset (tests/support/mapdata.py) for a whole session.
"""
from __future__ import annotations

import os
import re
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

__all__ = ["Server", "start_server", "small_server"]

_ADDRESS = re.compile(r"open (http://\S+?)/? ")


class Server:
    def __init__(self, proc: subprocess.Popen, url: str, banner: list[str], reader: threading.Thread):
        self.proc, self.url, self.banner, self.reader = proc, url, banner, reader

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
        self.reader.join(timeout=10)  # it closes stdout at its end
        err = self.proc.stderr.read()
        self.proc.stderr.close()
        return err


def start_server(data: Path, *args: str, timeout: float = 120) -> Server:
    """Start ``espoo-net serve`` on `data` and wait until it prints the address it answers on."""
    exe = shutil.which("espoo-net", path=os.path.dirname(sys.executable)) or "espoo-net"
    proc = subprocess.Popen([exe, "serve", "--data", str(data), "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    lines: queue.Queue = queue.Queue()
    # A thread reads the output: a pipe read line by line under select() can sit on a buffered line.
    def read() -> None:
        with proc.stdout:
            for line in proc.stdout:
                lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    banner: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (proc.poll() is None or not lines.empty()):
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        banner.append(line.rstrip("\n"))
        m = _ADDRESS.search(line)
        if m:
            return Server(proc, m.group(1), banner, reader)
    server = Server(proc, "", banner, reader)
    raise RuntimeError(f"espoo-net serve printed no address: {banner} {server.stop()}")


@pytest.fixture(scope="session")
def small_server(small_data):
    """One explorer over the small hand-built dataset, for the whole session."""
    server = start_server(small_data)
    yield server
    server.stop()


def screenshot(out: Path, target: str = "SK hynix") -> Path:
    """The README's picture: the explorer on the bundled data, answering who can introduce us
    to `target`, taken by the tests' Chromium with the network cut off but for the server."""
    from loaders import bundled_data_path
    from tests.support.browser import start_chromium

    server, browser = start_server(bundled_data_path()), start_chromium()
    try:
        page = browser.open_page(server.url + "/", width=1600, height=1000, allow=server.url)
        page.wait_for("window.explorer && explorer.network && explorer.firstDrawMs !== null", timeout=120)
        page.eval("document.getElementById('search').focus()")
        page.type_text(target)
        page.wait_for("document.querySelectorAll('#results button').length > 0")
        page.press_enter()
        page.wait_for("explorer.highlighted && document.querySelectorAll('#intro-out li.route').length > 0", timeout=60)
        page.conn.pump(1.0)  # let the map finish drawing the highlight
        return page.screenshot(Path(out))
    finally:
        browser.close()
        server.stop()


if __name__ == "__main__":  # python -m tests.support.explorer docs/explorer.png
    print(screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "explorer.png")))
