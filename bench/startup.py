"""Cold start of `espoo-net stats` and `espoo-net show` on the bundled data (target: under 0.5 s).

The validated dataset is cached between runs (loaders/cache.py); the first run reads the YAML.

    python -m bench.startup [--quick]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys

from .common import print_table, run_timed

TARGET_S = 0.5


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="3 runs each instead of 9")
    args = ap.parse_args(argv)
    repeat = 3 if args.quick else 9
    exe = shutil.which("espoo-net", path=os.path.dirname(sys.executable)) or "espoo-net"
    cases = [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
        ("espoo-net --help", [exe, "--help"]),
        ("espoo-net stats (first run: no cache)", ["env", "ESPOO_NET_CACHE=off", exe, "stats"]),
        ("espoo-net stats", [exe, "stats"]),
        ("espoo-net show espoo", [exe, "show", "espoo"]),
        ("espoo-net show 'Chungbuk National University'", [exe, "show", "Chungbuk National University"]),
    ]
    rows = []
    for label, cmd in cases:
        med, times = run_timed(cmd, repeat=repeat)
        verdict = "" if "floor" in label or "help" in label else ("ok" if med < TARGET_S else "OVER")
        rows.append([label, f"{med:.3f}", f"{min(times):.3f}", f"{max(times):.3f}", verdict])
    print_table(f"Cold start on the bundled data ({repeat} runs each, seconds; target < {TARGET_S} s)",
                ["command", "median", "min", "max", "target"], rows)


if __name__ == "__main__":
    main()
