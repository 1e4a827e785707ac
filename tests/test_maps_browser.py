"""The HTML map in a real headless Chromium, cut off from the network (tests/support/browser.py).

Everything is read from the page itself: vis-network's node and edge counts, uncaught errors,
the requests it tried, what the legend, the search box and the theme filter do, and whether
an injected payload ran on load or on hovering every node and edge.
"""
from __future__ import annotations

import json

import pytest

from maps.html import write_html
from maps.options import slide_options
from maps.view import MapOptions, build_view
from tests.support.mapdata import PAYLOADS, SMALL, SMALL_COUNTS, payload_records, write_dataset

DRAWN = "window.espooMap && window.espooMap.firstDrawMs !== null"
SHOWN = "espooMap.nodes.get({filter: function (n) { return !n.hidden; }}).length"


def open_map(browser, path):
    page = browser.open_page(path)
    page.wait_for(DRAWN)
    return page


def assert_clean(page, path):
    """Nothing left the page, nothing threw, no dialog opened, no CSP violation."""
    assert page.requests == [path.resolve().as_uri()], page.requests
    assert page.exceptions == [], page.exceptions
    assert page.dialogs == [], page.dialogs
    assert page.eval("window.__cspViolations") == []
    assert page.eval("window.__xss === undefined")


@pytest.fixture(scope="module")
def small_map(small_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "small.html"
    write_html(build_view(small_graph), path)
    return path


def test_map_draws_offline_with_every_node_and_edge(browser, small_map, tmp_path):
    page = open_map(browser, small_map)
    try:
        counts = page.eval("[espooMap.nodes.length, espooMap.edges.length, "
                           "Object.keys(espooMap.network.body.nodes).length, espooMap.network.body.edgeIndices.length]")
        assert counts == [SMALL_COUNTS["today_nodes"], SMALL_COUNTS["today_edges"]] * 2
        assert page.eval("document.getElementById('status').textContent") == "11 of 11 entities on the map shown"
        assert page.eval("document.getElementById('offmap').textContent") == ""  # nothing left off
        assert page.eval("document.getElementById('title').textContent") == "Espoo's international network"
        shot = page.screenshot(tmp_path / "small-map.png")
        assert shot.stat().st_size > 10_000
        assert_clean(page, small_map)
    finally:
        page.close()


def test_the_count_beside_the_filters_agrees_with_the_caption(browser, tmp_path):
    """Entities without ties are left off the map and small activities drawn as ties: the status
    line counts the map's own entities, the line below it says, in the caption's words, what the
    selection did not draw as an entity, and the two add up (9 + 2 + 1 = 11 of today + Lone Oy)."""
    data = json.loads(json.dumps(SMALL))
    data["entities"].append({"id": "lone-oy", "kind": "company", "name": "Lone Oy", "country": "FI",
                             "sources": SMALL["entities"][0]["sources"]})
    from loaders import load_graph
    view = build_view(load_graph(write_dataset(tmp_path / "data", data)), slide_options())
    path = tmp_path / "lone.html"
    write_html(view, path)
    page = open_map(browser, path)
    try:
        assert view.hidden == {"place facts": 1, "activities as ties": 1, "unconnected": 2}
        assert 9 + 2 + 1 == SMALL_COUNTS["today_nodes"] + 1
        assert page.eval("document.getElementById('status').textContent") == "9 of 9 entities on the map shown"
        assert page.eval("document.getElementById('offmap').textContent") == (
            "Besides these, 2 entities without ties are left off the map (--isolated keeps them); "
            "1 activity is drawn as ties between its partners.")
        footer = page.eval("document.getElementById('footer').textContent")
        assert "1 activity with 2-3 partners drawn as ties between them" in footer
        assert "left off the map: 1 place facts (see --layout geo), 2 entities without ties (--isolated keeps them)" in footer
        assert_clean(page, path)
    finally:
        page.close()


def centre_of(page, selector: str) -> list[float]:
    """The centre of an element on screen, for a real click there."""
    return page.eval(f"(function () {{ var r = document.querySelector({selector!r}).getBoundingClientRect();"
                     " return [r.x + r.width / 2, r.y + r.height / 2]; })()")


def test_legend_lists_the_kinds_and_switches_them(browser, small_map):
    page = open_map(browser, small_map)
    try:
        labels = page.eval("Array.from(document.querySelectorAll('#legend button')).map(b => b.textContent)")
        assert labels[:7] == ["City4", "Region2", "Country1", "University1", "Agency1", "Agreement1", "Person1"]
        assert len(labels) == 7 + 4  # entity kinds, then relation families
        box = centre_of(page, "#legend button[data-key=city]")
        page.click(*box)  # a real click, through the browser's input pipeline
        assert page.wait_for(f"{SHOWN} === 7")
        assert page.eval("document.querySelector('#legend button[data-key=city]').classList.contains('off')")
        page.click(*box)
        assert page.wait_for(f"{SHOWN} === 11")
        edge_box = centre_of(page, "#legend button[data-key=relationship]")
        page.click(*edge_box)
        assert page.wait_for("espooMap.edges.get({filter: function (e) { return e.hidden; }}).length === 8")
        assert_clean(page, small_map)
    finally:
        page.close()


def test_search_finds_names_and_aliases_without_accents(browser, small_map):
    page = open_map(browser, small_map)
    try:
        page.eval("document.getElementById('search').focus()")
        page.type_text("nomme")
        assert page.wait_for("document.querySelectorAll('#results button').length === 1")
        assert page.eval("document.querySelector('#results button').firstChild.textContent") == "Nõmme"
        page.press_enter()
        assert page.wait_for("espooMap.found === 'nomme'")
        assert page.eval("espooMap.network.getSelectedNodes()") == ["nomme"]
        page.eval("var s = document.getElementById('search'); s.value = ''; s.focus()")
        page.type_text("shang")  # an alias of 上海
        assert page.wait_for("document.querySelectorAll('#results button').length === 1")
        assert page.eval("document.querySelector('#results button').firstChild.textContent") == "上海"
        assert_clean(page, small_map)
    finally:
        page.close()


def test_theme_filter_shows_only_the_theme(browser, small_map):
    page = open_map(browser, small_map)
    try:
        options = page.eval("Array.from(document.querySelectorAll('#theme option')).map(o => o.value)")
        assert options == ["", "ai", "culture", "semiconductors"]
        page.eval("var t = document.getElementById('theme'); t.value = 'semiconductors';"
                  "t.dispatchEvent(new Event('change'))")
        assert page.wait_for(f"{SHOWN} === 2")
        shown = page.eval("espooMap.nodes.get({filter: function (n) { return !n.hidden; }}).map(n => n.id).sort()")
        assert shown == ["cbnu", "enter-espoo-chungbuk-mou-2024"]
        assert page.eval("document.getElementById('status').textContent") == "2 of 11 entities on the map shown"
        # A search hit that the filter hides brings it back.
        page.eval("document.getElementById('search').focus()")
        page.type_text("koge")
        page.press_enter()
        assert page.wait_for("espooMap.found === 'koge'")
        assert page.eval(f"{SHOWN}") == 11
        assert_clean(page, small_map)
    finally:
        page.close()


HOVER_ALL = """
(async function () {
  var net = espooMap.network, shown = espooMap.popups = new Set();
  net.on('showPopup', function (id) { shown.add(String(id)); });
  var ids = espooMap.nodes.getIds().sort();
  // Spread the nodes on a wide circle so that every node and every edge can be hovered alone.
  ids.forEach(function (id, i) {
    var a = 2 * Math.PI * i / ids.length;
    net.moveNode(id, 900 * Math.cos(a), 900 * Math.sin(a));
  });
  net.fit({animation: false});
  await new Promise(function (r) { setTimeout(r, 50); });
  var box = document.getElementById('mynetwork').getBoundingClientRect();
  var points = ids.map(function (id) { return [id, net.canvasToDOM(net.getPosition(id))]; });
  espooMap.edges.getIds().sort().forEach(function (id) {
    var p = net.body.edges[id].edgeType.getPoint(0.5);
    points.push([id, net.canvasToDOM(p)]);
  });
  return {points: points.map(function (p) { return [p[0], p[1].x + box.left, p[1].y + box.top]; })};
})()
"""


def hover_all(page) -> dict[str, tuple[str, int]]:
    """Hover every node and edge (spread on a circle first); each one's tooltip text and the
    number of elements other than <br> inside it (vis-network turns line breaks into <br>)."""
    points = page.eval(HOVER_ALL)["points"]
    texts = {}
    for ident, x, y in points:
        page.mouse_move(x, y)
        page.wait_for("(function () { var t = document.querySelector('div.vis-tooltip');"
                      " return t && t.style.visibility === 'visible'; })()", timeout=5)
        texts[ident] = tuple(page.eval("(function () { var t = document.querySelector('div.vis-tooltip');"
                                       " return [t.innerText, t.querySelectorAll('*:not(br)').length]; })()"))
        page.mouse_move(5, 5)
    # Each hover showed that node's or edge's own tooltip.
    assert sorted(page.eval("Array.from(espooMap.popups)")) == sorted(texts)
    return texts


def test_tooltips_show_name_kind_themes_dates_and_sources(browser, small_map):
    page = open_map(browser, small_map)
    try:
        texts = hover_all(page)
        assert len(texts) == SMALL_COUNTS["today_nodes"] + SMALL_COUNTS["today_edges"]
        assert texts["cbnu"] == ("Chungbuk National University\nUniversity · Cheongju, KR\n"
                                 "Themes: Semiconductors, Artificial intelligence\n"
                                 "Sources:\n• https://www.enterespoo.fi/news (seen 2025-06-10)", 0)
        assert texts["ossi-ritvos"][0].splitlines()[:3] == ["Ossi Ritvos", "Person", "Role: Head of international affairs"]
        assert texts["espoo--twin-town--koge--1959"][0] == (
            "City of Espoo — twin town — Køge\nsince 1959 · active\n"
            "Sources:\n• https://www.espoo.fi/en/international (seen 2025-05-01)")
        assert texts["espoo--partner-city--skagafjordur"][0].splitlines()[:2] == [
            "City of Espoo — partner city — Skagafjörður", "undated · unknown"]
        assert texts["enter-espoo--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20"][0].splitlines()[:3] == [
            "Enter Espoo Oy → party to → Enter Espoo – Chungbuk MoU", "since 2024-05-20 · active",
            "Themes: Artificial intelligence"]
        assert_clean(page, small_map)
    finally:
        page.close()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_text_field_never_runs(browser, tmp_path, payload):
    from loaders import load_graph

    G = load_graph(write_dataset(tmp_path / "net", payload_records(payload)))
    path = tmp_path / "hostile.html"
    write_html(build_view(G), path)
    page = open_map(browser, path)
    try:
        assert page.eval("espooMap.nodes.length") == SMALL_COUNTS["today_nodes"]
        texts = hover_all(page)
        # Every node and edge showed its tooltip, with the payload in it as text and no element.
        assert len(texts) == SMALL_COUNTS["today_nodes"] + SMALL_COUNTS["today_edges"]
        assert all(payload in text and elements == 0 for text, elements in texts.values()), texts
        # The search box lists payload names as text too.
        page.eval("document.getElementById('search').focus()")
        page.type_text("city of espoo")
        assert page.wait_for("document.querySelectorAll('#results button').length >= 1")
        assert page.eval("document.querySelectorAll('#results img, #results a, #results svg, #results script').length") == 0
        page.eval("var t = document.getElementById('theme'); t.value = 'ai'; t.dispatchEvent(new Event('change'))")
        page.conn.pump(0.3)
        assert page.eval("document.querySelectorAll('img, svg, iframe, #xss').length") == 0
        page.screenshot(tmp_path / "hostile.png")
        assert_clean(page, path)
    finally:
        page.close()


def test_bundled_data_map_draws(browser, tmp_path):
    from loaders import load_graph

    view = build_view(load_graph(None), MapOptions(clusters=True))
    path = tmp_path / "bundled.html"
    write_html(view, path)
    page = open_map(browser, path)
    try:
        assert page.eval("[espooMap.nodes.length, espooMap.edges.length]") == [
            view.graph.number_of_nodes(), view.graph.number_of_edges()]
        clusters = page.eval("document.querySelectorAll('#legend .row').length")
        assert clusters == len(view.clusters)
        page.screenshot(tmp_path / "bundled.png")
        assert_clean(page, path)
    finally:
        page.close()


def test_physics_map_settles_without_errors(browser, small_graph, tmp_path):
    path = tmp_path / "physics.html"
    write_html(build_view(small_graph, MapOptions(physics=True)), path)
    page = open_map(browser, path)
    try:
        assert json.loads(page.eval("JSON.stringify(espooMap.network.physics.options.enabled)")) is True
        assert_clean(page, path)
    finally:
        page.close()


def test_a_missing_chromium_fails_with_the_reason(monkeypatch):
    """Without chromium the browser fixture fails (pytest.fail with this message), never skips."""
    import shutil

    from tests.support import browser as support

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="chromium is not installed.*make browser"):
        support.start_chromium()


