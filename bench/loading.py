"""Loading and validating a generated dataset at scale (target: 100,000 entities and 1,000,000
relations in under 60 s and under 4 GB peak memory), and building its graph.

    python -m bench.loading [--quick]

Each size runs in a fresh process (so its peak memory is its own): `espoo-net validate` on CSV
files written by bench.generate (its progress shows on stderr), then load + build in Python.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from .common import print_table
from .generate import generate, write_csv

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
    exe = shutil.which("espoo-net", path=os.path.dirname(sys.executable)) or "espoo-net"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run([exe, "validate", "--data", folder], check=True, stdout=subprocess.DEVNULL, env=_NO_CACHE)
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 entities / 100,000 relations only")
    args = ap.parse_args(argv)
    sizes = [(10_000, 20.0)] if args.quick else [(10_000, 20.0), (100_000, 20.0)]
    rows = []
    for n, degree in sizes:
        with tempfile.TemporaryDirectory(prefix="espoo-bench-") as folder:
            t = time.perf_counter()
            data = generate(n, degree=degree, seed=7)
            write_csv(data, folder)
            made = time.perf_counter() - t
            n_rel = len(data.relations)
            del data
            print(f"generated {n:,} entities / {n_rel:,} relations in {made:.1f} s; validating...", file=sys.stderr)
            validate_s, validate_mb = _validate_cli(folder)
            out = subprocess.run([sys.executable, "-c", _CHILD, folder], check=True, capture_output=True, text=True,
                                 env=_NO_CACHE)
            child = json.loads(out.stdout)
        ok = "ok" if validate_s < 60 and validate_mb < 4096 else "OVER"
        rows.append([f"{n:,}", f"{n_rel:,}", f"{validate_s:.1f}", f"{validate_mb:,.0f}", f"{child['load']:.1f}",
                     f"{child['build']:.1f}", f"{child['rss_mb']:,.0f}", ok])
    print_table("Load and validate generated CSV datasets (one run each, seconds and MB)",
                ["entities", "relations", "validate (CLI) s", "peak MB", "load s", "build graph s",
                 "load+build peak MB", "target <60 s, <4 GB"], rows)


if __name__ == "__main__":
    main()
