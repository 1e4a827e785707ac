"""Neo4j push throughput: batched (UNWIND $rows, the default batch size) against one row per
statement, on generated networks of 10,000 and 100,000 entities with about 8 relations each.

    python -m bench.neo4j [--quick]

The server is ArcadeDB from the arcadedb-embedded package, started for each size in a fresh
folder (as the tests start it), or the server in NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE; everything espoo-net manages in that database is deleted between runs). The
networks come from `bench.generate` (degree 8: each entity is in about 8 relations, so there
are 4 relations per entity). Before timing, a small push warms the server up.

One row per statement is the same push with a batch size of 1: every row in its own
transaction, with its statement (a relation row also looks its two ends up first, as every
relation batch does). It is measured on a sample (a few hundred relations drawn at random and
their entities) and extrapolated to the whole network from its entity and relation rates:
measuring it in full would take hours. Targets: batched at least 20 times faster, and the
100,000-entity push under 2 minutes.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .common import print_table

RATIO_TARGET = 20.0
BIG_PUSH_TARGET_S = 120.0


@dataclass
class Stages:
    """A progress callback that notes when each push stage reports, to give rates per stage."""

    seen: dict = field(default_factory=dict)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        first = self.seen.setdefault(stage, [now, done, now, done])
        first[2], first[3] = now, done

    def rate(self, stage: str) -> float:
        """Rows per second between the stage's first and last report."""
        t0, d0, t1, d1 = self.seen[stage]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else float("inf")


@contextlib.contextmanager
def server(heap: str = "4g"):
    """Connection settings of a fresh ArcadeDB (or of $NEO4J_URI, wiped before and after)."""
    from loaders.neo4j import Settings, close_drivers

    if os.environ.get("NEO4J_URI"):
        settings = Settings.from_env(retry_seconds=30)
        wipe(settings)
        try:
            yield settings
        finally:
            wipe(settings)
            close_drivers()
        return
    from tests.support.bolt import ArcadeServer

    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as root:
        arcade = ArcadeServer(Path(root), database="bench", heap=heap)
        info = arcade.start()
        try:
            yield info.settings
        finally:
            close_drivers()
            arcade.stop()


def wipe(settings) -> None:
    """Remove everything espoo-net manages: a pruning push of an empty network."""
    import networkx as nx

    from loaders.neo4j import push

    push(nx.MultiDiGraph(themes={}), settings, prune=True, batch_size=5000)


def sample(G, relations: int, seed: int = 1):
    """A few relations drawn at random, their entities and the theme taxonomy."""
    rnd = random.Random(seed)
    keys = sorted(G.edges(keys=True), key=lambda e: e[2])
    S = G.edge_subgraph(rnd.sample(keys, relations)).copy()
    S.graph["themes"] = G.graph["themes"]
    return S


def rows(G) -> int:
    return G.number_of_nodes() + G.number_of_edges() + len(G.graph.get("themes", {}))


def timed_push(G, settings, **kwargs) -> tuple[float, Stages]:
    from loaders.neo4j import push

    stages = Stages()
    t = time.perf_counter()
    push(G, settings, progress=stages, **kwargs)
    return time.perf_counter() - t, stages


def warm_up(settings) -> None:
    """A small push, batched and row by row, so neither variant pays for the server's warm-up."""
    from bench.generate import generate
    from graph.model import build_graph

    G = build_graph(generate(1000, degree=8, seed=3))
    timed_push(G, settings)
    wipe(settings)
    timed_push(sample(G, 100), settings, batch_size=1)
    wipe(settings)


def measure(n: int, repeats: int, sample_relations: int) -> dict:
    from bench.generate import generate
    from graph.model import build_graph
    from loaders.neo4j import DEFAULT_BATCH_SIZE

    G = build_graph(generate(n, degree=8, seed=42))
    S = sample(G, sample_relations)
    batched, again, one_row = [], [], []
    for run in range(repeats):
        print(f"  {n:,} entities, run {run + 1} of {repeats}", file=sys.stderr, flush=True)
        with server() as settings:
            warm_up(settings)
            _, stages = timed_push(S, settings, batch_size=1)
            wipe(settings)
            seconds, _ = timed_push(G, settings, batch_size=DEFAULT_BATCH_SIZE)
            batched.append(seconds)
            again.append(timed_push(G, settings, batch_size=DEFAULT_BATCH_SIZE)[0])
        # Row by row, the whole network would take its entities and relations at the sample's rates.
        extrapolated = (len(G.graph["themes"]) / stages.rate("pushing themes")
                        + G.number_of_nodes() / stages.rate("pushing entities")
                        + G.number_of_edges() / stages.rate("pushing relations"))
        one_row.append(extrapolated)
    return {
        "n": n, "entities": G.number_of_nodes(), "relations": G.number_of_edges(), "rows": rows(G),
        "sample_rows": rows(S), "batched_s": statistics.median(batched), "again_s": statistics.median(again),
        "one_row_s": statistics.median(one_row), "runs": repeats,
    }


def main(argv=None) -> None:
    from loaders.neo4j import DEFAULT_BATCH_SIZE

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="2,000 and 10,000 entities, one run each")
    args = ap.parse_args(argv)
    plan = [(2_000, 1), (10_000, 1)] if args.quick else [(10_000, 3), (100_000, 1)]
    where = os.environ.get("NEO4J_URI") or "ArcadeDB (arcadedb-embedded), a fresh server per run"
    print(f"Neo4j push throughput against {where}; generated networks (bench.generate, degree 8)", flush=True)
    results = [measure(n, repeats, sample_relations=600) for n, repeats in plan]
    table = []
    for r in results:
        ratio = r["one_row_s"] / r["batched_s"]
        verdict = "ok" if ratio >= RATIO_TARGET else "BELOW"
        if r["n"] >= 100_000:
            verdict += ", 100k push " + ("ok" if r["batched_s"] < BIG_PUSH_TARGET_S else "OVER 2 min")
        table.append([
            f"{r['n']:,}", f"{r['relations']:,}", f"{r['rows']:,}", f"{r['batched_s']:.1f}",
            f"{r['rows'] / r['batched_s']:,.0f}", f"{r['again_s']:.1f}", f"{r['rows'] / r['one_row_s']:,.0f}",
            f"{r['one_row_s']:,.0f}", f"{ratio:.1f}x", f"{r['runs']}", verdict,
        ])
    print_table(
        f"Push: batched (UNWIND $rows, batch size {DEFAULT_BATCH_SIZE:,}) "
        "vs one row per statement (batch size 1: each row in its own transaction)",
        ["entities", "relations", "rows", "batched s", "batched rows/s", "again s", "1-row rows/s",
         "1-row s (extrap.)", "ratio", "runs", f"targets (>= {RATIO_TARGET:.0f}x, 100k < 2 min)"],
        table)
    print(f"\nMedians of the runs. 'again': the same push a second time (nothing changes). One row per "
          f"statement is measured on a sample of {results[0]['sample_rows']:,} rows (600 relations and "
          "their entities, the taxonomy) and extrapolated from its entity and relation rates; rows "
          "counts entities, relations and themes.")


if __name__ == "__main__":
    main()
