"""The answers of `intro` and `path` an advisor can act on, on small hand-built networks.

Who introduces (where the route starts on our side), who to ask and why (never someone whose
role has ended), hop names that match their ids, countries that never relay a route, weak
routes counted rather than listed, plain wording, and a name shared by an organisation and a
meeting.
"""
from __future__ import annotations

import pytest

from commands.queries import _render_intro
from graph.errors import AmbiguousEntity, NoPath
from graph.schema import SCHEMA
from queries.centrality import brokers
from queries.introductions import introductions
from queries.explain import hop_ties
from queries.paths import find_paths
from tests.support.minigraph import ent, graph_of, rel

DAY = "2024-05-20"


# --- 1. the introducer is on our side ------------------------------------------------------------

@pytest.fixture(scope="module")
def embassy():
    """IQM (ours) took part in a forum the embassy hosted; the ambassador (not ours) works for
    the embassy and is the contact for Korea. Enter Espoo (ours) has Ossi (ours) working for it."""
    return graph_of(
        [ent("iqm", "company", "IQM", home=True), ent("jan", "person", "Jan", home=True, role="co-CEO, IQM"),
         ent("forum", "event", "Quantum Forum"), ent("embassy", "agency", "Embassy"),
         ent("amb", "person", "Ambassador", role="Ambassador of Finland"),
         ent("kr", "country", "Korea", country="KR"),
         ent("ee", "agency", "Enter Espoo", home=True), ent("ossi", "person", "Ossi", home=True, role="Advisor"),
         ent("t", "company", "Target", country="KR")],
        [rel("jan", "works_for", "iqm", since="2018"), rel("iqm", "participated_in", "forum", since=DAY),
         rel("embassy", "hosted", "forum", since=DAY), rel("amb", "works_for", "embassy", since="2023"),
         rel("amb", "contact_for", "kr", since="2023"),
         rel("ossi", "works_for", "ee", since="2019"), rel("ossi", "collaborates_with", "t", since=DAY)])


def test_a_person_not_of_our_side_is_not_the_introducer(embassy):
    r = introductions(embassy, "kr", as_of=DAY)
    route = next(x for x in r["routes"] if x["nodes"][0] == "iqm")
    assert route["nodes"] == ["iqm", "embassy", "amb", "kr"]
    assert (route["introducer"], route["contact"]) == ("iqm", "jan")
    # a two-party forum: no big document; his role text first, and review's check (evidence 2018)
    assert route["contact_reason"] == "co-CEO, IQM; in the role since 2018; last confirmed 2018: check before asking"


def test_a_person_of_our_side_at_the_start_introduces(embassy):
    # From Enter Espoo the route runs through Ossi (ours): he is the one who introduces.
    route = introductions(embassy, "t", from_="ee", as_of=DAY)["routes"][0]
    assert route["nodes"] == ["ee", "ossi", "t"]
    assert (route["introducer"], route["contact"], route["contact_reason"]) == (
        "ossi", "ossi", "Advisor; the route's first person; last confirmed 2019: check before asking")


# --- 2. the person to ask, and why -----------------------------------------------------------------

def _ask(relations, target="t", extra=(), **kw):
    G = graph_of([ent("h", "agency", "Home Oy", home=True), ent("kr", "country", "Korea", country="KR"),
                  ent("t", "company", "Target", country="KR"), ent("u", "company", "Other"), *extra],
                 [rel("h", "collaborates_with", "t", since=DAY), rel("h", "collaborates_with", "u", since=DAY),
                  *relations])
    route = introductions(G, target, as_of=DAY, **kw)["routes"][0]
    return route["contact"], route["contact_reason"]


def people(*specs):
    return [ent(pid, "person", name, home=True, **fields) for pid, name, fields in specs]


def test_the_country_contact_is_asked_and_told_why():
    ps = people(("aino", "Aino", {}), ("ville", "Ville", {}))
    rels = [rel("aino", "works_for", "h", since="2024"), rel("ville", "works_for", "h", since="2019"),
            rel("ville", "contact_for", "kr", since="2019")]
    assert _ask(rels, extra=ps) == ("ville", "Home Oy's contact for Korea")
    assert _ask(rels, target="u", extra=ps) == ("aino", "newest in the role, since 2024")


