"""A real Bolt server for the tests: ArcadeDB from the arcadedb-embedded package, or $NEO4J_URI.

`ArcadeServer` runs ArcadeDB's server (with its Neo4j Bolt plugin) as its own Java process, on
127.0.0.1 and free ports, with its data under a folder of ours; it can be killed and started
again on the same data. The session fixture `bolt_server` starts one for the whole run and
stops it at the end. When NEO4J_URI is set, it yields that server's settings instead
(NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE or 'neo4j'), for running the same tests against
Neo4j 5. If the server cannot start, the tests fail with the reason and the server log's tail:
they never skip.

The benchmarks use `ArcadeServer` too.
"""
from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = ["ArcadeServer", "BoltServer", "ServerFailed", "bolt_server", "free_port", "package_dir"]

START_TIMEOUT_S = 90.0


class ServerFailed(RuntimeError):
    """The server did not start (the message has the reason and the log's tail)."""


def package_dir() -> Path:
    """The folder of the installed arcadedb-embedded package (its jre/ and jars/), not imported."""
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or not spec.submodule_search_locations:
        raise ServerFailed("the arcadedb-embedded package is not installed (pip install -e '.[test]')")
    return Path(next(iter(spec.submodule_search_locations)))


def _die_with_parent() -> None:
    """Run in the server's process before Java starts: on Linux, ask for SIGTERM when the test
    process dies, so a test run that is killed leaves no server behind."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class BoltServer:
    """What a test needs to reach the server: settings for the library, env for the CLI."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    external: bool = False

    @property
    def settings(self):
        from loaders.neo4j import Settings

        return Settings(uri=self.uri, user=self.user, password=self.password, database=self.database,
                        retry_seconds=5.0)

    @property
    def env(self) -> dict[str, str]:
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password,
                "NEO4J_DATABASE": self.database, "NEO4J_RETRY_SECONDS": "5"}


class ArcadeServer:
    """One ArcadeDB server process with the Bolt plugin, its data under `root`."""

    def __init__(self, root: Path, database: str = "espoo", heap: str = "1g"):
        self.root = Path(root)
        self.database = database
        self.heap = heap
        self.password = "pw-" + secrets.token_hex(8)
        self.bolt_port = free_port()
        self.http_port = free_port()
        self.log_path = self.root / "server.log"
        self.process: subprocess.Popen | None = None

    @property
    def info(self) -> BoltServer:
        return BoltServer(f"bolt://127.0.0.1:{self.bolt_port}", "root", self.password, self.database)

    def command(self) -> list[str]:
        pkg = package_dir()
        return [
            str(pkg / "jre" / "bin" / "java"), f"-Xmx{self.heap}", "-cp", str(pkg / "jars" / "*"),
            f"-Darcadedb.server.rootPath={self.root}",
            f"-Darcadedb.server.rootPassword={self.password}",
            "-Darcadedb.server.httpIncomingHost=127.0.0.1",
            f"-Darcadedb.server.httpIncomingPort={self.http_port}",
            "-Darcadedb.bolt.host=127.0.0.1",
            f"-Darcadedb.bolt.port={self.bolt_port}",
            "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            f"-Darcadedb.server.defaultDatabases={self.database}[root]",
            "com.arcadedb.server.ArcadeDBServer",
        ]

    def start(self, timeout: float = START_TIMEOUT_S) -> BoltServer:
        """Start the process and wait until a driver query works; ServerFailed if it does not."""
        self.root.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.root,
                start_new_session=True, preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        except OSError as e:
            raise ServerFailed(f"cannot run ArcadeDB's java: {e}") from None
        finally:
            log.close()
        self._wait(timeout)
        return self.info

    def _wait(self, timeout: float) -> None:
        from neo4j import GraphDatabase

        deadline = time.monotonic() + timeout
        last = "the Bolt port never answered"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"ArcadeDB exited with status {self.process.returncode}\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.bolt_port), timeout=1):
                    pass
                with GraphDatabase.driver(self.info.uri, auth=("root", self.password)) as driver:
                    driver.execute_query("RETURN 1 AS ok", database_=self.database)
                return
            except Exception as e:  # not up yet: refused, or the database is still being created
                last = f"{type(e).__name__}: {e}"
                time.sleep(0.2)
        self.stop()
        raise ServerFailed(f"ArcadeDB did not answer on Bolt within {timeout:.0f} s ({last})\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL, as a crash would: no shutdown, no flush."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "server log, last lines:\n" + "\n".join(text.splitlines()[-lines:])


def _external() -> BoltServer | None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return BoltServer(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                      os.environ.get("NEO4J_DATABASE") or "neo4j", external=True)


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory):
    """Connection settings of a running Bolt server for the whole test session."""
    from loaders.neo4j import close_drivers

    external = _external()
    if external is not None:
        yield external
        close_drivers()
        return
    server = ArcadeServer(tmp_path_factory.mktemp("arcadedb"))
    try:
        info = server.start()
    except ServerFailed as e:
        pytest.fail(f"could not start the test Bolt server: {e}", pytrace=False)
    try:
        yield info
    finally:
        close_drivers()
        server.stop()


def wipe(settings) -> None:
    """Remove everything of ours (and the tests' foreign nodes) from the database."""
    from loaders.neo4j import connect

    conn = connect(settings)
    conn.write(lambda tx: tx.run(
        "MATCH (n) WHERE n.managed_by = 'espoo-net' OR n:TestForeign DETACH DELETE n").consume())


@pytest.fixture
def db(bolt_server):
    """The server's settings, with nothing of ours in the database before and after the test."""
    settings = bolt_server.settings
    wipe(settings)
    yield settings
    wipe(settings)
