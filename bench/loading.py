"""Loading and validating a generated dataset at scale (target: 100,000 entities and 1,000,000
relations validated in under 20 s and under 2 GB peak memory), and building its graph.

    python -m bench.loading [--quick] [--runs 3] [--data DIR]

Each run is a fresh process (so its peak memory is its own), with the dataset cache off:
`espoo-net validate --data DIR` end to end as a user runs it (median and peak of `--runs`), then
load + build in Python (one run). Two shapes per size: the generator's, where every relation
has a source page of its own (the worst case: each source text parsed once, none shared), and
the same network with each source page shared by about 20 relations, as in real data (one page
states many facts). `--data DIR` measures that dataset instead of generating one.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace

from .common import print_table
from .generate import generate, write_csv

TARGET_S = 20.0
TARGET_MB = 2048
SHARED_PER_PAGE = 20  # relations per source page in the "shared sources" shape

_CHILD = """
import json, resource, sys, time
from loaders import load_dataset
from graph.model import build_graph
t0 = time.perf_counter(); data = load_dataset(sys.argv[1]); t1 = time.perf_counter()
G = build_graph(data); t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "build": t2 - t1, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


# Measure the real work every time: no dataset cache.
_NO_CACHE = dict(os.environ, ESPOO_NET_CACHE="off")


def _validate_cli(folder: str) -> tuple[float, float]:
    """Wall seconds and peak MB of one `espoo-net validate` (its own process, waited for alone)."""
    exe = shutil.which("espoo-net", path=os.path.dirname(sys.executable)) or "espoo-net"
    cmd = [exe, "validate", "--data", folder]
    t = time.perf_counter()
    # A child of its own, so that RUSAGE_CHILDREN's maximum is this run's.
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], check=True, capture_output=True, text=True, env=_NO_CACHE)
    elapsed = time.perf_counter() - t
    return elapsed, float(out.stdout.strip().splitlines()[-1])


_PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def _shared_sources(data):
    """The same network with each source page shared by about SHARED_PER_PAGE relations."""
    pages = max(1, len(data.relations) // SHARED_PER_PAGE)
    relations = tuple(replace(r, sources=tuple(replace(s, url=f"https://bench.example.org/page/{i % pages}")
                                               for s in r.sources))
                      for i, r in enumerate(data.relations))
    return replace(data, relations=relations)


def _measure(folder: str, runs: int) -> dict:
    times, peaks = [], []
    for _ in range(runs):
        s, mb = _validate_cli(folder)
        times.append(s)
        peaks.append(mb)
    out = subprocess.run([sys.executable, "-c", _CHILD, folder], check=True, capture_output=True, text=True,
                         env=_NO_CACHE)
    child = json.loads(out.stdout)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "peak": max(peaks), **child}


def _row(label: str, n_ent: int, n_rel: int, m: dict) -> list:
    ok = "ok" if m["median"] < TARGET_S and m["peak"] < TARGET_MB else "OVER"
    return [f"{n_ent:,}", f"{n_rel:,}", label, f"{m['median']:.1f} ({m['min']:.1f}–{m['max']:.1f})", f"{m['peak']:,.0f}",
            f"{m['load']:.1f}", f"{m['build']:.1f}", f"{m['rss_mb']:,.0f}", ok]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 entities / 100,000 relations only, one run")
    ap.add_argument("--runs", type=int, default=None, help="validate runs per case (default 3; --quick 1)")
    ap.add_argument("--data", default=None, help="measure this dataset folder instead of generated ones")
    args = ap.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    rows = []
    if args.data:
        m = _measure(args.data, runs)
        rows.append(_row(f"{args.data}", m["nodes"], m["edges"], m))
    for n in ([] if args.data else [10_000] if args.quick else [10_000, 100_000]):
        t = time.perf_counter()
        data = generate(n, degree=20.0, seed=7)
        made = time.perf_counter() - t
        n_rel = len(data.relations)
        print(f"generated {n:,} entities / {n_rel:,} relations in {made:.1f} s; validating...", file=sys.stderr)
        for label, shaped in (("a source page per relation", lambda d: d), (f"pages shared by ~{SHARED_PER_PAGE}", _shared_sources)):
            with tempfile.TemporaryDirectory(prefix="espoo-bench-") as folder:
                write_csv(shaped(data), folder)
                m = _measure(folder, runs)
            print(f"  {label}: validate median {m['median']:.1f} s, peak {m['peak']:,.0f} MB", file=sys.stderr)
            rows.append(_row(label, n, n_rel, m))
        del data
    print_table(f"Load and validate CSV datasets (validate: median of {runs} CLI runs, seconds, and peak MB; "
                f"load and build: one run in Python)",
                ["entities", "relations", "sources", "validate (CLI) s", "peak MB", "load s", "build graph s",
                 "load+build peak MB", f"target <{TARGET_S:.0f} s, <{TARGET_MB / 1024:.0f} GB"], rows)


if __name__ == "__main__":
    main()
