"""The facts of the two seed documents, asserted by name on the bundled dataset.

Seed 000 is the City of Espoo's International Espoo page, seed 003 Enter Espoo's news of the
20 May 2024 Chungbuk MoU; every fact taken from them must carry the page itself as a source.
"""
from __future__ import annotations

import re

import networkx as nx
import pytest

from graph.model import as_of, resolve
from graph.schema import SCHEMA
from loaders import load_graph

INTERNATIONAL_ESPOO = "https://www.espoo.fi/en/city-espoo/international-espoo"
CHUNGBUK_NEWS = "https://www.enterespoo.fi/news/espoo-deepens-collaboration-korea-fields-digital-science-and-technology"
MOU = "enter-espoo-chungbuk-mou-2024"
MOU_THEMES = {"ai", "semiconductors", "quantum", "autonomous-driving"}


@pytest.fixture(scope="module")
def G():
    return load_graph()


def edges(G, source=None, target=None, kind=None):
    """Edge attribute dicts matching the given ends and kind."""
    return [
        d for u, v, d in G.edges(data=True)
        if (source is None or u == source) and (target is None or v == target) and (kind is None or d["kind"] == kind)
    ]


def the_edge(G, source, target, kind):
    found = edges(G, source, target, kind)
    assert len(found) == 1, f"expected one {kind} from {source} to {target}, found {len(found)}"
    return found[0]


def urls(record) -> list[str]:
    return [s["url"] for s in record["sources"]]


# --- the Chungbuk MoU (seed 003) -------------------------------------------------------------

def test_chungbuk_mou_is_an_agreement_of_20_may_2024(G):
    assert G.nodes[MOU]["kind"] == "agreement"
    assert {d["since"] for d in edges(G, target=MOU, kind="party_to")} == {"2024-05-20"}
    assert CHUNGBUK_NEWS in urls(G.nodes[MOU])


def test_chungbuk_mou_has_enter_espoo_and_three_chungbuk_parties(G):
    parties = {u for u, _, d in G.in_edges(MOU, data=True) if d["kind"] == "party_to"}
    assert parties == {"enter-espoo", "cbist", "cbnu", "knut"}
    assert {G.nodes[p]["country"] for p in ("cbist", "cbnu", "knut")} == {"KR"}
    assert G.nodes["enter-espoo"]["home"] is True
    for p in parties:
        assert CHUNGBUK_NEWS in urls(the_edge(G, p, MOU, "party_to"))


@pytest.mark.parametrize("party, place", [("cbnu", "cheongju"), ("cbist", "cheongju"), ("knut", "chungju")])
def test_chungbuk_parties_are_located_in_chungbuk(G, party, place):
    the_edge(G, party, place, "located_in")
    the_edge(G, place, "chungbuk", "located_in")
    assert G.nodes["chungbuk"]["kind"] == "region"


def test_chungbuk_mou_themes(G):
    assert MOU_THEMES <= set(G.nodes[MOU]["themes"])
    for d in edges(G, target=MOU, kind="party_to"):
        assert set(d["themes"]) == MOU_THEMES


def test_chungbuk_mou_states_its_scope(G):
    text = G.nodes[MOU]["description"].lower()
    for words in ("economic growth", "open innovation", "internationalisation", "large and small companies", "research"):
        assert words in text


def test_ossi_ritvos_is_enter_espoos_korea_contact(G):
    ossi = G.nodes["ossi-ritvos"]
    assert ossi["kind"] == "person" and ossi["home"] is True
    assert "Senior Business Advisor" in ossi["role"]
    the_edge(G, "ossi-ritvos", "enter-espoo", "works_for")
    for target in ("south-korea", MOU):
        assert CHUNGBUK_NEWS in urls(the_edge(G, "ossi-ritvos", target, "contact_for"))


def test_quantum_ceremony_was_held_the_same_day(G):
    ceremony = "chungbuk-mou-ceremony-2024"
    assert G.nodes[ceremony]["kind"] == "event"
    for who in ("enter-espoo", "fqcf-qinsa"):
        d = the_edge(G, who, ceremony, "participated_in")
        assert d["since"] == "2024-05-20"
        assert CHUNGBUK_NEWS in urls(d)


