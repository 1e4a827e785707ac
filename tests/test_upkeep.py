"""changes, due, dormant and review on a small network with answers worked out by hand
(tests/support/upkeepdata.py), including the boundaries: a tie that ended on the window's first
day, an agreement that expires on its last day, undated ties."""
from __future__ import annotations

import csv
import re
import io
import json

import pytest
from click.testing import CliRunner

import cli
from graph.durations import duration
from graph.types import BadValue
from loaders import load_graph
from queries.review import review
from queries.timeline import changes, evidence_date
from queries.upkeep import dormant, due
from tests.support.upkeepdata import write_upkeep_data

ON = "2026-01-01"


@pytest.fixture
def upkeep_dir(tmp_path):
    write_upkeep_data(tmp_path)
    return tmp_path


@pytest.fixture
def G(upkeep_dir):
    return load_graph(upkeep_dir)


def ids(rows):
    return [r["id"] for r in rows]


# --- changes ---------------------------------------------------------------------------------------

def test_changes_in_a_window(G):
    c = changes(G, "2022-06-01", "2025-12-31")
    assert (c["since"], c["until"]) == ("2022-06-01", "2025-12-31")
    assert ids(c["began"]) == ["espoo--partner-in--proj--2024-05", "uni--partner-in--proj--2024-05",
                               "espoo--party-to--mou--2025-03-01", "uni--party-to--mou--2025-03-01"]
    # The Kyiv partnership ended on the window's first day: it ended in the window.
    assert ids(c["ended"]) == ["espoo--partner-city--kyiv--2020"]
    assert [(r["id"], r["change"]) for r in c["changed"]] == [("espoo--collaborates-with--uni--2023", "planned")]
    # Undated ties (the MoU with Tallinn) never show; Espoo was seen in 1990, the university first in 2024-05.
    assert [(r["id"], r["date"]) for r in c["first_seen"]] == [("proj", "2024-05"), ("uni", "2024-05"),
                                                              ("mou", "2025-03-01")]
    assert c["began"][2]["source_name"] == "Espoo" and c["began"][2]["sources"][0]["url"] == "https://example.org/a"


def test_changes_narrowed_by_kind(G):
    from graph.errors import EspooNetError

    c = changes(G, "2022-06-01", "2025-12-31", relations=("party_to", "partner_city"))
    assert ids(c["began"]) == ["espoo--party-to--mou--2025-03-01", "uni--party-to--mou--2025-03-01"]
    assert ids(c["ended"]) == ["espoo--partner-city--kyiv--2020"] and c["changed"] == []
    # A family names all its kinds, as `show --relation` reads it: party_to and partner_in are activities.
    family = changes(G, "2022-06-01", "2025-12-31", relations=("activity",))
    assert ids(family["began"]) == ["espoo--partner-in--proj--2024-05", "uni--partner-in--proj--2024-05",
                                    "espoo--party-to--mou--2025-03-01", "uni--party-to--mou--2025-03-01"]
    with pytest.raises(EspooNetError, match="unknown relation kind or family 'twinning'"):
        changes(G, "2022", relations=("twinning",))


def test_changes_window_boundaries(G):
    assert ids(changes(G, "2022-06-02", "2025-12-31")["ended"]) == []  # a day later, Kyiv's end is outside
    assert ids(changes(G, "2022", "2022-05-31")["ended"]) == []
    # A year stands for its first day as `since` and its last day as `until`; '2024-05' overlaps May 2024.
    assert ids(changes(G, "2024-05-31", "2024-05-31")["began"]) == ["espoo--partner-in--proj--2024-05",
                                                                     "uni--partner-in--proj--2024-05"]


def test_changes_refuses_a_window_that_ends_before_it_starts(G):
    from graph.errors import EspooNetError

    with pytest.raises(EspooNetError, match="before it starts"):
        changes(G, "2025", "2024")


# --- due ---------------------------------------------------------------------------------------------

