"""The HTML map as a file: self-contained, deterministic, UTF-8, whitelisted, escaped.

What the page does in a real browser is in test_maps_browser.py.
"""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import cli
from graph.errors import EntityNotFound, EspooNetError
from maps.html import render_html
from maps.drawing import parallel_bends, short_label
from maps.view import MapOptions, build_view, select_subgraph
from tests.support.mapdata import SMALL_COUNTS, UTF8_NAMES, payload_records, write_dataset

# Any attribute that would make the browser fetch something: src/href/action/poster/srcset,
# url() and @import in CSS, and protocol-relative addresses.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//))"""
    r"""|url\(\s*["']?\s*(?:https?:|//)|@import""", re.IGNORECASE)


def page_data(html: str) -> dict:
    """The MAP_DATA object the page holds: nodes, edges, options (a JSON string in the page,
    handed to JSON.parse) and page, decoded one after the other."""
    dec = json.JSONDecoder()
    at = html.index("var MAP_DATA = ")
    out = {}
    for key, prefix in (("nodes", '{"nodes": '), ("edges", ', "edges": '), ("options", ', "options": JSON.parse('),
                        ("page", '), "page": ')):
        at = html.index(prefix, at) + len(prefix)
        value, at = dec.raw_decode(html, at)
        out[key] = json.loads(value) if key == "options" else value
    return out


@pytest.fixture(scope="module")
def html(small_graph) -> str:
    return render_html(build_view(small_graph))


@pytest.fixture(scope="module")
def data(html) -> dict:
    return page_data(html)


def test_nothing_is_fetched_from_anywhere(html):
    assert not EXTERNAL.search(html), EXTERNAL.search(html).group(0)
    assert "cdn" not in html.lower() and "bootstrap" not in html.lower()
    # Every script and style is inline; the only tags that could load anything are absent.
    assert "<script src" not in html and "<link" not in html and "<img" not in html and "<iframe" not in html


def test_a_content_security_policy_allows_only_our_own_scripts(html):
    import base64
    import hashlib

    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 3  # vis-network, the data, our code
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("style-src")[0]  # no inline script runs but ours


def test_vis_network_is_inlined_from_the_pyvis_package(html):
    import pyvis
    from pathlib import Path

    vis = (Path(pyvis.__file__).parent / "templates/lib/vis-9.1.2/vis-network.min.js").read_text(encoding="utf-8")
    assert vis in html


def test_same_data_and_options_give_identical_bytes(small_graph, html):
    again = render_html(build_view(small_graph))
    assert again.encode("utf-8") == html.encode("utf-8")
    geo = MapOptions(layout="geo", title="Geo")
    assert render_html(build_view(small_graph, geo)) == render_html(build_view(small_graph, geo))


def test_names_in_every_script_are_written_as_utf8(small_graph, tmp_path):
    from maps.html import write_html

    out = tmp_path / "map.html"
    write_html(build_view(small_graph), out)
    raw = out.read_bytes()
    for name in UTF8_NAMES:
        assert name.encode("utf-8") in raw, name
    assert b"<meta charset=\"utf-8\">" in raw


def test_counts_of_todays_map(data):
    assert len(data["nodes"]) == SMALL_COUNTS["today_nodes"]
    assert len(data["edges"]) == SMALL_COUNTS["today_edges"]
    assert "gatchina" not in {n["id"] for n in data["nodes"]}  # its only tie ended in 2022


def test_the_past_brings_back_what_ended(small_graph):
    view = build_view(small_graph, MapOptions(as_of="2020-06-01"))
    assert "gatchina" in view.graph
    assert "espoo--twin-town--gatchina--1968" in {k for *_, k in view.graph.edges(keys=True)}
    assert "nomme--partner-city--espoo--2021" not in {k for *_, k in view.graph.edges(keys=True)}


