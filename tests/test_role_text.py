"""A role text that says the role is over, while the work tie stays open: `review` lists the tie
(reason 'role text ended') so a data keeper adds its `until`; the person to ask never reads the
text. Hand-built data, worked out for the day 2026-01-01."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

import cli
from loaders import load_graph
from queries.review import REVIEW_REASONS, review
from queries.roletext import role_ended

ON = "2026-01-01"
S = '[{url: "https://example.org/a", seen: 2026-11-22}]'

DATA = f"""\
entities:
  - {{id: home, kind: agency, name: Home Oy, home: true, sources: {S}}}
  - {{id: old, kind: person, name: Aaro Old, role: "CEO, Home Oy (2015 - June 2020)", sources: {S}}}
  - {{id: gone, kind: person, name: Bea Gone, role: "Director, Home Oy (former)", sources: {S}}}
  - {{id: done, kind: person, name: Cai Done, role: "Chair (2021-2025)", sources: {S}}}
  - {{id: soon, kind: person, name: Dan Soon, role: "CEO, Home Oy (until June 2026)", sources: {S}}}
  - {{id: both, kind: person, name: Eva Both, role: "councillor; former Director", sources: {S}}}
  - {{id: dated, kind: person, name: Fay Dated, role: "CFO, Home Oy (2010 - 2019)", sources: {S}}}
relations:
  - {{source: old, kind: works_for, target: home, since: 2015, sources: {S}}}
  - {{source: gone, kind: works_for, target: home, status: unknown, sources: {S}}}
  - {{source: done, kind: works_for, target: home, since: 2021, sources: {S}}}
  - {{source: soon, kind: works_for, target: home, since: 2020, sources: {S}}}
  - {{source: both, kind: works_for, target: home, sources: {S}}}
  - {{source: dated, kind: works_for, target: home, since: 2010, until: 2019, status: ended, sources: {S}}}
  - {{source: old, kind: contact_for, target: home, since: 2015, sources: {S}}}
"""


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "data.yaml").write_text(DATA, encoding="utf-8")
    return tmp_path


def test_open_work_ties_whose_role_text_has_ended_are_listed(data_dir):
    r = review(load_graph(data_dir), on=ON, reasons=("role text ended",))
    got = [(i["id"], i["line"], i["status"]) for i in r["items"]]
    # Aaro's ended in 2020-06, Bea is 'former' (an unknown status is open too), Cai's range ended in 2025.
    # Dan's ends after the day, Eva's role has a part that still holds, Fay's tie already has its until;
    # Aaro's contact_for tie is no work tie.
    assert got == [("old--works-for--home--2015", 10, "active"), ("gone--works-for--home", 11, "unknown"),
                   ("done--works-for--home--2021", 12, "active")]
    assert r["items"][0]["what"] == "Aaro Old works_for Home Oy (role ended 2020-06: CEO, Home Oy (2015 - June 2020))"
    assert r["items"][1]["what"].endswith("(former: Director, Home Oy (former))")
    # A year later Dan's role has ended too; on a day before 2020-07 Aaro's has not.
    later = [i["id"] for i in review(load_graph(data_dir), on="2027-01-01", reasons=("role text ended",))["items"]]
    assert "soon--works-for--home--2020" in later
    earlier = [i["id"] for i in review(load_graph(data_dir), on="2020-06-30", reasons=("role text ended",))["items"]]
    assert "old--works-for--home--2015" not in earlier and "gone--works-for--home" in earlier


def test_the_reason_is_listed_in_review_help(data_dir):
    assert "role text ended" in REVIEW_REASONS
    runner = CliRunner()
    help_text = " ".join(runner.invoke(cli.main, ["review", "--help"]).output.split())
    assert "'role text ended': an open works_for tie whose person's role text says the role has ended" in help_text
    out = runner.invoke(cli.main, ["review", "--as-of", ON, "--data", str(data_dir), "--reason", "role text ended"]).output
    assert "To re-check (evidence before 2024-01-01): 3 (role text ended 3)" in out


@pytest.mark.parametrize("role, day, why", [
    ("CEO (until June 2025)", "2025-07-01", "role ended 2025-06"),
    ("CEO (until June 2025)", "2025-06-30", None),
    ("CEO (2023-2025)", "2025-07-01", None),  # the range runs to the end of 2025
    ("CEO (2023-2025)", "2026-01-01", "role ended 2025"),
    ("Chair of the City Board (2021)", "2025-07-01", None),  # a year seen, not an end
    ("Mayor of Shanghai (Dec 2012 - 17 Jan 2017)", "2017-02-01", "role ended 2017-01"),
    ("Director, City of Espoo (later moved to NATO)", "2020-01-01", "former"),
    (None, "2020-01-01", None),
])
def test_role_text_ends(role, day, why):
    assert role_ended(role, day) == why
