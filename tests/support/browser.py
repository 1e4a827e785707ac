"""A real headless Chromium for the map tests, driven over the DevTools protocol (CDP).

One browser per test session (`browser` fixture); each test opens its own page with
`browser.open_page(path)`, which cuts the page off from the network before loading it:
`Network.setBlockedURLs` blocks every http(s)/ws(s)/ftp address (or, for a page of a server the
test started, `Fetch` fails every request but those to that server), and every request the page
makes is recorded from `Network.requestWillBeSent`, so a test can assert that none left.
Uncaught errors (`Runtime.exceptionThrown`), JavaScript dialogs (`alert`, which an injected
payload would open; they are dismissed and recorded) and Content-Security-Policy violations are
recorded too.

Chromium is Debian's package (`make browser` installs it); when it is missing the fixture fails
with that reason rather than skipping, so a machine without it cannot pass the map tests.
"""
from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import pytest

__all__ = ["Browser", "Page", "browser", "CHROMIUM_FLAGS", "start_chromium"]

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
BLOCKED = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
# Installed before any script of the page runs: records CSP violations in the page itself.
_WATCH = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});"""


class CDPError(RuntimeError):
    pass


class Connection:
    """One websocket to the browser; commands are answered in order, events are queued."""

    def __init__(self, url: str):
        import websocket

        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        self.handlers: list[Callable[[dict], None]] = []

    def _dispatch(self, msg: dict) -> None:
        self.events.append(msg)
        for h in self.handlers:
            h(msg)

    def _read(self, timeout: float) -> dict | None:
        import websocket

        self.ws.settimeout(timeout)
        try:
            return json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        mid = next(self.ids)
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self._read(max(0.05, deadline - time.monotonic()))
            if reply is None:
                continue
            if reply.get("id") == mid:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._dispatch(reply)
        raise CDPError(f"{method}: no answer in {timeout} s")

    def pump(self, seconds: float) -> None:
        """Read events for `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            msg = self._read(max(0.01, deadline - time.monotonic()))
            if msg is not None:
                self._dispatch(msg)

    def close(self) -> None:
        self.ws.close()


class Page:
    """One tab, cut off from the network, with its requests, errors and dialogs recorded."""

    def __init__(self, conn: Connection, session: str, target: str, allow: str | None = None):
        self.conn, self.session, self.target, self.allow = conn, session, target, allow
        self.requests: list[str] = []
        self.exceptions: list[str] = []
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        conn.handlers.append(self._on_event)

    def _on_event(self, msg: dict) -> None:
        if msg.get("sessionId") != self.session:
            return
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            d = params["exceptionDetails"]
            self.exceptions.append(str(d.get("exception", {}).get("description") or d.get("text")))
        elif method == "Fetch.requestPaused":  # only with `allow`: our server passes, the rest fails
            ours = params["request"]["url"].startswith(self.allow + "/")
            self._answer("Fetch.continueRequest" if ours else "Fetch.failRequest",
                         {"requestId": params["requestId"], **({} if ours else {"errorReason": "BlockedByClient"})})
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            self._answer("Page.handleJavaScriptDialog", {"accept": False})
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.console_errors.append(" ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))

    def _answer(self, method: str, params: dict) -> None:
        """Send without waiting for the reply: we are inside the reader."""
        self.conn.ws.send(json.dumps({"id": next(self.conn.ids), "method": method, "params": params,
                                      "sessionId": self.session}))

    def send(self, method: str, params: dict | None = None, timeout: float = 60) -> dict:
        return self.conn.send(method, params, self.session, timeout)

    def eval(self, expression: str, timeout: float = 60) -> Any:
        """The value of a JavaScript expression (promises awaited); page errors raise CDPError."""
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                      timeout=timeout)
        if "exceptionDetails" in r:
            raise CDPError(f"{expression[:60]}...: {r['exceptionDetails'].get('exception', {}).get('description')}")
        return r["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30) -> Any:
        """Poll a JavaScript expression until it is truthy; its value, or CDPError on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            self.conn.pump(0.05)
        raise CDPError(f"timed out waiting for {expression}")

    def navigate(self, url: str, timeout: float = 60) -> None:
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete'", timeout)

    def mouse_move(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", {"text": text})

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                 "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13})

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.conn.handlers.remove(self._on_event)
        self.conn.send("Target.closeTarget", {"targetId": self.target})


class Browser:
    """A headless Chromium process and the websocket that drives it."""

    def __init__(self, proc: subprocess.Popen, profile: str, ws_url: str):
        self.proc, self.profile = proc, profile
        self.conn = Connection(ws_url)

    def open_page(self, path: Path | None = None, width: int = 1600, height: int = 1000,
                  allow: str | None = None) -> Page:
        """A new tab with the network cut off and recorders on; loads `path` when given.

        allow: one origin (``http://127.0.0.1:PORT``, a server the test started) the page may
        reach; every other request still fails. `path` may then be a URL on it.
        """
        target = self.conn.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.conn.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self.conn, session, target, allow)
        cut = ("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}) if allow else ("Network.setBlockedURLs", {"urls": BLOCKED})
        for method, params in (
            ("Page.enable", {}), ("Runtime.enable", {}), ("Network.enable", {}), cut,
            ("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}),
            ("Page.addScriptToEvaluateOnNewDocument", {"source": _WATCH}),
        ):
            page.send(method, params)
        if path is not None:
            page.navigate(str(path) if allow and str(path).startswith(allow) else Path(path).resolve().as_uri())
        return page

    def popup_url(self, page: Page, action: Callable[[], None], timeout: float = 20) -> str:
        """The address a new tab that `action` opens from `page` goes to (a link with
        target=_blank); the tab is held before it loads anything, its one request is failed and
        the tab closed, so nothing leaves the machine."""
        conn = self.conn
        conn.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True})
        try:
            start = len(conn.events)
            action()
            deadline = time.monotonic() + timeout
            session = target = None
            while time.monotonic() < deadline:
                while start < len(conn.events):  # sends below may queue more events: read on by index
                    msg, start = conn.events[start], start + 1
                    params = msg.get("params", {})
                    if msg.get("method") == "Target.attachedToTarget" and session is None and \
                            params["targetInfo"].get("openerId") == page.target:
                        session, target = params["sessionId"], params["targetInfo"]["targetId"]
                        conn.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session)
                        # Not awaited: its answer comes only once the tab's first request is let go.
                        conn.ws.send(json.dumps({"id": next(conn.ids), "method": "Runtime.runIfWaitingForDebugger",
                                                 "sessionId": session}))
                    elif msg.get("method") == "Fetch.requestPaused" and session and msg.get("sessionId") == session:
                        conn.send("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                                  session)
                        conn.send("Target.closeTarget", {"targetId": target})
                        return params["request"]["url"]
                conn.pump(0.05)
            raise CDPError("no new tab opened" if session is None else "the new tab requested nothing")
        finally:
            conn.send("Target.setAutoAttach", {"autoAttach": False, "waitForDebuggerOnStart": False, "flatten": True})

    def close(self) -> None:
        try:
            self.conn.send("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - closing a browser that already went away
            pass
        self.conn.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def start_chromium(timeout: float = 30) -> Browser:
    """Start Debian's Chromium with the project's flags and connect to it.

    Raises RuntimeError naming what is missing when there is no `chromium` on the PATH.
    """
    exe = shutil.which("chromium")
    if exe is None:
        raise RuntimeError("chromium is not installed: the map tests need Debian's chromium package "
                           "(run `make browser`, or `apt-get install chromium`)")
    profile = tempfile.mkdtemp(prefix="espoo-chromium-")
    proc = subprocess.Popen(
        [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_file.exists():
            lines = port_file.read_text().split()
            if len(lines) >= 2:
                return Browser(proc, profile, f"ws://127.0.0.1:{lines[0]}{lines[1]}")
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    shutil.rmtree(profile, ignore_errors=True)
    raise RuntimeError(f"chromium did not open its DevTools port within {timeout} s")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session; fails (never skips) without chromium."""
    try:
        b = start_chromium()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    yield b
    b.close()
