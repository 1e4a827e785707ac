"""What every command shares: option bundles (each declared once), output, progress and errors.

Commands stay thin: parse options (bundles defined once here), call one library function,
render the result with `emit`. Heavy libraries (neo4j, pyvis, matplotlib, igraph) are imported
inside the commands that need them, never at module level, to keep start-up fast.
"""
from __future__ import annotations

import csv
import datetime as dt
import dataclasses
import functools
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable

import click

from graph.errors import CONTROL_RE, EspooNetError, InvalidData
from graph.interchange import json_default
from graph.model import collecting_notes
from graph.lookup import check_entity_kinds, relation_kinds_named
from graph.durations import duration, since_day, since_value
from graph.types import BadValue, clean, last_day
from loaders import bundled_data_path, load_graph
from exports.spreadsheet import neutralise
from maps.drawing import short_label

__all__ = [
    "data_option",
    "parse_since",
    "as_of_option",
    "format_option",
    "check_window",
    "theme_option",
    "comma_list",
    "relation_option",
    "relation_words",
    "include_inactive_option",
    "focus_options",
    "view_options",
    "emit",
    "terminal_safe",
    "table",
    "Progress",
    "library_errors",
    "load_graph_for",
    "parse_date",
    "duration_option",
    "formats_option",
    "csv_text",
]


def data_option(f: Callable) -> Callable:
    return click.option(
        "--data", "data_path", type=click.Path(exists=True, dir_okay=True, path_type=str),
        envvar="ESPOO_NET_DATA", show_envvar=True, default=None,
        help="Dataset folder or file (default: the bundled data/).",
    )(f)


