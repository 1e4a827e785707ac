"""A data keeper's Excel CSV (BOM, ';', Finnish dates and names): every problem names the file,
the line and the field, and its hint says how to fix it."""
from __future__ import annotations

import pytest

from graph.errors import InvalidData
from loaders import load_dataset

THEMES = """\
themes:
  - {id: quantum, label: Quantum technologies}
  - {id: semiconductors, label: Semiconductors, synonyms: [chips]}
"""
SRC = "https://www.espoo.fi/en 2026-11-22"


def load_excel_csv(tmp_path, rows: list[list[str]]):
    (tmp_path / "themes.yaml").write_text(THEMES, encoding="utf-8")
    text = "\r\n".join(";".join(r) for r in rows) + "\r\n"
    (tmp_path / "entities.csv").write_bytes(text.encode("utf-8-sig"))  # as a Finnish Excel saves it
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    return {p.field: p for p in info.value.problems}


def test_excel_csv_problems_say_how_to_fix_them(tmp_path):
    rows = [
        ["id", "kind", "name", "country", "themes", "sources"],
        ["tsri", "institute", "TSRI", "TW", "\"quantum; semiconductors\"", SRC],  # line 2: good (Excel quotes a cell with ;)
        ["iqm", "company", "IQM Quantum Computers", "Japan", "quantum", SRC],     # line 3
        ["chipco", "company", "Chip Co", "FI", "quantum, semiconductors", SRC],   # line 4
        ["nameless", "company", "", "FI", "quantum", SRC],                        # line 5
    ]
    found = load_excel_csv(tmp_path, rows)
    assert {f: (p.file.endswith("entities.csv"), p.line) for f, p in found.items()} == {
        "country": (True, 3), "themes": (True, 4), "name": (True, 5)}
    assert found["country"].message == "'Japan' is not an ISO 3166-1 alpha-2 country code"
    assert found["country"].hint == "write JP"
    assert found["themes"].message == "unknown theme 'quantum, semiconductors'"
    assert "separate the themes with ';'" in found["themes"].hint
    assert "quantum; semiconductors" in found["themes"].hint
    assert found["name"].message == "is missing"
    assert "write the name the entity uses itself" in found["name"].hint


def test_finnish_excel_date_hints_the_iso_form_and_is_not_accepted(tmp_path):
    rows = [
        ["id", "kind", "name", "sources"],
        ["espoo", "city", "Espoo", SRC],
        ["aalto", "university", "Aalto University", SRC],
    ]
    (tmp_path / "themes.yaml").write_text(THEMES, encoding="utf-8")
    (tmp_path / "entities.csv").write_bytes(("\r\n".join(";".join(r) for r in rows) + "\r\n").encode("utf-8-sig"))
    rel = ["source;target;kind;since;sources", f"aalto;espoo;located_in;2.4.2025;{SRC}"]
    (tmp_path / "relations.csv").write_bytes(("\r\n".join(rel) + "\r\n").encode("utf-8-sig"))
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    (p,) = info.value.problems
    assert (p.file.endswith("relations.csv"), p.line, p.field) == (True, 2, "since")
    assert p.message == "'2.4.2025' is not a date"
    assert "'2025-04-02'" in p.hint


def test_country_name_hint_knows_finnish_and_unknown_names():
    from graph.countries import country_code_of
    assert [country_code_of(n) for n in ("Japani", "Germany", "south korea", "Taiwan", "Narnia")] == [
        "JP", "DE", "KR", "TW", None]