def test_parallel_relations_stay_separate_edges_bent_apart(data):
    between = [e for e in data["edges"] if {e["from"], e["to"]} == {"espoo", "nomme"}]
    assert sorted(e["id"] for e in between) == [
        "espoo--collaborates-with--nomme--2020", "espoo--twin-town--nomme--1995", "nomme--partner-city--espoo--2021"]
    bends = [(e.get("smooth") or {}).get("type") for e in sorted(between, key=lambda e: e["id"])]
    # First straight; the second bends clockwise; the third runs the other way, so its
    # anticlockwise bend lands on the first one's far side. All three stay apart.
    assert bends == [None, "curvedCW", "curvedCW"]


def test_parallel_bends_alternate_sides():
    import networkx as nx

    G = nx.MultiDiGraph()
    for k in ("a1", "a2", "a3", "a4"):
        G.add_edge("a", "b", key=k)
    G.add_edge("b", "a", key="a5")
    assert parallel_bends(G) == {"a1": (0, 0.0), "a2": (1, 0.18), "a3": (-1, 0.18), "a4": (1, 0.36), "a5": (1, 0.36)}


def test_only_whitelisted_attributes_reach_the_page(small_graph):
    G = small_graph.copy()
    G.nodes["espoo"]["secret_phone"] = "+358 40 SECRET"
    G.nodes["espoo"]["internal_rating"] = "DO-NOT-SHOW"
    G.edges["espoo", "koge", "espoo--twin-town--koge--1959"]["private_note"] = "BACKCHANNEL"
    html = render_html(build_view(G))
    for secret in ("SECRET", "DO-NOT-SHOW", "BACKCHANNEL", "secret_phone", "private_note"):
        assert secret not in html
    node = next(n for n in page_data(html)["nodes"] if n["id"] == "espoo")
    assert set(node) <= {"id", "label", "name", "group", "x", "y", "value", "themes", "own", "aliases", "place",
                         "role", "about", "src", "color", "borderWidth", "opacity"}


def test_public_maps_leave_people_out(small_graph):
    view = build_view(small_graph, MapOptions(public=True))
    assert "ossi-ritvos" not in view.graph
    html = render_html(view)
    assert "Ossi" not in html and "Head of international affairs" not in html
    assert "people left out" in html


def test_public_map_refuses_a_person_as_focus(small_graph):
    with pytest.raises(EspooNetError, match="people are left out"):
        build_view(small_graph, MapOptions(public=True, focus="Ossi Ritvos"))


def test_focus_and_depth(small_graph):
    one = build_view(small_graph, MapOptions(focus="Enter Espoo Oy", depth=1)).graph
    assert sorted(one) == ["enter-espoo", "enter-espoo-chungbuk-mou-2024", "espoo", "ossi-ritvos"]
    two = build_view(small_graph, MapOptions(focus="enter-espoo", depth=2)).graph
    assert {"cbnu", "south-korea", "nomme", "koge"} <= set(two)
    assert sorted(build_view(small_graph, MapOptions(focus="enter-espoo", depth=0)).graph) == ["enter-espoo"]


def test_theme_view_keeps_entities_and_ties_on_the_theme(small_graph):
    g = build_view(small_graph, MapOptions(theme="semiconductors")).graph
    assert sorted(g) == ["cbnu", "enter-espoo-chungbuk-mou-2024"]
    ai = build_view(small_graph, MapOptions(theme="AI")).graph  # a synonym
    assert sorted(ai) == ["cbnu", "enter-espoo", "enter-espoo-chungbuk-mou-2024"]


def test_kinds_view_and_unknown_kinds(small_graph):
    g = build_view(small_graph, MapOptions(kinds=("city", "region"))).graph
    assert {d["kind"] for _, d in g.nodes(data=True)} == {"city", "region"}
    with pytest.raises(EspooNetError, match="did you mean 'city'"):
        build_view(small_graph, MapOptions(kinds=("cty",)))


def test_unknown_focus_names_the_closest(small_graph):
    with pytest.raises(EntityNotFound):
        build_view(small_graph, MapOptions(focus="Espooo Enter"))


def test_physics_is_off_with_positions_unless_asked(small_graph, data):
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    moving = page_data(render_html(build_view(small_graph, MapOptions(physics=True))))
    assert moving["options"]["physics"]["enabled"] is True