def test_a_role_that_has_ended_is_never_asked():
    # The data says a role ended on the tie itself: an until (and status ended); the role text is
    # never read (an open tie whose role text says otherwise is for `review`, tests/test_role_text.py).
    ps = people(("old", "Aaro Old", {"role": "CEO, Home Oy (2015 - June 2020)"}),
                ("gone", "Bea Gone", {"role": "Director, Home Oy (former)"}),
                ("now", "Zoe Now", {"role": "CEO, Home Oy"}))
    rels = [rel("old", "works_for", "h", since="2015", until="2020-06", status="ended"),
            rel("gone", "works_for", "h", since="2022", status="ended"),  # ended, the day not known
            rel("now", "works_for", "h")]
    assert _ask(rels, target="u", extra=ps) == (
        "now", "CEO, Home Oy; the only current person on record for Home Oy; role not dated; check before asking")
    # The same ties left open: the text alone no longer keeps them from being asked.
    still = [rel("old", "works_for", "h", since="2015"), rel("now", "works_for", "h")]
    assert _ask(still, target="u", extra=ps) == (
        "old", "CEO, Home Oy (2015 - June 2020); newest in the role, since 2015; last confirmed 2015: check before asking")


def test_nobody_current_is_said_so():
    ps = people(("old", "Aaro Old", {"role": "CEO (former)"}))
    assert _ask([rel("old", "works_for", "h", since="2023", until="2024-01", status="ended")], target="u", extra=ps) == (
        None, "nobody current on record for Home Oy (1 whose role has ended)")


def test_who_took_part_for_an_organisation_they_left_is_not_asked():
    # Both took part in a big seminar with the target; Aino's only work tie has ended since, so the
    # route's document is not hers to use: the newest in the role at Home Oy is asked instead.
    guests = [ent(f"g{i}", "company", f"Guest {i}") for i in range(10)]
    G = graph_of([ent("h", "agency", "Home Oy", home=True), ent("t", "company", "Target"),
                  ent("sem", "event", "Seminar"), *guests,
                  *people(("aino", "Aino", {}), ("ville", "Ville", {}))],
                 [rel("h", "participated_in", "sem", since=DAY), rel("t", "participated_in", "sem", since=DAY),
                  *(rel(g.id, "participated_in", "sem", since=DAY) for g in guests),
                  rel("aino", "participated_in", "sem", since=DAY),
                  rel("aino", "works_for", "h", since="2020", until="2024-01", status="ended"),
                  rel("ville", "works_for", "h", since="2019")])
    route = introductions(G, "t", from_="h", as_of="2024-06-01")["routes"][0]
    assert route["nodes"] == ["h", "t"] and route["hops"][0]["via"] == "sem"
    assert (route["contact"], route["contact_reason"].split(";")[0]) == ("ville", "in the role since 2019")
    G.remove_edge("aino", "h")  # no work tie on record at all: her taking part is all we know
    route = introductions(G, "t", from_="h", as_of="2024-06-01")["routes"][0]
    assert (route["contact"], route["contact_reason"]) == ("aino", "participated in Seminar")


def test_equals_are_not_told_apart_by_the_alphabet_silently():
    ps = people(("b", "Bo", {}), ("a", "Ari", {}))
    assert _ask([rel("a", "works_for", "h"), rel("b", "works_for", "h")], target="u", extra=ps) == (
        "a", "role not dated, nor is Bo's: either will do")
    assert _ask([rel("a", "works_for", "h", since="2020"), rel("b", "works_for", "h", since="2020")],
                target="u", extra=ps) == ("a", "in the role since 2020; Bo also since 2020: either will do")
    ps3 = people(("b", "Bo", {}), ("a", "Ari", {}), ("c", "Cy", {}))
    assert _ask([rel(p, "works_for", "h", since="2020") for p in "abc"], target="u", extra=ps3) == (
        "a", "in the role since 2020; Bo and Cy also since 2020: any of them will do")
    assert _ask([rel(p, "works_for", "h") for p in "abc"], target="u", extra=ps3) == (
        "a", "role not dated, nor are those of Bo and Cy: any of them will do")


def test_a_big_shared_document_is_asked_of_who_holds_it():
    # The city and the target are 2 of 12 signatories: ask the city's contact for the contract,
    # not the newest mayor.
    signers = [ent(f"s{i}", "company", f"Signer {i}") for i in range(10)]
    G = graph_of([ent("h", "city", "Home City", home=True), ent("doc", "agreement", "Climate Contract"),
                  ent("t", "company", "Target"), *signers,
                  *people(("mayor", "Mayor", {}), ("officer", "Officer", {}))],
                 [rel("h", "party_to", "doc", since=DAY), rel("t", "party_to", "doc", since=DAY),
                  *(rel(s.id, "party_to", "doc", since=DAY) for s in signers),
                  rel("mayor", "works_for", "h", since="2024"), rel("officer", "works_for", "h"),
                  rel("officer", "contact_for", "doc", since="2023")])
    route = introductions(G, "t", as_of=DAY)["routes"][0]
    assert (route["contact"], route["contact_reason"]) == ("officer", "Home City's contact for Climate Contract")


