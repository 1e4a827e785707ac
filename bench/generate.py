"""Generated networks for the benchmarks: seeded, valid under the schema, shaped like the real one.

    python -m bench.generate 10000 OUT_DIR [--degree 8] [--seed 42]   # write themes/entities/relations.csv

`generate(n)` returns a `graph.records.Dataset`, so `graph.model.build_graph` takes it directly
and `write_csv` writes it as files that `loaders.load_dataset` reads back (header = field
names, lists ';'-separated, sources as 'URL DATE').

The shape: entities join one at a time and tie to earlier ones by preferential attachment
(Barabási–Albert, ``degree / 2`` ties each), which gives power-law degrees with a few hubs.
Each entity belongs to a community of about 250 with its own country, a centre on the map and
a few core themes; 80 % of ties stay inside the community, so there are clusters to find.
Every tie gets a relation kind the schema allows between its two entity kinds, a date (10 %
undated), a status (mostly active; some unknown, ended, suspended, planned), a confidence and a
source. A few entities (one in 2,000, at least 10) are marked as our side (home).
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import replace
from pathlib import Path

from graph.records import Dataset, Entity, Relation, Source, Theme
from graph.schema import SCHEMA
from graph.types import ISO_COUNTRIES

__all__ = ["generate", "write_csv", "KIND_SHARES", "THEMES"]

# How common each entity kind is (countries are added apart: one per ISO code, up to n / 100).
KIND_SHARES = {
    "company": 30, "person": 18, "project": 10, "city": 6, "agreement": 6, "event": 6,
    "university": 4, "institute": 4, "agency": 4, "network": 3, "region": 3,
}
THEMES = [
    "ai", "quantum", "semiconductors", "climate", "energy", "mobility", "autonomous-driving", "health",
    "education", "cleantech", "circular-economy", "smart-city", "housing", "culture", "tourism", "games",
    "space", "defence", "water", "forestry", "biotech", "5g", "cybersecurity", "fintech", "logistics",
    "food", "construction", "research", "startups", "talent",
]
HOME_KINDS = ("city", "agency", "university", "institute", "company", "person")
COMMUNITY_SIZE = 250
LOCAL_SHARE = 0.8
SEEN = "2025-01-15"
STATUSES = [("active", 85), ("unknown", 5), ("ended", 5), ("suspended", 3), ("planned", 2)]
CONFIDENCES = [("high", 60), ("medium", 30), ("low", 10)]


def _pair_options() -> dict[tuple[str, str], list[tuple[str, bool]]]:
    """For each (kind of a, kind of b): the relation kinds allowed, and whether b is the source."""
    kinds = list(SCHEMA.entity_kinds)
    out: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for a in kinds:
        for b in kinds:
            opts = [(rk.name, False) for rk in SCHEMA.relation_kinds.values() if rk.allows(a, b)]
            opts += [(rk.name, True) for rk in SCHEMA.relation_kinds.values() if rk.directed and rk.allows(b, a)]
            out[a, b] = sorted(opts)
    return out


def _weighted(rnd: random.Random, table: list[tuple[str, int]]) -> str:
    return rnd.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _date(rnd: random.Random) -> str | None:
    if rnd.random() < 0.10:
        return None
    year = max(1970, 2025 - int(rnd.expovariate(1 / 8)))
    precision = rnd.randrange(3)
    if precision == 0:
        return str(year)
    month = rnd.randint(1, 12)
    return f"{year}-{month:02d}" if precision == 1 else f"{year}-{month:02d}-{rnd.randint(1, 28):02d}"


class _Communities:
    """Communities: each has a country, a map centre and core themes; entities are drawn into them."""

    def __init__(self, n: int, countries: list[str], rnd: random.Random):
        self.count = max(4, n // COMMUNITY_SIZE)
        zipf = [1 / (i + 1) for i in range(len(THEMES))]
        self.country = [rnd.choice(countries) for _ in range(self.count)]
        self.centre = [(rnd.uniform(-50, 65), rnd.uniform(-120, 150)) for _ in range(self.count)]
        self.themes = [sorted(set(rnd.choices(THEMES, weights=zipf, k=3))) for _ in range(self.count)]
        self.zipf = zipf

    def entity_themes(self, c: int, rnd: random.Random) -> tuple[str, ...]:
        picks = [rnd.choice(self.themes[c]) if rnd.random() < 0.8 else rnd.choices(THEMES, weights=self.zipf)[0]
                 for _ in range(rnd.randint(1, 3))]
        return tuple(sorted(set(picks)))


def _entities(n: int, rnd: random.Random) -> tuple[list[Entity], list[int]]:
    countries = sorted(ISO_COUNTRIES)[: max(2, min(len(ISO_COUNTRIES), n // 100))]
    comms = _Communities(n, countries, rnd)
    kinds = rnd.choices(list(KIND_SHARES), weights=list(KIND_SHARES.values()), k=n - len(countries))
    entities, community = [], []
    for code in countries:
        entities.append(Entity(id=f"c-{code.lower()}", kind="country", name=f"Country {code}", country=code,
                               sources=(Source(f"https://bench.example.org/e/c-{code.lower()}", SEEN),)))
        community.append(-1)
    for i, kind in enumerate(kinds):
        c = rnd.randrange(comms.count)
        lat, lon = comms.centre[c]
        eid = f"e{i:06d}"
        entities.append(Entity(
            id=eid, kind=kind, name=f"{SCHEMA.entity_kinds[kind].label} {i}",
            country=comms.country[c] if rnd.random() < 0.9 else rnd.choice(countries),
            lat=round(lat + rnd.gauss(0, 1.5), 4), lon=round(lon + rnd.gauss(0, 1.5), 4),
            themes=comms.entity_themes(c, rnd), confidence=_weighted(rnd, CONFIDENCES),
            sources=(Source(f"https://bench.example.org/e/{eid}", SEEN),),
        ))
        community.append(c)
    return entities, community


def _mark_home(entities: list[Entity], rnd: random.Random) -> list[Entity]:
    n = len(entities)
    eligible = [i for i, e in enumerate(entities) if e.kind in HOME_KINDS]
    chosen = set(rnd.sample(eligible, min(len(eligible), max(10, n // 2000))))
    return [replace(e, home=True) if i in chosen else e for i, e in enumerate(entities)]


def _relation(rid: str, src: Entity, dst: Entity, kind: str, rnd: random.Random) -> Relation:
    since = _date(rnd)
    status = _weighted(rnd, STATUSES)
    until = None
    if status == "ended":
        start = int(since[:4]) if since else 2000
        until = str(min(2025, start + rnd.randint(1, 15)))
    shared = sorted(set(src.themes) & set(dst.themes))
    themes = (rnd.choice(shared),) if shared and rnd.random() < 0.5 else ()
    strength = round(rnd.uniform(0.2, 1.0), 2) if rnd.random() < 0.05 else None
    return Relation(
        id=rid, source=src.id, target=dst.id, kind=kind, since=since, until=until, status=status,
        themes=themes, strength=strength, confidence=_weighted(rnd, CONFIDENCES),
        sources=(Source(f"https://bench.example.org/r/{rid}", SEEN),),
    )


def generate(n: int, *, degree: float = 8.0, seed: int = 42) -> Dataset:
    """A valid dataset of `n` entities with about `degree` ties per entity (n × degree / 2 relations).

    Examples
    --------
    >>> from graph.model import build_graph
    >>> G = build_graph(generate(1000, seed=1))
    >>> G.number_of_nodes(), 3500 < G.number_of_edges() < 4100
    (1000, True)
    """
    rnd = random.Random(seed)
    entities, community = _entities(n, rnd)
    entities = _mark_home(entities, rnd)
    options = _pair_options()
    m = max(1, round(degree / 2))
    ends: list[int] = []  # each entity once, plus once per tie end: sampling is degree-proportional
    local: dict[int, list[int]] = {}
    relations: list[Relation] = []
    order = list(range(n))
    rnd.shuffle(order)  # join order: the first to join become the hubs, whatever their kind
    for i in order:
        me = entities[i]
        chosen: set[int] = set()
        for _ in range(min(m, len(ends))):
            for _attempt in range(8):
                pool = local.get(community[i]) if rnd.random() < LOCAL_SHARE else None
                j = rnd.choice(pool or ends)
                opts = options[me.kind, entities[j].kind]
                if j != i and j not in chosen and opts:
                    break
            else:
                continue
            chosen.add(j)
            kind, flip = rnd.choice(opts)
            src, dst = (entities[j], me) if flip else (me, entities[j])
            relations.append(_relation(f"r{len(relations):07d}", src, dst, kind, rnd))
            for x in (i, j):
                ends.append(x)
                if community[x] >= 0:
                    local.setdefault(community[x], []).append(x)
        ends.append(i)
        if community[i] >= 0:
            local.setdefault(community[i], []).append(i)
    themes = tuple(Theme(id=t, label=t.replace("-", " ").capitalize()) for t in sorted(THEMES))
    return Dataset(
        themes=themes,
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        relations=tuple(relations),
        origin=f"generated(n={n}, degree={degree}, seed={seed})",
        counts={"files": 0, "themes": len(themes), "entities": len(entities), "relations": len(relations)},
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, tuple):
        return ";".join(f"{x.url} {x.seen}" if isinstance(x, Source) else str(x) for x in value)
    return str(value)


def write_csv(data: Dataset, folder: str | Path) -> list[Path]:
    """Write `data` as themes.csv, entities.csv and relations.csv under `folder`; the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fields, records in (
        ("themes", SCHEMA.theme_fields, data.themes),
        ("entities", SCHEMA.entity_fields, data.entities),
        ("relations", SCHEMA.relation_fields, data.relations),
    ):
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(list(fields))
            for rec in records:
                w.writerow([_cell(getattr(rec, field)) for field in fields])
        written.append(path)
    return written


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of entities")
    ap.add_argument("out", help="folder to write the CSV files into")
    ap.add_argument("--degree", type=float, default=8.0, help="ties per entity (default 8)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    data = generate(args.n, degree=args.degree, seed=args.seed)
    for path in write_csv(data, args.out):
        print(path, file=sys.stderr)
    print(f"{len(data.entities)} entities, {len(data.relations)} relations, {len(data.themes)} themes")


if __name__ == "__main__":
    main()
