"""The data keeper's queue: `review` lists the facts most in need of re-checking, each with the
file and line to edit.

A fact's evidence date is the newest `published` date of its sources, else its own latest
date (`until`, else `since`); the day a page was `seen` never counts (see
`queries.timeline.evidence_date`). Evidence is older than the limit when its last day is before
the day of the review minus the limit; undated evidence counts as old.
"""
from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.model import TODAY_STATUSES, is_active
from graph.types import Duration, day_of, duration, last_day

from .timeline import evidence_date, where

__all__ = ["review", "REVIEW_REASONS"]

REVIEW_REASONS = {
    "role": "a person's role, with no evidence newer than the limit",
    "unknown status": "the sources do not say whether the tie still holds",
    "planned overdue": "still planned, dated before the limit (or undated)",
    "ended without until": "ended, but not when",
    "low confidence": "low confidence, with no evidence newer than the limit",
    "single source": "one source only, with no evidence newer than the limit",
}


def _old(evidence: str | None, cutoff: dt.date) -> bool:
    return evidence is None or last_day(evidence) < cutoff


def _item(G: nx.Graph, reason: str, record_id: str, what: str, evidence: str | None, status: str | None) -> dict:
    file, line = where(G, record_id)
    return {"reason": reason, "file": file, "line": line, "id": record_id, "what": what,
            "status": status, "evidence": evidence}


def _role_evidence(G: nx.MultiDiGraph, person: str, d: dict, today: dt.date) -> str | None:
    """The newest evidence for a person's role: their own sources' published dates, and the
    evidence of each works_for tie that holds today."""
    dates = [evidence_date({"sources": d.get("sources")})]
    dates += [evidence_date(t) for _, _, t in G.out_edges(person, data=True)
              if t["kind"] == "works_for" and is_active(t, today)]
    dates = [x for x in dates if x]
    return max(dates, key=last_day) if dates else None


def review(G: nx.MultiDiGraph, *, older_than: Duration | str = "2y", on: dt.date | str | None = None) -> dict:
    """Facts to re-check, each with the file and line it is written at.

    Parameters
    ----------
    G : the network (file and line come from ``G.graph["locations"]``, which the loaders fill;
    None where unknown); older_than : the age past which evidence is stale; on : the day of the
    review (today when None).

    Returns
    -------
    ``{"on", "stale_before", "items": [...]}``, items sorted by file, line and reason; each has
    reason (a key of `REVIEW_REASONS`), file, line, id, what (in words), status and evidence (the
    evidence date, or None). Reasons: ``role`` (a person with a role whose newest evidence is
    stale); ``unknown status``; ``planned overdue`` (a planned tie dated before the limit, or
    undated); ``ended without until``; ``low confidence`` and ``single source`` (a tie that holds
    today, or an entity, whose newest evidence is stale; entities only for low confidence, since
    they carry no dates of their own).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="A", kind="city"); G.add_node("b", name="B", kind="city")
    >>> G.add_edge("a", "b", key="t", id="t", kind="twin_town", status="unknown", sources=[])
    't'
    >>> [i["reason"] for i in review(G, on="2026-01-01")["items"]]
    ['unknown status']
    """
    older_than = older_than if isinstance(older_than, Duration) else duration(older_than)
    today = day_of(on)
    cutoff = older_than.before(today)
    items: list[dict] = []
    for n, d in G.nodes(data=True):
        if not d.get("sources"):
            continue  # a theme node of the taxonomy, not a record
        if d.get("kind") == "person" and d.get("role"):
            evidence = _role_evidence(G, n, d, today)
            if _old(evidence, cutoff):
                items.append(_item(G, "role", n, f"{d['name']}: {d['role']}", evidence, None))
        if d.get("confidence") == "low":
            evidence = evidence_date(d)
            if _old(evidence, cutoff):
                items.append(_item(G, "low confidence", n, f"{d['name']} ({d['kind']})", evidence, None))
    names = dict(G.nodes(data="name"))
    for u, v, d in G.edges(data=True):
        status = d.get("status", "active")
        what = f"{names.get(u) or u} {d['kind']} {names.get(v) or v}"
        evidence = evidence_date(d)
        if status == "unknown":
            items.append(_item(G, "unknown status", d["id"], what, evidence, status))
        elif status == "planned" and (not d.get("since") or last_day(d["since"]) < cutoff):
            items.append(_item(G, "planned overdue", d["id"], what, evidence, status))
        elif status == "ended" and not d.get("until"):
            items.append(_item(G, "ended without until", d["id"], what, evidence, status))
        if status in TODAY_STATUSES and _old(evidence, cutoff) and is_active(d, today):
            if d.get("confidence") == "low":
                items.append(_item(G, "low confidence", d["id"], what, evidence, status))
            elif len(d.get("sources") or ()) == 1:
                items.append(_item(G, "single source", d["id"], what, evidence, status))
    order = {r: i for i, r in enumerate(REVIEW_REASONS)}
    items.sort(key=lambda i: (i["file"] is None, i["file"] or "", i["line"] or 0, order[i["reason"]], i["id"]))
    return {"on": today.isoformat(), "stale_before": cutoff.isoformat(), "items": items}
