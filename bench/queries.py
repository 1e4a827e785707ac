"""Query times on generated networks of 10,000 and 100,000 entities (about 8 ties each).

    python -m bench.queries [--quick]

For each size: generate the network (`bench.generate`, seeded), build the graph, build the
routing graph once (today's view; it is cached on the graph and reused by every later query),
then time each query: median over many random pairs or targets for `path` and `intro`, over a
few runs for the whole-network queries. NetworkX and igraph are measured side by side where
both can answer (Louvain, betweenness, k shortest paths by hops). Prints medians per size, the
growth ratio from the smaller size to the larger, and the targets at the larger size.
--quick runs 2,000 and 10,000 entities with fewer repeats.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from itertools import islice

import networkx as nx

from graph.model import build_graph
from queries.centrality import brokers
from queries.clusters import clusters, themes_summary
from queries.introductions import introductions
from queries.neighbours import neighbours
from queries.paths import find_paths
from queries.routing import routing_graph
from queries.suggest import suggest

from .common import print_table
from .generate import generate

# Targets at 100,000 entities (seconds), from the issue.
TARGETS = {"path (k=3, by hops)": 0.050, "intro (k=5)": 0.200, "clusters louvain (igraph)": 30.0,
           "clusters leiden (igraph)": 30.0}


def _median_over(calls) -> float:
    times = []
    for call in calls:
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


class _Timings(dict):
    """Results by query name, with each one shown on stderr as it is measured."""

    def __init__(self, n: int):
        super().__init__()
        self.n = n

    def __setitem__(self, name, seconds):
        print(f"n={self.n:,}: {name.strip()}: {_fmt(seconds)}", file=sys.stderr, flush=True)
        super().__setitem__(name, seconds)


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _nx_simple_paths(G, s, t, k):
    R = routing_graph(G)
    return list(islice(nx.shortest_simple_paths(R, s, t), k))


def _try(fn):
    """Call fn; a query with no answer (no route between a random pair) still counts its time."""
    def call():
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - NoPath between random pairs is an expected answer
            if type(e).__name__ not in ("NoPath", "NetworkXNoPath"):
                raise
    return call


def measure(n: int, quick: bool) -> dict[str, float | None]:
    out = _Timings(n)
    t = time.perf_counter()
    data = generate(n, seed=42)
    print(f"n={n:,}: generated {len(data.relations):,} relations in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    t = time.perf_counter()
    G = build_graph(data)
    out["build MultiDiGraph (once)"] = time.perf_counter() - t
    t = time.perf_counter()
    R = routing_graph(G)
    out["build routing graph (once per view)"] = time.perf_counter() - t
    rnd = random.Random(7)
    nodes = sorted(n for n in R if R._adj[n])
    home = set(R.graph["home"])
    pairs = [tuple(rnd.sample(nodes, 2)) for _ in range(15 if quick else 40)]
    targets = [x for x in rnd.sample(nodes, 60) if x not in home][: 15 if quick else 40]
    theme = themes_summary(G)["themes"][0]["id"]
    reps = 1 if quick else 3
    print(f"n={n:,}: timing queries", file=sys.stderr)
    out["path (k=3, by hops)"] = _median_over(_try(lambda s=s, t=t: find_paths(G, s, t, k=3)) for s, t in pairs)
    out["  networkx shortest_simple_paths (k=3)"] = _median_over(
        _try(lambda s=s, t=t: _nx_simple_paths(G, s, t, 3)) for s, t in pairs)
    out["path (k=3, by strength)"] = _median_over(
        _try(lambda s=s, t=t: find_paths(G, s, t, k=3, by="strength")) for s, t in pairs)
    on_theme = sorted(n for n, nbrs in routing_graph(G, theme=theme)._adj.items() if nbrs)
    theme_pairs = [tuple(rnd.sample(on_theme, 2)) for _ in range(len(pairs))]
    out["path (k=3, on the commonest theme)"] = _median_over(
        _try(lambda s=s, t=t: find_paths(G, s, t, k=3, theme=theme)) for s, t in theme_pairs)
    out["intro (k=5)"] = _median_over((lambda x=x: introductions(G, x, k=5)) for x in targets)
    out["suggest (k=10)"] = _median_over((lambda x=x: suggest(G, x)) for x in targets)
    out["neighbours (depth 2)"] = _median_over((lambda x=x: neighbours(G, x, depth=2)) for x in targets)
    out["clusters louvain (igraph)"] = _median_over((lambda: clusters(G)) for _ in range(reps))
    out["clusters leiden (igraph)"] = _median_over((lambda: clusters(G, algorithm="leiden")) for _ in range(reps))
    out["clusters louvain (networkx)"] = _median_over([lambda: clusters(G, engine="networkx")])
    out["brokers (igraph, default sample)"] = _median_over((lambda: brokers(G)) for _ in range(reps))
    per_source_ig = _median_over([lambda: brokers(G, sample=50)]) / 50
    per_source_nx = _median_over([lambda: brokers(G, sample=20, engine="networkx")]) / 20
    out["  betweenness per sampled source (igraph)"] = per_source_ig
    out["  betweenness per sampled source (networkx)"] = per_source_nx
    out["themes"] = _median_over(lambda: themes_summary(G) for _ in range(reps))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="2,000 and 10,000 entities, fewer repeats")
    args = ap.parse_args(argv)
    small, large = (2_000, 10_000) if args.quick else (10_000, 100_000)
    warm = build_graph(generate(300, seed=1))  # import igraph before any timing
    clusters(warm, algorithm="leiden")
    brokers(warm)
    results = {size: measure(size, args.quick) for size in (small, large)}
    rows = []
    for name in results[small]:
        a, b = results[small][name], results[large][name]
        growth = f"×{b / a:.1f}" if a and b else "—"
        target = TARGETS.get(name)
        verdict = "" if target is None or args.quick else ("yes" if b is not None and b < target else "NO")
        rows.append((name, _fmt(a), _fmt(b), growth, _fmt(target) if target else "", verdict))
    print_table(
        f"Query medians on generated networks (about 8 ties per entity; {small:,} and {large:,} entities)",
        ["query", f"{small:,}", f"{large:,}", "growth", "target", "met"], rows)


if __name__ == "__main__":
    main()