def test_an_organisation_without_a_country_is_a_warning_not_an_error(tmp_path):
    from pathlib import Path

    from click.testing import CliRunner

    import cli

    (tmp_path / "d.yaml").write_text(f"""\
entities:
  - {{id: espoo, kind: city, name: Espoo, country: FI, sources: {SRC!r}}}
  - {{id: mig, kind: company, name: MIG Capital, sources: {SRC!r}}}
  - {{id: unesco, kind: agency, name: UNESCO, sources: {SRC!r}}}
  - {{id: eurocities, kind: network, name: Eurocities, sources: {SRC!r}}}
  - {{id: aalto, kind: university, name: Aalto University, country: FI, sources: {SRC!r}}}
""", encoding="utf-8")
    data = load_dataset(tmp_path)
    assert len(data.entities) == 5
    [w] = data.warnings  # international agencies and networks may have no country
    assert (Path(w.file).name, w.line, w.field) == ("d.yaml", 3, "country")
    assert w.message == "a company with no country" and "country:" in w.hint
    result = CliRunner().invoke(cli.main, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 0 and "d.yaml:3: country: a company with no country" in result.output


def test_every_seated_organisation_in_the_data_has_a_country():
    from graph.schema import SCHEMA

    data = load_dataset("data")
    assert [e.id for e in data.entities if e.kind in SCHEMA.groups["seated"] and not e.country] == []
    assert next(e for e in data.entities if e.id == "mig-fonds").country == "DE"


def test_review_csv_is_what_a_finnish_excel_opens_and_the_loader_reads(tmp_path):
    """`review --format csv` writes UTF-8 with a BOM and ';' between cells; read back the way the
    loader reads a CSV file (utf-8-sig; ';' when the header has more of them than commas), every
    row has the header's columns and Forstén stays Forstén."""
    import csv

    from click.testing import CliRunner

    import cli

    result = CliRunner().invoke(cli.main, ["review", "--format", "csv"])
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    (tmp_path / "queue.csv").write_bytes(raw)
    with (tmp_path / "queue.csv").open(encoding="utf-8-sig", newline="") as f:
        first = f.readline()
        assert first.count(";") > first.count(",")
        f.seek(0)
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0] == ["reason", "where", "id", "what", "status", "evidence"]
    assert len(rows) > 10 and all(len(r) == 6 for r in rows)
    assert any("Annika Forstén" in r[3] for r in rows)
    assert "csv for a spreadsheet (as Excel reads it here: UTF-8 with a BOM, ';'-separated)" in " ".join(
        CliRunner().invoke(cli.main, ["review", "--help"]).output.split())


# --- what a keeper met feeding an Excel CSV next to the YAML files (user test 3) -------------------

YAML_CITIES = f"""\
entities:
  - {{id: espoo, kind: city, name: Espoo, country: FI, sources: {SRC!r}}}
  - {{id: nokia, kind: company, name: Nokia, country: FI, sources: {SRC!r}}}
  - {{id: aalto-university, kind: university, name: Aalto University, country: FI, sources: {SRC!r}}}
"""


def excel(path, rows: list[list[str]]):
    path.write_bytes(("\r\n".join(";".join(r) for r in rows) + "\r\n").encode("utf-8-sig"))


def problems_of(tmp_path) -> list:
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    return info.value.problems


def test_excel_trailing_empty_columns_are_left_out(tmp_path):
    (tmp_path / "themes.yaml").write_text(THEMES, encoding="utf-8")
    excel(tmp_path / "cities.csv", [["id", "name", "country", "sources", "", ""],
                                    ["tartu", "Tartu", "EE", SRC, "", ""],
                                    ["turku", "Turku", "FI", SRC]])  # a row Excel wrote shorter
    data = load_dataset(tmp_path)
    assert sorted(e.id for e in data.entities) == ["tartu", "turku"]


def test_a_value_under_a_nameless_column_or_a_nameless_column_between_is_said_plainly(tmp_path):
    (tmp_path / "themes.yaml").write_text(THEMES, encoding="utf-8")
    excel(tmp_path / "cities.csv", [["id", "name", "country", "sources", "", ""],
                                    ["tartu", "Tartu", "EE", SRC, "", "x"]])
    (p,) = problems_of(tmp_path)
    assert (p.line, p.field, p.message) == (2, "", "has a value in column 6, which has no name in the header")
    excel(tmp_path / "cities.csv", [["id", "name", "", "sources"], ["tartu", "Tartu", "EE", SRC]])
    (p,) = problems_of(tmp_path)
    assert (p.line, p.message) == (1, "column 3 of the header has no name")
    assert "is a column twice" not in str(p)


