"""Neo4j push throughput: batched (UNWIND $rows) against one row per statement, and what bounds
the batched rate, on generated networks of 10,000 and 100,000 entities (degree 8).

    python -m bench.neo4j [--quick] [--sizes 10000,100000] [--no-probes | --only-probes] [--repeats 3]

The server is ArcadeDB from the arcadedb-embedded package, started for each size in a fresh
folder (as the tests start it), or the server in NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE; everything espoo-net manages in that database is deleted between runs). Before
timing, a small push warms the server up.

One row per statement is the same push with a batch size of 1: every row in its own
transaction, with its statement. It is measured on a real sample of at least 20,000 rows
(relations drawn at random, their entities and the taxonomy), then the batched push of the
whole network. Ratio: batched rows/s over one-row rows/s, both measured; and per stage
(entities, relations), since the sample's mix of entities and relations differs.

The probes (on the first size) look for what bounds the batched rate: the batch size (a sweep)
and relationship MERGE against CREATE (push CREATEs relations it knows are new), interleaved
round after round with medians; concurrent write sessions for the relations; the id
constraints (indexes) present before the push or not.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from .common import print_table

RATIO_TARGET = 20.0
BIG_PUSH_TARGET_S = 120.0
ONE_ROW_MIN_ROWS = 20_000
SWEEP = (500, 2000, 5000, 10000)


@dataclass
class Stages:
    """A progress callback that notes when each push stage reports, to give rates per stage."""

    seen: dict = field(default_factory=dict)
    last: float = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        # A stage's clock starts at the previous report (of any stage): its first batch counts.
        first = self.seen.setdefault(stage, [self.last or now, 0, now, done])
        first[2], first[3] = now, done
        self.last = now

    def rate(self, stage: str) -> float:
        """Rows per second of the stage, from the report before its first batch to its last."""
        if stage not in self.seen:
            return float("nan")
        t0, d0, t1, d1 = self.seen[stage]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else float("inf")


@contextlib.contextmanager
def server(heap: str = "3g"):
    """Connection settings of a fresh ArcadeDB (or of $NEO4J_URI, wiped before and after)."""
    from loaders.neo4j import Settings, close_drivers

    if os.environ.get("NEO4J_URI"):
        settings = Settings.from_env(retry_seconds=30)
        wipe(settings)
        try:
            yield settings
        finally:
            wipe(settings)
            close_drivers()
        return
    from tests.support.bolt import ArcadeServer

    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as root:
        arcade = ArcadeServer(Path(root), database="bench", heap=heap)
        info = arcade.start()
        try:
            yield info.settings
        finally:
            close_drivers()
            arcade.stop()


def wipe(settings) -> None:
    """Remove everything espoo-net manages: a pruning push of an empty network."""
    import networkx as nx

    from loaders.neo4j import push

    push(nx.MultiDiGraph(themes={}), settings, prune=True, batch_size=5000)


def sample(G, min_rows: int, seed: int = 1):
    """Relations drawn at random, their entities and the theme taxonomy: at least `min_rows` rows."""
    rnd = random.Random(seed)
    keys = sorted(G.edges(keys=True), key=lambda e: e[2])
    rnd.shuffle(keys)
    lo, hi = 1, len(keys)
    while lo < hi:  # the fewest relations whose subgraph has min_rows rows
        mid = (lo + hi) // 2
        if rows(_sub(G, keys[:mid])) >= min_rows:
            hi = mid
        else:
            lo = mid + 1
    return _sub(G, keys[:lo])


def _sub(G, keys):
    S = G.edge_subgraph(keys).copy()
    S.graph["themes"] = G.graph["themes"]
    return S


def rows(G) -> int:
    return G.number_of_nodes() + G.number_of_edges() + len(G.graph.get("themes", {}))


def timed_push(G, settings, **kwargs) -> tuple[float, Stages]:
    from loaders.neo4j import push

    stages = Stages()
    t = time.perf_counter()
    push(G, settings, progress=stages, **kwargs)
    return time.perf_counter() - t, stages


def warm_up(settings) -> None:
    """A small push, batched and row by row, so neither variant pays for the server's warm-up;
    then the warm-up's own rows are removed (a few hundred: a small prune)."""
    G = network(300, seed=3)
    timed_push(G, settings)
    wipe(settings)
    timed_push(sample(G, 300), settings, batch_size=1)
    wipe(settings)


def network(n: int, seed: int = 42):
    from bench.generate import generate
    from graph.model import build_graph

    return build_graph(generate(n, degree=8, seed=seed))


def say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def fresh():
    """A fresh, warmed-up server. (Not a wipe: ArcadeDB 26.10 fails deleting thousands of
    relationships in one transaction, see NOTES.)"""
    with server() as settings:
        warm_up(settings)
        yield settings


