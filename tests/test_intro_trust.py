"""What `intro` tells an advisor they can trust, on small hand-built networks with known answers.

A person whose role `review` would list as stale is said so and asked last (one rule:
`queries.freshness`); an ended role is no contact; a route that passes one shared activity twice
is no new way in (intro and path); the wording says what it means; no route is exit status 1
with what to try; and `dormant` counts a person's contact tie with a partner place as activity,
as `changes` lists it.
"""
from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from cli import main
from commands.queries import _render_intro
from graph.records import Source
from loaders import load_graph
from queries.freshness import role_check
from queries.introductions import introductions
from queries.paths import find_paths
from queries.review import review
from queries.timeline import changes
from queries.upkeep import dormant
from tests.support.minigraph import ent, graph_of, rel

DAY = "2026-12-02"


def _published(eid: str, when: str) -> tuple[Source, ...]:
    return (Source(f"https://example.org/e/{eid}", "2026-01-01", when),)


# --- 1. stale roles: said, and asked last -----------------------------------------------------------

@pytest.fixture(scope="module")
def shanghai():
    """Espoo (ours) and Shanghai are sister cities. Ying's work tie for Shanghai dates from 2017,
    status unknown; Gong's from 2025; Yang's ended in 2017. At Espoo: Old has held the role since
    2020 (nothing newer), New since 2019 but a page of 2026 confirms her."""
    return graph_of(
        [ent("espoo", "city", "Espoo", home=True), ent("shanghai", "city", "Shanghai"),
         ent("ying", "person", "Ying Yong", role="Mayor of Shanghai (from January 2017)"),
         ent("gong", "person", "Gong Zheng", role="Mayor of Shanghai (from 2025)"),
         ent("yang", "person", "Yang Xiong", role="Mayor of Shanghai (until 2017)"),
         ent("old", "person", "Aaro Old", home=True, role="Director, Espoo"),
         dataclasses.replace(ent("new", "person", "Ville New", home=True, role="Head of International Affairs, Espoo"),
                             sources=_published("new", "2026-03"))],
        [rel("espoo", "sister_city", "shanghai", since="1998"),
         rel("ying", "works_for", "shanghai", since="2017-01", status="unknown"),
         rel("gong", "works_for", "shanghai", since="2025"),
         rel("yang", "works_for", "shanghai", since="2012", until="2017-01", status="ended"),
         rel("old", "works_for", "espoo", since="2020"), rel("new", "works_for", "espoo", since="2019")])


def test_the_stale_rule_is_reviews(shanghai):
    assert role_check(shanghai, "ying", DAY) == "last confirmed 2017: check before asking"
    assert role_check(shanghai, "gong", DAY) is None and role_check(shanghai, "new", DAY) is None
    assert role_check(shanghai, "ying", "2018-06-01") is None  # fresh then
    stale = {i["id"] for i in review(shanghai, on=DAY, reasons=("role",))["items"]}
    judged = {n for n, k in shanghai.nodes(data="kind") if k == "person" and role_check(shanghai, n, DAY)}
    assert stale == judged == {"ying", "yang", "old"}


def test_the_bundled_data_agrees_with_review():
    G = load_graph(None)
    for day in (DAY, "2024-06-01"):
        stale = {i["id"] for i in review(G, on=day, reasons=("role",))["items"]}
        assert stale == {n for n, k in G.nodes(data="kind") if k == "person" and role_check(G, n, day)}


def test_target_contacts_say_what_to_check_and_leave_out_ended_roles(shanghai):
    r = introductions(shanghai, "shanghai", as_of=DAY)
    # Yang's role ended (until, status ended): no contact. Gong is confirmed recently: first.
    assert r["target_contacts"] == ["gong", "ying"]
    assert r["target_contact_roles"] == [
        "Mayor of Shanghai (from 2025)",
        "Mayor of Shanghai (from January 2017); status unknown; last confirmed 2017: check before asking"]
    text = _render_intro(r)
    assert ("  Ying Yong (Mayor of Shanghai (from January 2017); status unknown; last confirmed 2017: "
            "check before asking)") in text


