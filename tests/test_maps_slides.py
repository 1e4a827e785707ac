"""Slide-ready maps: the view of actors, labels that never overlap, full legends, editable text,
the geographic basemap and saved views."""
from __future__ import annotations

import itertools
import json
import shutil

import networkx as nx
import pytest
from click.testing import CliRunner

import cli
from graph.errors import InvalidData
from maps import image
from maps.actors import actor_view
from maps.options import slide_options
from maps.saved import read_view
from maps.view import build_view


def _activity_graph(participants: int) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    H.add_node("mou", kind="agreement", name="The MoU")
    for i in range(participants):
        H.add_node(f"c{i}", kind="city", name=f"City {i}")
        H.add_edge(f"c{i}", "mou", key=f"r{i}", kind="party_to", sources=[{"url": f"https://e.org/{i}", "seen": "2025"}])
    H.add_node("alone", kind="company", name="Alone")
    return H


def test_an_activity_of_three_becomes_three_named_ties():
    H = _activity_graph(3)
    assert actor_view(H) == {"activities as ties": 1, "unconnected": 1}
    assert sorted((u, v) for u, v in H.edges()) == [("c0", "c1"), ("c0", "c2"), ("c1", "c2")]
    assert {d["label"] for *_, d in H.edges(data=True)} == {"The MoU"}
    assert all(len(d["sources"]) == 2 for *_, d in H.edges(data=True))  # both parties' sources


def test_a_larger_activity_stays_a_hub_and_hide_leaves_it_out():
    H = _activity_graph(4)
    assert actor_view(H, isolated=True) == {}
    assert "mou" in H and H.number_of_edges() == 4
    H = _activity_graph(2)
    assert actor_view(H, activities="hide") == {"activities hidden": 1, "unconnected": 3}
    assert H.number_of_nodes() == 0


def test_place_facts_only_on_the_geographic_map(small_graph):
    spring = build_view(small_graph, slide_options())
    geo = build_view(small_graph, slide_options(layout="geo"))
    assert spring.hidden["place facts"] == 1 and "place facts" not in geo.hidden
    assert "left off the map: 1 place facts" in spring.footer.lower()


def _boxes(texts, renderer):
    return [t.get_window_extent(renderer) for t in texts]


@pytest.mark.parametrize("options", [slide_options(), slide_options(layout="geo"), slide_options(clusters=True)])
def test_image_labels_never_overlap_and_the_legend_fits(small_graph, options):
    fig = image.figure(build_view(small_graph, options))
    renderer = fig.canvas.get_renderer()
    boxes = _boxes(fig.axes[0].texts, renderer)
    assert len(boxes) >= 5
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for lg in fig.legends:
        box = lg.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width and 0 <= box.y0 and box.y1 <= fig.bbox.height


def test_labels_fit_on_a_crowded_star_and_the_rest_are_left_out():
    from maps.view import MapView

    G = nx.MultiDiGraph()
    G.add_node("hub", kind="city", name="The hub with a long name")
    for i in range(80):
        G.add_node(f"n{i:02d}", kind="company", name=f"Company number {i} with a long name")
        G.add_edge("hub", f"n{i:02d}", key=f"e{i}", kind="collaborates_with")
    pos = {"hub": (0.0, 0.0)}
    pos.update({f"n{i:02d}": (0.3 * (1 + i % 3) * __import__("math").cos(i), 0.3 * (1 + i % 3) * __import__("math").sin(i))
                for i in range(80)})
    imp = {n: (1.0 if n == "hub" else 0.2) for n in G}
    view = MapView(graph=G, positions=pos, importance=imp, colours={n: "#4477AA" for n in G}, title="t",
                   subtitle="s", footer="f", options=slide_options())
    fig = image.figure(view, size=(960, 540))
    renderer = fig.canvas.get_renderer()
    boxes = _boxes(fig.axes[0].texts, renderer)
    assert 5 < len(boxes) < 81  # some fit, not all
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    # The hub is named though every place around it covers some node: the biggest hubs always are.
    assert "The hub with a long name" in [t.get_text() for t in fig.axes[0].texts]


def test_every_cluster_is_in_the_image_legend(small_graph):
    view = build_view(small_graph, slide_options(clusters=True))
    fig = image.figure(view)
    legends = {lg.get_title().get_text(): [t.get_text() for t in lg.get_texts()] for lg in fig.legends}
    assert len(legends["Clusters"]) == len(view.clusters)
    assert len({c["colour"] for c in view.clusters}) == len(view.clusters)


def test_svg_and_pdf_text_stays_editable(small_graph, tmp_path):
    view = build_view(small_graph, slide_options())
    image.write_image(view, tmp_path / "m.svg")
    svg = (tmp_path / "m.svg").read_text(encoding="utf-8")
    assert "<text" in svg and ">City of Espoo<" in svg and ">上海<" in svg
    image.write_image(view, tmp_path / "m.pdf")
    assert b"/FontFile2" in (tmp_path / "m.pdf").read_bytes()  # TrueType (Type 42) fonts, not outlines


