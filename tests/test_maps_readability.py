"""What a slide maker reads off a map: nothing hidden under another marker without the caption
saying so, titles inside the image, sizes a slide can be drawn at, cluster colours told apart,
a country's view with our side, and HTML labels sized for the zoom the page opens at."""
from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest

from graph.errors import EspooNetError
from graph.style import CLUSTER_PALETTE, OTHER_CLUSTERS, UNCLUSTERED
from maps import image
from maps.counterparts import counterparts
from maps.html import _label_sizes
from maps.options import slide_options
from maps.spread import WORLD_MERGE, spread
from maps.view import build_view


def _twins() -> nx.MultiDiGraph:
    """Espoo, Nõmme 80 km away, and twin towns across the world (a world map)."""
    G = nx.MultiDiGraph()
    src = [{"url": "https://e.org/a", "seen": "2025-01-01"}]
    G.add_node("espoo", kind="city", name="City of Espoo", country="FI", lat=60.2, lon=24.65, home=True, sources=src)
    towns = {"nomme": ("Nõmme", "EE", 59.39, 24.69), "irving": ("Irving", "US", 32.8, -96.9),
             "shanghai": ("Shanghai", "CN", 31.23, 121.47), "koge": ("Køge", "DK", 55.46, 12.18)}
    for i, (n, (name, cc, lat, lon)) in enumerate(sorted(towns.items())):
        G.add_node(n, kind="city", name=name, country=cc, lat=lat, lon=lon, sources=src)
        G.add_edge("espoo", n, key=f"t{i}", kind="twin_town", since="1990", status="active", sources=src)
    return G


def test_a_world_map_spreads_entities_whose_markers_would_touch():
    anchors = {"hub": (0.0, 0.0), "near": (0.2, 0.0), "far": (10.0, 0.0), "beside": (0.0, 1.0)}
    pos = spread(anchors, 1.0, {"hub": 1.0}, {}, roomy=False)
    assert pos["hub"] == (0.0, 0.0) and pos["far"] == (10.0, 0.0)  # the hub stays at its place
    assert math.dist(pos["near"], pos["hub"]) >= 1.0 - 1e-9  # a step away
    # ...on a ring slot that lands on no other entity ("beside" sits where the first slot would be).
    assert all(math.dist(pos["near"], pos[m]) >= WORLD_MERGE for m in ("hub", "far", "beside"))
    assert pos == spread(dict(reversed(list(anchors.items()))), 1.0, {"hub": 1.0}, {}, roomy=False)


def test_a_twin_town_next_to_espoo_is_drawn_apart_and_named():
    view = build_view(_twins(), slide_options(layout="geo"))
    p = view.positions
    assert math.dist(p["nomme"], p["espoo"]) > 0.02  # apart on the slide, not under Espoo's dot
    fig = image.figure(view)
    named = {t.get_text() for t in fig.axes[0].texts}
    footer = fig.texts[2].get_text()
    assert "Nõmme" in named or "Nõmme" in footer


def test_the_caption_names_what_the_slide_could_not_label(small_graph):
    from maps.slidelabels import SlideLabels

    view = build_view(small_graph)
    a, b = sorted(view.graph)[:2]
    said = SlideLabels(unlabelled=["koge"], covered={a: b}).caption(view)
    assert "Not labelled (no room): Køge" in said and "Drawn under another marker:" in said
    many = [f"n{i}" for i in range(16)]
    view.graph.add_nodes_from(many, name="x")
    assert f"16 of {view.graph.number_of_nodes()} entities not labelled" in SlideLabels(unlabelled=many).caption(view)
    hidden = SlideLabels(unlabelled=many, covered={m: a for m in many}).caption(view)
    assert hidden == "16 entities drawn under another marker"  # counted, not named, when many


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768), (800, 450)])
def test_a_long_title_stays_inside_the_image(small_graph, size):
    title = "A very long title for the board meeting about artificial intelligence partners of Espoo 2026"
    fig = image.figure(build_view(small_graph, slide_options(title=title)), size=size)
    renderer = fig.canvas.get_renderer()
    head = fig.texts[0]
    shown = head.get_text().replace("\n", " ")
    if size[1] >= 768:
        assert shown == title  # all of it, on one or two lines
    else:  # at the smallest size, cut at a word
        assert shown.endswith("…") and title.startswith(shown[:-1])
    assert head.get_window_extent(renderer).x1 <= size[0]
    assert not head.get_window_extent(renderer).overlaps(fig.texts[1].get_window_extent(renderer))


