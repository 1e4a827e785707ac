"""The explorer page in a real headless Chromium, talking only to the server the tests started.

Every request but those to that server fails (tests/support/browser.py); the page's own
recorders catch uncaught errors, dialogs (an injected `alert`) and CSP violations. Answers as
in tests/test_explorer_api.py: Chungbuk National University is reached from our side only
through Enter Espoo's MoU, signed 2024-05-20.
"""
from __future__ import annotations

import pytest

from tests.support.explorer import start_server
from tests.support.mapdata import PAYLOADS, SMALL_COUNTS, payload_records, weak_routes_data, write_dataset

READY = "window.explorer && explorer.network && explorer.firstDrawMs !== null"
ROUTES = "document.querySelectorAll('#intro-out li.route').length"
MOU_ROUTE = ["enter-espoo", "enter-espoo-chungbuk-mou-2024", "cbnu"]


def open_explorer(browser, server):
    page = browser.open_page(server.url + "/", allow=server.url)
    page.wait_for(READY, timeout=60)
    return page


def assert_clean(page, server):
    """Nothing left for anywhere but our server, nothing threw, no dialog, no CSP violation."""
    outside = [u for u in page.requests if not u.startswith((server.url + "/", "data:"))]
    assert outside == [], outside
    assert page.exceptions == [] and page.dialogs == [], (page.exceptions, page.dialogs)
    assert page.eval("window.__cspViolations") == []
    assert page.eval("window.__xss === undefined")


def text(page, selector: str) -> str:
    return page.eval(f"document.querySelector({selector!r}).innerText")


def find(page, words: str) -> None:
    page.eval("var s = document.getElementById('search'); s.value = ''; s.focus()")
    page.type_text(words)
    page.wait_for("document.querySelectorAll('#results button').length > 0")
    page.press_enter()


def set_date(page, day: str) -> None:
    page.eval(f"var d = document.getElementById('date'); d.value = {day!r}; d.dispatchEvent(new Event('change'))")


def test_type_a_target_see_the_route_on_the_map_change_the_date(browser, small_server):
    page = open_explorer(browser, small_server)
    try:
        assert page.eval("explorer.nodes.length") == SMALL_COUNTS["today_nodes"]
        find(page, "chungbuk nat")
        assert page.wait_for(f"{ROUTES} === 1")
        route = text(page, "#intro-out li.route")
        assert route.startswith("1. Enter Espoo Oy")
        assert ('Enter Espoo Oy and Chungbuk National University signed "Enter Espoo – Chungbuk MoU" on 2024-05-20'
                in route)
        assert ": warm (0.74)" in route and "https://www.enterespoo.fi/news (seen 2025-06-10)" in route
        # The person to ask, and why: visible in the route, as text.
        assert ("Ask Ossi Ritvos (Head of international affairs; Enter Espoo Oy's contact for South Korea; "
                "role not dated in the data: check before asking)") in route
        assert page.eval("document.querySelector('#intro-out li.route .ask-name').innerText") == "Ossi Ritvos"
        assert page.eval("document.querySelector('#intro-out li.route .ask').getBoundingClientRect().height") > 0
        assert ("All routes within 4 hops go through Enter Espoo Oy: if Enter Espoo Oy cannot help, "
                "there is no other way in.") in text(page, "#intro-out")
        assert "Single-threaded" not in text(page, "#intro-out")
        # The route is highlighted on the map: its entities, the MoU it passes through and its two
        # signatures, in the highlight colour.
        assert page.wait_for("explorer.highlighted") == {"nodes": MOU_ROUTE, "edges": [
            "enter-espoo--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20",
            "cbnu--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20"]}
        widths = page.eval("explorer.highlighted.edges.map(function (id) { return explorer.edges.get(id).width; })")
        assert widths == [5, 5]
        assert page.eval("explorer.nodes.get('koge').opacity") < 0.5
        # Before the MoU was signed there was no route; the map loses its ties too.
        set_date(page, "2023-01-01")
        assert page.wait_for("document.getElementById('intro-out').innerText.indexOf('No route from our side') >= 0")
        assert "South Korea" in text(page, "#intro-out")  # the nearest entity sharing its country
        assert page.wait_for("explorer.nodes.get('enter-espoo-chungbuk-mou-2024') === null")
        page.eval("document.getElementById('today').click()")
        assert page.wait_for(f"{ROUTES} === 1")
        assert page.wait_for(f"explorer.nodes.length === {SMALL_COUNTS['today_nodes']}")
        assert_clean(page, small_server)
    finally:
        page.close()


