"""The one exception hierarchy of espoo-network.

The library raises these and never prints or exits; the CLI turns them into one clear message
and a non-zero exit status.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "EspooNetError",
    "HINTS",
    "readable",
    "CONTROL_RE",
    "Problem",
    "InvalidData",
    "SchemaError",
    "EntityNotFound",
    "AmbiguousEntity",
    "NoPath",
    "BackendError",
]


# The advice an error ends with, worded for each caller: the command line names its options,
# the explorer's page names what a web user can do there. The one home of these words; an error
# keeps the key (`hint`), and `worded_for` picks the caller's wording.
HINTS: dict[str, dict[str, str]] = {
    "inactive": {
        "cli": "; --all also uses ended, suspended and planned ties",
        "web": "; only the ties that held that day are used: an earlier day under 'As of' uses those that held then",
    },
    "use_id": {
        "cli": " (use an id)",
        "web": " (type one of these ids instead)",
    },
}
CALLERS = ("cli", "web")


class EspooNetError(Exception):
    """Base class of every error this package raises on purpose.

    `hint`: a key of `HINTS`, the advice the message ends with; ``str(e)`` is the command line's
    wording, ``e.worded_for("web")`` the explorer's.

    >>> e = EspooNetError("no route", hint="inactive")
    >>> str(e)
    'no route; --all also uses ended, suspended and planned ties'
    >>> e.worded_for("web").startswith("no route; only the ties that held that day are used")
    True
    """

    def __init__(self, *args, hint: str | None = None):
        self.hint = hint
        if hint is not None and args:
            self.plain = str(args[0])
            args = (self.plain + HINTS[hint]["cli"], *args[1:])
        super().__init__(*args)

    def worded_for(self, caller: str) -> str:
        """The message with its advice worded for `caller` (one of `CALLERS`)."""
        if self.hint is None:
            return str(self)
        return self.plain + HINTS[self.hint][caller]


MESSAGE_LIMIT = 240
# C0 and C1 control characters but tab and newline.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def readable(text: str, limit: int = MESSAGE_LIMIT) -> str:
    r"""`text` for a message: control characters escaped, cut to about `limit` characters.

    >>> print(readable("a\x1b[2Jb"))
    a\x1b[2Jb
    >>> readable("x" * 30, 10)
    'xxxxxxxxxx… (20 more characters)'
    """
    text = CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode(), str(text))
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters)"
    return text


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where it is, which field, what is wrong, and a hint."""

    file: str
    line: int
    field: str
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        # A value quoted in a message may be anything the data holds: keep each problem one
        # readable line.
        for name in ("file", "field", "message", "hint"):
            object.__setattr__(self, name, readable(str(getattr(self, name)).replace("\n", "\\n")))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class InvalidData(EspooNetError):
    """Validation found problems; `problems` lists every one of them, in file and line order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{n} problem{'s' if n != 1 else ''} found; nothing was loaded.")
        return "\n".join(lines)


class SchemaError(EspooNetError):
    """The schema itself is inconsistent (a programming error, caught at start-up)."""


class EntityNotFound(EspooNetError):
    """No entity matches a name or id; `suggestions` holds the closest ids."""

    def __init__(self, query: str, suggestions: list[str] | None = None):
        self.query = query
        self.suggestions = suggestions or []
        msg = f"no entity matches {query!r}"
        if self.suggestions:
            msg += "; closest: " + ", ".join(self.suggestions)
        super().__init__(msg)


class AmbiguousEntity(EspooNetError):
    """Several entities match a name; `candidates` lists their ids."""

    def __init__(self, query: str, candidates: list[str]):
        self.query = query
        self.candidates = candidates
        super().__init__(f"{query!r} matches {len(candidates)} entities: {', '.join(candidates)}", hint="use_id")


class NoPath(EspooNetError):
    """No route joins two entities under the given constraints."""


class BackendError(EspooNetError):
    """A graph backend (Neo4j) failed; the message names the server, never the password."""