def test_a_duplicate_id_in_a_new_csv_row_is_reported_at_the_row(tmp_path):
    (tmp_path / "cities.yaml").write_text(YAML_CITIES, encoding="utf-8")  # read after cities.csv
    excel(tmp_path / "cities.csv", [["id", "name", "country", "sources"], ["tartu", "Tartu", "EE", SRC],
                                    ["espoo", "Espoo", "FI", SRC]])
    (p,) = problems_of(tmp_path)
    assert (p.file.endswith("cities.csv"), p.line, p.field, p.message) == (True, 3, "id", "duplicate id 'espoo'")
    assert "cities.yaml:2" in p.hint


def test_dates_in_the_future_are_warned_about(tmp_path):
    import datetime as dt

    year = dt.date.today().year
    (tmp_path / "d.yaml").write_text(f"""\
entities:
  - {{id: espoo, kind: city, name: Espoo, country: FI, sources: [{{url: "https://example.org/a", seen: {year + 1}-11-30}}]}}
  - {{id: tartu, kind: city, name: Tartu, country: EE, sources: {SRC!r}}}
relations:
  - {{source: espoo, kind: partner_city, target: tartu, since: {year + 4}-01-01, status: active, sources: {SRC!r}}}
  - {{source: espoo, kind: twin_town, target: tartu, since: {year + 4}-01-01, status: planned, sources: {SRC!r}}}
""", encoding="utf-8")
    data = load_dataset(tmp_path)
    assert len(data.relations) == 2  # warnings: the data loads
    by_field = {w.field: w for w in data.warnings}
    assert set(by_field) == {"sources", "since"}
    assert by_field["sources"].line == 2 and f"seen {year + 1}-11-30, a day still to come" in by_field["sources"].message
    assert by_field["since"].line == 5
    assert by_field["since"].message == f"{year + 4}-01-01 is in the future while the status is active"
    assert "typo" in by_field["since"].hint and "status: planned" in by_field["since"].hint


def test_an_entity_that_failed_does_not_give_an_error_for_each_of_its_relations(tmp_path):
    (tmp_path / "d.yaml").write_text(f"""\
entities:
  - {{id: espoo, kind: city, name: Espoo, country: FI, sources: {SRC!r}}}
  - {{id: tencent, kind: compny, name: Tencent, country: CN, sources: {SRC!r}}}
relations:
  - {{source: tencent, kind: collaborates_with, target: espoo, sources: {SRC!r}}}
  - {{source: espoo, kind: collaborates_with, target: tencent, since: 2020, sources: {SRC!r}}}
""", encoding="utf-8")
    (p,) = problems_of(tmp_path)  # no 'unknown entity' for either relation
    assert (p.line, p.field, p.message) == (3, "kind", "unknown entity kind 'compny'")
    assert p.hint == "did you mean 'company'? 2 relations to 'tencent' are not checked until it is fixed"


def test_closest_id_is_offered_only_when_it_is_close(tmp_path):
    (tmp_path / "d.yaml").write_text(YAML_CITIES + f"""\
relations:
  - {{source: osaka, kind: collaborates_with, target: nokia, sources: {SRC!r}}}
  - {{source: espo, kind: collaborates_with, target: nokia, sources: {SRC!r}}}
  - {{source: aalto, kind: collaborates_with, target: nokia, sources: {SRC!r}}}
""", encoding="utf-8")
    hints = {p.message: p.hint for p in problems_of(tmp_path)}
    assert hints == {"unknown entity 'osaka'": "define the entity first, or check the id",
                     "unknown entity 'espo'": "did you mean 'espoo'?",
                     "unknown entity 'aalto'": "did you mean 'aalto-university'?"}
