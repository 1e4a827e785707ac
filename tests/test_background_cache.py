"""The first run's cache entries are written after the answer, by a detached child of the real
command line program (`loaders.background`, `cli.run`): the answer is the same as a repeated
run's, the entries appear, a run during the write waits for it and answers the same, and a
writer's failure never reaches the user."""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from loaders import _locate, background
from loaders.cache import SUFFIX, content_key

REPO = Path(__file__).resolve().parent.parent

ENTITIES = """\
id,kind,name,country,home,sources
espoo,city,City of Espoo,FI,true,https://example.org/espoo 2025-01-15
aalto,university,Aalto University,FI,true,https://example.org/aalto 2025-01-15
ann,person,Ann Example,FI,true,https://example.org/ann 2025-01-15
kth,university,KTH Royal Institute of Technology,SE,,https://example.org/kth 2025-01-15
tum,university,Technical University of Munich,DE,,https://example.org/tum 2025-01-15
"""
RELATIONS = """\
id,source,target,kind,since,status,sources
r1,ann,aalto,works_for,2020,active,https://example.org/r1 2025-01-15
r2,aalto,kth,collaborates_with,2021,active,https://example.org/r2 2025-01-15
r3,espoo,aalto,collaborates_with,2019,active,https://example.org/r3 2025-01-15
r4,kth,tum,collaborates_with,2022,active,https://example.org/r4 2025-01-15
"""


@pytest.fixture
def tiny(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "entities.csv").write_text(ENTITIES)
    (data / "relations.csv").write_text(RELATIONS)
    return data


