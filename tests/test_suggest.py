"""Suggestions worked out by hand.

e (ai) has partners w1 and w2. Two steps away: c1 (ai; via w1 and w2), c2 (climate; via w1),
c3 (ai; via w2 but already tied to e), c4 (ai, climate; via w1), h (ai, home; via w2).
e and c5 signed the agreement m, which has two parties: co-signatories are partners, one hop
of sqrt(0.6 × 0.6) / (2 - 1) = 0.6 (each undated signature 0.8 × 0.75), so c5 is no candidate,
and c6 (ai), c5's collaborator, is one. (Before shared activities were folded the agreement
counted as two ties, 0.6 × 0.6 = 0.36, and c6 ranked below c1.)
Every other tie is an undated collaboration: strength 0.375. Partners: w1 4 (e, c1, c2, c4),
w2 4 (e, c1, c3, h), c5 2 (e, c6).
Score = Σ over common partners s(e, w) × s(w, c) / log(2 + partners of w) + 0.5 × Jaccard(themes).
"""
import math

import pytest

from queries.suggest import suggest
from tests.support.minigraph import ent, graph_of, rel

S = 0.375 * 0.375


@pytest.fixture(scope="module")
def G():
    entities = [
        ent("e", "company", "Eco", themes=["ai"], home=True),
        ent("w1", "company", themes=["ai"]),
        ent("w2", "university", themes=["ai"]),
        ent("c1", "company", themes=["ai"]),
        ent("c2", "company", themes=["climate"]),
        ent("c3", "company", themes=["ai"]),
        ent("c4", "company", themes=["ai", "climate"]),
        ent("h", "company", themes=["ai"], home=True),
        ent("m", "agreement", "Deal M"),
        ent("c5", "company", themes=["ai"]),
        ent("c6", "company", themes=["ai"]),
    ]
    relations = [rel("e", "collaborates_with", w) for w in ("w1", "w2")]
    relations += [rel("w1", "collaborates_with", c) for c in ("c1", "c2", "c4")]
    relations += [rel("w2", "collaborates_with", c) for c in ("c1", "c3", "h")]
    relations.append(rel("c3", "supplier_to", "e"))
    relations += [rel("e", "party_to", "m"), rel("c5", "party_to", "m"), rel("c5", "collaborates_with", "c6")]
    return graph_of(entities, relations)


def test_ranked_with_reasons(G):
    r = suggest(G, "Eco")
    assert [s["id"] for s in r["suggestions"]] == ["c6", "c1", "c4"]
    c6, c1, c4 = r["suggestions"]
    assert c1["score"] == pytest.approx(2 * S / math.log(6) + 0.5, abs=1e-6)
    assert c6["score"] == pytest.approx(0.6 * 0.375 / math.log(4) + 0.5, abs=1e-6)
    assert c6["common"] == ["c5"]
    assert c4["score"] == pytest.approx(S / math.log(6) + 0.5 * 0.5, abs=1e-6)
    assert c1["shared_themes"] == ["ai"] and c1["common"] == ["w1", "w2"]
    assert c1["reason"] == "shares ai; both tied to W1, W2"


def test_k_and_kinds(G):
    assert [s["id"] for s in suggest(G, "e", k=1)["suggestions"]] == ["c6"]
    assert suggest(G, "e", kinds=["university"])["suggestions"] == []


def test_entity_without_themes_gets_suggestions_by_partners_only():
    G = graph_of([ent("p", "person"), ent("o", "company"), ent("c", "company", themes=["ai"])],
                 [rel("p", "works_for", "o"), rel("o", "collaborates_with", "c")])
    [only] = suggest(G, "p")["suggestions"]
    assert only["id"] == "c" and only["shared_themes"] == [] and only["reason"] == "both tied to O"
    assert only["score"] == pytest.approx(0.675 * 0.375 / math.log(4), abs=1e-6)
