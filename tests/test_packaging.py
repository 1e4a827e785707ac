"""A wheel carries the bundled dataset, and the installed code finds it with no checkout around.

The wheel is built offline from a copy of the sources (setuptools is a test dependency), then
unpacked the way an installer lays it out: the code into a site folder, the data files under a
prefix. A second Python loads the bundled dataset from there.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
import tomllib
from pathlib import Path

import pytest

from loaders import INSTALLED_DATA, bundled_data_path

REPO = Path(__file__).resolve().parent.parent
_SETUP = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
# What a source distribution holds: the build files, the data, every package and module it names.
SOURCES = ["pyproject.toml", "README.md", "data", *sorted({p.split(".")[0] for p in _SETUP["packages"]}),
           *(f"{m}.py" for m in _SETUP["py-modules"])]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, src / name)
    code = "from setuptools import build_meta as b; print(b.build_wheel('dist'))"
    done = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return src / "dist" / done.stdout.strip().splitlines()[-1]


def test_the_wheel_holds_every_bundled_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data_prefix = next(n.split("/")[0] for n in names if ".data/" in n)
    for f in sorted((REPO / "data").rglob("*")):
        if f.is_file():
            rel = f.relative_to(REPO / "data").as_posix()
            assert f"{data_prefix}/data/{INSTALLED_DATA.as_posix()}/{rel}" in names, rel
    assert "graph/schema.yaml" in names and "maps/templates/map.js" in names


def test_an_installed_wheel_loads_its_bundled_dataset(wheel, tmp_path):
    site, prefix = tmp_path / "site", tmp_path / "prefix"
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            head, _, rest = name.partition(".data/data/")
            target = prefix / rest if rest else site / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(name))
    code = ("import json, loaders; p = loaders.bundled_data_path(prefixes=[%r]); d = loaders.load_dataset(p);"
            "print(json.dumps([str(p), loaders.__file__, d.counts]))" % str(prefix))
    env = {**os.environ, "PYTHONPATH": str(site), "ESPOO_NET_CACHE": "off"}
    env.pop("ESPOO_NET_DATA", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    path, module, counts = json.loads(done.stdout)
    assert Path(path) == prefix / INSTALLED_DATA and Path(module).is_relative_to(site)
    from loaders import load_dataset

    assert counts == load_dataset(REPO / "data").counts


def test_bundled_data_path_prefers_the_checkout_then_each_prefix(tmp_path):
    code, first, second = tmp_path / "code", tmp_path / "p1", tmp_path / "p2"
    code.mkdir()
    (second / INSTALLED_DATA).mkdir(parents=True)
    assert bundled_data_path(code, [str(first), str(second)]) == second / INSTALLED_DATA
    (first / INSTALLED_DATA).mkdir(parents=True)
    assert bundled_data_path(code, [str(first), str(second)]) == first / INSTALLED_DATA
    (code / "data").mkdir()
    assert bundled_data_path(code, [str(first), str(second)]) == code / "data"
    assert bundled_data_path(tmp_path / "elsewhere", []) == tmp_path / "elsewhere" / "data"
