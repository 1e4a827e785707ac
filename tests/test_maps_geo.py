"""The geographic map: entities at one place spread so each can be named, the picture fitted to
the countries shown."""
from __future__ import annotations

import itertools
import math

import networkx as nx

from maps import image
from maps.layout import geo_layout
from maps.options import slide_options
from maps.spread import ring_radius, spread
from maps.view import build_view


def _korea() -> nx.MultiDiGraph:
    """Nine entities in one city (a few hundred metres apart), two in a city 45 km away, one far off."""
    G = nx.MultiDiGraph()
    G.add_node("cj", kind="city", name="Cheongju", country="KR", lat=36.642, lon=127.489)
    for i, kind in enumerate(["university", "institute", "agency", "company", "company", "network", "event", "region"]):
        G.add_node(f"e{i}", kind=kind, name=f"Cheongju partner number {i}", country="KR", city="Cheongju",
                   lat=36.642 + 0.003 * (i % 3), lon=127.489 - 0.002 * (i % 2))
        G.add_edge(f"e{i}", "cj", key=f"r{i}", kind="collaborates_with")
    G.add_node("cz", kind="city", name="Chungju", country="KR", lat=36.991, lon=127.926)
    G.add_node("kn", kind="university", name="Chungju university", country="KR", city="Chungju")
    G.add_edge("kn", "cz", key="k1", kind="collaborates_with")
    G.add_edge("kn", "e0", key="k2", kind="collaborates_with")
    G.add_node("busan", kind="city", name="Busan", country="KR", lat=35.18, lon=129.08)
    G.add_edge("busan", "cj", key="b1", kind="twin_town")
    return G


def test_a_crowded_city_stands_on_one_ring_around_it_and_lone_places_stay_put():
    G = _korea()
    pos = geo_layout(G)
    centre = pos["cj"]
    radii = [math.dist(pos[f"e{i}"], centre) for i in range(8)]
    assert max(radii) - min(radii) < 1e-3 and min(radii) > 0.1  # one ring, wide enough to name them
    # Chungju's pair is its own group (45 km away), and no two entities are closer than a step apart.
    assert math.dist(pos["kn"], pos["cz"]) < math.dist(pos["kn"], centre)
    step = 2 / 20
    assert min(math.dist(a, b) for a, b in itertools.combinations(pos.values(), 2)) > 0.8 * step
    # Busan, alone at its spot, is drawn exactly there: same offset from Cheongju's city as the map's frame says.
    _, frame = geo_layout(G, frame=True)
    assert pos["busan"] == frame.lonlat(129.08, 35.18)


def test_every_entity_of_a_crowded_city_is_named_on_the_slide():
    view = build_view(_korea(), slide_options(layout="geo", countries=("KR",)))
    fig = image.figure(view)
    texts = fig.axes[0].texts
    named = {t.get_text() for t in texts}
    assert {f"Cheongju partner number {i}" for i in range(8)} <= named
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_spread_is_deterministic_and_a_world_map_keeps_groups_compact():
    anchors = {f"n{i}": (10.0, 50.0) for i in range(10)} | {"far": (100.0, 0.0)}
    roomy = spread(anchors, 1.0, {}, {})
    assert roomy == spread(dict(reversed(list(anchors.items()))), 1.0, {}, {})
    assert roomy["far"] == (100.0, 0.0)
    assert max(math.dist(p, (10.0, 50.0)) for n, p in roomy.items() if n != "far") <= ring_radius(10, 1.0) + 1e-9
    compact = spread(anchors, 1.0, {}, {}, roomy=False)  # rings of 6, 12, ... a step apart
    assert max(math.dist(p, (10.0, 50.0)) for n, p in compact.items() if n != "far") <= 2.0 + 1e-9


def test_the_html_map_of_a_country_opens_on_the_whole_country(browser, tmp_path):
    from maps.html import map_data, write_html

    view = build_view(_korea(), slide_options(layout="geo", countries=("KR",)))
    data = map_data(view)
    left, top, right, bottom = data["page"]["extent"]
    ys = [n["y"] for n in data["nodes"]]
    assert bottom - top > 1.2 * (max(ys) - min(ys))  # the country, not only the nodes
    assert build_view(_korea(), slide_options(layout="geo")).extent == []  # no countries asked: fit the nodes
    path = tmp_path / "korea.html"
    write_html(view, path)
    page = browser.open_page(path)
    try:
        page.wait_for("window.espooMap && window.espooMap.firstDrawMs !== null")
        corners = page.eval(f"[espooMap.network.canvasToDOM({{x: {left}, y: {top}}}), "
                            f"espooMap.network.canvasToDOM({{x: {right}, y: {bottom}}}), "
                            "[document.getElementById('mynetwork').clientWidth, document.getElementById('mynetwork').clientHeight]]")
        (x0, y0), (x1, y1), (w, h) = (corners[0]["x"], corners[0]["y"]), (corners[1]["x"], corners[1]["y"]), corners[2]
        assert -1 <= x0 and x1 <= w + 1 and -1 <= y0 and y1 <= h + 1  # all of it in sight
        assert max((x1 - x0) / w, (y1 - y0) / h) > 0.85  # and filling the map
        assert page.exceptions == []
    finally:
        page.close()
