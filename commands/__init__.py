"""The command layer: the only code that imports click.

`options` (option bundles declared once, output, progress, errors), `backends` (--backend and
the Neo4j connection options), and one module per area: `core`, `queries`, `upkeep`, `maps`, `neo4j`,
`serve`.
`cli.py` at the top level is the root command that registers them all.
"""
from __future__ import annotations

from . import core, maps, neo4j, queries, serve, upkeep

ALL_COMMANDS = [*core.COMMANDS, *queries.COMMANDS, *upkeep.COMMANDS, *maps.COMMANDS, *neo4j.COMMANDS,
                *serve.COMMANDS]