def test_legend_and_theme_filter_data(data):
    legend = data["page"]["legend"]
    assert [k["kind"] for k in legend["kinds"]] == ["city", "region", "country", "university", "agency", "agreement", "person"]
    # Relations grouped by family: 2 twin towns, 2 partner cities, 1 sister city, 1 collaboration, owned by, works
    # for, contact for = 9 relationships; party to twice = 2 shared activity; located in = 1 place.
    assert {r["kind"]: r["count"] for r in legend["relations"]} == {"relationship": 8, "structure": 1, "activity": 2, "place": 1}
    assert [t[0] for t in data["page"]["themes"]] == ["ai", "culture", "semiconductors"]
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["nomme"]["themes"] == ["culture"]  # from the twinning, not from Nõmme itself
    assert by_id["enter-espoo"]["themes"] == ["ai"]


def test_tooltip_fields_and_the_shared_source_table(data):
    by_id = {n["id"]: n for n in data["nodes"]}
    cbnu = by_id["cbnu"]
    assert (cbnu["label"], cbnu["group"], cbnu["place"], cbnu["own"]) == (
        "Chungbuk National University", "university", "Cheongju, KR", ["semiconductors", "ai"])
    assert data["page"]["sources"] == [["https://www.enterespoo.fi/news", "2025-06-10"],
                                       ["https://www.espoo.fi/en/international", "2025-05-01"]]
    assert cbnu["src"] == [0] and by_id["koge"]["src"] == [1]
    mou = next(e for e in data["edges"] if e["id"].startswith("enter-espoo--party-to"))
    assert (mou["since"], mou["themes"], mou["src"]) == ("2024-05-20", ["ai"], [0])
    assert "status" not in mou  # active, the default
    unknown = next(e for e in data["edges"] if e["to"] == "skagafjordur")
    assert unknown["status"] == "unknown"
    assert data["page"]["relationLabels"]["party_to"] == ["party to", True]
    assert data["page"]["themeLabels"]["ai"] == "Artificial intelligence"


@pytest.mark.parametrize("payload", [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "\"href\" <a href=\"javascript:alert(3)\">x</a> <!--",
])
def test_payloads_in_text_fields_stay_inside_json_strings(tmp_path, html, payload):
    from loaders import load_graph

    G = load_graph(write_dataset(tmp_path / "net", payload_records(payload)))
    hostile = render_html(build_view(G))
    # As many script tags as without the payload (vis-network holds one '<script>' in a string).
    assert hostile.count("<script>") == html.count("<script>") and hostile.count("</script>") == 3
    html = hostile
    assert "<img" not in html and "<a " not in html and "<!--CSP" not in html
    data = page_data(html)  # the payload is there as data, intact
    assert all(payload in n.get("name", n["label"]) for n in data["nodes"])
    assert all(payload in e["note"] for e in data["edges"])
    assert all(payload.replace(" ", "%20") in url for url, _ in data["page"]["sources"])


def test_title_is_escaped(small_graph):
    html = render_html(build_view(small_graph, MapOptions(title="<img src=x onerror=alert(1)> & co")))
    assert "<title>&lt;img src=x onerror=alert(1)&gt; &amp; co</title>" in html


def test_highlighted_path_is_drawn_over_a_faded_map(small_graph):
    view = build_view(small_graph, MapOptions(highlight_path=("City of Espoo", "cbnu")))
    assert view.route == ["espoo", "enter-espoo", "enter-espoo-chungbuk-mou-2024", "cbnu"]
    assert view.route_edges == {"enter-espoo--owned-by--espoo",
                                "enter-espoo--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20",
                                "cbnu--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20"}
    data = page_data(render_html(view))
    bold = {e["id"] for e in data["edges"] if e.get("width") == 5}
    assert bold == view.route_edges
    faded = {n["id"] for n in data["nodes"] if "opacity" in n}
    assert faded == set(view.graph) - set(view.route)
    assert data["page"]["route"] == "Route from City of Espoo to Chungbuk National University"
    assert all(st["color"]["opacity"] < 1 for st in data["page"]["edgeStyles"].values())