def _label_boxes(page) -> list[dict]:
    """vis-network's own boxes (canvas units) of the labels it shows, read from the page."""
    return page.eval("""espooMap.labelled.map(function (id) {
        var s = espooMap.network.body.nodes[id].labelModule.size;
        return {id: id, l: s.left, t: s.top, r: s.left + s.width, b: s.top + s.height};
    })""")


@pytest.mark.parametrize("layout", ["spring", "geo"])
def test_html_labels_never_overlap(browser, small_graph, tmp_path, layout):
    from maps.options import slide_options

    path = tmp_path / f"{layout}.html"
    write_html(build_view(small_graph, slide_options(layout=layout, isolated=True)), path)
    page = open_map(browser, path)
    try:
        assert page.wait_for("document.body.getAttribute('data-labels') !== null")
        boxes = _label_boxes(page)
        assert len(boxes) >= 4
        for a in boxes:
            for b in boxes:
                if a["id"] < b["id"]:
                    assert not (a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]), (a, b)
        if layout == "geo":
            assert page.eval("MAP_DATA.page.basemap.length") > 0
        assert_clean(page, path)
    finally:
        page.close()


def test_the_theme_control_opens_on_the_theme_asked_for(browser, small_graph, tmp_path):
    from maps.options import slide_options

    path = tmp_path / "ai.html"
    write_html(build_view(small_graph, slide_options(theme="AI")), path)  # a synonym
    page = open_map(browser, path)
    try:
        assert page.eval("document.getElementById('theme').value") == "ai"
        assert page.eval("espooMap.state.theme") == "ai"
        assert_clean(page, path)
    finally:
        page.close()
