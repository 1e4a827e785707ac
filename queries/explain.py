"""Plain-language explanations of routes: one line per hop, with its date, strength and source.

'Enter Espoo Oy and Chungbuk Province signed "Enter Espoo–Chungbuk MoU" (4 parties) in 2024:
warm (0.72) [https://...]'. Each relation kind has a phrase in the present and the past tense,
and each participation kind one for two participants of one activity, in `graph/schema.yaml`
(``phrase``, ``together``). A tie that has ended or is suspended is told in the past tense.
A hop through a shared activity names the activity and how many participants it has.
"""
from __future__ import annotations

import networkx as nx

from graph.schema import SCHEMA

from .routing import edge_between

__all__ = ["hop", "explain_route", "explain_hop", "dates_text", "phrase", "with_article", "when_text"]

_PAST_STATUSES = frozenset({"ended", "suspended"})
_STATUS_NOTES = {"unknown": "status unknown", "planned": "planned", "suspended": "suspended"}


def with_article(word: str) -> str:
    """'an agreement', 'a project': the indefinite article a word takes.

    >>> with_article("agreement"), with_article("event"), with_article("university")
    ('an agreement', 'an event', 'a university')
    """
    vowel = word[:1].lower() in "aeio" or (word[:1].lower() == "u" and not word.lower().startswith(("uni", "use")))
    return f"{'an' if vowel else 'a'} {word}"


def when_text(date: str) -> str:
    """A date as words after a verb: 'on 2024-05-20', 'in 2024-05', 'in 1999'."""
    return f"on {date}" if len(date) == 10 else f"in {date}"


def dates_text(hop: dict) -> str:
    """A hop's dates as words: 'since 2019', '1997–2022-03-03', 'until 2020' or 'undated'."""
    since, until = hop.get("since"), hop.get("until")
    if since and until:
        return f"{since}–{until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return "undated"


def _source_text(hop: dict) -> str:
    sources = hop.get("sources") or []
    if not sources:
        return ""
    more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
    return f" [{sources[0]['url']}{more}]"


def phrase(kind: str, status: str | None) -> str:
    """The schema's phrase of a relation kind, in the past tense for ended or suspended ties."""
    present, past = SCHEMA.relation_kinds[kind].phrase
    return past if status in _PAST_STATUSES else present


def _tail(hop: dict) -> str:
    """What follows the phrase: status, strength and band, the tie's note, the source."""
    status = _STATUS_NOTES.get(hop.get("status"), "")
    status = f" ({status})" if status else ""
    note = f"; {hop['note']}" if hop.get("note") else ""
    return f"{status}: {hop['band']} ({hop['strength']:.2f}){note}{_source_text(hop)}"


def explain_hop(G: nx.MultiDiGraph, hop: dict) -> str:
    """One line telling what a hop's tie is, when, how warm, and where that comes from."""
    name = G.nodes
    if hop.get("via"):
        a, b, x = name[hop["from"]]["name"], name[hop["to"]]["name"], f'"{name[hop["via"]]["name"]}"'
        mine, theirs = hop["relations"]
        if mine["kind"] == theirs["kind"] and SCHEMA.relation_kinds[mine["kind"]].together:
            text = SCHEMA.relation_kinds[mine["kind"]].together.format(a=a, b=b, x=x)
        else:
            said = {n: x if n == hop["via"] else name[n]["name"] for r in (mine, theirs) for n in (r["source"], r["target"])}
            text = " and ".join(phrase(r["kind"], r.get("status")).format(s=said[r["source"]], t=said[r["target"]])
                                for r in (mine, theirs))
        parties = f" ({hop['parties']} parties)" if hop["parties"] > 2 else ""
        since = mine.get("since") or theirs.get("since")
        when = f" {when_text(since)}" if since else " (undated)"
        return f"{text}{parties}{when}{_tail(hop)}"
    s, t = name[hop["source"]]["name"], name[hop["target"]]["name"]
    text = phrase(hop["kind"], hop.get("status")).format(s=s, t=t)
    return f"{text} ({dates_text(hop)}){_tail(hop)}"


def explain_route(G: nx.MultiDiGraph, hops: list[dict]) -> list[str]:
    """One line per hop of a route (see `explain_hop`).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="Espoo", kind="city"); G.add_node("b", name="Tallinn", kind="city")
    >>> hop = {"source": "a", "target": "b", "from": "a", "to": "b", "kind": "partner_city",
    ...        "since": "2019", "until": None, "status": "active",
    ...        "strength": 0.62, "band": "warm", "note": None,
    ...        "sources": [{"url": "https://example.org/x", "seen": "2025-01-01"}]}
    >>> explain_route(G, [hop])
    ['Espoo and Tallinn are partner cities (since 2019): warm (0.62) [https://example.org/x]']
    """
    return [explain_hop(G, h) for h in hops]


def _relation(G: nx.MultiDiGraph, u: str, v: str, key: str) -> dict:
    d = G.edges[u, v, key]
    return {"source": u, "target": v, "kind": d["kind"], "label": SCHEMA.relation_kinds[d["kind"]].label,
            "id": key, "since": d.get("since"), "until": d.get("until"), "status": d.get("status"),
            "themes": list(d.get("themes") or []), "note": d.get("note"), "sources": list(d.get("sources") or [])}


def hop(G: nx.MultiDiGraph, R: nx.Graph, a: str, b: str) -> dict:
    """One step of a route, from `a` to `b`, with the relation it uses.

    ``source``/``target`` are the relation's own ends (its direction in the data); ``direction``
    says whether the route follows it (forward) or walks it backwards; ``from``/``to`` are the
    step's ends in route order; ``strength`` and ``band`` (warm, lukewarm, cold) how warm it is.
    A step through a shared activity also has ``via`` (the activity), ``via_name``,
    ``parties`` (its participants that day) and ``relations`` (a's and b's ties to it); its
    other fields (``source``, ``target``, their names, ``direction``, ``kind``...) are a's tie's,
    so ``source_name`` is always the name of ``source``.
    """
    d = R._adj[a][b]
    if "via" in d:
        mine, theirs = (_relation(G, *d["ends"][n]) for n in (a, b))
        rel = mine  # the hop's own fields are a's tie to the activity, names and direction too
    else:
        rel = _relation(G, *edge_between(R, a, b))
    u, v = rel["source"], rel["target"]
    kind = SCHEMA.relation_kinds[rel["kind"]]
    strength = round(d["strength"], 6)
    out = {
        "from": a, "to": b, **rel,
        "source_name": G.nodes[u]["name"], "target_name": G.nodes[v]["name"],
        "direction": "mutual" if not kind.directed else "forward" if a == u else "backward",
        "strength": strength, "band": SCHEMA.band(strength),
    }
    if "via" in d:
        out.update(via=d["via"], via_name=G.nodes[d["via"]]["name"], via_kind=G.nodes[d["via"]]["kind"],
                   parties=d["parties"], relations=[mine, theirs])
        out["sources"] = mine["sources"] + [x for x in theirs["sources"] if x not in mine["sources"]]
        out["note"] = mine["note"] or theirs["note"]
    return out
