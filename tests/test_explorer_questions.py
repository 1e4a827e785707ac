"""The explorer between questions, on its first view, and at narrow widths, in real headless
Chromium with every request but those to the test's server failed (tests/support/browser.py).

Answers as in tests/test_explorer_browser.py: Chungbuk National University (cbnu) is reached from
our side only through Enter Espoo's MoU (signed 2024-05-20); the region 충청북도 (chungbuk) and
Gatchina (its twinning ended) are reached by no route.
"""
from __future__ import annotations

import pytest

from tests.support.explorer import start_server
from tests.support.mapdata import SRC, write_dataset
from tests.test_explorer_address import NO_ROUTE, open_link
from tests.test_explorer_browser import MOU_ROUTE, READY, ROUTES, assert_clean, ask_path, open_explorer, set_date, text

HIGHLIGHTED = "explorer.highlighted && explorer.highlighted.nodes.join()"
# Nothing on the map looks like a route: no tie in the highlight width, no entity faded.
PLAIN = ("explorer.highlighted === null && explorer.route === null"
         " && explorer.edges.get().every(function (e) { return e.width !== 5; })"
         " && explorer.nodes.get().every(function (n) { return n.opacity === undefined || n.opacity === 1; })"
         " && document.querySelectorAll('li.route.on').length === 0")
BOXES = "[document.getElementById('search').value, document.getElementById('path-to').value]"


def test_a_question_with_no_route_leaves_no_route_of_the_one_before(browser, small_server):
    """cbnu (a route), then chungbuk (none) by the address: the MoU route leaves the map and the
    boxes name chungbuk; Back brings cbnu's route and name again, Forward takes them away."""
    page = open_link(browser, small_server, entity="cbnu")
    try:
        assert page.wait_for(HIGHLIGHTED) == ",".join(MOU_ROUTE)
        assert page.wait_for(f"{BOXES}[0] === 'Chungbuk National University' && {BOXES}") == [
            "Chungbuk National University", "Chungbuk National University"]
        page.eval("location.hash = '#entity=chungbuk'")
        assert page.wait_for(f"{NO_ROUTE} && document.querySelector('#entity h3').innerText === '충청북도'")
        assert page.wait_for(PLAIN)
        assert page.eval(BOXES) == ["충청북도", "충청북도"]
        page.eval("history.back()")
        assert page.wait_for(HIGHLIGHTED) == ",".join(MOU_ROUTE)
        assert page.wait_for(f"{BOXES}[0] === 'Chungbuk National University' && {BOXES}")[1] == \
            "Chungbuk National University"
        assert page.eval("explorer.edges.get().filter(function (e) { return e.width === 5; }).length") == 2
        page.eval("history.forward()")
        assert page.wait_for(f"{NO_ROUTE} && {PLAIN}")
        assert page.wait_for(f"{BOXES}[0] === '충청북도'")
        assert_clean(page, small_server)
    finally:
        page.close()


def test_a_path_or_a_day_with_no_route_clears_the_route_before(browser, small_server):
    page = open_explorer(browser, small_server)
    try:
        ask_path(page, "Espoo", "Nõmme")
        assert page.wait_for(HIGHLIGHTED) == "espoo,nomme"
        ask_path(page, "Gatchina", "cbnu")  # no route today: an error, and no route on the map
        assert page.wait_for("document.querySelector('#path-out .error') !== null")
        assert page.wait_for(PLAIN)
        # A route, then a day on which it did not exist.
        page.eval("document.querySelector('#entity').scrollIntoView()")
        page.eval("location.hash = '#entity=cbnu'")
        assert page.wait_for(f"{ROUTES} === 1 && {HIGHLIGHTED}") == ",".join(MOU_ROUTE)
        set_date(page, "2023-01-01")
        assert page.wait_for(NO_ROUTE)
        assert page.wait_for(f"explorer.nodes.get('enter-espoo-chungbuk-mou-2024') === null && {PLAIN}")
        assert_clean(page, small_server)
    finally:
        page.close()