def test_the_map_is_drawn_from_the_compact_answer_where_the_view_puts_it(browser, small_server):
    """The page draws /api/map's compact answer: every entity at the place the view gives it (the
    same places as the HTML map's data), its tooltip naming it and its kind, every relation there,
    and the labels kept do not overlap."""
    full = small_server.get("/api/map", full="1").json()
    page = open_explorer(browser, small_server)
    try:
        drawn = page.eval("explorer.network.getPositions()")  # vis-network answers whole units
        assert set(drawn) == {n["id"] for n in full["nodes"]}
        assert all(abs(drawn[n["id"]]["x"] - n["x"]) < 1 and abs(drawn[n["id"]]["y"] - n["y"]) < 1
                   for n in full["nodes"])
        assert sorted(page.eval("explorer.edges.getIds()")) == sorted(e["id"] for e in full["edges"])
        title = page.eval("explorer.nodes.get('cbnu').title")
        assert title.startswith("Chungbuk National University\nUniversity")
        boxes = page.eval("""explorer.labelled.map(function (id) {
            var b = explorer.network.body.nodes[id].labelModule.size;
            return [b.left, b.top, b.left + b.width, b.top + b.height]; })""")
        assert len(boxes) > 3
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
        assert_clean(page, small_server)
    finally:
        page.close()


# The page's questions to /api/ since the timings were cleared: [name, asked at, answered at] (ms).
ASKED = """performance.getEntriesByType('resource').filter(function (e) { return e.name.indexOf('/api/') >= 0; })
    .map(function (e) { return [e.name.split('/api/')[1].split('?')[0], e.startTime, e.responseEnd]; })"""


def choose_neighbourhood(page, words: str) -> None:
    """Every map a neighbourhood (the map's limit set below the network's size, as on a large
    network: a new map for each entity chosen), the list showing `words`' hits, timings cleared."""
    page.eval("explorer.state.mapLimit = 5; var s = document.getElementById('search'); s.value = ''; s.focus()")
    page.type_text(words)
    page.wait_for("document.querySelectorAll('#results button').length > 0")
    page.eval("performance.clearResourceTimings(); explorer.firstDrawMs = null")


def test_choosing_an_entity_asks_its_routes_first_and_draws_its_map_once_with_the_route(browser, small_server):
    """The one server works its answers out in turn: the entity's panel and its routes are asked at
    once, its map once the routes are in, so the map's first frame already shows the route
    highlighted (not drawn plain, then every entity and tie restyled). Enter takes the first hit
    the list shows, without searching again."""
    page = open_explorer(browser, small_server)
    try:
        choose_neighbourhood(page, "chungbuk nat")
        page.press_enter()
        page.wait_for("explorer.firstDrawMs !== null && explorer.state.entity === 'cbnu'")
        asked = {name: (start, end) for name, start, end in page.eval(ASKED)}
        assert sorted(asked) == ["entity", "intro", "map"]  # no second search
        assert asked["map"][0] >= asked["intro"][1]
        assert page.eval("explorer.drawnRoute") == MOU_ROUTE
        assert page.eval("explorer.highlighted.nodes") == MOU_ROUTE
        assert "enter-espoo" in page.eval("explorer.nodes.getIds()")  # the neighbourhood's map, drawn
        assert page.eval("explorer.edges.get('cbnu--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20').width") == 5
        assert page.eval(f"{ROUTES}") == 1
        assert_clean(page, small_server)
    finally:
        page.close()


def test_slow_routes_hold_the_map_back_only_briefly_and_are_highlighted_when_they_come(browser, small_server):
    """Routes that take long (here held 3 s in the page) do not hold the map back: it is asked
    without them after a short wait, drawn plain, and the route highlighted on it when they come."""
    page = open_explorer(browser, small_server)
    try:
        choose_neighbourhood(page, "chungbuk nat")
        page.eval("""window.routesIn = null; var ask = window.fetch; window.fetch = function (url, o) {
            var answer = ask(url, o);
            if (String(url).indexOf('/api/intro') !== 0) return answer;
            return answer.then(function (r) { return new Promise(function (ok) {
                setTimeout(function () { window.routesIn = performance.now(); ok(r); }, 3000); }); }); }""")
        page.press_enter()
        page.wait_for("explorer.firstDrawMs !== null && explorer.state.entity === 'cbnu'")
        assert page.eval("window.routesIn") is None and page.eval(f"{ROUTES}") == 0
        assert page.eval("explorer.drawnRoute") is None
        assert page.wait_for(f"{ROUTES} === 1", timeout=30)
        assert page.wait_for("explorer.highlighted") == {"nodes": MOU_ROUTE, "edges": [
            "enter-espoo--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20",
            "cbnu--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20"]}
        assert page.eval("explorer.edges.get('cbnu--party-to--enter-espoo-chungbuk-mou-2024--2024-05-20').width") == 5
        assert page.eval("explorer.nodes.get('enter-espoo').borderWidth") == 5
        assert_clean(page, small_server)
    finally:
        page.close()


