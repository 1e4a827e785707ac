"""Small helpers shared by the benchmarks: timing, medians and table printing."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

__all__ = ["REPO", "median_time", "run_timed", "print_table"]

REPO = Path(__file__).resolve().parent.parent


def median_time(fn: Callable[[], object], repeat: int = 5) -> tuple[float, list[float]]:
    """Median wall time of `fn()` over `repeat` runs, and all the runs."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def run_timed(argv: Sequence[str], repeat: int = 5, env: dict | None = None) -> tuple[float, list[float]]:
    """Median wall time of a whole process (cold start included)."""
    def once():
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
    return median_time(once, repeat)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    sys.stdout.flush()
