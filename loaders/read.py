"""Reading raw records, with the line of every record and field, from YAML and CSV files.

A raw record is a `RawRecord`: its type (entity, relation or theme), the field values as read,
and where each came from. Nothing is cleaned here; `loaders.validate` does that.
"""
from __future__ import annotations

import csv
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from graph.interchange import FORMULA_START, GEPHI_COLUMNS, GEPHI_DERIVED
from graph.records import relation_id
from graph.errors import Problem
from graph.schema import SCHEMA

__all__ = ["RawRecord", "RawTable", "read_path", "data_files", "SECTIONS", "without_derived_id", "unquoted"]

# YAML top-level keys and the record type each holds.
SECTIONS = {"entities": "entity", "relations": "relation", "themes": "theme"}


@dataclass(slots=True)
class RawRecord:
    type: str  # entity | relation | theme
    values: dict[str, Any]
    file: str
    line: int
    field_lines: dict[str, int] | None = None  # None (a CSV row): every field is on the record's line

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line) if self.field_lines else self.line


@dataclass(slots=True)
class RawTable:
    """Rows of one CSV file, read but not cleaned, for the validator to clean a column at a time
    (each distinct value of a column once); every row is as long as the header, and each is a
    record on its own line, every field on that line (what a RawRecord of a CSV row says)."""

    type: str  # entity | relation | theme
    file: str
    header: list[str]  # field names, each once (a file with a column twice is read row by row)
    implied: dict[str, str]  # fields the file's name gives every row (kind, in member_of.csv)
    lines: list[int]
    rows: list[list[str]]  # stripped cells, as read (a spreadsheet's quote before a formula kept)


TABLE_ROWS = 10_000  # rows per RawTable: a big file is cleaned a slice at a time, never held whole


class _LineDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):  # type: ignore[misc,valid-type]
    def __init__(self, stream):
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, str]] = []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            loader.duplicate_keys.append((key_node.start_mark.line + 1, str(key)))
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text: YAML would turn 2024-13-01 into a crash rather than a problem to report, and
# the date cleaner checks partial dates (2024, 2024-05) and full ones alike.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


VIEWS_FOLDER = "views"  # saved map views (`map --view`) live beside the data, and are not data
DATA_SUFFIXES = (".yaml", ".yml", ".csv")


