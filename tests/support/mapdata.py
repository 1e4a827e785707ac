"""Small hand-built datasets for the map and export tests.

`SMALL` is a network of 12 entities and 14 relations (11 of them active today) with names in
five scripts and three parallel relations between Espoo and Nõmme; `payload_dataset(payload)`
is the same network with `payload` put into every text field a record has.
"""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

__all__ = ["SMALL", "UTF8_NAMES", "PAYLOADS", "write_dataset", "payload_records", "SMALL_COUNTS", "small_data", "small_graph",
           "weak_routes_data"]

SRC = [{"url": "https://www.espoo.fi/en/international", "seen": "2025-05-01"}]
SRC2 = [{"url": "https://www.enterespoo.fi/news", "seen": "2025-06-10"}]

UTF8_NAMES = ("Nõmme", "Køge", "Skagafjörður", "上海", "충청북도")

SMALL: dict = {
    "themes": [
        {"id": "ai", "label": "Artificial intelligence", "synonyms": ["AI"]},
        {"id": "semiconductors", "label": "Semiconductors"},
        {"id": "culture", "label": "Culture"},
    ],
    "entities": [
        {"id": "espoo", "kind": "city", "name": "City of Espoo", "aliases": ["Espoo"], "country": "FI",
         "lat": 60.205, "lon": 24.652, "home": True, "themes": ["culture"], "sources": SRC},
        {"id": "enter-espoo", "kind": "agency", "name": "Enter Espoo Oy", "country": "FI", "city": "Espoo",
         "home": True, "themes": ["ai"], "sources": SRC2},
        {"id": "ossi-ritvos", "kind": "person", "name": "Ossi Ritvos", "role": "Head of international affairs",
         "home": True, "sources": SRC2},
        {"id": "nomme", "kind": "city", "name": "Nõmme", "country": "EE", "lat": 59.38, "lon": 24.69, "sources": SRC},
        {"id": "koge", "kind": "city", "name": "Køge", "country": "DK", "lat": 55.46, "lon": 12.18, "sources": SRC},
        {"id": "skagafjordur", "kind": "region", "name": "Skagafjörður", "country": "IS", "sources": SRC},
        {"id": "shanghai", "kind": "city", "name": "上海", "aliases": ["Shanghai"], "country": "CN",
         "lat": 31.23, "lon": 121.47, "sources": SRC},
        {"id": "chungbuk", "kind": "region", "name": "충청북도", "aliases": ["Chungbuk"], "country": "KR",
         "lat": 36.64, "lon": 127.49, "sources": SRC2},
        {"id": "cbnu", "kind": "university", "name": "Chungbuk National University", "country": "KR",
         "city": "Cheongju", "themes": ["semiconductors", "ai"], "sources": SRC2},
        {"id": "enter-espoo-chungbuk-mou-2024", "kind": "agreement", "name": "Enter Espoo – Chungbuk MoU",
         "themes": ["ai", "semiconductors"], "sources": SRC2},
        {"id": "gatchina", "kind": "city", "name": "Gatchina", "country": "RU", "lat": 59.57, "lon": 30.13, "sources": SRC},
        {"id": "south-korea", "kind": "country", "name": "South Korea", "country": "KR", "sources": SRC2},
    ],
    "relations": [
        {"source": "espoo", "target": "nomme", "kind": "twin_town", "since": "1995", "themes": ["culture"], "sources": SRC},
        {"source": "espoo", "target": "nomme", "kind": "collaborates_with", "since": "2020", "sources": SRC},
        {"source": "nomme", "target": "espoo", "kind": "partner_city", "since": "2021", "note": "Joint schools programme",
         "sources": SRC},
        {"source": "espoo", "target": "koge", "kind": "twin_town", "since": "1959", "sources": SRC},
        {"source": "espoo", "target": "shanghai", "kind": "sister_city", "since": "1998", "sources": SRC},
        {"source": "espoo", "target": "skagafjordur", "kind": "partner_city", "status": "unknown", "sources": SRC},
        {"source": "espoo", "target": "gatchina", "kind": "twin_town", "since": "1968", "until": "2022-03-03",
         "status": "ended", "sources": SRC},
        {"source": "enter-espoo", "target": "espoo", "kind": "owned_by", "sources": SRC2},
        {"source": "ossi-ritvos", "target": "enter-espoo", "kind": "works_for", "sources": SRC2},
        {"source": "ossi-ritvos", "target": "south-korea", "kind": "contact_for", "sources": SRC2},
        {"source": "enter-espoo", "target": "enter-espoo-chungbuk-mou-2024", "kind": "party_to", "since": "2024-05-20",
         "themes": ["ai"], "sources": SRC2},
        {"source": "cbnu", "target": "enter-espoo-chungbuk-mou-2024", "kind": "party_to", "since": "2024-05-20",
         "sources": SRC2},
        {"source": "cbnu", "target": "chungbuk", "kind": "located_in", "sources": SRC2},
        {"source": "enter-espoo", "target": "chungbuk", "kind": "key_market", "since": "2030", "status": "planned",
         "sources": SRC2},
    ],
}
# Today: Gatchina's twinning ended and the key-market tie is only planned, so Gatchina drops out
# (its only tie lapsed) and 11 relations hold among 11 entities.
SMALL_COUNTS = {"entities": 12, "relations": 14, "today_nodes": 11, "today_edges": 12}