def test_sizes_a_slide_cannot_be_drawn_at_are_refused_with_a_hint():
    image.check_size(800, 450)
    with pytest.raises(EspooNetError, match="too small for the title, legend and caption"):
        image.check_size(300, 200)


def _lab(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_cluster_colours_are_told_apart():
    colours = [*CLUSTER_PALETTE, OTHER_CLUSTERS, UNCLUSTERED]
    assert len(set(colours)) == len(colours)
    assert min(math.dist(_lab(a), _lab(b)) for a, b in itertools.combinations(colours, 2)) >= 20


def test_clusters_beyond_the_palette_are_one_legend_entry(monkeypatch, small_graph):
    from maps import colouring

    members = sorted(small_graph)
    fake = {"clusters": [{"members": [m], "label": f"c{i}"} for i, m in enumerate(members)]}
    fake = {"clusters": [dict(c, id=i + 1) for i, c in enumerate(fake["clusters"])]}
    colours, legend = colouring.cluster_colouring(fake, small_graph.copy())
    assert len(set(colours.values())) <= len(CLUSTER_PALETTE) + 1
    other = [row for row in legend if row.get("other")]
    if len(members) > len(CLUSTER_PALETTE):
        assert other and other[0]["size"] == len(members) - len(CLUSTER_PALETTE)
        assert other[0]["label"] == f"{len(members) - len(CLUSTER_PALETTE)} smaller clusters"


def test_a_country_view_brings_our_side_of_its_ties():
    G = _twins()
    G.add_node("uniper", kind="company", name="Uniper", country="DE")
    G.add_edge("uniper", "nomme", key="x", kind="supplier_to")
    assert counterparts(G, G, {"nomme"}) == {"espoo"}  # ours, not a third country's
    view = build_view(G, slide_options(countries=("EE",)))
    assert sorted(view.graph) == ["espoo", "nomme"] and view.hidden["counterparts"] == 1
    alone = build_view(G, slide_options(countries=("EE",), counterparts=False, isolated=True))
    assert sorted(alone.graph) == ["nomme"] and "1 entities on our side tied to them left out" in alone.footer


def test_html_labels_grow_with_a_map_that_opens_zoomed_out():
    G = nx.MultiDiGraph()
    for i in range(300):
        G.add_node(f"n{i:03d}", kind="company", name=f"Company {i}")
        if i:
            G.add_edge("n000", f"n{i:03d}", key=f"e{i}", kind="collaborates_with")
    big = _label_sizes(build_view(G, slide_options()))
    small = _label_sizes(build_view(_twins(), slide_options()))
    assert small == (10, 16) and big[0] > 1.3 * small[0] and big[1] > 1.3 * small[1]


def test_the_html_legend_names_each_dash_pattern_of_a_family():
    from maps.html import map_data

    view = build_view(_twins(), slide_options())
    G = view.graph
    G.add_edge("espoo", "shanghai", key="s1", kind="sister_city", sources=[])
    rows = {r["kind"]: r for r in map_data(view)["page"]["legend"]["relations"]}
    styles = rows["relationship"]["styles"]
    assert [s["label"] for s in styles] == ["twin town", "sister city"]
    assert styles[0]["dashes"] is False and styles[1]["dashes"] and [s["count"] for s in styles] == [4, 1]


def test_our_side_is_always_named():
    from maps.drawing import essential_labels

    view = build_view(_twins(), slide_options())
    assert "espoo" in essential_labels(view)