def test_geo_view_draws_a_basemap_and_spreads_entities_at_one_spot(small_graph):
    view = build_view(small_graph, slide_options(layout="geo", countries=("KR",)))
    assert len(view.basemap) >= 1 and view.extent
    spots = list(view.positions.values())
    assert len(set(spots)) == len(spots)  # nobody stacked on anybody
    assert set(view.graph) >= {"cbnu", "chungbuk"} and "koge" not in view.graph


def test_geo_places_nobody_by_a_neighbour_in_another_country():
    from maps.layout import geo_layout

    G = nx.MultiDiGraph()
    G.add_node("espoo", kind="city", name="Espoo", country="FI", lat=60.2, lon=24.7)
    # No coordinates, no city, and a country with no place (maps.places has none for Antarctica)
    G.add_node("lab", kind="institute", name="Polar Lab", country="AQ")
    G.add_node("team", kind="company", name="Espoo Team", country="FI")
    G.add_edge("lab", "espoo", key="a", kind="collaborates_with")
    G.add_edge("team", "espoo", key="b", kind="collaborates_with")
    unplaced: list[str] = []
    pos = geo_layout(G, unplaced_out=unplaced)
    assert unplaced == ["lab"]  # not drawn in Espoo, where its only neighbour is
    assert abs(pos["team"][0] - pos["espoo"][0]) < 0.2 and pos["lab"][1] != pos["espoo"][1]


def test_country_kind_and_theme_filters_combine(small_graph):
    g = build_view(small_graph, slide_options(countries=("KR",), kinds=("university", "region"), isolated=True)).graph
    assert sorted(g) == ["cbnu", "chungbuk"]
    # On the theme in Korea, without our side: CBNU and its MoU (whose other party, Enter Espoo, is in
    # Finland, so the MoU stays a node); Chungbuk is tied to them only by a place fact, so it drops out.
    assert sorted(build_view(small_graph, slide_options(countries=("KR",), theme="semiconductors",
                                                        counterparts=False)).graph) == [
        "cbnu", "enter-espoo-chungbuk-mou-2024"]
    # With our side (the default): Enter Espoo comes in, and the MoU of two is drawn as their tie.
    view = build_view(small_graph, slide_options(countries=("KR",), theme="semiconductors"))
    assert sorted(view.graph) == ["cbnu", "enter-espoo"]
    assert view.hidden["counterparts"] == 1 and "With 1 entities on our side tied to them" in view.footer


def test_saved_views_in_data_read_and_draw(tmp_path):
    korea = read_view("data/views/korea-partners.yaml")
    assert (korea.countries, korea.layout, korea.activities) == (("KR",), "geo", "edges")
    quantum = read_view("data/views/quantum.yaml")
    assert quantum.theme == "quantum" and "VTT" in quantum.highlights
    r = CliRunner().invoke(cli.main, ["map", "--view", "data/views/quantum.yaml", "--out", str(tmp_path / "q.png")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli.main, ["map", "--view", "data/views/quantum.yaml", "--theme", "ai",
                                      "--out", str(tmp_path / "q.png")])
    assert r.exit_code == 2 and "leave out --theme" in r.output


def test_a_saved_view_by_name_from_the_datasets_views_folder(tmp_path, small_data):
    data = shutil.copytree(small_data, tmp_path / "data")  # the shared dataset stays as it is
    views = data / "views"
    views.mkdir()
    (views / "korea.yaml").write_text("title: Korea\nfilters:\n  country: [KR]\n", encoding="utf-8")
    out = tmp_path / "k.html"
    r = CliRunner().invoke(cli.main, ["map", "--view", "korea", "--data", str(data), "--out", str(out),
                                      "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["entities"] > 0 and "Korea" in out.read_text(encoding="utf-8")
    r = CliRunner().invoke(cli.main, ["map", "--view", "kora", "--data", str(data), "--out", str(out)])
    assert r.exit_code == 2 and "no view file or saved view named 'kora' (saved views here: korea)" in r.output


def test_a_bad_saved_view_lists_every_problem_with_its_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("title: Test\nfilters:\n  country: [XX]\n  colour: red\nlayout: round\nfocus: {depth: 2}\n",
                 encoding="utf-8")
    with pytest.raises(InvalidData) as e:
        read_view(f)
    found = [(p.line, p.field) for p in e.value.problems]
    assert found == [(3, "filters.country"), (4, "filters.colour"), (5, "layout"), (6, "focus.entity")]
    r = CliRunner().invoke(cli.main, ["map", "--view", str(f), "--out", str(tmp_path / "m.png")])
    assert r.exit_code == 1 and "bad.yaml:5" in r.output and "Traceback" not in r.output


def test_the_dataset_loader_does_not_read_saved_views():
    from loaders.read import data_files
    from pathlib import Path

    assert not [p for p in data_files(Path("data")) if "views" in p.parts]