def _cli(args, cache: Path, **kwargs) -> subprocess.CompletedProcess:
    """The program as a user runs it (`cli.run`: its own process, which may fork a writer)."""
    env = dict(os.environ, ESPOO_NET_CACHE=str(cache), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", "import cli; cli.run()", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, **kwargs)


def _keys(data: Path) -> tuple[str, str, str]:
    """The keys of the dataset's, the whole graph's and the lazily read entry of `data` (as
    `load_graph` makes them; a small dataset is cached as records too)."""
    key = _locate(data)[3]
    gkey = content_key("graph", key)
    return key, gkey, content_key("lazy", gkey)


def _entries(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


def test_first_run_answers_then_writes_the_cache(tiny, tmp_path):
    cache = tmp_path / "cache"
    first = _cli(["intro", "tum", "--data", str(tiny)], cache)
    assert first.returncode == 0, first.stderr
    assert "Introductions to Technical University of Munich" in first.stdout
    assert first.stderr == ""
    background.wait_idle(cache, timeout=60)
    key, gkey, lkey = _keys(tiny)
    assert _entries(cache) == sorted(f"{k}{SUFFIX}" for k in (key, gkey, lkey))  # every entry, no lock left
    again = _cli(["intro", "tum", "--data", str(tiny)], cache)  # reads the lazily read entry
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    # The same answer as the program run in place (a test runner never forks: nothing deferred).
    r = CliRunner().invoke(cli.main, ["intro", "tum", "--data", str(tiny)], env={"ESPOO_NET_CACHE": str(tmp_path / "c2")})
    assert r.exit_code == 0, r.output
    assert r.stdout == first.stdout
    assert len(_entries(tmp_path / "c2")) == 3  # written at once, in this process


def test_a_whole_network_command_writes_only_the_whole_graph(tiny, tmp_path):
    cache = tmp_path / "cache"
    stats = _cli(["stats", "--data", str(tiny)], cache)
    assert stats.returncode == 0, stats.stderr
    background.wait_idle(cache, timeout=60)
    key, gkey, _ = _keys(tiny)
    assert _entries(cache) == sorted(f"{k}{SUFFIX}" for k in (key, gkey))
    assert _cli(["stats", "--data", str(tiny)], cache).stdout == stats.stdout


def test_the_prompt_does_not_wait_for_the_writer(tiny, tmp_path, monkeypatch):
    """A pipe to the program's output closes when the program ends, not when its writer does:
    the writer's streams are not the user's."""
    cache = tmp_path / "cache"
    key, gkey, lkey = _keys(tiny)
    script = textwrap.dedent("""
        import time, cli
        from loaders import background
        real = background.later
        def slow(key, write):
            real(key, lambda: (time.sleep(3), write()))
        background.later = slow
        cli.run()
    """)
    env = dict(os.environ, ESPOO_NET_CACHE=str(cache), PYTHONPATH=str(REPO))
    t = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script, "intro", "tum", "--data", str(tiny)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    took = time.monotonic() - t
    assert done.returncode == 0, done.stderr
    assert "Introductions to" in done.stdout
    assert took < 3  # the two writes (3 s each) come after
    monkeypatch.setenv("ESPOO_NET_CACHE", str(cache))
    assert background.busy(lkey)  # the writer is at its first entry
    background.wait_idle(cache, timeout=60)
    assert _entries(cache) == sorted(f"{k}{SUFFIX}" for k in (key, gkey, lkey))


def test_a_failing_writer_is_silent_and_releases_its_lock(tmp_path):
    cache = tmp_path / "cache"
    script = textwrap.dedent("""
        import sys
        from loaders import background
        background.enable()
        def boom():
            raise RuntimeError("the writer broke")
        background.later("0" * 32, boom)
        background.later("1" * 32, lambda: print("written", flush=True))
        print("answer", flush=True)
        sys.exit(7 if background.detach() else 0)
    """)
    env = dict(os.environ, ESPOO_NET_CACHE=str(cache), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 7  # the parent: a child writes
    assert done.stdout == "answer\n"  # nothing of the child's, no traceback
    assert done.stderr == ""
    assert background.wait_idle(cache, timeout=30) < 30
    assert _entries(cache) == []  # both locks gone


def test_a_run_during_the_write_waits_for_it(tiny, tmp_path, monkeypatch):
    """A run that finds no entry while another run's writer holds its lock waits, says so on its
    progress line, and reads the entry once it is there: the same answer, no rebuild beside it."""
    done_cache, cache = tmp_path / "done", tmp_path / "cache"
    first = _cli(["intro", "tum", "--data", str(tiny)], done_cache)
    background.wait_idle(done_cache, timeout=60)
    _, _, lkey = _keys(tiny)
    cache.mkdir()
    lock = os.open(cache / f"{lkey}.lock", os.O_RDWR | os.O_CREAT, 0o600)  # a writer at work
    fcntl.flock(lock, fcntl.LOCK_EX)
    monkeypatch.setenv("ESPOO_NET_CACHE", str(cache))
    assert background.busy(lkey)
    env = dict(os.environ, ESPOO_NET_CACHE=str(cache), PYTHONPATH=str(REPO))
    waiting = subprocess.Popen([sys.executable, "-c", "import cli; cli.run()", "intro", "tum", "--data", str(tiny)],
                               cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2.5)
        assert waiting.poll() is None  # waiting (a rebuild of five entities takes well under a second)
        for name in (f"{lkey}{SUFFIX}",):  # the writer puts its entry in place, then lets go
            shutil.copy(done_cache / name, cache / f".{name}.tmp")
            os.replace(cache / f".{name}.tmp", cache / name)
        os.unlink(cache / f"{lkey}.lock")
        os.close(lock)
        out, err = waiting.communicate(timeout=60)
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 0, err
    assert out == first.stdout
    assert "waiting for an earlier run to finish writing the cache" in err
    assert _entries(cache) == [f"{lkey}{SUFFIX}"]  # read, not rebuilt (a rebuild writes the whole graph too)


def test_a_run_gives_up_waiting_and_rebuilds(tiny, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    _, gkey, lkey = _keys(tiny)
    monkeypatch.setenv("ESPOO_NET_CACHE", str(cache))
    script = textwrap.dedent(f"""
        import fcntl, os, time
        fd = os.open({str(cache / (lkey + '.lock'))!r}, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("held", flush=True)
        time.sleep(60)
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        assert background.busy(lkey)
        monkeypatch.setattr(background, "WAIT_SECONDS", 0.3)
        t = time.monotonic()
        assert background.wait_for(lkey) is True
        assert 0.25 < time.monotonic() - t < 5
        from loaders import load_graph
        G = load_graph(tiny, lazy=True)  # waits WAIT_SECONDS, then builds: the same graph
        assert sorted(G.nodes) == ["aalto", "ann", "espoo", "kth", "tum"]
        assert f"{gkey}{SUFFIX}" in _entries(cache)  # written in place (not deferred here)
    finally:
        holder.kill()
        holder.communicate()
