"""Fuzzing the loaders, the cache and the exports with random mutations of the real data files.

Each case copies the bundled dataset, mutates one of its files (byte flips, cuts, inserted YAML
and CSV syntax, control characters, a BOM, duplicated or dropped lines) and loads it. The only
outcomes allowed: the dataset loads whole (every record of the untouched files is there, it
loads the same again from the cache, and JSON and GraphML round trips keep every field), or it
is refused with problems that each name a file of the dataset, in one readable line. Never a
traceback.

``python -m tests.test_fuzz 1000`` runs 1,000 seeded cases and prints the outcomes.
"""
from __future__ import annotations

import random
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from exports import write_graphml, write_json
from graph.errors import CONTROL_RE, InvalidData
from graph.model import build_graph
from loaders import load_dataset
from loaders.interchange import read_graphml, read_json
from loaders.read import data_files
from tests.test_export import assert_same_graph

REPO = Path(__file__).resolve().parent.parent
SNIPPETS = [":", "- ", "\n", "  ", "'", '"', "{", "}", "[", "]", ",", ";", "#", "&a ", "*a", "!!python/object ",
            "\x1b[2J", "\x07", "\ufeff", "\x00", "é", "🙂", "kind: city", "id: espoo", "source: espoo",
            "until: 1900", "themes: [nope]", "lat: 91", "url: javascript:alert(1)", "seen: 2024-13-01"]
OPS = ("flip", "insert", "delete", "cut", "dup_line", "drop_line", "swap_lines")


def mutate(data: bytes, ops: list[tuple[str, int, int]]) -> bytes:
    """Apply `ops` (name, position, argument) to `data`; positions wrap around the length."""
    b = bytearray(data)
    for op, pos, arg in ops:
        n = max(len(b), 1)
        i = pos % n
        if op == "flip":
            if b:
                b[i] ^= (arg % 255) + 1
        elif op == "insert":
            b[i:i] = SNIPPETS[arg % len(SNIPPETS)].encode()
        elif op == "delete":
            del b[i:i + 1 + arg % 40]
        elif op == "cut":
            del b[i:]
        else:
            lines = bytes(b).split(b"\n")
            j, k = pos % len(lines), arg % len(lines)
            if op == "dup_line":
                lines.insert(j, lines[j])
            elif op == "drop_line":
                del lines[j]
            else:
                lines[j], lines[k] = lines[k], lines[j]
            b = bytearray(b"\n".join(lines))
    return bytes(b)


def check_case(root: Path, target: Path, original: bytes, ops, untouched: set[str]) -> str:
    """Mutate `target`, load, check the outcome; 'loaded' or 'refused' (anything else raises)."""
    target.write_bytes(mutate(original, ops))
    try:
        try:
            data = load_dataset(root)
        except InvalidData as e:
            assert e.problems
            shown = {str(f) for f in data_files(root)} | {str(root)}
            for p in e.problems:
                text = str(p)
                assert p.file in shown or p.file.startswith(str(root)), p
                assert "\n" not in p.message and not CONTROL_RE.search(text) and len(text) < 1500, text
            return "refused"
        ids = {e.id for e in data.entities} | {t.id for t in data.themes}
        assert untouched <= ids, sorted(untouched - ids)[:5]  # nothing of the other files is lost
        assert load_dataset(root) == data  # served from the cache: the same
        G = build_graph(data)
        with tempfile.TemporaryDirectory() as tmp:
            for write, read, name in ((write_json, read_json, "g.json"), (write_graphml, read_graphml, "g.graphml")):
                write(G, Path(tmp) / name)
                assert_same_graph(G, read(Path(tmp) / name))
        return "loaded"
    finally:
        target.write_bytes(original)


class Corpus:
    """A copy of the bundled dataset, and the ids each file defines."""

    def __init__(self, folder: Path):
        self.root = folder / "data"
        shutil.copytree(REPO / "data", self.root)
        self.files = [f for f in data_files(self.root)]
        dataset = load_dataset(self.root)
        self.all_ids = {e.id for e in dataset.entities} | {t.id for t in dataset.themes}
        self.texts = {f: f.read_bytes() for f in self.files}

    def untouched(self, target: Path) -> set[str]:
        """Ids defined outside `target` (the text search is loose: over-counting only weakens it)."""
        text = self.texts[target].decode("utf-8")
        return {i for i in self.all_ids if f"id: {i}" not in text and f"{{id: {i}," not in text}

    def run(self, target: Path, ops) -> str:
        return check_case(self.root, target, self.texts[target], ops, self.untouched(target))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("fuzz"))


op = st.tuples(st.sampled_from(OPS), st.integers(0, 1 << 20), st.integers(0, 1 << 10))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(which=st.integers(0, 1 << 16), ops=st.lists(op, min_size=1, max_size=4))
def test_mutated_real_files_load_whole_or_are_refused(corpus, which, ops):
    corpus.run(corpus.files[which % len(corpus.files)], ops)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=1, max_size=3), bom=st.booleans(), semicolons=st.booleans())
def test_mutated_csv_loads_whole_or_is_refused(corpus, ops, bom, semicolons):
    """A CSV file of cities (as Excel may write it) next to the real data, mutated."""
    sep = ";" if semicolons else ","
    rows = [sep.join(["id", "name", "country", "sources"]),
            sep.join(["fuzz-turku", "Turku", "FI", "https://www.turku.fi/en 2026-11-22"]),
            sep.join(["fuzz-tartu", '"Tartu, Dorpat"', "EE", "https://tartu.ee/en 2026-11-22"])]
    text = ("\ufeff" if bom else "") + "\r\n".join(rows) + "\r\n"
    target = corpus.root / "cities.csv"
    try:
        check_case(corpus.root, target, text.encode("utf-8"), ops, corpus.all_ids)
    finally:
        target.unlink(missing_ok=True)


def main(n: int, seed: int = 10) -> None:
    rnd = random.Random(seed)
    outcomes: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus(Path(tmp))
        for _ in range(n):
            target = rnd.choice(corpus.files)
            ops = [(rnd.choice(OPS), rnd.randrange(1 << 20), rnd.randrange(1 << 10)) for _ in range(rnd.randint(1, 4))]
            try:
                outcomes[corpus.run(target, ops)] += 1
            except Exception as e:  # counted, not raised: the figure is what the tests forbid
                outcomes[f"failed: {type(e).__name__}"] += 1
    print(f"{n} mutated datasets (seed {seed}): " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