def test_the_clusters_list_and_the_legend_say_the_same(browser, small_server):
    """Each cluster's name and size in the list are the legend's, under the list's number."""
    page = open_link(browser, small_server, clusters="1")
    try:
        page.wait_for("document.querySelectorAll('#clusters-out ol.clusters > li').length === 2")
        listed = page.eval("""Array.from(document.querySelectorAll('#clusters-out ol.clusters > li')).map(function (li, i) {
            return (i + 1) + ': ' + li.querySelector('.cluster-name').innerText + ' ('
                + parseInt(li.querySelector('.cluster-name').nextSibling.innerText, 10) + ')'; })""")
        legend = page.eval("Array.from(document.querySelectorAll('#legend .item')).map(function (i) { return i.innerText; })")
        assert listed == ["1: around City of Espoo — Culture (5)", "2: around Enter Espoo Oy — Artificial intelligence, Semiconductors (4)"]
        assert legend[:2] == listed and legend[2:] == ["in no cluster (2)"]
        assert text(page, "#clusters-out .bridges").startswith("Bridges: City of Espoo")
        assert_clean(page, small_server)
    finally:
        page.close()


def star(n: int) -> dict:
    """Our city and `n` partner companies tied to it (a few also to each other)."""
    partners = [{"id": f"partner-{i:03}", "kind": "company", "name": f"Partner {i}", "country": "SE",
                 "sources": SRC} for i in range(n)]
    ties = [{"source": "espoo", "target": p["id"], "kind": "collaborates_with", "since": "2020", "sources": SRC}
            for p in partners]
    ties += [{"source": partners[i]["id"], "target": partners[i + 1]["id"], "kind": "collaborates_with",
              "since": "2021", "sources": SRC} for i in range(0, n - 1, 7)]
    return {"entities": [{"id": "espoo", "kind": "city", "name": "City of Espoo", "country": "FI", "home": True,
                          "sources": SRC}, *partners], "relations": ties}


def test_the_first_view_names_our_side_and_its_partners(browser, tmp_path):
    """With no question, a network too big to be read whole opens on our hub at a scale where
    labels show (vis-network hides those under page.labelThreshold pixels), many of them in
    view; a question (a link with an entity) opens on its answer instead."""
    server = start_server(write_dataset(tmp_path / "star", star(160)))
    page = open_link(browser, server)
    try:
        # The least important label's font (canvas px, sized by maps.html for the map) at this
        # zoom is at least the threshold (7 px) under which vis-network hides labels.
        readable = page.eval("""(function () { var b = explorer.network.body.nodes, any = b[Object.keys(b)[0]];
            return explorer.network.getScale() * any.options.scaling.label.min >= 7; })()""")
        assert readable
        shown = page.eval("""(function () {
            var box = document.getElementById('map').getBoundingClientRect(), at = explorer.network.getPositions();
            return explorer.labelled.filter(function (id) {
              var p = explorer.network.canvasToDOM(at[id]);
              return p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height; }); })()""")
        assert "espoo" in shown and len(shown) >= 15, shown
        assert text(page, "#entity .hint").startswith("Who do you want to reach?")
        assert_clean(page, server)
    finally:
        page.close()
    page = open_link(browser, server, entity="partner-100")
    try:  # the route to it, fitted to the map
        assert page.wait_for(HIGHLIGHTED) == "espoo,partner-100"
        assert page.eval("""(function () {
            var box = document.getElementById('map').getBoundingClientRect(), at = explorer.network.getPositions();
            return ['espoo', 'partner-100'].every(function (id) { var p = explorer.network.canvasToDOM(at[id]);
              return p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height; }); })()""")
        # Labels are sized for the whole map's zoom; the route is not zoomed so close that its
        # largest labels shout (explorer.js fitRoute: at most 18 px on screen).
        largest, scale = page.eval("""(function () { var b = explorer.network.body.nodes, any = b[Object.keys(b)[0]];
            return [any.options.scaling.label.max, explorer.network.getScale()]; })()""")
        assert largest * 1.2 > 18  # the map's labels are large enough for the limit to matter
        assert largest * scale <= 18.01
    finally:
        page.close()
        server.stop()


@pytest.mark.parametrize("width", [800, 1280, 1600])
def test_the_page_fits_its_window(browser, small_server, width):
    """No horizontal scrolling; the search box keeps room to type; the panel's rows wrap inside it."""
    page = browser.open_page(small_server.url + "/", width=width, height=800, allow=small_server.url)
    try:
        page.wait_for(READY, timeout=60)
        sizes = page.eval("""(function () {
            var d = document.documentElement, p = document.getElementById('panel'), w = function (id) {
              return document.getElementById(id).getBoundingClientRect(); };
            return { page: d.scrollWidth, panel: p.scrollWidth - p.clientWidth, search: w('search').width,
                     today: w('today').right, map: w('map').width }; })()""")
        assert sizes["page"] <= width and sizes["panel"] <= 0, sizes
        assert sizes["search"] >= 200 and sizes["today"] <= width and sizes["map"] >= width * 0.55, sizes
    finally:
        page.close()
