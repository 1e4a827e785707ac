"""The console examples of README.md and docs/*.md, run for real.

A console block is a fenced ```console block; each line starting with ``$ `` is a command and
the lines after it, up to the next command, are its documented output. Commands run in-process
through click's test runner, in a scratch folder (so `--out map.html` writes there), with
``VAR=value`` prefixes as environment and a trailing ``| head -N`` applied to the output.

The docs test checks that every example still runs with the documented outcome and that its
first line of output still reads the same (numbers aside: counts and scores move with the data).
`python -m tests.support.docrun` rewrites the documented outputs from a real run, so the pages
show what users will see; pass file names to refresh only those pages.
"""
from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXAMPLES = ROOT / "docs" / "examples"  # files the examples read (a dataset with mistakes in it)
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
_NUMBER = re.compile(r"\d[\d,]*(\.\d+)?")
_PROGRESS = re.compile(r"[\w ]+: [\d,]+(/[\d,]+ +\d+%)?")


@dataclass
class Example:
    page: Path
    line: int  # 1-based line of the command in its page
    command: str  # as written, without "$ "
    documented: list[str]

    @property
    def id(self) -> str:
        return f"{self.page.name}:{self.line}"

    @property
    def needs_neo4j(self) -> bool:
        return "neo4j" in self.command.split("|")[0]


def examples(pages: list[Path] = PAGES) -> list[Example]:
    out = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for m in _BLOCK.finditer(text):
            first = text.count("\n", 0, m.start(1)) + 1
            current = None
            for i, line in enumerate(m.group(1).splitlines()):
                if line.startswith("$ "):
                    current = Example(page, first + i, line[2:], [])
                    out.append(current)
                elif current is not None:
                    current.documented.append(line)
    return out


@dataclass
class Run:
    exit_code: int
    lines: list[str]


def run(example: Example, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run one example as a user's shell would, in `cwd`; `env` adds to the environment."""
    import os

    from click.testing import CliRunner

    import cli

    command, _, pipe = example.command.partition("|")
    words = shlex.split(command)
    extra = dict(env or {})
    while words and re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        extra[name] = value
    if words[:1] != ["espoo-net"]:
        raise ValueError(f"{example.id}: not an espoo-net command: {example.command}")
    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli.main, words[1:], env=extra, catch_exceptions=False, prog_name="espoo-net")
    finally:
        os.chdir(here)
    # Progress lines (stderr, "\rstage: done/total  n%") depend on how fast the machine is: a
    # page shows what stays on the screen, so they and the blank line that ends them go.
    lines = [line.rpartition("\r")[2].rstrip() for line in result.output.split("\n")]
    lines = [line for line in lines if not _PROGRESS.fullmatch(line)]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    head = re.fullmatch(r"\s*head -(\d+)\s*", pipe)
    if pipe and not head:
        raise ValueError(f"{example.id}: only `| head -N` is understood after a command")
    return Run(result.exit_code, lines[: int(head.group(1))] if head else lines)


def masked(line: str) -> str:
    """A line with its numbers masked and its spacing folded: what must not drift."""
    return " ".join(_NUMBER.sub("N", line).split())


def refresh(pages: list[Path], cwd: Path, env: dict[str, str] | None = None) -> int:
    """Rewrite each example's documented output in `pages` from a real run, in page order (a
    push before the queries that read it); Neo4j examples only when `env` names a server."""
    count = 0
    for page in pages:
        todo = [e for e in examples([page]) if not e.needs_neo4j or env]
        outputs = [run(e, cwd, env).lines for e in todo]
        lines = page.read_text(encoding="utf-8").split("\n")
        for e, out in reversed(list(zip(todo, outputs))):  # from the bottom: earlier line numbers stay right
            lines[e.line:e.line + len(e.documented)] = out  # the output starts after the command's line
            count += 1
        page.write_text("\n".join(lines), encoding="utf-8")
    return count


def scratch(folder: Path) -> Path:
    """A scratch folder holding the files the examples read: docs/examples/ and the saved views
    (data/views/), where a user in a checkout finds them."""
    import shutil

    shutil.copytree(EXAMPLES, folder, dirs_exist_ok=True)
    shutil.copytree(ROOT / "data" / "views", folder / "data" / "views", dirs_exist_ok=True)
    return folder


def main(argv: list[str]) -> None:
    """`python -m tests.support.docrun [--neo4j] [PAGE ...]`: refresh the pages' outputs; with
    --neo4j, also the Neo4j examples, against an ArcadeDB test server started for the purpose."""
    import contextlib
    import tempfile

    from tests.support.bolt import ArcadeServer

    with_neo4j = "--neo4j" in argv
    chosen = [ROOT / p for p in argv if p != "--neo4j"] or PAGES
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        env = None
        if with_neo4j:
            server = ArcadeServer(Path(tmp) / "arcadedb")
            info = server.start()
            stack.callback(server.stop)
            env = info.env
        n = refresh(chosen, scratch(Path(tmp) / "work"), env)
    print(f"refreshed {n} examples in {', '.join(p.name for p in chosen)}")


if __name__ == "__main__":
    main(sys.argv[1:])
