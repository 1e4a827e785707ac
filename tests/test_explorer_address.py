"""The explorer's question in its address (a link answers the same question; Back and Forward step
through the questions) and its day field (ISO days whatever the locale), in real headless Chromium
with every request but those to the test's server failed (tests/support/browser.py).

Answers as in tests/test_explorer_browser.py: Chungbuk National University (cbnu) is reached from
our side only through Enter Espoo's MoU, signed 2024-05-20; before that day there is no route.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest

from tests.support.explorer import start_server
from tests.support.mapdata import PAYLOADS, SMALL, write_dataset
from tests.test_explorer_browser import READY, ROUTES, assert_clean, find, open_explorer, text

INTRO_SAID = "document.getElementById('intro-out').innerText"
NO_ROUTE = f"{INTRO_SAID}.indexOf('No route from our side') >= 0"


def link(server, **state) -> str:
    return server.url + "/#" + urlencode(state, quote_via=quote)


def open_link(browser, server, ready: str = READY, **state):
    page = browser.open_page(link(server, **state), allow=server.url)
    page.wait_for(ready + " && explorer.restored", timeout=60)
    return page


def key(page, name: str, code: int, shift: bool = False) -> None:
    """Press and release one key in the focused element."""
    for kind in ("rawKeyDown", "keyUp"):
        page.send("Input.dispatchKeyEvent", {"type": kind, "key": name, "code": name, "windowsVirtualKeyCode": code,
                                             "nativeVirtualKeyCode": code, "modifiers": 8 if shift else 0})


def type_day(page, field: str, typed: str) -> None:
    page.eval(f"var d = document.getElementById({field!r}); d.value = ''; d.focus()")
    page.type_text(typed)
    key(page, "Enter", 13)


def hash_of(page) -> dict:
    return page.eval("Object.fromEntries(new URLSearchParams(location.hash.slice(1)))")


def test_a_link_answers_the_same_question(browser, small_server):
    page = open_link(browser, small_server, entity="cbnu", as_of="2024-06-30")
    try:
        assert page.wait_for(f"{ROUTES} === 1")
        assert page.eval("document.getElementById('date').value") == "2024-06-30"
        assert text(page, "#intro-out").startswith("Introductions to Chungbuk National University, as of 2024-06-30")
        assert page.wait_for("document.querySelector('#entity h3') && document.querySelector('#entity h3').innerText") \
            == "Chungbuk National University"
        assert page.wait_for("explorer.highlighted && explorer.highlighted.nodes.join()") == \
            "enter-espoo,enter-espoo-chungbuk-mou-2024,cbnu"
        assert page.eval("document.title") == "Who can introduce us to Chungbuk National University? · Espoo network explorer"
        # The same link a day before the MoU: no route; as text in the address: the same page.
        page.eval("location.hash = 'entity=cbnu&as_of=2023-01-01'")
        assert page.wait_for(NO_ROUTE)
        assert page.eval("document.getElementById('date').value") == "2023-01-01"
        assert_clean(page, small_server)
    finally:
        page.close()


def test_a_link_with_a_query_string_is_read_too(browser, small_server):
    page = browser.open_page(small_server.url + "/?intro=cbnu&as_of=2023-01-01", allow=small_server.url)
    try:
        page.wait_for(READY + " && explorer.restored", timeout=60)
        assert page.wait_for(NO_ROUTE)  # intro= is entity=; the day before the MoU
        type_day(page, "date", "2024-06-30")  # the next question is written as a fragment
        assert page.wait_for(f"{ROUTES} === 1")
        assert page.eval("location.search + location.hash") == "#entity=cbnu&as_of=2024-06-30"
        page.eval("history.back()")  # the link as opened
        assert page.wait_for(NO_ROUTE)
        assert page.eval("document.getElementById('date').value") == "2023-01-01"
        assert_clean(page, small_server)
    finally:
        page.close()


def test_questions_are_written_to_the_address_and_back_goes_back(browser, small_server):
    page = open_explorer(browser, small_server)
    try:
        assert page.eval("location.hash") == ""
        find(page, "chungbuk nat")
        assert page.wait_for(f"{ROUTES} === 1")
        assert hash_of(page) == {"entity": "cbnu"}
        type_day(page, "date", "1.1.2023")  # the Finnish way: shown and sent as ISO
        assert page.wait_for(NO_ROUTE)
        assert page.eval("document.getElementById('date').value") == "2023-01-01"
        assert hash_of(page) == {"entity": "cbnu", "as_of": "2023-01-01"}
        page.eval("document.getElementById('path-from').value = 'Espoo';"
                  "document.getElementById('path-to').value = 'Nõmme';"
                  "document.getElementById('path-by').value = 'strength';"
                  "document.getElementById('path-go').click()")
        assert page.wait_for("document.querySelectorAll('#path-out li.route').length") >= 1
        assert hash_of(page) == {"entity": "cbnu", "from": "Espoo", "to": "Nõmme", "by": "strength",
                                 "as_of": "2023-01-01", "show": "path"}
        assert page.wait_for("explorer.highlighted && explorer.highlighted.nodes.join()") == "espoo,nomme"
        assert page.eval("history.length") >= 4
        page.eval("history.back()")  # before the path was asked
        assert page.wait_for("document.getElementById('path-out').innerText === ''")
        assert hash_of(page) == {"entity": "cbnu", "as_of": "2023-01-01"}
        # The path's route left the map with it (no introduction route on that day).
        assert page.wait_for("explorer.network && explorer.mapKey !== null && explorer.highlighted === null")
        page.eval("history.back()")  # before the day was set: today's answer, the route again
        assert page.wait_for(f"{ROUTES} === 1")
        assert page.wait_for("explorer.highlighted && explorer.highlighted.nodes.join()") == \
            "enter-espoo,enter-espoo-chungbuk-mou-2024,cbnu"
        assert page.eval("document.getElementById('date').value") == ""
        page.eval("history.back()")  # before anything was chosen
        assert page.wait_for("document.querySelector('#entity .hint') !== null")
        assert page.eval(f"{INTRO_SAID}") == "" and page.eval("document.getElementById('intro-go').disabled")
        assert page.wait_for("explorer.network && explorer.mapKey !== null && explorer.highlighted === null")
        assert page.eval("explorer.nodes.get('koge').opacity") in (None, 1)  # nothing faded any more
        page.eval("history.forward()")
        assert page.wait_for(f"{ROUTES} === 1")
        assert page.wait_for("document.querySelector('#entity h3') !== null")
        assert_clean(page, small_server)
    finally:
        page.close()


def test_a_link_with_a_path_clusters_and_a_chosen_route(browser, small_server):
    page = open_link(browser, small_server, entity="cbnu", **{"from": "Espoo"}, to="Nõmme", clusters="1",
                     theme="culture", show="path", changes="2024-01-01")
    try:
        assert page.eval("document.getElementById('path-from').value") == "Espoo"
        assert page.eval("document.getElementById('path-to').value") == "Nõmme"
        assert page.wait_for("document.querySelectorAll('#path-out li.route').length") >= 1
        assert page.wait_for(f"{ROUTES} === 1")
        # The map highlights the path, the answer the link names, not the introduction.
        assert page.wait_for("explorer.highlighted && explorer.highlighted.nodes.join()") == "espoo,nomme"
        assert page.eval("document.querySelector('#path-out li.route').classList.contains('on')")
        assert page.wait_for("document.querySelectorAll('#clusters-out ol.clusters > li').length") >= 1
        assert page.eval("document.getElementById('cluster-theme').value") == "culture"
        assert page.wait_for("document.querySelectorAll('#upkeep-out .upkeep-group').length") == 4
        assert page.eval("document.getElementById('changes-since').value") == "2024-01-01"
        # A route clicked is written in place (no new history entry): the link then shows it.
        before = page.eval("history.length")
        page.eval("document.querySelector('#intro-out li.route').click()")
        assert page.eval("document.querySelector('#intro-out li.route').classList.contains('on')")
        assert not page.eval("document.querySelector('#path-out li.route').classList.contains('on')")
        assert hash_of(page)["show"] == "intro" and page.eval("history.length") == before
        assert_clean(page, small_server)
    finally:
        page.close()


def test_the_day_field_is_iso_whatever_the_locale(browser, small_server):
    page = open_explorer(browser, small_server)
    try:
        assert page.eval("document.getElementById('date').type") == "text"
        find(page, "chungbuk nat")
        assert page.wait_for(f"{ROUTES} === 1")
        problem = "document.getElementById('date-problem')"
        type_day(page, "date", "05/20/2024")  # what an en-US date field shows: refused, said why
        assert page.wait_for(f"!{problem}.hidden")
        assert page.eval(f"{problem}.innerText") == (
            "\u201c05/20/2024\u201d is ambiguous (month/day or day/month?): write it as YYYY-MM-DD (2024-05-20) "
            "or as d.m.yyyy (20.5.2024).")
        assert page.eval("document.getElementById('date').getAttribute('aria-invalid')") == "true"
        assert "as_of" not in hash_of(page) and f"{ROUTES} === 1"
        type_day(page, "date", "2023-02-29")
        assert page.wait_for(f"{problem}.innerText.indexOf('February 2023 has 28 days') >= 0")
        key(page, "Escape", 27)  # back to the day in force (none: today)
        assert page.eval("document.getElementById('date').value") == "" and page.eval(f"{problem}.hidden")
        type_day(page, "date", "2024-05-20")
        assert page.wait_for(f"{INTRO_SAID}.indexOf('as of 2024-05-20') >= 0")
        assert page.eval(f"{ROUTES}") == 1  # signed that day
        key(page, "ArrowDown", 40)  # a day earlier, applied after a pause: before the MoU
        assert page.eval("document.getElementById('date').value") == "2024-05-19"
        assert page.wait_for(NO_ROUTE)
        assert hash_of(page)["as_of"] == "2024-05-19"
        key(page, "PageUp", 33)  # a month later
        assert page.eval("document.getElementById('date').value") == "2024-06-19"
        key(page, "PageDown", 34, shift=True)  # a year earlier
        assert page.eval("document.getElementById('date').value") == "2023-06-19"
        key(page, "ArrowUp", 38)
        assert page.eval("document.getElementById('date').value") == "2023-06-20"
        assert page.wait_for(f"{INTRO_SAID}.indexOf('as of 2023-06-20') >= 0")
        page.eval("document.getElementById('today').click()")
        assert page.wait_for(f"{ROUTES} === 1")
        assert page.eval("document.getElementById('date').value") == "" and "as_of" not in hash_of(page)
        # The calendar button opens the browser's picker; the day it picks is shown as ISO.
        box = page.eval("(function () { var r = document.getElementById('date-pick').getBoundingClientRect();"
                        " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        page.click(*box)
        page.eval("var p = document.getElementById('date-picker'); p.value = '2024-05-20';"
                  " p.dispatchEvent(new Event('change'))")
        assert page.eval("document.getElementById('date').value") == "2024-05-20"
        assert page.wait_for(f"{INTRO_SAID}.indexOf('as of 2024-05-20') >= 0") and hash_of(page)["as_of"] == "2024-05-20"
        # Every case of the parser, as the page has it.
        cases = {"2024-02-29": "2024-02-29", " 7.3.2025 ": "2025-03-07", "07.03.2025.": "2025-03-07",
                 "2024-1-5": "2024-01-05", "": ""}
        for typed, day in cases.items():
            assert page.eval(f"EspooDates.parse({typed!r})") == {"day": day}, typed
        for typed, said in {"2023-02-29": "February 2023 has 28 days", "2024-13-01": "no month 13",
                            "2024": "not a whole day", "3/4/2024": "ambiguous", "tomorrow": "not a day",
                            "31.4.2024": "April 2024 has 30 days", "0999-01-01": "four digits"}.items():
            assert said in page.eval(f"EspooDates.parse({typed!r}).error"), typed
        assert_clean(page, small_server)
    finally:
        page.close()


def test_a_bad_day_in_a_link_is_said_and_not_used(browser, small_server):
    page = open_link(browser, small_server, entity="cbnu", as_of="2024-02-30")
    try:
        assert page.wait_for(f"{ROUTES} === 1")  # today's answer
        assert page.eval("document.getElementById('date-problem').innerText") == (
            "The link's day is not used: \u201c2024-02-30\u201d is not a day: February 2024 has 29 days.")
        assert_clean(page, small_server)
    finally:
        page.close()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_the_address_never_runs(browser, tmp_path, payload):
    server = start_server(write_dataset(tmp_path / "net", SMALL))
    try:
        page = open_link(browser, server, "window.explorer", entity=payload, routes="all", **{"from": payload}, to=payload,
                         clusters="1", theme=payload, as_of=payload, changes=payload, show="path", route="2")
        try:
            # Each shows as text: in the fields, in the server's answers and in the page's own words.
            assert page.wait_for(f"document.getElementById('entity').innerText.indexOf({payload!r}) >= 0")
            assert page.wait_for(f"document.getElementById('path-out').innerText.indexOf({payload!r}) >= 0")
            assert page.wait_for(f"document.getElementById('clusters-out').innerText.indexOf({payload!r}) >= 0")
            assert page.wait_for(f"document.getElementById('map').innerText.indexOf({payload!r}) >= 0")  # its theme
            assert page.eval("document.getElementById('path-from').value") == payload
            assert page.eval("document.getElementById('cluster-theme').value") == payload
            assert page.eval("document.getElementById('intro-go').innerText") == f"Who can introduce us to {payload}?"
            assert "is not a day" in page.eval("document.getElementById('date-problem').innerText")
            assert page.eval("document.title").startswith(f"Who can introduce us to {payload}?")
            assert page.eval("document.querySelectorAll('img, svg, iframe, script:not([src]), #xss, "
                             "a[href^=javascript]').length") == 0
            assert page.eval("document.getElementById('date').value") == ""
            assert_clean(page, server)
        finally:
            page.close()
    finally:
        server.stop()