def test_highlighted_introduction_starts_on_our_side(small_graph):
    view = build_view(small_graph, MapOptions(highlight_intro="Chungbuk National University"))
    assert view.route[-1] == "cbnu" and small_graph.nodes[view.route[0]]["home"]
    assert view.route_label.startswith("Best introduction to Chungbuk National University (through ")
    assert view.route_edges and all(k in {e for *_, e in view.graph.edges(keys=True)} for k in view.route_edges)
    public = build_view(small_graph, MapOptions(highlight_intro="cbnu", public=True))
    assert not any(small_graph.nodes[n]["kind"] == "person" for n in public.route)


def test_clusters_colour_the_map_and_fill_the_legend(small_graph):
    view = build_view(small_graph, MapOptions(clusters=True))
    assert view.clusters and sum(c["size"] for c in view.clusters) == view.graph.number_of_nodes()
    assert {view.colours[n] for n in view.graph} == {c["colour"] for c in view.clusters}
    data = page_data(render_html(view))
    assert data["page"]["clusters"] == view.clusters
    assert "coloured by theme cluster" in view.subtitle


def test_a_clustered_theme_map_draws_every_member_and_counts_as_the_clusters_list(bundled):
    """The quantum clusters reach entities the theme filter alone leaves out (Finland, through an
    agreement; people of Aalto's group): the clustered map draws them, and its legend gives each
    cluster the number, name and size the clusters query (and the explorer's list) gives it."""
    from queries.clusters import clusters

    found = clusters(bundled, theme="quantum")["clusters"]
    view = build_view(bundled, MapOptions(theme="quantum", clusters=True))
    assert all(m in view.graph for c in found for m in c["members"])
    assert [(c["label"], c["size"]) for c in view.clusters if c["label"] != "in no cluster"] == \
        [(f"{c['id']}: {c['label']}", c["size"]) for c in found]
    assert len({c["label"] for c in view.clusters}) == len(view.clusters)


def test_short_labels_keep_long_names_for_search(small_graph):
    assert short_label("Enter Espoo – Chungbuk MoU") == "Enter Espoo – Chungbuk MoU"
    assert short_label("A" * 40).endswith("…") and len(short_label("A" * 40)) == 32


def test_select_subgraph_is_a_view_of_the_data(small_graph):
    sub = select_subgraph(small_graph, include_inactive=True)
    assert sub.number_of_nodes() == SMALL_COUNTS["entities"] and sub.number_of_edges() == SMALL_COUNTS["relations"]


def test_map_command_writes_html(small_data, tmp_path):
    out = tmp_path / "map.html"
    r = CliRunner().invoke(cli.main, ["map", "--out", str(out), "--data", str(small_data), "--format", "json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    # The command draws the view of actors: the MoU between Enter Espoo and CBNU becomes a tie, and
    # South Korea, tied only by a place fact, is left out.
    assert summary["entities"] == SMALL_COUNTS["today_nodes"] - 2 and summary["bytes"] == out.stat().st_size


@pytest.mark.parametrize("args, message", [
    (["--out", "map.txt"], "end it in .html, .png, .svg or .pdf"),
    (["--out", "m.html", "--depth", "2"], "--depth needs --focus"),
    (["--out", "m.html", "--highlight-path", "espoo", "koge", "--highlight-intro", "koge"], "not both"),
    (["--out", "m.png", "--size", "10x10"], "out of range"),
])
def test_map_command_usage_errors(small_data, args, message):
    r = CliRunner().invoke(cli.main, ["map", *args, "--data", str(small_data)])
    assert r.exit_code == 2 and message in r.output


def test_map_command_library_error_is_one_line(small_data, tmp_path):
    r = CliRunner().invoke(cli.main, ["map", "--out", str(tmp_path / "m.html"), "--focus", "nowhere-at-all",
                                      "--data", str(small_data)])
    assert r.exit_code == 1 and "no entity matches 'nowhere-at-all'" in r.output and "Traceback" not in r.output
