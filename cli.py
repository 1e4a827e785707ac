"""espoo-net: the command line of espoo-network.

The root command; the commands themselves are in the command layer (`commands/`): each parses
its options, calls one function of the library and renders the result.
"""
from __future__ import annotations

import os
import sys

import click

from commands import ALL_COMMANDS
from loaders import background

EXIT_CODES = """\b
Exit status: 0 success; 1 invalid data, unknown entity, no result or a backend error
(with a message on stderr); 2 wrong usage (unknown option, bad value)."""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}, epilog=EXIT_CODES)
@click.version_option(package_name="espoo-network")
def main() -> None:
    """A sourced graph of the City of Espoo's international network.

    \b
    Example:
      espoo-net validate
      espoo-net show "Chungbuk National University"
    """


for _command in ALL_COMMANDS:
    main.add_command(_command)


def run() -> None:
    """The `espoo-net` program: run the command, then leave at once.

    A million-relation graph is millions of objects: freeing them one by one at interpreter exit
    took longer than the question (about 9 s). Once the output is flushed and the Neo4j drivers
    are closed there is nothing left to do, so the process ends without tearing the heap down.
    The cache entries a first run makes are written after that, by a detached child
    (`loaders.background`): the prompt comes back as soon as the answer is out.
    """
    background.enable()  # the first run's cache entries are written after the answer
    try:
        main.main(prog_name="espoo-net")
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if e.code is not None and not isinstance(e.code, int):
            print(e.code, file=sys.stderr)
    connection = sys.modules.get("loaders.neo4j.connection")
    if connection is not None:
        connection.close_drivers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): nothing more can be said
            code = code or 1
    background.detach()  # the parent goes on to exit; a child writes the cache and exits itself
    os._exit(code)


if __name__ == "__main__":
    run()
