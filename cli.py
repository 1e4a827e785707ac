"""espoo-net: the command line of espoo-network.

The root command; the commands themselves are in the command layer (`commands/`): each parses
its options, calls one function of the library and renders the result.
"""
from __future__ import annotations

import click

from commands import ALL_COMMANDS

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

if __name__ == "__main__":
    main()
