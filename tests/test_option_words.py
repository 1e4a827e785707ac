"""Options as a user types them: `find` with only filters, a window that ends before it starts
(a usage error, exit 2), one message for a day that does not exist whichever option it is given
to, what a bare year means for --as-of, and counts of entities that agree from command to
command when a tie points at a theme."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import cli

S = '[{url: "https://example.org/a", seen: 2026-11-22}]'
DATA = f"""\
themes:
  - {{id: quantum, label: Quantum technologies}}
  - {{id: integration, label: Integration of immigrants}}
  - {{id: inclusion, label: Social inclusion}}
  - {{id: games, label: Games}}
entities:
  - {{id: espoo, kind: city, name: Espoo, home: true, country: FI, themes: [quantum], sources: {S}}}
  - {{id: sega, kind: company, name: Sega, country: JP, themes: [games], sources: {S}}}
  - {{id: ntt, kind: company, name: NTT, country: JP, sources: {S}}}
  - {{id: okayama, kind: university, name: Okayama University, country: JP, sources: {S}}}
  - {{id: mervi, kind: person, name: Mervi, home: true, sources: {S}}}
relations:
  - {{source: mervi, kind: contact_for, target: integration, sources: {S}}}
  - {{source: espoo, kind: collaborates_with, target: okayama, since: 2020, themes: [inclusion], sources: {S}}}
"""


@pytest.fixture
def data(tmp_path):
    (tmp_path / "net.yaml").write_text(DATA, encoding="utf-8")
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def test_find_lists_what_the_filters_keep_without_text(data):
    res = run("find", "--kind", "company", "--country", "JP", "--data", data, "--format", "json")
    assert res.exit_code == 0, res.output
    assert [h["id"] for h in json.loads(res.output)["results"]] == ["ntt", "sega"]
    res = run("find", "--data", data)
    assert res.exit_code == 2 and "give a TEXT to search for, or a filter" in res.output


def test_a_window_that_ends_before_it_starts_is_a_usage_error(data):
    res = run("changes", "--since", "2025", "--until", "2024", "--data", data)
    assert res.exit_code == 2
    assert "the window ends --until 2024 (2024-12-31) before --since 2025 (2025-01-01) starts it" in res.output


@pytest.mark.parametrize("args", [["changes", "--since", "2025-02-30"], ["show", "espoo", "--as-of", "2025-02-30"],
                                  ["changes", "--since", "2025", "--until", "2025-02-30"]])
def test_a_day_that_does_not_exist_has_one_message(data, args):
    res = run(*args, "--data", data)
    assert res.exit_code == 2
    assert "'2025-02-30' is not a real date (day is out of range for month) (check the month and the day)" in res.output


def test_since_still_says_both_forms_for_other_words(data):
    res = run("changes", "--since", "lately", "--data", data)
    assert res.exit_code == 2 and "'lately' is neither a date nor a duration" in res.output
    res = run("changes", "--since", "2.4.2025", "--data", data)
    assert res.exit_code == 2 and "'2025-04-02'" in res.output  # the d.m.yyyy hint, as --as-of gives it


@pytest.mark.parametrize("command", [["show", "x"], ["export", "json", "--out", "x"], ["stats"]])
def test_as_of_help_says_what_a_bare_year_means(command):
    out = run(*command, "--help").output
    assert "2022 is 2022-01-01" in " ".join(out.split())


def test_entity_counts_agree_when_a_tie_points_at_a_theme(data, tmp_path):
    assert run("stats", "--data", data).output.startswith("5 entities (and 1 theme that ties point to), 2 relations")
    out = tmp_path / "net.json"
    res = run("export", "json", "--out", out, "--data", data)
    assert res.exit_code == 0, res.output
    assert ": 5 entities, 2 relations" in res.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["entities"]) == 5
    assert run("find", "", "--data", data).output.rstrip().endswith("5 found")


def test_themes_says_why_a_theme_has_no_entities(data):
    out = run("themes", "--data", data).output
    assert "0 entities: no entity lists inclusion, integration; only ties name them" in out
    assert "Not used yet: no entity lists" not in out
    (data / "net.yaml").write_text(DATA.replace("  - {id: games, label: Games}\n",
                                                "  - {id: games, label: Games}\n  - {id: health, label: Health}\n"),
                                   encoding="utf-8")
    out = run("themes", "--data", data).output
    assert "Not used yet: no entity lists health and no tie that holds on the day names it" in out
