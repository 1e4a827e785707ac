"""Each validation error class, on a small bad file: the file, the line, the field and the hint."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from graph.errors import InvalidData
from loaders import load_dataset

SRC = '[{url: "https://www.espoo.fi/en", seen: 2026-11-22}]'

GOOD = f"""\
themes:
  - {{id: ai, label: Artificial intelligence, synonyms: [artificial intelligence]}}
  - {{id: quantum, label: Quantum technologies}}
entities:
  - {{id: espoo, kind: city, name: City of Espoo, country: FI, sources: {SRC}}}
  - {{id: nomme, kind: city, name: Nõmme, country: EE, sources: {SRC}}}
  - {{id: ossi, kind: person, name: Ossi Example, sources: {SRC}}}
"""


def problems_of(tmp_path: Path, body: str, name: str = "bad.yaml") -> list:
    (tmp_path / name).write_text(textwrap.dedent(body), encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    return info.value.problems


def only(problems, field):
    hits = [p for p in problems if p.field == field]
    assert len(hits) == 1, problems
    return hits[0]


def test_good_file_loads(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    data = load_dataset(tmp_path)
    assert [e.id for e in data.entities] == ["espoo", "nomme", "ossi"]


def test_duplicate_id_names_the_first_definition(tmp_path):
    body = GOOD + f"  - {{id: espoo, kind: city, name: Espoo again, sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "id")
    assert (p.file.endswith("bad.yaml"), p.line) == (True, 8)
    assert "duplicate id 'espoo'" in p.message
    assert "first defined at " in p.hint and "bad.yaml:5:" in p.hint


def test_unknown_reference_hints_the_closest_id(tmp_path):
    body = GOOD + f"relations:\n  - {{source: espoo, target: nome, kind: twin_town, sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "target")
    assert p.line == 9 and "unknown entity 'nome'" in p.message and "'nomme'" in p.hint


def test_relation_kind_that_may_not_join_those_kinds(tmp_path):
    body = GOOD + f"relations:\n  - {{source: espoo, target: nomme, kind: works_for, sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "kind")
    assert p.line == 9
    assert "works_for may not join a city (espoo) to a city (nomme)" in p.message
    assert p.hint.startswith("works_for goes from person to")


def test_undirected_kind_accepts_either_direction(tmp_path):
    body = GOOD + f"relations:\n  - {{source: ossi, target: espoo, kind: collaborates_with, sources: {SRC}}}\n"
    (tmp_path / "ok.yaml").write_text(body, encoding="utf-8")
    assert len(load_dataset(tmp_path).relations) == 1


def test_unknown_theme_hints_the_closest_theme(tmp_path):
    body = GOOD + f"  - {{id: iqm, kind: company, name: IQM, themes: [quantm], sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "themes")
    assert p.line == 8 and "unknown theme 'quantm'" in p.message and "'quantum'" in p.hint


def test_theme_synonyms_resolve_to_the_id(tmp_path):
    body = GOOD + f"  - {{id: fair, kind: project, name: FAIR, themes: [Artificial Intelligence], sources: {SRC}}}\n"
    (tmp_path / "ok.yaml").write_text(body, encoding="utf-8")
    fair = [e for e in load_dataset(tmp_path).entities if e.id == "fair"][0]
    assert fair.themes == ("ai",)


@pytest.mark.parametrize(
    "since, until, message, hint",
    [
        ("2024-13-01", None, "is not a real date", "check the month"),
        ("2023-02-30", None, "is not a real date", "check the month"),
        ("May 2024", None, "is not a date", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2000", "1999", "1999 is before since 2000", "swap them"),
    ],
)
def test_bad_and_impossible_dates(tmp_path, since, until, message, hint):
    until_part = f", until: '{until}'" if until else ""
    body = GOOD + f"relations:\n  - {{source: espoo, target: nomme, kind: twin_town, since: '{since}'{until_part}, sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "until" if until else "since")
    assert p.line == 9 and message in p.message and hint in p.hint


@pytest.mark.parametrize("field, value, hint", [("lat", 91, "latitude is a number from -90 to 90"),
                                                ("lon", -180.5, "longitude is a number from -180 to 180")])
def test_coordinates_out_of_range(tmp_path, field, value, hint):
    other = "lon: 10" if field == "lat" else "lat: 10"
    body = GOOD + f"  - {{id: x, kind: city, name: X, {field}: {value}, {other}, sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), field)
    assert p.line == 8 and "out of range" in p.message and p.hint == hint


def test_one_coordinate_without_the_other(tmp_path):
    body = GOOD + f"  - {{id: x, kind: city, name: X, lat: 60.1, sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "lon")
    assert p.line == 8 and "give both lat and lon" in p.hint


@pytest.mark.parametrize("url", ["www.espoo.fi", "ftp://espoo.fi/x", "https://espoo", "https://espoo.fi/a b"])
def test_malformed_urls(tmp_path, url):
    body = GOOD + f"  - {{id: x, kind: city, name: X, website: '{url}', sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), "website")
    assert p.line == 8 and "is not a web address" in p.message and "https://" in p.hint


def test_missing_sources_and_empty_sources(tmp_path):
    body = GOOD + "  - {id: x, kind: city, name: X}\n  - {id: y, kind: city, name: Y, sources: []}\n"
    found = [p for p in problems_of(tmp_path, body) if p.field == "sources"]
    assert [p.line for p in found] == [8, 9]
    assert all(p.message == "is missing" and "at least one source" in p.hint for p in found)


def test_source_without_seen_date(tmp_path):
    body = GOOD + "  - {id: x, kind: city, name: X, sources: [{url: 'https://a.fi/'}]}\n"
    p = only(problems_of(tmp_path, body), "sources")
    assert "a source has no seen" in p.message


def test_unknown_field_hints_the_closest_field(tmp_path):
    body = GOOD + f"  - id: x\n    kind: city\n    name: X\n    contry: FI\n    sources: {SRC}\n"
    p = only(problems_of(tmp_path, body), "contry")
    assert p.line == 11 and p.message == "is not an entity field" and "'country'" in p.hint


@pytest.mark.parametrize(
    "snippet, field, message",
    [
        ("name: [a, b]", "name", "expected text, got list"),
        ("aliases: {a: 1}", "aliases", "expected a list, got mapping"),
        ("home: maybe", "home", "is not true or false"),
        ("lat: north, lon: 3", "lat", "is not a number"),
        ("country: Finland", "country", "is not an ISO 3166-1 alpha-2 country code"),
        ("kind: citty", "kind", "unknown entity kind 'citty'"),
    ],
)
def test_wrong_types(tmp_path, snippet, field, message):
    base = {"name": "X", "kind": "city"}
    key = snippet.split(":")[0]
    rest = ", ".join(f"{k}: {v}" for k, v in base.items() if k != key)
    body = GOOD + f"  - {{id: x, {rest}, {snippet}, sources: {SRC}}}\n"
    p = only(problems_of(tmp_path, body), field)
    assert p.line == 8 and message in p.message and p.hint


def test_yaml_syntax_error_names_the_line(tmp_path):
    body = GOOD + "  - {id: x, kind: city, name: [unclosed\n"
    (p,) = problems_of(tmp_path, body)
    assert p.line >= 8 and "is not valid YAML" in p.message


def test_duplicate_key_in_a_record(tmp_path):
    body = GOOD + f"  - id: x\n    kind: city\n    name: X\n    name: Y\n    sources: {SRC}\n"
    p = only(problems_of(tmp_path, body), "name")
    assert p.line == 11 and "appears twice" in p.message


def test_every_problem_is_reported_at_once(tmp_path):
    body = GOOD + (
        "  - {id: a, kind: citty, name: A, lat: 99, lon: 0, website: nope}\n"
        f"relations:\n  - {{source: espoo, target: nowhere, kind: twin_town, since: 2020, until: 2019, sources: {SRC}}}\n"
    )
    problems = problems_of(tmp_path, body)
    assert {p.field for p in problems} == {"kind", "lat", "website", "sources", "target", "until"}


def test_csv_rows_are_validated_with_their_line(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "cities.csv").write_text(
        "id,name,country,lat,lon,sources\n"
        "tallinn,Tallinn,EE,59.4,24.7,https://www.tallinn.ee/ 2026-11-22\n"
        "\n"
        "bad,Bad,EE,59.4,240,https://www.tallinn.ee/ 2026-11-22\n"
        "short,Short\n",
        encoding="utf-8",
    )
    problems = problems_of(tmp_path, "", name="empty.yaml")
    assert [(Path(p.file).name, p.line, p.field) for p in problems] == [("cities.csv", 4, "lon"), ("cities.csv", 5, "")]


def test_csv_relations_file_named_by_kind(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "twin_town.csv").write_text(
        "source,target,since,themes,sources\n"
        "espoo,nomme,1995,ai;quantum,https://www.espoo.fi/en 2026-11-22; https://www.tallinn.ee/ 2026-11-22\n",
        encoding="utf-8",
    )
    (rel,) = load_dataset(tmp_path).relations
    assert (rel.kind, rel.since, rel.themes, len(rel.sources)) == ("twin_town", "1995", ("ai", "quantum"), 2)


def test_csv_file_with_unknown_name(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    problems = problems_of(tmp_path, "id,name\n", name="stuff.csv")
    assert len(problems) == 1 and "does not say what its rows are" in problems[0].message


def test_cli_prints_all_problems_without_traceback(tmp_path):
    (tmp_path / "bad.yaml").write_text(GOOD + "  - {id: x, kind: citty, name: X, lat: 100, lon: 0}\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "3 problems found; nothing was loaded."
    assert lines[0].endswith("bad.yaml:8: kind: unknown entity kind 'citty' (did you mean 'city'?)")


def test_queries_refuse_invalid_data_and_build_nothing(tmp_path):
    (tmp_path / "bad.yaml").write_text(GOOD + "  - {id: x, kind: city, name: X}\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["stats", "--data", str(tmp_path)])
    assert result.exit_code == 1 and "nothing was loaded" in result.output


def test_impossible_unquoted_date_is_a_problem_not_a_crash(tmp_path):
    body = GOOD + f"relations:\n  - source: espoo\n    target: nomme\n    kind: twin_town\n    since: 2024-13-01\n    sources: {SRC}\n"
    p = only(problems_of(tmp_path, body), "since")
    assert p.line == 12 and "'2024-13-01' is not a real date" in p.message


def test_unquoted_dates_of_every_form_load(tmp_path):
    body = GOOD + f"relations:\n  - {{source: espoo, target: nomme, kind: twin_town, since: 2024-05-20, until: 2025-01, sources: {SRC}}}\n"
    (tmp_path / "ok.yaml").write_text(body, encoding="utf-8")
    (rel,) = load_dataset(tmp_path).relations
    assert (rel.since, rel.until, rel.sources[0].seen) == ("2024-05-20", "2025-01", "2026-11-22")


def test_a_partner_added_twice_under_a_new_id_is_a_warning(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    # Excel's CSV: a byte order mark and ';' between cells; the row repeats City of Espoo
    (tmp_path / "cities.csv").write_text(
        "\ufeffid;name;aliases;country;sources\n"
        "espoo-city;Espoo city;City of Espoo;FI;https://www.espoo.fi/en 2026-11-22\n"
        "cambridge-us;Nõmme;;US;https://www.espoo.fi/en 2026-11-22\n", encoding="utf-8")
    data = load_dataset(tmp_path)
    (warning,) = data.warnings  # a namesake in another country (Nõmme, US) is no warning
    # files are read in name order, so the YAML entity is the one that meets a name already seen
    assert (Path(warning.file).name, warning.line, warning.field) == ("ok.yaml", 5, "name")
    assert "'City of Espoo' is also the name of 'espoo-city' (" in warning.message and "cities.csv:2)" in warning.message
    assert "use the id 'espoo-city'" in warning.hint


def test_a_row_with_too_many_cells_names_the_separator(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "cities.csv").write_text("id;name;country;sources\n"
                                         "tallinn;Tallinn;EE;extra;https://www.tallinn.ee/ 2026-11-22\n", encoding="utf-8")
    (problem,) = problems_of(tmp_path, "", name="empty.yaml")
    assert problem.line == 2 and "has 5 cells, the header has 4" in problem.message and "semicolon" in problem.hint