def test_a_fresh_person_is_asked_before_a_stale_one(shanghai):
    # Old is the newer in the role (2020 against 2019), but only New's role is confirmed recently.
    route = introductions(shanghai, "shanghai", as_of=DAY)["routes"][0]
    assert route["contact"] == "new" and route["contact_check"] is None
    assert route["contact_reason"].startswith("Head of International Affairs, Espoo; ")
    # Two years earlier both were fresh: the newest in the role is asked, and nothing to check.
    route = introductions(shanghai, "shanghai", as_of="2021-06-01")["routes"][0]
    assert (route["contact"], route["contact_check"]) == ("old", None)
    assert route["contact_reason"] == "Director, Espoo; newest in the role, since 2020"


def test_a_stale_contact_is_marked_in_the_table(shanghai):
    G = shanghai.copy()
    G.remove_node("new")
    r = introductions(G, "shanghai", as_of=DAY)
    assert r["routes"][0]["contact_check"] == "last confirmed 2020: check before asking"
    assert "Aaro Old (check first)" in _render_intro(r)


# --- 2. a route through one shared activity twice is no new way in ----------------------------------

@pytest.fixture(scope="module")
def mou():
    """IQM (ours) signed one agreement with CBIST and CBNU; IQM also supplies CBNU."""
    return graph_of(
        [ent("iqm", "company", "IQM", home=True), ent("cbist", "institute", "CBIST"),
         ent("cbnu", "university", "CBNU"), ent("deal", "agreement", "Quantum agreement")],
        [rel("iqm", "party_to", "deal", since="2025-04-02"), rel("cbist", "party_to", "deal", since="2025-04-02"),
         rel("cbnu", "party_to", "deal", since="2025-04-02"), rel("iqm", "supplier_to", "cbnu", since="2025-02")])


def test_intro_leaves_out_a_go_between_on_the_same_agreement(mou):
    r = introductions(mou, "cbnu", as_of=DAY, k=5, all_routes=True)
    assert [x["nodes"] for x in r["routes"]] == [["iqm", "cbnu"]]  # not iqm → cbist → cbnu


def test_path_leaves_out_a_go_between_on_the_same_agreement(mou):
    r = find_paths(mou, "iqm", "cbnu", k=5, as_of=DAY)
    assert [p["nodes"] for p in r["routes"]] == [["iqm", "cbnu"]]


def test_different_documents_make_different_routes():
    G = graph_of(
        [ent("ee", "agency", "Enter Espoo", home=True), ent("cbist", "institute", "CBIST"),
         ent("cbnu", "university", "CBNU"), ent("a", "agreement", "MoU A"), ent("b", "agreement", "MoU B")],
        [rel("ee", "party_to", "a", since="2025"), rel("cbist", "party_to", "a", since="2025"),
         rel("cbist", "party_to", "b", since="2025"), rel("cbnu", "party_to", "b", since="2025")])
    assert [x["nodes"] for x in introductions(G, "cbnu", as_of=DAY)["routes"]] == [["ee", "cbist", "cbnu"]]


# --- 3. wording -------------------------------------------------------------------------------------------

def test_the_wording_says_what_it_means():
    guests = [ent(f"g{i}", "company", f"Guest {i}") for i in range(2)]
    G = graph_of(
        [ent("ee", "agency", "Enter Espoo", home=True), ent("t", "university", "Okayama"),
         ent("meet", "event", "Exchange meeting"), ent("mou", "agreement", "Undated MoU"),
         ent("aalto", "university", "Aalto", home=True), ent("u", "university", "Tsinghua"), *guests],
        [rel("ee", "participated_in", "meet", since="2025-05-07"), rel("t", "hosted", "meet", since="2025-05-07"),
         *(rel(g.id, "participated_in", "meet", since="2025-05-07") for g in guests),
         rel("aalto", "party_to", "mou"), rel("u", "party_to", "mou")])
    text = _render_intro(introductions(G, "t", as_of="2025-06-01"))
    assert text.startswith("Introductions to Okayama [t]")  # not "Warm introductions" when none is warm
    assert "No route is warm: the best is lukewarm" in text
    assert "event Exchange meeting (4 parties)" in text and "(direct)" not in text
    text = _render_intro(introductions(G, "u", as_of="2025-06-01"))
    assert 'Aalto and Tsinghua signed "Undated MoU" (undated): warm' in text
    assert "direct tie" not in text and "agreement Undated MoU (2 parties)" in text


