"""Where the HTML map puts its labels: below a node, else above, right, left or at a corner (the
slide image's order), the hubs first, no two labels overlapping and none covering a node.

The crowded map is built by hand, its places set in canvas pixels: a column of hubs so close that
each hub's label below would cover the hub under it (and above, the hub over it), with partners
around. Everything is read from the page in a real headless Chromium: vis-network's own label
boxes, as it drew them.
"""
from __future__ import annotations

import itertools
import json
import re

import networkx as nx

from maps.drawing import CORNER, LABEL_PLACES
from maps.html import TEMPLATES, _scale, write_html
from maps.options import slide_options
from maps.view import build_view
from tests.test_maps_browser import assert_clean, open_map

HUBS = [f"hub{i}" for i in range(6)]


def _crowded_view():
    """Six hubs in a column 30 px apart, each with four partners around it, the hubs tied in a
    chain; a partner right under the lowest hub. The hubs are the view's highlights (always named)."""
    G = nx.MultiDiGraph()
    px: dict[str, tuple[float, float]] = {}
    for i, h in enumerate(HUBS):
        G.add_node(h, kind="university", name=f"Hub University {i}")
        px[h] = (0.0, 30.0 * i)
        for j in range(4):
            p = f"p{i}{j}"
            G.add_node(p, kind="company", name=f"Partner {i}.{j}")
            G.add_edge(h, p, key=f"r{i}{j}", kind="collaborates_with")
            px[p] = (-140.0 - 60.0 * j, 30.0 * i + (12.0 if j % 2 else -12.0))
        if i:
            G.add_edge(HUBS[i - 1], h, key=f"h{i}", kind="collaborates_with")
    G.add_node("under", kind="company", name="Partner under")
    G.add_edge(HUBS[-1], "under", key="u", kind="collaborates_with")
    px["under"] = (0.0, 30.0 * len(HUBS) + 4.0)
    view = build_view(G, slide_options(highlights=tuple(f"Hub University {i}" for i in range(6))))
    s = _scale(G.number_of_nodes())
    view.positions.clear()
    view.positions.update({n: (x / s, -y / s) for n, (x, y) in px.items()})
    return view


def _drawn(page) -> dict:
    """vis-network's own boxes (canvas units) of the labels it shows and of every node, as drawn."""
    return page.eval("""(function () {
        var body = espooMap.network.body, labels = {}, nodes = {};
        espooMap.labelled.forEach(function (id) {
            var s = body.nodes[id].labelModule.size;
            labels[id] = {l: s.left, t: s.top, r: s.left + s.width, b: s.top + s.height};
        });
        body.nodeIndices.forEach(function (id) {
            var n = body.nodes[id], w = n.shape.width / 2, h = n.shape.height / 2;
            nodes[id] = {l: n.x - w, t: n.y - h, r: n.x + w, b: n.y + h, x: n.x, y: n.y};
        });
        return {labels: labels, nodes: nodes};
    })()""")


def _overlap(a, b, slack=0.5) -> bool:
    return a["l"] + slack < b["r"] and b["l"] + slack < a["r"] and a["t"] + slack < b["b"] and b["t"] + slack < a["b"]


def test_the_page_tries_the_same_places_as_the_slide_image():
    js = (TEMPLATES / "labels.js").read_text(encoding="utf-8")
    places = re.search(r"var PLACES = (\[\[.*?\]\]), CORNER = ([0-9.]+);", js)
    assert places, "labels.js lost its PLACES list"
    assert [tuple(p) for p in json.loads(places.group(1))] == list(LABEL_PLACES)
    assert float(places.group(2)) == CORNER


def test_crowded_hubs_are_all_named_beside_their_node_without_overlap(browser, tmp_path):
    path = tmp_path / "crowded.html"
    write_html(_crowded_view(), path)
    page = open_map(browser, path)
    try:
        page.eval("espooMap.network.redraw()")  # sizes as drawn at the zoom shown
        drawn = _drawn(page)
        labels, nodes = drawn["labels"], drawn["nodes"]
        assert set(HUBS) <= set(labels), sorted(labels)
        # Below each hub but the lowest is the next hub: its label stands elsewhere, here on the right.
        assert sum(labels[h]["l"] > nodes[h]["x"] for h in HUBS) >= len(HUBS) - 1
        for (a, ba), (b, bb) in itertools.combinations(labels.items(), 2):
            assert not _overlap(ba, bb), (a, b, ba, bb)
        for a, box in labels.items():
            for n, nb in nodes.items():
                assert n == a or not _overlap(box, nb), (a, "covers", n)
        # Zoomed out until labels are too small to draw, a label placed right keeps its box right
        # of its node (what hovering and fitting read).
        page.eval("espooMap.network.moveTo({scale: 0.05, animation: false}); espooMap.network.redraw()")
        right = [h for h in HUBS if labels[h]["l"] > nodes[h]["x"]]
        far = _drawn(page)["labels"]
        assert all(far[h]["l"] > nodes[h]["x"] for h in right)
        assert_clean(page, path)
    finally:
        page.close()


def test_placing_is_deterministic_and_a_route_placed_again_keeps_the_rule(browser, tmp_path):
    path = tmp_path / "crowded.html"
    write_html(_crowded_view(), path)
    page = open_map(browser, path)
    try:
        twice = page.eval("""(function () {
            var D = MAP_DATA, must = {};
            D.page.labelMust.forEach(function (id) { must[id] = true; });
            return [0, 1].map(function () {
                var p = EspooLabels.prepare(D.nodes, D.options, D.page.labelOrder, D.page.labelThreshold, must);
                return JSON.stringify([p.kept, p.state.shift]);
            });
        })()""")
        assert twice[0] == twice[1]
        kept, shift = json.loads(twice[0])
        assert kept == page.eval("espooMap.labelled") and len(shift) >= len(HUBS) - 1
        # A route through the partners of the middle hub, named first and always (as the explorer does).
        route = ["p20", "hub2", "p21"]
        page.eval(f"""espooMap.labelled = EspooLabels.placeAgain(espooMap.network, espooMap.nodes, {json.dumps(route)},
                        MAP_DATA.page.labelOrder, MAP_DATA.page.labelThreshold, null, true)""")
        page.eval("espooMap.network.redraw()")
        labels = _drawn(page)["labels"]
        assert set(route) <= set(labels)
        for (a, ba), (b, bb) in itertools.combinations(labels.items(), 2):
            assert not _overlap(ba, bb), (a, b, ba, bb)
    finally:
        page.close()
