"""The docs stay true to the CLI: every command has help with an example and is in README."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def walk(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from walk(command, f"{prefix}{name} ")


COMMANDS = list(walk(cli.main))


@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_an_example_and_is_in_readme(name, command):
    ctx = click.Context(command, info_name=name)
    text = command.get_help(ctx)
    if not isinstance(command, click.Group):
        assert "Example:" in text and f"espoo-net {name}" in text, text
    assert f"espoo-net {name}" in README, f"README has no example of `espoo-net {name}`"


def test_readme_has_exactly_two_setup_commands_near_the_top():
    top = README[: README.index("\n## ", README.index("## Set up"))] if "## Set up" in README else README[:3000]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", top, flags=re.S)
    commands = [line for b in blocks for line in b.splitlines() if line.strip() and not line.startswith("#")]
    assert commands == ["make demo", "make test"]


def test_ci_runs_exactly_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    run_lines = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith(("#", "set ", "cd "))]
    assert run_lines == ["make test"]