# --- 3. hop names match their ids ---------------------------------------------------------------------

def test_every_hop_names_its_own_ends(embassy):
    G = graph_of([ent("ee", "agency", "Enter Espoo", home=True), ent("mou", "agreement", "The MoU"),
                  ent("cb", "institute", "CBIST")],
                 [rel("ee", "party_to", "mou", since=DAY), rel("cb", "party_to", "mou", since=DAY)])
    for a, b in (("ee", "cb"), ("cb", "ee")):
        hop = find_paths(G, a, b, k=1, as_of=DAY)["routes"][0]["hops"][0]
        assert (hop["from"], hop["from_name"], hop["to"], hop["to_name"]) == (a, G.nodes[a]["name"], b, G.nodes[b]["name"])
        mine, theirs = hop["ties"]  # a step through the MoU: each end's own tie to it
        assert (mine["source"], mine["source_name"], mine["target"], mine["target_name"]) == (
            a, G.nodes[a]["name"], "mou", "The MoU")
        assert (theirs["source"], theirs["target"]) == (b, "mou")
    for route in introductions(embassy, "kr", as_of=DAY)["routes"]:
        for hop in route["hops"]:
            assert (hop["from_name"], hop["to_name"]) == (embassy.nodes[hop["from"]]["name"], embassy.nodes[hop["to"]]["name"])
            for tie in hop_ties(hop):
                assert tie["source_name"] == embassy.nodes[tie["source"]]["name"]
                assert tie["target_name"] == embassy.nodes[tie["target"]]["name"]
            if "tie" in hop:
                tie = hop["tie"]
                assert {hop["from"], hop["to"]} == {tie["source"], tie["target"]}
                assert tie["walked"] in ("mutual", "forward" if hop["from"] == tie["source"] else "backward")


# --- 4. a country never relays a route -------------------------------------------------------------

@pytest.fixture(scope="module")
def two_contacts():
    """Ossi (ours) and Jyri (not ours) are each a contact for Korea; Jyri works for the embassy."""
    return graph_of(
        [ent("ossi", "person", "Ossi", home=True), ent("jyri", "person", "Jyri"), ent("embassy", "agency", "Embassy"),
         ent("kr", "country", "Korea", country="KR"), ent("x", "company", "Xcorp")],
        [rel("ossi", "contact_for", "kr"), rel("jyri", "contact_for", "kr"), rel("jyri", "works_for", "embassy"),
         rel("x", "collaborates_with", "embassy")])


def test_the_schema_says_which_kinds_do_not_relay():
    assert not SCHEMA.entity_kinds["country"].relays and SCHEMA.entity_kinds["region"].relays
    assert SCHEMA.no_relay_kinds == SCHEMA.activity_kinds | {"country"}


def test_two_contacts_for_one_country_are_no_route(two_contacts):
    r = introductions(two_contacts, "embassy", as_of=DAY)
    assert r["routes"] == []
    with pytest.raises(NoPath):
        find_paths(two_contacts, "ossi", "jyri", as_of=DAY)
    assert find_paths(two_contacts, "ossi", "kr", as_of=DAY)["routes"][0]["nodes"] == ["ossi", "kr"]  # an end: fine
    assert find_paths(two_contacts, "kr", "x", as_of=DAY)["routes"][0]["nodes"] == ["kr", "jyri", "embassy", "x"]


def test_a_country_is_no_broker(two_contacts):
    assert "kr" not in {b["id"] for b in brokers(two_contacts, as_of=DAY, top=10)["brokers"]}


# --- 5. --from outside our side; weak routes counted -------------------------------------------------

@pytest.fixture(scope="module")
def weak():
    """h reaches t directly (0.375) and through a chain of weak ties (far below the floor)."""
    return graph_of(
        [ent("h", "company", "Home", home=True), ent("g", "company", "Guest"), ent("a", "company", "A"),
         ent("b", "company", "B"), ent("t", "company", "Target")],
        [rel("h", "collaborates_with", "t"), rel("h", "collaborates_with", "a", strength=0.05),
         rel("a", "collaborates_with", "b", strength=0.05), rel("b", "collaborates_with", "t", strength=0.05),
         rel("g", "collaborates_with", "a", strength=0.05)])


