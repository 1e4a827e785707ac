"""The layers run one way: the import contracts in pyproject.toml hold, and no module grows past
what one reader can hold."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("graph", "loaders", "queries", "maps", "exports", "explorer", "commands")


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_only_the_command_layer_imports_click():
    offenders = [str(p.relative_to(ROOT)) for layer in LAYERS if layer != "commands"
                 for p in (ROOT / layer).rglob("*.py") if "import click" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_no_module_is_over_about_400_lines():
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for layer in LAYERS for p in (ROOT / layer).rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 420} == {}