def test_sk_hynix_operates_in_chungbuk_and_has_an_agreement_with_the_province(G):
    assert G.nodes["sk-hynix"]["kind"] == "company"
    assert CHUNGBUK_NEWS in urls(the_edge(G, "sk-hynix", "chungbuk", "operates_in"))
    deal = "sk-hynix-m15x-investment-2022"
    parties = {u for u, _, d in G.in_edges(deal, data=True) if d["kind"] == "party_to"}
    assert {"sk-hynix", "chungbuk"} <= parties


def test_a_warm_route_from_enter_espoo_to_sk_hynix_runs_through_the_mou(G):
    today = as_of(G)
    routes = nx.Graph()
    routes.add_edges_from((u, v) for u, v, d in today.edges(data=True) if SCHEMA.relation_kinds[d["kind"]].route)
    assert routes.has_edge("enter-espoo", MOU)
    beyond_espoo = routes.subgraph(n for n in routes if n not in ("enter-espoo", "espoo", "ossi-ritvos"))
    assert nx.has_path(beyond_espoo, MOU, "sk-hynix")


# --- the International Espoo page (seed 000) -------------------------------------------------

def test_espoo_is_home_with_the_pages_aims(G):
    espoo = G.nodes["espoo"]
    assert espoo["home"] is True and espoo["name"] == "City of Espoo"
    assert INTERNATIONAL_ESPOO in urls(espoo)
    assert {"sustainability", "vitality", "lifelong-learning", "city-as-a-service", "ai", "sdg",
            "climate-neutrality", "integration"} <= set(espoo["themes"])
    text = espoo["description"]
    for words in ("150 nationalities", "City as a Service", "carbon neutrality by 2030", "SDGs", "2025"):
        assert words in text


def test_shanghai_is_espoos_sister_city(G):
    d = the_edge(G, "espoo", "shanghai", "sister_city")
    assert d["status"] == "active"
    assert urls(d)[0] == INTERNATIONAL_ESPOO


@pytest.mark.parametrize("network, kind", [
    ("unesco-gnlc", "member_of"),
    ("un-habitat", "participated_in"),
    ("eu-cities-mission", "member_of"),
])
def test_networks_named_on_the_international_espoo_page(G, network, kind):
    d = the_edge(G, "espoo", network, kind)
    assert INTERNATIONAL_ESPOO in urls(d)
    assert as_of(G).has_edge("espoo", network, d["id"])


def test_espoo_is_a_frontrunner_of_the_climate_neutral_cities_mission(G):
    d = the_edge(G, "espoo", "eu-cities-mission", "member_of")
    assert "frontrunner" in d["note"] and d["since"] == "2022-04-28"


@pytest.mark.parametrize("network", ["eurocities", "ubc"])
def test_espoo_is_in_european_city_networks(G, network):
    assert the_edge(G, "espoo", network, "member_of")["status"] == "active"


def test_enter_espoo_key_markets(G):
    markets = {v for _, v, d in G.out_edges("enter-espoo", data=True) if d["kind"] == "key_market"}
    assert {"germany", "japan"} <= markets
    for m in ("germany", "japan"):
        assert INTERNATIONAL_ESPOO in urls(the_edge(G, "enter-espoo", m, "key_market"))


@pytest.mark.parametrize("town", ["gatchina", "sochi"])
def test_russian_twin_towns_held_in_2021_and_not_today(G, town):
    d = the_edge(G, "espoo", town, "twin_town")
    assert (d["status"], d["until"]) == ("ended", "2022-03-03")
    assert as_of(G, "2021-06-01").has_edge("espoo", town, d["id"])
    assert not as_of(G).has_edge("espoo", town, d["id"])


# --- the dataset as a whole ----------------------------------------------------------------------

def test_every_entity_and_relation_has_a_source(G):
    seen = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    records = [d for _, d in G.nodes(data=True) if d["kind"] != "theme"] + [d for *_, d in G.edges(data=True)]
    for rec in records:
        assert rec["sources"], rec
        assert all(s["url"].startswith(("http://", "https://")) and seen.match(s["seen"]) for s in rec["sources"])


@pytest.mark.parametrize("query, expected", [
    ("Nomme", "nomme"), ("Esbo", "espoo"), ("上海", "shanghai"), ("충청북도", "chungbuk"),
    ("Chungcheongbuk-do", "chungbuk"), ("청주", "cheongju"), ("Koge", "koge"), ("Skagafjordur", "skagafjordur"),
    ("SK하이닉스", "sk-hynix"), ("CBNU", "cbnu"),
])
def test_names_and_aliases_resolve(G, query, expected):
    assert resolve(G, query) == expected