def write_dataset(folder: Path, data: dict) -> Path:
    """Write a dataset as one YAML file in `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "net.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


# Markup that would run if a page put data in as HTML: each sets window.__xss or opens a dialog.
PAYLOADS = [
    "<img src=x onerror=alert(1)><svg/onload=window.__xss=1>",
    "</script><script>alert(2);window.__xss=2</script>",
    "\"href\" <a href=\"javascript:alert(3)\" id=xss>x</a> <img src=x onerror=\"window.__xss=3\"> <!--",
]

_TEXT_FIELDS = {
    "themes": ("label", "description"),
    "entities": ("name", "city", "description", "role"),
    "relations": ("note",),
}


def payload_records(payload: str) -> dict:
    """SMALL with `payload` in every text field (names, aliases, city, role, description, note,
    theme labels, synonyms) and in a query string of every source URL."""
    out = {}
    for section, records in SMALL.items():
        rows = []
        for i, rec in enumerate(records):
            rec = dict(rec)
            for f in _TEXT_FIELDS[section]:
                rec[f] = f"{rec.get(f, f)} {payload} #{i}"
            if section == "entities":
                rec["aliases"] = [*rec.get("aliases", []), payload]
            if section == "themes":
                rec["synonyms"] = [*rec.get("synonyms", []), f"{payload} {rec['id']}"]
            if "sources" in rec:
                query = "".join(f"%{ord(c):02X}" if c.isspace() else c for c in payload)  # URLs hold no spaces
                rec["sources"] = [{"url": f"https://example.org/{section}/{i}?q={query}", "seen": "2025-01-02"}]
            rows.append(rec)
        out[section] = rows
    return out


@pytest.fixture(scope="session")
def small_data(tmp_path_factory) -> Path:
    """SMALL written as a dataset folder, once per session."""
    return write_dataset(tmp_path_factory.mktemp("small-net"), SMALL)


@pytest.fixture(scope="session")
def small_graph(small_data):
    """The graph of SMALL. Shared: tests must not change it (copy it first)."""
    from loaders import load_graph

    return load_graph(small_data)


def weak_routes_data() -> dict:
    """SMALL, and Target GmbH: reached from Enter Espoo directly (0.375) and from Espoo through a
    chain of weak ties (far below the schema's floor for a route shown)."""
    data = copy.deepcopy(SMALL)
    src = SMALL["entities"][0]["sources"]
    data["entities"] += [{"id": i, "kind": "company", "name": n, "country": c, "sources": src}
                         for i, n, c in (("acme", "Acme Oy", "FI"), ("beta", "Beta AB", "SE"), ("tgt", "Target GmbH", "DE"))]
    data["relations"] += [{"source": a, "target": b, "kind": "collaborates_with", "sources": src, **extra}
                          for a, b, extra in (("enter-espoo", "tgt", {}), ("espoo", "acme", {"strength": 0.05}),
                                              ("acme", "beta", {"strength": 0.05}), ("beta", "tgt", {"strength": 0.05}))]
    return data