def measure(n: int, again: bool = True) -> dict:
    from loaders.neo4j import DEFAULT_BATCH_SIZE

    G = network(n)
    S = sample(G, ONE_ROW_MIN_ROWS)
    with fresh() as settings:
        say(f"{n:,}: one row per statement, {rows(S):,} rows")
        one_s, one = timed_push(S, settings, batch_size=1)
    with fresh() as settings:
        say(f"{n:,}: batched, {rows(G):,} rows")
        batched_s, batched = timed_push(G, settings, batch_size=DEFAULT_BATCH_SIZE)
        again_s = timed_push(G, settings, batch_size=DEFAULT_BATCH_SIZE)[0] if again else float("nan")
    return {"n": n, "G": G, "S": S, "one_s": one_s, "one": one, "batched_s": batched_s, "batched": batched,
            "again_s": again_s}


def report(results: list[dict]) -> None:
    from loaders.neo4j import DEFAULT_BATCH_SIZE

    table = []
    for r in results:
        G, S = r["G"], r["S"]
        one_rate, batched_rate = rows(S) / r["one_s"], rows(G) / r["batched_s"]
        ratio = batched_rate / one_rate
        verdict = "ok" if ratio >= RATIO_TARGET else "BELOW"
        if r["n"] >= 100_000:
            verdict += ", 100k push " + ("ok" if r["batched_s"] < BIG_PUSH_TARGET_S else "OVER 2 min")
        table.append([f"{r['n']:,}", f"{G.number_of_edges():,}", f"{rows(G):,}", f"{r['batched_s']:.1f}",
                      f"{batched_rate:,.0f}", f"{r['again_s']:.1f}", f"{rows(S):,}", f"{r['one_s']:.1f}",
                      f"{one_rate:,.0f}", f"{ratio:.1f}x", verdict])
    print_table(f"Push: batched (batch size {DEFAULT_BATCH_SIZE:,}) vs one row per statement (batch size 1), "
                "both measured",
                ["entities", "relations", "rows", "batched s", "batched rows/s", "again s", "1-row sample rows",
                 "1-row s", "1-row rows/s", "ratio", f"target >= {RATIO_TARGET:.0f}x"], table)
    table = []
    for r in results:
        for stage in ("entities", "relations"):
            b, o = r["batched"].rate(f"pushing {stage}"), r["one"].rate(f"pushing {stage}")
            table.append([f"{r['n']:,}", stage, f"{b:,.0f}", f"{o:,.0f}", f"{b / o:.1f}x"])
    print_table("Per stage (rows/s)", ["entities", "stage", "batched", "one row", "ratio"], table)


# --- probes: what bounds the batched rate ---------------------------------------------------------

def probe_variants(G, repeats: int) -> None:
    """Batch sizes and relationship MERGE vs CREATE, interleaved (round after round, a fresh
    server each push), medians over `repeats`: a shared machine's noise hits every variant alike."""
    import importlib

    P = importlib.import_module("loaders.neo4j.push")  # the module: the package exports push() under its name
    keep = P._split_new
    merge_all = lambda rels, old, constraints: keep(rels, old, [])  # noqa: E731
    variants = [(f"batch {size:,}", size, keep) for size in SWEEP] + [("batch 2,000, MERGE every relation", 2000,
                                                                      merge_all)]
    runs: dict[str, list] = {name: [] for name, _, _ in variants}
    for round_ in range(repeats):
        for name, size, split in variants:
            say(f"round {round_ + 1} of {repeats}: {name}")
            with fresh() as settings, mock.patch.object(P, "_split_new", split):
                seconds, st = timed_push(G, settings, batch_size=size)
            runs[name].append((seconds, st.rate("pushing entities"), st.rate("pushing relations")))
    table = []
    for name, got in runs.items():
        med = [statistics.median(x[i] for x in got) for i in range(3)]
        table.append([name, f"{med[0]:.1f}", f"{rows(G) / med[0]:,.0f}", f"{med[1]:,.0f}", f"{med[2]:,.0f}",
                      " ".join(f"{x[0]:.1f}" for x in got)])
    print_table(f"Batch size and relationship MERGE vs CREATE ({G.number_of_nodes():,} entities, {rows(G):,} rows, "
                f"fresh server per push, medians of {repeats} interleaved rounds)",
                ["variant", "push s", "rows/s", "entities rows/s", "relations rows/s", "each run s"], table)


_STATEMENT_PARTS = {
    "push's CREATE (ends by element id + id check, SET props)": None,
    "no SET of the properties (id only)": "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a AND a.id = row.source "
        "MATCH (b) WHERE elementId(b) = row.b AND b.id = row.target CREATE (a)-[r:{type} {{id: row.id}}]->(b) "
        "RETURN count(*) AS n",
    "the two end lookups only (no CREATE)": "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a AND "
        "a.id = row.source MATCH (b) WHERE elementId(b) = row.b AND b.id = row.target RETURN count(*) AS n",
}


def _entities_pushed(G, settings):
    """Push G's entities alone to a fresh server; the connection and G's relation batches, ready
    for a probe that writes the relations its own way."""
    import networkx as nx

    from loaders.neo4j import connect, push

    nodes_only = nx.MultiDiGraph(themes=G.graph["themes"])
    nodes_only.add_nodes_from(G.nodes(data=True))
    push(nodes_only, settings)
    conn = connect(settings)
    return conn, _relation_batches(G, conn)


