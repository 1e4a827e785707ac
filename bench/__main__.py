"""Run every benchmark, one after the other: `python -m bench [--quick]`.

Each prints its own table; see each module's docstring for what it measures and its targets.
"""
from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["startup", "loading", "queries", "upkeep", "maps", "serve", "neo4j"]


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    for name in BENCHMARKS:
        print(f"\n=== bench.{name} {' '.join(args)}", flush=True)
        importlib.import_module(f"bench.{name}").main(args)


if __name__ == "__main__":
    main()