def test_weaker_routes_are_counted_and_shown_on_demand(browser, tmp_path):
    server = start_server(write_dataset(tmp_path / "weak", weak_routes_data()))
    page = open_explorer(browser, server)
    try:
        find(page, "target gmbh")
        assert page.wait_for(f"{ROUTES} === 1")
        assert ("Ask Ossi Ritvos (Head of international affairs; the only current person on record for Enter Espoo Oy; "
                "role not dated; check before asking)") in text(
            page, "#intro-out li.route")
        assert text(page, "#intro-out .hidden-routes").startswith("1 weaker route (score below 0.003) not shown.")
        page.eval("document.querySelector('#intro-out .hidden-routes button').click()")
        assert page.wait_for(f"{ROUTES} === 2")
        assert "Acme Oy → Beta AB" in page.eval("document.querySelectorAll('#intro-out li.route')[1].innerText")
        assert page.eval("document.querySelector('#intro-out .hidden-routes')") is None
        assert_clean(page, server)
    finally:
        page.close()
        server.stop()


def test_how_are_we_connected_and_a_source_link(browser, small_server):
    page = open_explorer(browser, small_server)
    try:
        page.eval("document.getElementById('path-from').value = 'Espoo';"
                  "document.getElementById('path-to').value = 'Nõmme';"
                  "document.getElementById('path-go').click()")
        assert page.wait_for("document.querySelectorAll('#path-out li.route').length") == 1
        assert page.wait_for("explorer.highlighted && explorer.highlighted.nodes.join()") == "espoo,nomme"
        find(page, "nomme")
        page.wait_for("document.querySelectorAll('#entity a').length > 0")
        links = page.eval("Array.from(document.querySelectorAll('#entity a')).map(a => [a.href, a.target, a.rel])")
        assert all(h.startswith("https://") and t == "_blank" and "noopener" in r for h, t, r in links), links
        page.eval("document.querySelector('#entity a').scrollIntoView()")
        box = page.eval("(function () { var r = document.querySelector('#entity a').getBoundingClientRect();"
                        " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        opened = browser.popup_url(page, lambda: page.click(*box))
        assert opened == "https://www.espoo.fi/en/international"
        assert_clean(page, small_server)
    finally:
        page.close()



def ask_path(page, source: str, target: str) -> None:
    page.eval(f"document.getElementById('path-from').value = {source!r};"
              f"document.getElementById('path-to').value = {target!r};"
              "document.getElementById('path-go').click()")


def test_a_late_error_of_an_older_path_question_is_dropped_and_advice_fits_the_page(browser, small_server):
    """Gatchina to Chungbuk has no route today (its twinning ended): the page says so with advice
    a web user can follow (no --all). Asked again, slowed down, then overtaken by a question with
    a route: the older question's late error never replaces the newer answer."""
    page = open_explorer(browser, small_server)
    try:
        ask_path(page, "Gatchina", "cbnu")
        error = page.wait_for("(document.querySelector('#path-out .error') || {}).textContent")
        assert error.startswith("no route joins Gatchina (gatchina) and Chungbuk National University (cbnu) today; ")
        assert "--all" not in error and "As of" in error
        # The next answer about Gatchina arrives a second late.
        page.eval("window.__slowFetch = window.fetch; window.__lateDone = false;"
                  "window.fetch = function (u, o) { var p = window.__slowFetch(u, o);"
                  " if (String(u).indexOf('source=Gatchina') < 0) return p;"
                  " return p.then(function (r) { return new Promise(function (done) {"
                  "  setTimeout(function () { done(r); setTimeout(function () { window.__lateDone = true; }, 50); }, 1000); }); }); }")
        ask_path(page, "Gatchina", "cbnu")
        ask_path(page, "Enter Espoo", "cbnu")
        assert page.wait_for("document.querySelectorAll('#path-out li.route').length") == 1
        assert page.wait_for("window.__lateDone") is True
        assert page.eval("document.querySelectorAll('#path-out .error').length") == 0
        assert page.eval("document.querySelectorAll('#path-out li.route').length") == 1
        assert_clean(page, small_server)
    finally:
        page.close()


def test_clusters_with_their_bridges(browser, small_server):
    page = open_explorer(browser, small_server)
    try:
        page.eval("document.getElementById('clusters-go').click()")
        assert page.wait_for("document.querySelectorAll('#clusters-out ol.clusters > li').length") == 2
        first = text(page, "#clusters-out ol.clusters > li")
        # Named as the clusters command names it, its members and bridges a list read with commas.
        assert first.startswith("around City of Espoo — Culture\n5 members · culture")
        assert "City of Espoo, Køge, Nõmme, 上海, Skagafjörður\nBridges: City of Espoo" in first
        # The map is coloured by cluster: two; Chungbuk (its one tie, located_in, routes nobody) and
        # the MoU (a document is never a cluster member) in none.
        assert page.wait_for("document.getElementById('legend').innerText.indexOf('in no cluster (2)') >= 0")
        assert page.eval("document.querySelectorAll('#legend .item').length") == 3
        assert_clean(page, small_server)
    finally:
        page.close()


def test_what_changed_and_what_is_due(browser, small_server):
    page = open_explorer(browser, small_server)
    try:
        page.eval("document.getElementById('changes-since').value = '2024-01-01'")
        page.eval("document.getElementById('changes-go').click()")
        assert page.wait_for("document.querySelectorAll('#upkeep-out .upkeep-group').length") == 4
        began = text(page, "#upkeep-out .upkeep-group")
        assert began.startswith("Began (2)") and "Enter Espoo Oy" in began and "Chungbuk National University" in began
        # As the changes table: by group, an agreement on one line with its parties.
        assert "Agreements signed (1)" in began
        assert "Chungbuk National University, Enter Espoo Oy" in began
        titles = page.eval("Array.from(document.querySelectorAll('#upkeep-out .upkeep-group > h3')).map(h => h.textContent)")
        assert [t.split(" (")[0] for t in titles] == ["Began", "Ended", "Happened", "Changed"]
        # The date control re-answers it: the window now ends on that day.
        set_date(page, "2024-06-30")
        assert page.wait_for("document.getElementById('upkeep-out').innerText.indexOf('to 2024-06-30') >= 0")
        page.eval("document.getElementById('due-go').click()")
        assert page.wait_for("document.getElementById('upkeep-out').innerText.indexOf('items due from 2024-06-30') >= 0")
        assert_clean(page, small_server)
    finally:
        page.close()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_text_field_never_runs(browser, tmp_path, payload):
    server = start_server(write_dataset(tmp_path / "net", payload_records(payload)))
    page = open_explorer(browser, server)
    try:
        find(page, "chungbuk national")
        assert page.wait_for(f"{ROUTES} === 1")
        page.eval("document.getElementById('clusters-go').click()")
        page.wait_for("document.querySelectorAll('#clusters-out ol.clusters > li').length > 0")
        page.eval("document.querySelector('#entity details').open = true")
        body = page.eval("document.body.innerText")
        assert body.count(payload) >= 5, body  # shown as text: names, hops, notes, clusters
        assert page.eval("document.querySelectorAll('img, svg, iframe, #xss, a[href^=javascript]').length") == 0
        assert page.eval("Array.from(document.querySelectorAll('a')).every(a => a.href.indexOf('https://example.org/') === 0)")
        assert_clean(page, server)
    finally:
        page.close()
        server.stop()


def test_a_shared_name_answers_for_the_actor_with_the_note_on_the_page(browser, tmp_path):
    """'Nõmme' names the town and a festival: the path answers for the town (the resolver every
    command uses) and the page shows the same note as the command line."""
    from tests.support.mapdata import SMALL

    festival = {"id": "nomme-days", "kind": "event", "name": "Nõmme festival", "aliases": ["Nõmme"],
                "sources": SMALL["entities"][0]["sources"]}
    server = start_server(write_dataset(tmp_path / "festival", dict(SMALL, entities=[*SMALL["entities"], festival])))
    page = open_explorer(browser, server)
    try:
        body = server.get("/api/path", source="espoo", target="Nõmme").json()
        note = "'Nõmme' also names Nõmme festival (nomme-days, event); answering for Nõmme (nomme)"
        assert body["target"] == "nomme" and body["notes"] == [note]
        ask_path(page, "Espoo", "Nõmme")
        assert page.wait_for("document.querySelectorAll('#path-out li.route').length") == 1
        assert text(page, "#path-out .path-note") == f"Note: {note}."
        assert_clean(page, server)
    finally:
        page.close()
        server.stop()
