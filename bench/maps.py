"""The HTML map at scale: time to write it, its size, and the time until Chromium has drawn it.

    python -m bench.maps [--quick]

Networks of 100, 1,000, 5,000 and 20,000 entities come from the seeded generator
(`bench.generate`, about 4 ties per entity). For each: the view and its seeded layout
(`build_view`), the HTML (`render_html` + write), the file's size against the budget of
1 MB + 1 KB per node, and the time until the page has drawn in headless Chromium with the
network cut off: wall time from navigation to vis-network's first `afterDrawing`, and the part
of it after our script started (which includes placing the labels that fit). Targets: 5,000
nodes written in under 2 s and drawn in under 3 s; a geographic map (basemap included) of
1,000 entities written in under 3 s. Medians of 3 runs (1 with --quick, which also stops at 5,000).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from .common import print_table
from .generate import generate

SIZES = (100, 1_000, 5_000, 20_000)
WRITE_TARGET_S = 2.0
DRAW_TARGET_S = 3.0
TARGET_AT = 5_000
GEO_AT, GEO_TARGET_S = 1_000, 3.0


def _budget(nodes: int) -> int:
    return 1_000_000 + 1_000 * nodes


def _write(G, path: Path, layout: str = "spring") -> tuple[float, float, int, int, int]:
    """(view+layout seconds, html seconds, bytes, nodes, edges)."""
    from maps.html import write_html
    from maps.view import MapOptions, build_view

    t0 = time.perf_counter()
    view = build_view(G, MapOptions(layout=layout))
    t1 = time.perf_counter()
    size = write_html(view, path)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, size, view.graph.number_of_nodes(), view.graph.number_of_edges()


def _draw(browser, path: Path) -> tuple[float, float]:
    """(wall seconds from navigation to first draw, seconds after our script started)."""
    page = browser.open_page()
    try:
        t0 = time.perf_counter()
        page.send("Page.navigate", {"url": path.resolve().as_uri()})
        inner = page.wait_for("window.espooMap && window.espooMap.firstDrawMs", timeout=300)
        wall = time.perf_counter() - t0
        if page.exceptions or len(page.requests) != 1:
            raise RuntimeError(f"the map did not load cleanly: {page.exceptions or page.requests}")
        return wall, inner / 1000
    finally:
        page.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one run each, up to 5,000 nodes")
    args = ap.parse_args(argv)
    repeat = 1 if args.quick else 3
    sizes = [n for n in SIZES if not args.quick or n <= TARGET_AT]
    from graph.model import build_graph
    from tests.support.browser import start_chromium

    browser = start_chromium()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in sizes:
                G = build_graph(generate(n, degree=8.0, seed=42))
                path = Path(tmp) / f"map-{n}.html"
                runs = [_write(G, path) for _ in range(repeat)]
                layout_s = statistics.median(r[0] for r in runs)
                html_s = statistics.median(r[1] for r in runs)
                written = statistics.median(r[0] + r[1] for r in runs)
                size, nodes, edges = runs[-1][2:]
                draws = [_draw(browser, path) for _ in range(repeat)]
                wall = statistics.median(d[0] for d in draws)
                inner = statistics.median(d[1] for d in draws)
                budget = _budget(nodes)
                verdict = []
                if n == TARGET_AT:
                    verdict.append("write ok" if written < WRITE_TARGET_S else "write OVER")
                    verdict.append("draw ok" if wall < DRAW_TARGET_S else "draw OVER")
                verdict.append("size ok" if size <= budget else "size OVER")
                label = f"{n:,}"
                if n == GEO_AT:
                    geo = [_write(G, path, "geo") for _ in range(repeat)]
                    geo_s = statistics.median(r[0] + r[1] for r in geo)
                    rows.append([f"{n:,} geo", f"{geo[-1][3]:,}", f"{geo[-1][4]:,}", f"{statistics.median(r[0] for r in geo):.2f}",
                                 f"{statistics.median(r[1] for r in geo):.2f}", f"{geo_s:.2f}", f"{geo[-1][2] / 1e6:.2f}", "",
                                 "", "", "geo write ok" if geo_s < GEO_TARGET_S else "geo write OVER"])
                rows.append([label, f"{nodes:,}", f"{edges:,}", f"{layout_s:.2f}", f"{html_s:.2f}", f"{written:.2f}",
                             f"{size / 1e6:.2f}", f"{budget / 1e6:.2f}", f"{wall:.2f}", f"{inner:.2f}", ", ".join(verdict)])
    finally:
        browser.close()
    print_table(
        f"HTML map at scale (median of {repeat}; seconds, MB; targets at {TARGET_AT:,}: written < {WRITE_TARGET_S:g} s, "
        f"drawn < {DRAW_TARGET_S:g} s; geo at {GEO_AT:,} written < {GEO_TARGET_S:g} s; size <= 1 MB + 1 KB per node)",
        ["generated", "map nodes", "map edges", "view+layout s", "html s", "written s", "size MB", "budget MB",
         "drawn s (wall)", "drawn s (script)", "verdict"], rows)


if __name__ == "__main__":
    main()