def data_files(root: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The YAML and CSV files of a dataset (a folder, searched recursively, or one file), sorted;
    the top-level `views/` folder of saved map views is left out.

    What is not read is said, not skipped in silence: a .yaml, .yml or .csv name that is a
    symbolic link (not followed), a FIFO, socket or device, a symbolic link to a folder, and a
    folder that cannot be listed each add a problem to `problems`.
    """
    if root.is_file():
        return [root]
    problems = problems if problems is not None else []
    files: list[Path] = []

    def unreadable(e: OSError) -> None:
        problems.append(Problem(str(e.filename or root), 0, "", f"is a folder that cannot be read ({e.strerror})",
                                "give it read permission, or move it out of the dataset"))

    for top, dirs, names in os.walk(root, onerror=unreadable):
        folder = Path(top)
        if folder == root and VIEWS_FOLDER in dirs:
            dirs.remove(VIEWS_FOLDER)  # saved map views (`map --view`) live beside the data, and are not data
        for name in sorted(dirs):
            if (folder / name).is_symlink():
                problems.append(Problem(str(folder / name), 0, "", "is a symbolic link to a folder; it is not followed",
                                        "copy the folder into the dataset instead"))
        for name in names:
            p = folder / name
            if p.suffix.lower() not in DATA_SUFFIXES:
                continue  # not data whatever it is (README.md, notes)
            try:
                mode = p.lstat().st_mode
            except OSError as e:
                problems.append(Problem(str(p), 0, "", f"cannot be read ({e.strerror})", "check its permissions"))
                continue
            if stat.S_ISLNK(mode):
                problems.append(Problem(str(p), 0, "", "is a symbolic link; it is not followed",
                                        "copy the file into the dataset instead"))
            elif not stat.S_ISREG(mode):
                problems.append(Problem(str(p), 0, "", "is not a regular file (a FIFO, socket or device); it is not read",
                                        "remove it from the dataset folder"))
            else:
                files.append(p)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def read_path(path: Path, shown: str, problems: list[Problem], tables: bool = False) -> Iterator[RawRecord | RawTable]:
    """Raw records of one file; problems with the file's structure go into `problems`.

    With `tables`, the rows of a plain CSV file (not an export's nodes/edges read back, and
    without a column twice) come as RawTables of up to TABLE_ROWS rows instead, for the
    validator's column-wise cleaning; everything else still comes record by record.
    """
    try:
        if path.suffix.lower() == ".csv":
            yield from _read_csv(path, shown, problems, tables)
        else:
            yield from _read_yaml(path, shown, problems)
    except OSError as e:
        problems.append(Problem(shown, 0, "", f"cannot be read ({e.strerror})", "check its permissions"))


ALIAS_BUDGET = 100_000
"""How many values YAML aliases may add, all repeats counted: files written by yaml.dump use a
few anchors, while a few hundred bytes of nested aliases (the 'billion laughs') would expand to
gigabytes in every later step."""


def _alias_bomb(text: str) -> tuple[int, str] | None:
    """The line and name of the alias that takes `text` past ALIAS_BUDGET, if any.

    Counts from the parser's events, before anything is built: an anchored node's size is its
    values plus what its own aliases expand to; each alias adds its anchor's size.
    """
    if "&" not in text:
        return None  # no anchor, no alias to expand; the common case costs nothing
    sizes: dict[str, int] = {}
    stack: list[list] = [[0, None]]
    extra = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor, 1)
            extra += size - 1
            stack[-1][0] += size
            if extra > ALIAS_BUDGET:
                return event.start_mark.line + 1, event.anchor
        elif isinstance(event, yaml.ScalarEvent):
            stack[-1][0] += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append([1, event.anchor])
        elif isinstance(event, yaml.CollectionEndEvent):
            size, anchor = stack.pop()
            stack[-1][0] += size
            if anchor:
                sizes[anchor] = size
    return None


def _read_yaml(path: Path, shown: str, problems: list[Problem]) -> Iterator[RawRecord]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(shown, 0, "", f"is not UTF-8 text ({e.reason} at byte {e.start})", "save the file as UTF-8"))
        return
    try:
        bomb = _alias_bomb(text)
    except yaml.YAMLError:
        bomb = None  # not valid YAML: reported with its line below
    if bomb:
        line, name = bomb
        problems.append(Problem(shown, line, "", f"YAML aliases (*{name} here) repeat more than {ALIAS_BUDGET:,} values",
                                "write the values out instead of repeating them with &anchors and *aliases"))
        return
    loader = _LineLoader(text)
    try:
        doc = loader.get_single_data()
    except yaml.reader.ReaderError as e:  # a character YAML does not allow: no mark, a position
        line = text.count("\n", 0, e.position) + 1
        char = chr(e.character) if isinstance(e.character, int) else e.character
        problems.append(Problem(shown, line, "", f"holds the character {char!r}, which YAML does not allow ({e.reason})",
                                "remove it; save the file as plain UTF-8 text"))
        return
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        what = (getattr(e, "problem", None) or str(e)).splitlines()[0]
        problems.append(Problem(shown, line, "", f"is not valid YAML: {what}", "check the indentation and quoting on this line"))
        return
    except (ValueError, TypeError, OverflowError) as e:  # a value YAML itself could not build
        problems.append(Problem(shown, 0, "", f"has a value YAML cannot read: {e}", "quote unusual values"))
        return
    finally:
        loader.dispose()
    for line, key in loader.duplicate_keys:
        problems.append(Problem(shown, line, key, "appears twice in the same record", "keep one of them"))
    if doc is None:
        return
    if not isinstance(doc, dict):
        problems.append(Problem(shown, 1, "", "must be a mapping with entities:, relations: or themes:", "see data/README.md"))
        return
    for section, value in doc.items():
        line = doc.key_lines.get(section, 1)
        if section not in SECTIONS:
            problems.append(Problem(shown, line, str(section), "is not a section", f"use one of: {', '.join(SECTIONS)}"))
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            problems.append(Problem(shown, line, section, "must be a list of records", "start each record with '- '"))
            continue
        for item in value:
            if not isinstance(item, _LineDict):
                problems.append(Problem(shown, line, section, f"holds {item!r}, not a record", "each record is a mapping of field: value"))
                continue
            yield RawRecord(SECTIONS[section], dict(item), shown, item.line, dict(item.key_lines))


def _csv_record_type(stem: str) -> tuple[str, dict[str, str]] | None:
    """Record type and implied fields of a CSV file, from its name (cities.csv, member_of.csv...)."""
    stem = stem.lower().replace("-", "_")
    if stem in SECTIONS:
        return SECTIONS[stem], {}
    if stem in GEPHI_COLUMNS:  # the CSV export's own tables, read back
        return {"nodes": "entity", "edges": "relation"}[stem], {}
    for kind, spec in SCHEMA.entity_kinds.items():
        if stem in (kind, spec.plural.lower().replace(" ", "_")):
            return "entity", {"kind": kind}
    if stem in SCHEMA.relation_kinds:
        return "relation", {"kind": stem}
    return None


def unquoted(cell: str) -> str:
    """A cell without the quote a spreadsheet export put before a formula-like start ('=1+1)."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA_START else cell


def without_derived_id(values: dict) -> dict:
    """An exported relation's id left out when it is the one the validator derives
    ('a--kind--b--since': no slug, so the validator would refuse it as given); left out, the
    validator derives the very same id again. A given id, or a record without its ends, stays."""
    if "id" in values and all(isinstance(values.get(k), str) for k in ("source", "kind", "target")):
        if values["id"] == relation_id(values["source"], values["kind"], values["target"], values.get("since")):
            del values["id"]
    return values


def _read_csv(path: Path, shown: str, problems: list[Problem], tables: bool = False) -> Iterator[RawRecord | RawTable]:
    typed = _csv_record_type(path.stem)
    if typed is None:
        kinds = "entities, relations, themes, an entity kind (cities) or a relation kind (member_of)"
        problems.append(Problem(shown, 0, "", "file name does not say what its rows are", f"name it after {kinds}"))
        return
    record_type, implied = typed
    lines: list[int] = []
    rows: list[list[str]] = []
    header: list[str] = []
    try:
        # utf-8-sig: Excel starts its UTF-8 CSV with a byte order mark
        with path.open(encoding="utf-8-sig", newline="") as f:
            first = f.readline()
            f.seek(0)
            # Excel writes ';' where the decimal separator is a comma (Finnish, German...): the
            # header (field names, never a ';' or ',' in them) says which one this file uses.
            delimiter = ";" if first.count(";") > first.count(",") else ","
            reader = csv.reader(f, delimiter=delimiter)
            header = next(reader, None)
            if header is None:
                return
            table = path.stem.lower()
            header = [GEPHI_COLUMNS.get(table, {}).get(h.strip(), h.strip()) for h in header]
            # Excel keeps columns that once held something as trailing ';;': columns without a name
            # at the end are left out, as long as every row leaves them empty (a row that does not
            # is reported, below). A nameless column between named ones is a problem of its own.
            named = len(header)
            while named and not header[named - 1]:
                named -= 1
            width, header = len(header), header[:named]
            for n, h in enumerate(header):
                if not h:
                    problems.append(Problem(shown, 1, "", f"column {n + 1} of the header has no name",
                                            "write the field name in the first row, or delete the column"))
                elif h in header[:n]:
                    problems.append(Problem(shown, 1, h, "is a column twice", "keep one of them"))
            derived = GEPHI_DERIVED.get(table, frozenset())
            if "kind" in header and "kind" in implied:
                header_kind = header.index("kind")
            else:
                header_kind = None
            # A plain table's rows go to the validator a slice at a time, cleaned column by column.
            plain = tables and not derived and table not in GEPHI_COLUMNS and len(set(header)) == len(header) and all(header)
            start = reader.line_num + 1
            for row in reader:
                row = list(map(str.strip, row))
                if not any(row):
                    start = reader.line_num + 1
                    continue
                if named < len(row) <= width:  # the nameless columns at the end: empty, or a value lost
                    extra = next((k for k, c in enumerate(row[named:], named + 1) if c), None)
                    if extra is not None:
                        problems.append(Problem(shown, start, "", f"has a value in column {extra}, which has no name "
                                                "in the header", "write the field name in the first row, or delete the value"))
                        start = reader.line_num + 1
                        continue
                    row = row[:named]
                if len(row) != len(header):
                    problems.append(Problem(shown, start, "", f"has {len(row)} cells, the header has {len(header)}", f"check for a missing or extra {'semicolon' if delimiter == ';' else 'comma'}, or a cell with one unquoted"))
                elif header_kind is not None and row[header_kind] not in ("", implied["kind"]):
                    problems.append(Problem(shown, start, "kind", f"{row[header_kind]!r} clashes with the file's kind "
                                            f"{implied['kind']!r} (from its name)", "leave the kind column out, or move the row"))
                elif plain:
                    lines.append(start)
                    rows.append(row)
                    if len(rows) == TABLE_ROWS:
                        yield RawTable(record_type, shown, header, implied, lines, rows)
                        lines, rows = [], []
                else:
                    values = dict(implied)
                    if derived or any(c[:1] == "'" for c in row):  # an export read back: the slow path
                        values.update({h: unquoted(c) for h, c in zip(header, row) if c and h and h not in derived})
                    else:  # a nameless column is reported once, at the header
                        values.update({h: c for h, c in zip(header, row) if c and h})
                    if table == "edges":
                        without_derived_id(values)
                    if not (table == "nodes" and values.get("kind") == "theme"):  # themes.csv defines themes
                        yield RawRecord(record_type, values, shown, start)
                start = reader.line_num + 1
    except UnicodeDecodeError as e:
        problems.append(Problem(shown, 0, "", f"is not UTF-8 text ({e.reason})", "save the file as UTF-8"))
    except csv.Error as e:
        problems.append(Problem(shown, 0, "", f"is not valid CSV: {e}", "check the quoting"))
    if rows:  # the rows read before the end, or before a broken part of the file (still checked)
        yield RawTable(record_type, shown, header, implied, lines, rows)