def test_nobody_holding_an_event_is_said_plainly():
    guests = [ent(f"g{i}", "company", f"Guest {i}") for i in range(10)]
    G = graph_of([ent("h", "agency", "Home Oy", home=True), ent("t", "company", "Target"),
                  ent("sem", "event", "Seminar"), ent("p", "person", "Pia", home=True), *guests],
                 [rel("h", "participated_in", "sem", since="2026-06"), rel("t", "participated_in", "sem", since="2026-06"),
                  *(rel(g.id, "participated_in", "sem", since="2026-06") for g in guests),
                  rel("p", "works_for", "h", since="2026")])
    reason = introductions(G, "t", as_of=DAY)["routes"][0]["contact_reason"]
    assert reason == "in the role since 2026; nobody at Home Oy is on record as attending Seminar"


# --- 4. no route: exit status 1 and what to try -----------------------------------------------------------

def test_no_route_is_exit_status_1_with_a_hint():
    result = CliRunner().invoke(main, ["intro", "sochi"])
    assert result.exit_code == 1
    assert "No route from our side reaches it." in result.stdout
    assert "--all also uses ended, suspended and planned ties" in result.stderr
    # its only tie ended in 2022: a longer route cannot help, so --max-hops is not suggested
    assert "Sochi has no tie a route can use on the day" in result.stderr and "--max-hops" not in result.stderr
    result = CliRunner().invoke(main, ["intro", "sochi", "--format", "json"])
    assert result.exit_code == 1 and json.loads(result.stdout)["routes"] == []
    assert CliRunner().invoke(main, ["intro", "sochi", "--all"]).exit_code == 0  # the hint works


# --- 5. dormant: a person's contact tie with a partner place is activity ------------------------------------

@pytest.fixture(scope="module")
def partner():
    """Espoo (ours) and Kryvyi Rih are partner cities since 2023; Espoo coordinates a school
    twinning (ours) that Kryvyi Rih takes part in; the mayor (ours) became its contact on
    Europe Day 2025; Pia (ours) is the contact for Korea, where Espoo has no partnership."""
    return graph_of(
        [ent("espoo", "city", "Espoo", home=True), ent("kr", "city", "Kryvyi Rih"),
         ent("twin", "project", "School twinning", home=True), ent("kai", "person", "Kai", home=True),
         ent("pia", "person", "Pia", home=True), ent("korea", "country", "Korea")],
        [rel("espoo", "partner_city", "kr", since="2023-05-09"), rel("espoo", "coordinates", "twin", since="2022"),
         rel("kr", "partner_in", "twin", since="2022"), rel("kai", "contact_for", "kr", since="2025-05-09"),
         rel("pia", "contact_for", "korea", since="2015")])


def test_a_contact_tie_keeps_a_partnership_awake(partner):
    assert dormant(partner, on=DAY, quiet_for="3y")["partners"] == []  # 2025-05-09 is within 3 years
    rows = dormant(partner, on="2029-01-01", quiet_for="3y")["partners"]
    assert [(p["id"], p["last_activity"], p["holders"]) for p in rows] == [("kr", "2025-05-09", ["Espoo", "Kai"])]
    # changes lists the same tie in 2025: both read it as activity
    assert [r["id"] for r in changes(partner, "2025", "2025")["began"]] == [rows[0]["last_tie"]]


def test_a_role_for_a_place_makes_no_partner_and_a_project_of_ours_no_holder(partner):
    rows = dormant(partner, on="2029-01-01", quiet_for="1d")["partners"]
    assert [p["id"] for p in rows] == ["kr"]  # Korea: Pia's portfolio, no partnership
    assert "School twinning" not in rows[0]["holders"]