def probe_statement_parts(G) -> None:
    """Where a batched relationship write spends the server's time: the relations split in equal
    shares, each share written by one variant of the statement (2,000-row batches)."""

    import graph.neo4j.cypher as C

    with fresh() as settings:
        conn, batches = _entities_pushed(G, settings)
        table = []
        for i, (name, text) in enumerate(_STATEMENT_PARTS.items()):
            mine = batches[i::len(_STATEMENT_PARTS)]
            count = sum(len(b) for _, b in mine)
            t = time.perf_counter()
            for kind, batch in mine:
                statement = C.create_relations(kind) if text is None else text.format(type=C.type_for(kind))
                conn.write(lambda tx: tx.run(statement, rows=batch, marker=C.MARKER).consume())
            seconds = time.perf_counter() - t
            table.append([name, f"{count:,}", f"{seconds:.1f}", f"{count / seconds:,.0f}",
                          f"{seconds / count * 1000:.3f}"])
    print_table("Parts of a batched relationship write (one server, shares of the relations)",
                ["statement", "relations", "s", "rows/s", "ms per row"], table)


def probe_indexes(G) -> None:
    """A fresh server without the id constraints (so without their indexes) against one with."""
    import graph.neo4j.cypher as C

    table = []
    small = sample(G, 10_000, seed=2)
    for name, statements in (("constraints first (push's way)", C.schema_statements), ("none", lambda *a, **k: [])):
        with mock.patch.object(C, "schema_statements", statements), fresh() as settings:
            say(f"indexes: {name}")
            seconds, st = timed_push(small, settings)
        table.append([name, f"{rows(small):,}", f"{seconds:.1f}", f"{st.rate('pushing entities'):,.0f}",
                      f"{st.rate('pushing relations'):,.0f}"])
    print_table("Id constraints (unique indexes) present before the push, or not (fresh server each)",
                ["constraints", "rows", "push s", "entities rows/s", "relations rows/s"], table)


def _relation_batches(G, conn) -> list:
    """The relations of G as CREATE batches (kind, rows), their ends' element ids read back."""
    import graph.neo4j.cypher as C
    from graph.neo4j.storage import relation_row

    ids = {}
    for kind in sorted({k for _, k in G.nodes(data="kind")}):
        found = conn.read(f"MATCH (n:{C.label_for(kind)}) RETURN n.id AS id, elementId(n) AS e")
        ids.update((r["id"], r["e"]) for r in found)
    by_kind: dict = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        row = relation_row(u, v, k, d)
        by_kind.setdefault(row.pop("kind"), []).append({"a": ids[u], "b": ids[v], **row})
    return [(kind, part[i:i + 2000]) for kind, part in sorted(by_kind.items()) for i in range(0, len(part), 2000)]


def _concurrent(G, threads: int) -> tuple[float, list[str]]:

    import graph.neo4j.cypher as C

    with fresh() as settings:
        conn, batches = _entities_pushed(G, settings)
        say(f"concurrency: {threads} session(s), {len(batches)} batches")
        errors: list[str] = []

        def worker(mine):
            try:
                for kind, batch in mine:
                    conn.write(lambda tx: tx.run(C.create_relations(kind), rows=batch, marker=C.MARKER).consume())
            except Exception as e:  # noqa: BLE001 - reported in the table
                errors.append(f"{type(e).__name__}")

        t = time.perf_counter()
        workers = [threading.Thread(target=worker, args=(batches[i::threads],)) for i in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        return time.perf_counter() - t, errors


def probe_concurrency(G) -> None:
    """Relations CREATEd by 1, 2 or 4 write sessions at once, each its own batches (2,000 rows)."""
    table = []
    for threads in (1, 2, 4):
        seconds, errors = _concurrent(G, threads)
        table.append([threads, f"{G.number_of_edges():,}", f"{seconds:.1f}",
                      f"{G.number_of_edges() / seconds:,.0f}", ", ".join(sorted(set(errors))) or "none"])
    print_table("Concurrent write sessions, relations CREATEd (2,000-row batches)",
                ["sessions", "relations", "s", "relations/s", "errors"], table)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="2,000 entities, no probes")
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated entity counts")
    ap.add_argument("--no-probes", action="store_true", help="skip the probes of what bounds the rate")
    ap.add_argument("--only-probes", action="store_true", help="only the probes, on the first size")
    ap.add_argument("--no-again", action="store_true", help="skip the second push (nothing changes)")
    ap.add_argument("--repeats", type=int, default=3, help="rounds of the interleaved variants (default 3)")
    args = ap.parse_args(argv)
    sizes = [2000] if args.quick else [int(x) for x in args.sizes.split(",")]
    where = os.environ.get("NEO4J_URI") or "ArcadeDB (arcadedb-embedded), a fresh server per size"
    print(f"Neo4j push throughput against {where}; generated networks (bench.generate, degree 8)", flush=True)
    if not args.only_probes:
        report([measure(n, again=not args.no_again) for n in sizes])
    if args.quick or args.no_probes:
        return
    G = network(sizes[0])
    probe_variants(G, args.repeats)
    probe_statement_parts(G)
    probe_concurrency(G)
    probe_indexes(G)


if __name__ == "__main__":
    main()