def parse_date(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return clean("date", value)
    except BadValue as e:
        raise click.BadParameter(f"{e.message} ({e.hint})") from None


def parse_since(ctx, param, value: str | None) -> str | None:
    """A window's start: a date or a duration counted back from its end (`graph.durations.since_value`)."""
    if value is None:
        return None
    try:
        return since_value(value)
    except BadValue as e:
        raise click.BadParameter(f"{e.message} ({e.hint})") from None


def check_window(since: str, until: str | None) -> None:
    """A window that ends before it starts is a usage error (exit 2), as any bad option is."""
    end = last_day(until) if until else dt.date.today()
    start = since_day(since, end)
    if end < start:
        ends = f"--until {until} ({end})" if until else f"today ({end})"
        fix = "give a --since on or before --until" if until else "give a --since that is not in the future"
        raise click.UsageError(f"the window ends {ends} before --since {since} ({start}) starts it: {fix}")


AS_OF_HELP = ("View the network as it stood on DATE (YYYY[-MM[-DD]]; a year or month stands for its first "
              "day: 2022 is 2022-01-01); default today.")


def as_of_option(f: Callable | None = None, *, help: str = AS_OF_HELP) -> Callable:
    """--as-of DATE, checked and normalised; `@as_of_option`, or `@as_of_option(help=...)` where
    the default means something else (an export keeps every relation without it)."""
    option = click.option("--as-of", "as_of", metavar="DATE", default=None, callback=parse_date, help=help)
    return option(f) if f is not None else option


SPREADSHEET_CSV_HELP = "csv for a spreadsheet (as Excel reads it here: UTF-8 with a BOM, ';'-separated)"


def formats_option(*choices: str) -> Callable[[Callable], Callable]:
    """--format with these choices (table first, the default); csv is for spreadsheets."""
    words = {"table": "table for people", "json": "json for scripts", "csv": SPREADSHEET_CSV_HELP}

    def decorate(f: Callable) -> Callable:
        return click.option(
            "--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True,
            help=", ".join(words[c] for c in choices) + ".",
        )(f)
    return decorate


format_option = formats_option("table", "json")


def duration_option(name: str, default: str, help: str) -> Callable[[Callable], Callable]:
    """An option holding a duration such as 90d, 6w, 6m or 3y, parsed by `graph.durations.duration`."""
    def parse(ctx, param, value: str):
        try:
            return duration(value)
        except BadValue as e:
            raise click.BadParameter(f"{e.message} ({e.hint})") from None

    dest = name.lstrip("-").replace("-", "_")
    return click.option(name, dest, metavar="DURATION", default=default, show_default=True, callback=parse,
                        help=help)


def csv_text(rows: Iterable[Iterable[Any]], headers: Iterable[str]) -> str:
    """Rows as CSV text for a spreadsheet (`--format csv`), the header first, in the form a
    Finnish (or any comma-decimal) Excel opens by a double click: a UTF-8 byte order mark (else
    Excel reads the bytes as its ANSI code page and mangles Forstén), ';' between cells (its list
    separator there), lists in a cell joined with '; ' (so quoted). A cell that a spreadsheet would
    run as a formula gets a leading quote (`exports.spreadsheet.neutralise`).

    >>> print(csv_text([["a", ["x", "y"]], ["=1+1", None]], ["k", "v"]).lstrip("\\ufeff"))
    k;v
    a;"x; y"
    '=1+1;
    """
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(list(headers))
    for r in rows:
        w.writerow(["" if c is None else neutralise("; ".join(map(str, c)) if isinstance(c, list) else str(c))
                    for c in r])
    return "\ufeff" + out.getvalue().rstrip("\n")


def include_inactive_option(f: Callable) -> Callable:
    """--all: routes may also use ties that do not hold on the day (the command gets `include_inactive`)."""
    return click.option("--all", "include_inactive", is_flag=True,
                        help="Also use ended, suspended and planned ties (discounted).")(f)


def theme_option(f: Callable) -> Callable:
    return click.option(
        "--theme", default=None, metavar="THEME",
        help="Only this theme's part: entities on it and ties on it (id, label or synonym; see `espoo-net themes`).",
    )(f)


def focus_options(min_depth: int = 0) -> Callable[[Callable], Callable]:
    """--focus ENTITY and --depth N (default 1), with the rule that --depth needs --focus.

    The command receives `focus` and `depth` (an int: 1 when --depth is not given)."""
    def check_depth(ctx, param, value: int | None) -> int:
        if value is not None and not ctx.params.get("focus"):
            raise click.UsageError("--depth needs --focus", ctx=ctx)
        return 1 if value is None else value

    def decorate(f: Callable) -> Callable:
        f = click.option("--depth", type=click.IntRange(min_depth, 10), default=None, callback=check_depth,
                         help="Steps around --focus  [default: 1]")(f)
        return click.option("--focus", metavar="ENTITY", default=None, is_eager=True,
                            help="Only what is within --depth steps of ENTITY (id, name or alias).")(f)
    return decorate


def comma_list(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """--kind city,university --kind person -> ('city', 'university', 'person')."""
    return tuple(k.strip() for v in values for k in v.split(",") if k.strip())


def _countries(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for code in comma_list(ctx, param, values):
        try:
            out.append(clean("country", code))
        except BadValue as e:
            raise click.BadParameter(f"{e.message} ({e.hint})") from None
    return tuple(out)


def _checked_words(check: Callable[[tuple[str, ...]], object]) -> Callable:
    """An option callback: the comma-separated or repeated words, refused (with `check`'s
    message, which names the closest) unless the schema knows them."""
    def callback(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
        words = comma_list(ctx, param, values)
        try:
            check(words)
        except EspooNetError as e:
            raise click.BadParameter(str(e)) from None
        return words
    return callback


_kinds = _checked_words(check_entity_kinds)
relation_words = _checked_words(relation_kinds_named)


def relation_option(help: str) -> Callable:
    """--relation KIND|FAMILY, repeatable or comma-separated, checked against the schema."""
    return click.option("--relation", "relations", multiple=True, callback=relation_words, metavar="KIND|FAMILY", help=help)


def kind_option(help: str = "Only these entity kinds (comma-separated or repeated).") -> Callable:
    """--kind KIND[,KIND], repeatable, checked against the schema's entity kinds."""
    return click.option("--kind", "--kinds", "kinds", multiple=True, callback=_kinds, metavar="KIND[,KIND]", help=help)


def country_option(help: str) -> Callable:
    """--country CC, repeatable or comma-separated, checked as ISO codes."""
    return click.option("--country", "countries", multiple=True, callback=_countries, metavar="CC", help=help)


def view_options(f: Callable) -> Callable:
    """--theme, --focus/--depth, --kind, --country and --public: the selection that `map` and
    `export` share. They combine: each narrows what the others keep."""
    for decorator in reversed((
        theme_option,
        focus_options(min_depth=0),
        kind_option(),
        country_option("Only entities in this country (ISO code such as KR; repeatable), and the agreements, "
                       "events and people tied to them."),
        click.option("--public", is_flag=True, help="Leave people out, for maps and files that go outside the city."),
    )):
        f = decorator(f)
    return f


def terminal_safe(text: str) -> str:
    r"""`text` with every control character but tab and newline written as an escape, so that
    nothing in the data can drive the terminal (a second wall: the loaders refuse them).

    >>> print(terminal_safe("Evil\x1b]0;owned\x07 name"))
    Evil\x1b]0;owned\x07 name
    """
    return CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def _json_safe(text: str) -> str:
    """JSON as text, with DEL and the C1 controls (which json leaves raw) as \\u escapes."""
    return CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def emit(fmt: str, data: Any, render_table: Callable[[Any], str]) -> None:
    """Print `data` as JSON, or as the text that `render_table(data)` makes; control characters
    never reach the terminal raw (escaped in text, \\u-escaped in JSON, which stays valid)."""
    if fmt == "json":
        click.echo(_json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=json_default)))
    else:
        click.echo(terminal_safe(render_table(data)))


def table(rows: Iterable[Iterable[Any]], headers: Iterable[str]) -> str:
    """A plain aligned text table (no colour, so it pastes into e-mails and diffs cleanly)."""
    headers = [str(h) for h in headers]
    body = [["" if c is None else str(c) for c in r] for r in rows]
    widths = [len(h) for h in headers]
    for r in body:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in body)
    return "\n".join(out)


class Progress:
    """Progress on stderr for work that takes more than a second; silent otherwise. On a terminal
    the line updates in place; in a log (not a terminal) only each finished stage is written."""

    def __init__(self, delay: float = 1.0, stream=None):
        self.start = time.monotonic()
        self.delay = delay
        self.stream = stream or sys.stderr
        self.live = getattr(self.stream, "isatty", lambda: False)()
        self.shown = False
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = bool(total) and done >= total
        if now - self.start < self.delay or (now - self.last < 0.25 and not finished) or not (self.live or finished):
            return
        self.last = now
        self.shown = True
        count = f"{done:,}/{total:,} {100 * done // total:3d}%" if total else f"{done:,}"
        self.stream.write(f"\r{stage}: {count}   " if self.live else f"{stage}: {count}")
        if finished:
            self.stream.write("\n")
        self.stream.flush()


def library_errors(f: Callable) -> Callable:
    """Turn the library's errors into one clear message and exit status 1, with no traceback."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            # A name that also names shared activities answers for the one actor (graph.model.resolve): say so.
            with collecting_notes() as notes:
                try:
                    return f(*args, **kwargs)
                finally:
                    for n in notes:
                        click.echo(terminal_safe(f"Note: {n}."), err=True)
        except InvalidData as e:
            click.echo(terminal_safe(InvalidData([_with_shown_path(p) for p in e.problems]).summary()), err=True)
            raise SystemExit(1) from None
        except EspooNetError as e:
            raise click.ClickException(terminal_safe(str(e))) from None
        except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
            raise SystemExit(1) from None
        except OSError as e:  # a file that cannot be read or written: say which, no traceback
            where = f": {e.filename}" if e.filename else ""
            raise click.ClickException(terminal_safe(f"{e.strerror or e}{where}")) from None

    return wrapper


def load_graph_for(data_path: str | None, *, lazy: bool = False):
    """Load and validate the dataset (progress on stderr when slow) and build its graph; `lazy`
    for a question that reads a bounded part of it (`loaders.load_graph`). The cache entries a
    first run makes are written after the answer when the program allows it (`cli.run`:
    `loaders.background`)."""
    return load_graph(data_path, progress=Progress(), lazy=lazy, defer=True)


def short_name(name: str, width: int = 40) -> str:
    """A long name for a table cell: the whole name when it fits, else the map's short label
    (`maps.drawing.short_label`: the entity's own acronym, never a parent's, or the name cut at
    a word), so a table and a map call an entity the same.

    >>> short_name("National Quantum Office of Singapore (A*STAR)", 40)
    'National Quantum Office of Singapore'
    """
    return name if len(name) <= width else short_label(name, (), width)


@functools.lru_cache(maxsize=1)
def _bundled_parent() -> Path:
    return bundled_data_path().parent  # looked up once: it does not move while the program runs


def shown_path(file: str) -> str:
    """A data file's path as a user would type it: relative to the working folder when inside
    it, `data/...` for the bundled dataset, else as it was given."""
    path = Path(file)
    if not path.is_absolute():
        return file
    for base in (Path.cwd(), _bundled_parent()):
        if path.is_relative_to(base):
            return os.path.relpath(path, base)
    return file


def _with_shown_path(problem):
    return dataclasses.replace(problem, file=shown_path(problem.file))


def shown_problem(problem) -> str:
    """A graph.errors.Problem as one line, its file shown as `shown_path` shows it."""
    return str(_with_shown_path(problem))