def test_due_lists_expiry_on_the_last_day_overdue_reviews_plans_and_missing_terms(G):
    d = due(G, within="6m", on=ON)
    assert (d["on"], d["until"]) == ("2026-01-01", "2026-07-01")
    assert [(i["reason"], i["id"], i["date"], i["holders"], i["partners"]) for i in d["items"]] == [
        ("expires", "mou", "2026-07-01", ["Espoo"], ["University"]),  # on the window's last day
        ("review overdue", "mou3", "2025-10", ["Espoo"], ["Kyiv"]),
        ("planned overdue", "espoo--collaborates-with--uni--2023", "2023", ["Espoo"], ["University"]),
        ("no term", "mou2", None, ["Espoo"], ["Tallinn"]),
    ]
    assert d["items"][0]["renewal"] == "by_decision"


def test_due_a_day_short_and_after_expiry(G):
    assert "mou" not in ids(due(G, within="180d", on=ON)["items"])  # the window ends 2026-06-30
    lapsed = due(G, within="6m", on="2026-07-02")["items"]
    assert ("lapsed", "mou") in [(i["reason"], i["id"]) for i in lapsed]


# --- dormant -----------------------------------------------------------------------------------------

def test_dormant_ranks_quiet_partners_by_their_strongest_tie(G):
    d = dormant(G, quiet_for="3y", on=ON)
    assert d["quiet_since"] == "2023-01-01"
    rows = [(p["id"], p["strength"], p["last_activity"], p["last_tie"]) for p in d["partners"]]
    # Kyiv: the ended partnership (0.7) was its strongest tie and its last activity; the 2015 MoU keeps
    # it a partner today. Tallinn: twinned in 1990, the undated MoU adds no date. The university signed in 2025.
    assert rows == [("kyiv", 0.7, "2022-06-01", "espoo--partner-city--kyiv--2020"),
                    ("tallinn", 0.7, "1990", "espoo--twin-town--tallinn--1990")]
    assert d["partners"][0]["holders"] == ["Espoo"] and d["partners"][0]["source"] == "https://example.org/a"


def test_activity_on_the_cutoff_day_is_not_dormant(G):
    # 2025-06-01 minus 3 years is 2022-06-01, the day the Kyiv partnership ended.
    assert ids(dormant(G, quiet_for="3y", on="2025-06-01")["partners"]) == ["tallinn"]


# --- review ------------------------------------------------------------------------------------------

def test_review_queue_with_file_and_line(G, upkeep_dir):
    r = review(G, older_than="2y", on=ON)
    assert r["stale_before"] == "2024-01-01"
    got = [(i["reason"], i["id"], i["line"]) for i in r["items"]]
    assert got == [
        ("role", "pia", 10),  # Max's role has a source published in 2025: fresh
        ("single source", "espoo--twin-town--tallinn--1990", 2),
        ("single source", "espoo--party-to--mou2", 6),  # undated: counts as old
        ("single source", "tallinn--party-to--mou2", 7),
        ("single source", "espoo--party-to--mou3--2015", 8),
        ("single source", "kyiv--party-to--mou3--2015", 9),
        ("planned overdue", "espoo--collaborates-with--uni--2023", 10),
        ("unknown status", "uni--collaborates-with--kyiv", 11),
        ("ended without until", "uni--collaborates-with--tallinn", 12),
        ("single source", "pia--works-for--espoo--2019", 15),
        ("single source", "max--works-for--espoo--2019", 16),
    ]
    files = {i["file"] for i in r["items"]}
    assert files == {str(upkeep_dir / "entities.yaml"), str(upkeep_dir / "relations.yaml")}
    # Ten years later the 2025 MoU's ties and Max's role are stale too.
    later = {(i["reason"], i["id"]) for i in review(G, older_than="2y", on="2036-01-01")["items"]}
    assert {("role", "max"), ("single source", "espoo--party-to--mou--2025-03-01")} <= later


def test_evidence_date_prefers_published_and_never_uses_seen():
    src = {"url": "https://example.org", "seen": "2026-11-22"}
    assert evidence_date({"since": "2010", "until": "2019-05", "sources": [src]}) == "2019-05"
    assert evidence_date({"sources": [src]}) is None
    both = [{**src, "published": "2024-02-03"}, {**src, "published": "2025"}]
    assert evidence_date({"since": "2010", "sources": both}) == "2025"


