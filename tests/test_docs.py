"""The docs stay true to the CLI: every command has help with an example and is documented with
one, and every console example in README.md and docs/ still runs as its page says."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

import cli
from tests.support import docrun

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in docrun.PAGES)
EXAMPLES = docrun.examples()


def walk(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from walk(command, f"{prefix}{name} ")


COMMANDS = list(walk(cli.main))


@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_an_example_and_is_documented(name, command):
    ctx = click.Context(command, info_name=name)
    text = command.get_help(ctx)
    if not isinstance(command, click.Group):
        assert "Example:" in text and f"espoo-net {name}" in text, text
    assert f"$ espoo-net {name}" in DOCS, f"neither README.md nor docs/ has an example of `espoo-net {name}`"


def test_readme_is_a_door_not_the_manual():
    assert len(README.splitlines()) <= 200
    for page in ("docs/commands.md", "docs/data.md", "docs/neo4j.md", "docs/performance.md", "docs/reliability.md"):
        assert f"]({page})" in README


def test_readme_has_exactly_two_setup_commands_near_the_top():
    top = README[: README.index("\n## ", README.index("## Set up"))] if "## Set up" in README else README[:3000]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", top, flags=re.S)
    commands = [line for b in blocks for line in b.splitlines() if line.strip() and not line.startswith("#")]
    assert commands == ["make demo", "make test"]


def test_ci_runs_exactly_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    run_lines = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith(("#", "set ", "cd "))]
    assert run_lines == ["make test"]


def _fails(documented: list[str]) -> bool:
    """Whether the page shows the command failing (an error message, or refused data)."""
    return any(line.startswith("Error:") or "nothing was loaded" in line for line in documented)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return docrun.scratch(tmp_path_factory.mktemp("docs"))


LOCAL = [e for e in EXAMPLES if not e.needs_neo4j]


@pytest.mark.parametrize("example", LOCAL, ids=[e.id for e in LOCAL])
def test_console_example_runs_as_documented(example, scratch):
    ran = docrun.run(example, scratch)
    assert (ran.exit_code != 0) == _fails(example.documented), (example.command, ran.lines)
    assert ran.lines, f"{example.id}: `{example.command}` printed nothing"
    if example.documented:
        assert docrun.masked(ran.lines[0]) == docrun.masked(example.documented[0]), (
            f"{example.id}: `{example.command}` now starts {ran.lines[0]!r}; "
            "refresh the page with `python -m tests.support.docrun`")


def test_neo4j_examples_run_against_a_real_server(bolt_server, scratch):
    """docs/neo4j.md's examples in order (push first) against the test server, wiped before and after."""
    from tests.support.bolt import wipe

    wipe(bolt_server.settings)
    try:
        for example in (e for e in EXAMPLES if e.needs_neo4j):
            ran = docrun.run(example, scratch, env=bolt_server.env)
            assert (ran.exit_code != 0) == _fails(example.documented), (example.command, ran.lines)
            if example.documented:
                assert docrun.masked(ran.lines[0]) == docrun.masked(example.documented[0]), (example.id, ran.lines[0])
    finally:
        wipe(bolt_server.settings)
