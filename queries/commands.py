"""The query commands (path, intro, clusters, brokers, suggest, neighbours, themes)."""
from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
