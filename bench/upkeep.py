"""Time and upkeep queries once the graph is loaded: changes, due, dormant and review (target:
each under 1 s at 100,000 entities and 1,000,000 relations).

    python -m bench.upkeep [--quick]

Generates a seeded network (`bench.generate`, 10 ties per entity each way, so 100,000 entities
carry about 1,000,000 relations) and builds its graph once. Then it times, apart:

- the date arrays (`queries.timeindex`), built on a graph's first time question and kept with
  it (and, for a dataset read from files, in the loaders' cache, so later commands read them);
- each query: its first run and the median of 3 more (rows are made when read, so this is the
  answer without its rows);
- rendering the answer as the command prints it: the table (the first rows of each group,
  as `--limit` says by default) and JSON with every row (a long text for 400,000 rows).

--quick runs 10,000 entities / about 100,000 relations.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from graph.interchange import json_default
from graph.model import build_graph
from queries.review import review
from queries.timeindex import time_index
from queries.timeline import changes
from queries.upkeep import dormant, due

from .common import median_time, print_table
from .generate import generate

TARGET = 1.0  # seconds per query at the full size
ON = "2026-01-01"
QUERIES = {
    "changes --since 2021-06-01": lambda G: changes(G, "2021-06-01", ON),
    "due --within 6m": lambda G: due(G, within="6m", on=ON),
    "dormant --quiet-for 3y": lambda G: dormant(G, quiet_for="3y", on=ON),
    "review --older-than 2y": lambda G: review(G, older_than="2y", on=ON),
}


def _renderers() -> dict:
    from commands import upkeep as cmd  # the commands' own table renderers, default limits

    return {
        "changes --since 2021-06-01": lambda d: cmd._render_changes(d, 10),
        "due --within 6m": cmd._render_due,
        "dormant --quiet-for 3y": cmd._render_dormant,
        "review --older-than 2y": lambda d: cmd._render_review(d, 50),
    }


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 entities only")
    args = ap.parse_args(argv)
    n = 10_000 if args.quick else 100_000
    t = time.perf_counter()
    G = build_graph(generate(n, degree=20.0, seed=7))
    print(f"n={n:,}: generated and built {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges "
          f"in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    index = _timed(lambda: time_index(G))
    print(f"date arrays (once per graph): {index:.2f} s", file=sys.stderr, flush=True)
    renderers = _renderers()
    rows = []
    for name, query in QUERIES.items():
        first = _timed(lambda: query(G))
        seconds, _ = median_time(lambda: query(G), repeat=3)
        result = query(G)
        size = sum(len(v) for v in result.values() if hasattr(v, '__len__') and not isinstance(v, str))  # rows, not counts
        shown = _timed(lambda: renderers[name](result))
        as_json = _timed(lambda: json.dumps(result, ensure_ascii=False, indent=2, default=json_default))
        rows.append([name, f"{G.number_of_edges():,}", f"{size:,}", f"{first:.3f}", f"{seconds:.3f}",
                     f"{shown:.3f}", f"{as_json:.1f}", f"< {TARGET:.0f} s" if n >= 100_000 else "-",
                     "ok" if seconds < TARGET else "SLOW"])
    print_table(f"Time and upkeep queries (graph loaded; date arrays built once in {index:.2f} s)",
                ["query", "relations", "rows", "first s", "median s", "table s", "json s", "target", ""], rows)


if __name__ == "__main__":
    main()