# --- durations -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, before", [("90d", "2025-10-03"), ("2w", "2025-12-18"), ("6m", "2025-07-01"),
                                          ("3Y", "2023-01-01")])
def test_durations(text, before):
    import datetime as dt

    assert duration(text).before(dt.date(2026, 1, 1)).isoformat() == before


@pytest.mark.parametrize("text", ["6", "m6", "6 months", "-3y", "1.5y", ""])
def test_bad_durations_say_how_to_write_one(text):
    with pytest.raises(BadValue, match="is not a duration") as info:
        duration(text)
    assert "90d, 6m or 3y" in info.value.hint


# --- the commands ----------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def test_changes_json_has_exactly_the_documented_keys(upkeep_dir):
    res = run("changes", "--since", "2022-06-01", "--until", "2025-12-31", "--data", upkeep_dir, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert list(data) == ["since", "until", "began", "ended", "changed", "first_seen"]
    assert set(data["ended"][0]) >= {"id", "kind", "source", "target", "since", "until", "status", "sources", "date"}
    table = run("changes", "--since", "2022-06-01", "--until", "2025-12-31", "--data", upkeep_dir).output
    assert "Began: 4 (partner in 2, party to 2)" in table and "Ended: 1 (partner city 1)" in table


def test_changes_relation_option_and_its_old_spelling(upkeep_dir):
    """`changes --relation` takes relation kinds or families, as `show --relation`; the old
    `--kind` (a relation kind here, an entity kind everywhere else) still works, with a warning
    on stderr only, so JSON on stdout stays clean; an entity kind is refused with what it is."""
    window = ("changes", "--since", "2022-06-01", "--until", "2025-12-31", "--data", upkeep_dir, "--format", "json")
    by_family = run(*window, "--relation", "activity")
    assert by_family.exit_code == 0, by_family.output
    assert ids(json.loads(by_family.stdout)["began"]) == ["espoo--partner-in--proj--2024-05", "uni--partner-in--proj--2024-05",
                                                         "espoo--party-to--mou--2025-03-01", "uni--party-to--mou--2025-03-01"]
    new, old = run(*window, "--relation", "party_to"), run(*window, "--kind", "party_to")
    assert old.exit_code == 0 and old.stdout == new.stdout and new.stderr == ""
    assert "--kind is deprecated here" in old.stderr and "use --relation" in old.stderr
    assert "--kind" not in run("changes", "--help").output  # hidden: the help teaches --relation only
    wrong = run(*window, "--relation", "city")
    assert wrong.exit_code == 2 and "'city' is an entity kind, not a relation kind or family" in wrong.output


def test_due_dormant_review_commands(upkeep_dir):
    out = run("due", "--within", "6m", "--as-of", ON, "--data", upkeep_dir).output
    assert "Due from 2026-01-01 to 2026-07-01: 4 items" in out and "expires" in out
    out = run("dormant", "--quiet-for", "3y", "--as-of", ON, "--data", upkeep_dir, "--format", "json").output
    assert ids(json.loads(out)["partners"]) == ["kyiv", "tallinn"]
    out = run("review", "--as-of", ON, "--data", upkeep_dir, "--format", "csv").output
    assert out.startswith("\ufeff")  # Excel's CSV: a byte order mark and ';' between cells
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == {"reason": "role", "where": f"{upkeep_dir / 'entities.yaml'}:10", "id": "pia",
                       "what": "Pia: Head of Things", "status": "", "evidence": "2019"}
    assert len(rows) == 11


def test_due_csv_carries_every_item_in_full_for_a_spreadsheet(upkeep_dir):
    as_json = json.loads(run("due", "--within", "6m", "--as-of", ON, "--data", upkeep_dir, "--format", "json").output)
    out = run("due", "--within", "6m", "--as-of", ON, "--data", upkeep_dir, "--format", "csv").output
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert [(r["reason"], r["id"], r["what"]) for r in rows] == [(i["reason"], i["id"], i["name"]) for i in as_json["items"]]
    for row, item in zip(rows, as_json["items"]):
        assert row["our side"] == "; ".join(item["holders"]) and row["partners"] == "; ".join(item["partners"])
        assert row["sources"] == "; ".join(s["url"] for s in item["sources"])


def test_a_bad_duration_is_a_usage_error(upkeep_dir):
    res = run("dormant", "--quiet-for", "three years", "--data", upkeep_dir)
    assert res.exit_code == 2 and "is not a duration" in res.output and "Traceback" not in res.output


# --- boundaries and the user test's leftovers ----------------------------------------------------------

def test_an_undated_tie_is_in_no_window(G):
    c = changes(G, "1000", "2999")
    undated = {"espoo--party-to--mou2", "tallinn--party-to--mou2", "uni--collaborates-with--kyiv",
               "uni--collaborates-with--tallinn"}
    assert not undated & {r["id"] for key in ("began", "ended", "changed") for r in c[key]}
    assert "mou2" not in ids(c["first_seen"])  # known only from undated ties


def test_dormant_counts_partnerships_not_ownership_or_place_facts():
    import networkx as nx

    G = nx.MultiDiGraph()
    for n, kind, home in [("espoo", "city", True), ("omnia", "agency", True), ("pia", "person", True),
                          ("tallinn", "city", False), ("kauniainen", "city", False), ("finland", "country", False),
                          ("korea", "country", False), ("kirkkonummi", "city", False), ("eib", "agency", False)]:
        G.add_node(n, name=n.title(), kind=kind, home=home)

    def tie(u, kind, v):
        G.add_edge(u, v, key=f"{u}-{kind}-{v}", id=f"{u}-{kind}-{v}", kind=kind, since="2001", status="active",
                   sources=[{"url": "https://example.org", "seen": "2026-01-01"}])

    tie("espoo", "twin_town", "tallinn")  # a partnership between places
    tie("omnia", "owned_by", "kauniainen")  # who owns whom
    tie("pia", "contact_for", "korea")  # a person's role for a country
    tie("espoo", "key_market", "finland")  # a place fact
    tie("omnia", "collaborates_with", "kirkkonummi")  # an organisation's cooperation with a town
    tie("eib", "funds", "espoo")  # a funder: money ties count, a quiet funder matters before a budget round
    assert ids(dormant(G, quiet_for="3y", on=ON)["partners"]) == ["tallinn", "kirkkonummi", "eib"]  # 0.7, 0.5, 0.4


def test_review_by_reason(G):
    r = review(G, older_than="2y", on=ON, reasons=("role", "unknown status"))
    assert [(i["reason"], i["id"]) for i in r["items"]] == [("role", "pia"),
                                                          ("unknown status", "uni--collaborates-with--kyiv")]
    from graph.errors import EspooNetError

    with pytest.raises(EspooNetError, match="unknown review reason 'roles'"):
        review(G, reasons=("roles",))


def test_review_command_by_reason_and_limit(upkeep_dir):
    out = run("review", "--as-of", ON, "--data", upkeep_dir, "--reason", "single source", "--format", "csv").output
    assert {r["reason"] for r in csv.DictReader(io.StringIO(out.lstrip("\ufeff")), delimiter=";")} == {"single source"}
    out = run("review", "--as-of", ON, "--data", upkeep_dir, "--limit", "2").output
    assert out.count("single source  ") == 1 and "… 9 more (--limit 0 shows all" in out
    res = run("review", "--data", upkeep_dir, "--reason", "stale")
    assert res.exit_code == 2 and "'stale' is not one of 'role'" in res.output
    assert "'ended without until': ended, but not when" in " ".join(run("review", "--help").output.split())


def test_changes_table_groups_newest_first(upkeep_dir):
    out = run("changes", "--since", "2022-06-01", "--until", "2025-12-31", "--data", upkeep_dir).output
    assert out.splitlines()[0] == "Changes from 2022-06-01 to 2025-12-31"
    # agreements signed before projects, and in each group the newest first
    signed, projects = out.index("Agreements signed: 1 (2 parties)"), out.index("Projects and networks: 2")
    assert signed < projects < out.index("Ended: 1") < out.index("Partnerships: 1")
    # one line per agreement, its parties together
    assert re.search(r"2025-03-01 +MoU +Espoo, University +active", out[signed:projects])
    first_seen = out[out.index("First seen: 3"):]
    assert first_seen.index("2025-03-01") < first_seen.index("2024-05")
    short = run("changes", "--since", "2022-06-01", "--until", "2025-12-31", "--data", upkeep_dir, "--limit", "1").output
    assert short.count("… 1 more (--limit 0 shows all)") == 1 and "… 2 more" in short and "--format json lists them all" in short


def test_due_leaves_out_what_none_of_our_side_is_party_to():
    import networkx as nx

    G = nx.MultiDiGraph()
    for n, kind, home in [("espoo", "city", True), ("tallinn", "city", False), ("sk", "company", False),
                          ("province", "region", False), ("ours", "agreement", False), ("theirs", "agreement", False)]:
        G.add_node(n, name=n.title(), kind=kind, home=home, sources=[])
    for u, a, since in [("espoo", "ours", "2019-05"), ("tallinn", "ours", "2019-04-02"), ("sk", "theirs", "2022"),
                        ("province", "theirs", "2022")]:
        G.add_edge(u, a, key=f"{u}-{a}", id=f"{u}-{a}", kind="party_to", status="active", since=since)
    d = due(G, within="6m", on=ON)
    assert [(i["id"], i["reason"], i["signed"], i["holders"]) for i in d["items"]] == [
        ("ours", "no term", "2019-04-02", ["Espoo"])]  # signed: its earliest tie
    assert d["others"] == 1
    everything = due(G, within="6m", on=ON, all_parties=True)
    assert [i["id"] for i in everything["items"]] == ["ours", "theirs"] and everything["others"] == 0


def test_dormant_leaves_out_a_role_tie_structural_at_kind_level():
    """works_for is a relationship (a partnership family) but structural in its own right: one of
    our people working for an organisation since 2010 is a live role, not a partnership gone
    quiet. An old agreement with the same organisation still counts."""
    import networkx as nx

    from graph.schema import SCHEMA

    assert SCHEMA.relation_kinds["works_for"].structural  # the premise, from graph/schema.yaml
    G = nx.MultiDiGraph()
    G.add_node("espoo", name="Espoo", kind="city", home=True)
    G.add_node("mm", name="Markku M", kind="person", home=True)
    G.add_node("cor", name="Committee", kind="organisation")
    G.add_node("tln", name="Tallinn", kind="city")
    G.add_edge("mm", "cor", key="r1", id="r1", kind="works_for", since="2010", status="active", sources=[])
    G.add_edge("espoo", "tln", key="t1", id="t1", kind="twin_town", since="2001", status="active", sources=[])
    assert ids(dormant(G, quiet_for="3y", on="2026-01-01")["partners"]) == ["tln"]


def test_changes_since_a_duration_counts_back_from_the_windows_end(G, upkeep_dir):
    """--since 6m (as docs/commands.md writes durations) is six months before --until (else
    today): the same window as the dates it stands for."""
    by_dates = changes(G, "2025-06-30", "2025-12-31")
    by_duration = changes(G, "6m", "2025-12-31")
    assert by_duration["since"] == "2025-06-30" and by_duration == by_dates
    assert changes(G, "4y", "2025-12-31")["since"] == "2021-12-31"
    res = run("changes", "--since", "3y", "--until", "2025-12-31", "--data", upkeep_dir, "--format", "json")
    assert res.exit_code == 0, res.output
    dated = run("changes", "--since", "2022-12-31", "--until", "2025-12-31", "--data", upkeep_dir, "--format", "json")
    assert json.loads(res.output) == json.loads(dated.output)
    bad = run("changes", "--since", "6x", "--data", upkeep_dir)
    assert bad.exit_code == 2 and "'6x' is neither a date nor a duration" in bad.output


def test_limit_help_names_only_the_formats_a_command_offers():
    changes_help = " ".join(run("changes", "--help").output.split())
    assert "JSON always carries every row" in changes_help and "CSV" not in changes_help
    assert "--format [table|json]" in changes_help
    review_help = " ".join(run("review", "--help").output.split())
    assert "JSON and CSV always carry every row" in review_help and "--format [table|json|csv]" in review_help
