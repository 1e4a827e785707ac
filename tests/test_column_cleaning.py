"""CSV rows cleaned a column at a time (loaders.clean.clean_table) give what cleaning them record
by record gives: the same problems (file, line, field, message, hint), the same warnings, the
same records. Each case is read both ways and compared, then a few answers are checked by hand.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.generate import generate, write_csv
from graph.errors import InvalidData
from loaders import load_dataset, read as read_module
from loaders.read import RawTable, data_files, read_path
from loaders.validate import validate_records

ENTITIES = """id,kind,name,country,lat,lon,sources
espoo,city,City of Espoo,FI,60.2,24.6,https://www.espoo.fi/en 2026-11-22
nomme,city,Nõmme,EE,,,https://www.espoo.fi/en 2026-11-22
koge,city,Køge,DKK,55.4,,https://www.espoo.fi/en 2026-11-22
aalto,university,Aalto University,FI,,,https://www.aalto.fi 2026-11-22 2020
"""
HEADER = "id,source,target,kind,since,until,status,themes,strength,note,confidence,sources\n"
SRC = "https://www.espoo.fi/en 2026-11-22"
RELATIONS = HEADER + f"""\
r1,espoo,nomme,collaborates_with,2024-13,,,,,,,{SRC}
r2,espoo,nomme,collaborates_with,2024-13,,,,,,,{SRC}
r3,espoo,koge,collaborates_with,2024,,ended,,,'=1+1,,https://www.espoo.fi/en 2026-13-01
r4,espoo,koge,collaborates_with,2023,,unknwn,,,,high,https://www.espoo.fi/en 2026-13-01
,espoo,aalto,collaborates_with,,,,,1.5,,,{SRC}; https://www.aalto.fi 2026-11-20
R6,espoo,aalto,collaborates_with,,,,innovation,,,,
r7,espoo,espoo,collaborates_with,2020,2019,,,,,,{SRC}
r8,espoo,nowhere,twin_town,,,,,,,,{SRC}
r1,koge,espoo,twin_town,,,,,,,,{SRC}
r9,espoo,koge,,,,,,,,,not a source
r10,espoo,koge,collaborates_with,,,,,,,,http://x 2026-11-22
r11,espoo,koge,collaborates_with,,,,,,,,'https://www.espoo.fi/en 2026-11-22
"""
MEMBER_OF = """source,target,kind,since,sources
espoo,koge,,2020,https://www.espoo.fi/en 2026-11-22
espoo,koge,member_of,2021,https://www.espoo.fi/en 2026-11-22
espoo,koge,twin_town,2022,https://www.espoo.fi/en 2026-11-22
espoo,aalto,,2022,
"""
UNKNOWN_COLUMN = """id,kind,name,colour,,sources
turku,city,Turku,blue,,https://www.turku.fi 2026-11-22
tartu,city,Tartu,,x,https://tartu.ee 2026-11-22
"""


def _both_ways(root: Path):
    """(problems, warnings, result) of validating `root` record by record, then with tables."""
    out = []
    for tables in (False, True):
        problems, warnings = [], []
        files = data_files(root, problems)
        raws = (raw for f in files for raw in read_path(f, str(f), problems, tables=tables))
        locations: dict = {}
        result = validate_records(raws, problems, locations=locations, warnings=warnings)
        out.append((sorted(problems), sorted(warnings), result, locations))
    return out


def _same_both_ways(root: Path):
    by_record, by_column = _both_ways(root)
    assert by_column[0] == by_record[0]
    assert by_column[1:] == by_record[1:]
    return by_column[0]


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(params=[2, 10_000], ids=["slices-of-2", "one-slice"])
def table_rows(request, monkeypatch):
    monkeypatch.setattr(read_module, "TABLE_ROWS", request.param)  # lines across slices, too
    return request.param


def test_every_problem_is_the_same_cleaned_by_column(tmp_path, table_rows):
    _write(tmp_path, {"entities.csv": ENTITIES, "relations.csv": RELATIONS, "member_of.csv": MEMBER_OF,
                      "cities.csv": UNKNOWN_COLUMN})
    problems = _same_both_ways(tmp_path)
    where = {(Path(p.file).name, p.line, p.field) for p in problems}
    assert {("relations.csv", 2, "since"), ("relations.csv", 3, "since")} <= where  # the same bad date, each line
    assert {("relations.csv", 4, "sources"), ("relations.csv", 5, "sources"), ("relations.csv", 5, "status")} <= where
    assert {("entities.csv", 4, "country"), ("entities.csv", 4, "lon")} <= where
    assert {("relations.csv", 6, "strength"), ("relations.csv", 7, "sources"), ("relations.csv", 7, "id")} <= where
    assert {("member_of.csv", 4, "kind"), ("member_of.csv", 5, "sources")} <= where
    # A column with no name is said once, at the header (its cells are not read)
    assert {("cities.csv", 2, "colour"), ("cities.csv", 1, "")} <= where
    assert ("cities.csv", 3, "") not in where
    assert ("cities.csv", 3, "colour") not in where  # an empty cell of an unknown column says nothing


def test_valid_tables_give_the_same_records(tmp_path, table_rows):
    write_csv(generate(300, degree=8, seed=11), tmp_path)
    assert _same_both_ways(tmp_path) == []


def test_mutated_tables_report_the_same_problems(tmp_path):
    """Cells of a generated network overwritten with values of other columns, blanks, quotes and
    junk, seeded: the two ways agree on every one."""
    write_csv(generate(120, degree=6, seed=2), tmp_path)
    rnd = random.Random(7)
    junk = ["", "x", "'=2", "2024-02-30", "FI", "ended", "0.5", "espoo", "r1", "https://a.b 2026-01-01 2027",
            "https://a.b 2026-01-01; ftp://x 2026-01-01", "Helsinki\x1b", "yes", "e000001"]
    texts = {f: f.read_text(encoding="utf-8").splitlines() for f in tmp_path.glob("*.csv")}
    for _ in range(8):
        for f, lines in texts.items():
            lines = [line.split(",") for line in lines]
            for _ in range(12):
                row = lines[rnd.randrange(1, len(lines))]
                row[rnd.randrange(len(row))] = rnd.choice(junk + [c for r in lines[1:4] for c in r])
            f.write_text("\n".join(",".join(r) for r in lines) + "\n", encoding="utf-8")
        assert _same_both_ways(tmp_path)


def test_excel_csv_with_bom_and_semicolons_is_read_as_a_table(tmp_path):
    text = "\ufeff" + ENTITIES.replace(",", ";").replace("\n", "\r\n")
    (tmp_path / "entities.csv").write_text(text, encoding="utf-8")
    read = list(read_path(tmp_path / "entities.csv", "entities.csv", [], tables=True))
    assert len(read) == 1 and isinstance(read[0], RawTable) and read[0].header[0] == "id"
    problems = _same_both_ways(tmp_path)
    assert [(p.line, p.field) for p in problems] == [(4, "country"), (4, "lon")]


def test_a_bad_value_on_many_lines_is_reported_on_each(tmp_path, table_rows):
    rows = [f"r{i},espoo,nomme,collaborates_with,{'2024-13' if i % 3 == 0 else '2024'},,,,,,,{SRC}" for i in range(10)]
    _write(tmp_path, {"entities.csv": ENTITIES.replace(",DKK,", ",DK,").replace(",55.4,", ",,"),
                      "relations.csv": HEADER + "\n".join(rows) + "\n"})
    with pytest.raises(InvalidData) as info:
        load_dataset(tmp_path)
    got = [(Path(p.file).name, p.line, p.field, p.message, p.hint) for p in info.value.problems]
    bad = "'2024-13' is not a real date (month must be in 1..12)"
    assert got == [("relations.csv", line, "since", bad, "check the month and the day") for line in (2, 5, 8, 11)]


def test_a_broken_file_still_reports_the_rows_before_the_break(tmp_path, table_rows):
    text = ENTITIES.replace(",DKK,", ",DK,").replace(",55.4,", ",,") + 'tallinn,city,"Tallinn\n'
    _write(tmp_path, {"entities.csv": text})
    (tmp_path / "entities.csv").write_bytes(text.encode() + b"\xff\n")
    problems = _same_both_ways(tmp_path)
    assert [p.line for p in problems] == [0]


def test_ids_checked_at_once_are_still_refused_one_by_one(tmp_path, table_rows):
    """A slice's ids are checked as one text, one a line: a cell holding a line break (quoted)
    must not pass as two slugs."""
    rows = [f"r{i},espoo,nomme,collaborates_with,,,,,,,,{SRC}" for i in range(5)]
    rows[3] = f'"r3\nr4",espoo,nomme,collaborates_with,,,,,,,,{SRC}'
    rows[4] = f'Big-R,"espoo\n",nomme,collaborates_with,,,,,,,,{SRC}'
    _write(tmp_path, {"entities.csv": ENTITIES.replace(",DKK,", ",DK,").replace(",55.4,", ",,"),
                      "relations.csv": HEADER + "\n".join(rows) + "\n"})
    problems = _same_both_ways(tmp_path)
    assert [(p.line, p.field) for p in problems] == [(5, "id"), (7, "id")]
