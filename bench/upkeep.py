"""Time and upkeep queries once the graph is loaded: changes, due, dormant and review (target:
each under 1 s at 100,000 entities and 1,000,000 relations).

    python -m bench.upkeep [--quick]

Generates a seeded network (`bench.generate`, 10 ties per entity each way, so 100,000 entities
carry about 1,000,000 relations), builds its graph once, then times each query (median of 3
runs). --quick runs 10,000 entities / about 100,000 relations.
"""
from __future__ import annotations

import argparse
import sys
import time

from graph.model import build_graph
from queries.review import review
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


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 entities only")
    args = ap.parse_args(argv)
    n = 10_000 if args.quick else 100_000
    t = time.perf_counter()
    G = build_graph(generate(n, degree=20.0, seed=7))
    print(f"n={n:,}: generated and built {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges "
          f"in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    rows = []
    for name, query in QUERIES.items():
        seconds, _ = median_time(lambda: query(G), repeat=3)
        result = query(G)
        size = sum(len(v) for v in result.values() if isinstance(v, list))
        rows.append([name, f"{G.number_of_nodes():,}", f"{G.number_of_edges():,}", f"{size:,}", f"{seconds:.3f}",
                     f"< {TARGET:.0f} s" if n >= 100_000 else "-", "ok" if seconds < TARGET else "SLOW"])
    print_table("Time and upkeep queries (graph loaded)", ["query", "entities", "relations", "rows", "median s", "target", ""], rows)


if __name__ == "__main__":
    main()