def test_weak_routes_are_counted_not_listed(weak):
    r = introductions(weak, "t", as_of=DAY)
    assert [x["nodes"] for x in r["routes"]] == [["h", "t"]] and r["hidden"] == 1
    assert r["shown_from"] == SCHEMA.shown
    every = introductions(weak, "t", as_of=DAY, all_routes=True)
    assert len(every["routes"]) == 2 and every["hidden"] == 0 and every["routes"][1]["score"] < SCHEMA.shown
    assert "1 weaker route (score below 0.003) not shown (--all-routes lists them)." in _render_intro(r)


def test_from_outside_our_side_says_so_and_keeps_the_best_route(weak):
    r = introductions(weak, "t", from_="g", as_of=DAY)
    assert r["notes"] == ["Guest (g) is not on our side (not marked home); routes start from it all the same"]
    assert len(r["routes"]) == 1 and r["routes"][0]["score"] < SCHEMA.shown  # the best is always listed
    assert introductions(weak, "t", from_="h", as_of=DAY)["notes"] == []


# --- 6. wording ----------------------------------------------------------------------------------------

def test_one_way_in_is_said_plainly():
    G = graph_of([ent("h", "company", "Home", home=True), ent("h2", "company", "Home Two", home=True),
                  ent("t", "company", "Target")], [rel("h", "collaborates_with", "t")])
    text = _render_intro(introductions(G, "t", as_of=DAY))
    assert "All routes within 4 hops go through Home: if Home cannot help, there is no other way in." in text
    assert "Single-threaded" not in text


def test_working_in_a_country_is_not_a_tie_to_it():
    G = graph_of([ent("h", "agency", "Home", home=True, country="FI"), ent("de", "country", "Germany", country="DE"),
                  ent("tum", "university", "TUM", country="DE")],
                 [rel("h", "key_market", "de"), rel("h", "collaborates_with", "tum")])
    r = introductions(G, "de", as_of=DAY)
    text = _render_intro(r)
    assert r["routes"] == [] and [n["id"] for n in r["nearest"]] == ["tum"]
    assert "Our side works in Germany: Home (key market)." in text
    assert "But none of our side has a tie to Germany itself that a route could use." in text
    assert "No route from our side reaches it." not in text


# --- 7. an organisation and a meeting of one name ------------------------------------------------------

def test_an_organisation_is_preferred_over_a_meeting_of_its_name():
    G = graph_of([ent("h", "university", "Home U", home=True),
                  ent("oku", "university", "Okayama University", aliases=["Okayama"]),
                  ent("okm", "event", "Okayama meeting", aliases=["Okayama"]),
                  ent("okc", "company", "Okayama Corp", aliases=["Okayama Co"])],
                 [rel("h", "collaborates_with", "oku"), rel("h", "participated_in", "okm", since=DAY)])
    r = introductions(G, "okayama", as_of=DAY)
    assert r["target"] == "oku"
    assert r["notes"] == ["'okayama' also names Okayama meeting (okm, event); answering for Okayama University (oku)"]
    G2 = graph_of([ent("a", "university", "Twin", home=True), ent("b", "company", "Twin Oy", aliases=["Twin"])], [])
    with pytest.raises(AmbiguousEntity):  # two organisations: still the user's to say
        introductions(G2, "twin", as_of=DAY)


def test_every_command_makes_intros_choice_with_the_same_note():
    """path, show and neighbours resolve through the one resolver (graph.model.resolve): the same
    actor as intro, and the same note (collected once, printed by the CLI on stderr)."""
    from click.testing import CliRunner

    import cli
    from graph.model import collecting_notes, resolve
    from queries.entities import describe

    G = graph_of([ent("h", "university", "Home U", home=True),
                  ent("oku", "university", "Okayama University", aliases=["Okayama"]),
                  ent("okm", "event", "Okayama meeting", aliases=["Okayama"])],
                 [rel("h", "collaborates_with", "oku"), rel("h", "participated_in", "okm", since=DAY)])
    note = "'okayama' also names Okayama meeting (okm, event); answering for Okayama University (oku)"
    with collecting_notes() as notes:
        assert find_paths(G, "h", "okayama", as_of=DAY)["target"] == "oku"
        assert describe(G, "okayama")["entity"]["id"] == "oku"
        assert resolve(G, "okayama") == "oku"
    assert notes == [note]  # once, however often the name was resolved
    assert resolve(G, "okayama") == "oku"  # outside a collection: no note kept, the same answer
    # The bundled data: Okayama names the university and a meeting in Tokyo.
    r = CliRunner().invoke(cli.main, ["show", "Okayama"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Okayama University")
    assert "Note: 'Okayama' also names Okayama University–Finland exchange meeting" in r.stderr
    assert "answering for Okayama University (okayama-university)." in r.stderr
