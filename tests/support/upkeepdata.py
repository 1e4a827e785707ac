"""A small network with known answers for the time and upkeep queries (tests/test_upkeep.py).

Worked out by hand for the day 2026-01-01 (see the expectations in the tests): Espoo (home) is
twinned with Tallinn since 1990; its partnership with Kyiv ended on 2022-06-01; it signed an MoU
with a university on 2025-03-01 that runs to 2026-07-01; an undated MoU with Tallinn has no term;
an MoU with Kyiv from 2015 is up for review since 2025-10; a cooperation with the university is
still planned since 2023; both are partners in a project since 2024-05.
"""
from __future__ import annotations

S = '[{url: "https://example.org/a", seen: 2026-11-22}]'
S2 = '[{url: "https://example.org/a", seen: 2026-11-22}, {url: "https://example.org/b", seen: 2026-11-22}]'
FRESH = '[{url: "https://example.org/c", seen: 2026-11-22, published: 2025-05}]'

ENTITIES = f"""\
entities:
  - {{id: espoo, kind: city, name: Espoo, home: true, wikidata: Q47034, sources: {S}}}
  - {{id: tallinn, kind: city, name: Tallinn, country: EE, sources: {S}}}
  - {{id: kyiv, kind: city, name: Kyiv, country: UA, sources: {S}}}
  - {{id: uni, kind: university, name: University, ror: 020hwjq30, sources: {S}}}
  - {{id: proj, kind: project, name: Project, cordis: 101036519, sources: {S}}}
  - {{id: mou, kind: agreement, name: MoU, valid_until: 2026-07-01, renewal: by_decision, sources: {S}}}
  - {{id: mou2, kind: agreement, name: MoU Two, sources: {S}}}
  - {{id: mou3, kind: agreement, name: MoU Three, review_on: 2025-10, renewal: automatic, sources: {S}}}
  - {{id: pia, kind: person, name: Pia, role: Head of Things, home: true, sources: {S}}}
  - {{id: max, kind: person, name: Max, role: Head of Stuff, home: true, sources: {FRESH}}}
"""

RELATIONS = f"""\
relations:
  - {{source: espoo, kind: twin_town, target: tallinn, since: 1990, sources: {S}}}
  - {{source: espoo, kind: partner_city, target: kyiv, since: 2020, until: 2022-06-01, status: ended, sources: {S2}}}
  - {{source: espoo, kind: party_to, target: mou, since: 2025-03-01, sources: {S}}}
  - {{source: uni, kind: party_to, target: mou, since: 2025-03-01, sources: {S}}}
  - {{source: espoo, kind: party_to, target: mou2, sources: {S}}}
  - {{source: tallinn, kind: party_to, target: mou2, sources: {S}}}
  - {{source: espoo, kind: party_to, target: mou3, since: 2015, sources: {S}}}
  - {{source: kyiv, kind: party_to, target: mou3, since: 2015, sources: {S}}}
  - {{source: espoo, kind: collaborates_with, target: uni, since: 2023, status: planned, sources: {S2}}}
  - {{source: uni, kind: collaborates_with, target: kyiv, status: unknown, sources: {S2}}}
  - {{source: uni, kind: collaborates_with, target: tallinn, status: ended, sources: {S2}}}
  - {{source: espoo, kind: partner_in, target: proj, since: 2024-05, sources: {S}}}
  - {{source: uni, kind: partner_in, target: proj, since: 2024-05, sources: {S}}}
  - {{source: pia, kind: works_for, target: espoo, since: 2019, sources: {S}}}
  - {{source: max, kind: works_for, target: espoo, since: 2019, sources: {S}}}
"""


def write_upkeep_data(folder) -> None:
    """Write the network as two files: entities.yaml and relations.yaml."""
    (folder / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    (folder / "relations.yaml").write_text(RELATIONS, encoding="utf-8")
