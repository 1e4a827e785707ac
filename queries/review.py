"""The data keeper's queue: `review` lists the facts most in need of re-checking, each with the
file and line to edit.

A fact's evidence date is the newest `published` date of its sources, else its own latest
date (`until`, else `since`); the day a page was `seen` never counts (see
`queries.timeline.evidence_date`). Evidence is older than the limit when its last day is before
the day of the review minus the limit; undated evidence counts as old. A person's role (reason
``role``) is judged by the rule `intro` warns by too (`queries.freshness`), computed here over
arrays; the default limit is `queries.freshness.STALE_AFTER`.
"""
from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.errors import EspooNetError
from graph.model import TODAY_STATUSES
from graph.durations import Duration
from graph.types import day_of

from .freshness import STALE_AFTER, role_evidence, stale_before

from .roletext import role_ended
from .timeindex import NO_FIRST, STATUS_CODES, Rows, time_index

from .timeline import evidence_date, where

__all__ = ["review", "REVIEW_REASONS"]

REVIEW_REASONS = {
    "role": "a person's role, with no evidence newer than the limit",
    "role text ended": "an open works_for tie whose person's role text says the role has ended (add until)",
    "unknown status": "the sources do not say whether the tie still holds",
    "planned overdue": "still planned, dated before the limit (or undated)",
    "ended without until": "ended, but not when",
    "low confidence": "low confidence, with no evidence newer than the limit",
    "single source": "one source only, with no evidence newer than the limit",
}


def _item(G: nx.Graph, reason: str, record_id: str, what: str, evidence: str | None, status: str | None) -> dict:
    file, line = where(G, record_id)
    return {"reason": reason, "file": file, "line": line, "id": record_id, "what": what,
            "status": status, "evidence": evidence}


def _role_text_ended(G: nx.MultiDiGraph, ix, open_work, today: dt.date):
    """The positions of open work ties whose person's role text says the role is over today."""
    import numpy as np

    people = np.unique(ix.u[open_work])
    said: dict = {}  # role text -> over; many people share a text
    roles = [G.nodes[ix.nodes[p]].get("role") for p in people]
    over = np.zeros(len(ix.nodes), bool)
    over[people] = [said[r] if r in said else said.setdefault(r, bool(role_ended(r, today))) for r in roles]
    return np.nonzero(open_work & over[ix.u])[0]


def review(G: nx.MultiDiGraph, *, older_than: Duration | str = STALE_AFTER, on: dt.date | str | None = None,
           reasons: tuple[str, ...] = ()) -> dict:
    """Facts to re-check, each with the file and line it is written at.

    Parameters
    ----------
    G : the network (file and line come from ``G.graph["locations"]``, which the loaders fill;
    None where unknown); older_than : the age past which evidence is stale; on : the day of the
    review (today when None); reasons : only items of these reasons (keys of `REVIEW_REASONS`;
    all when empty).

    Returns
    -------
    ``{"on", "stale_before", "items": [...]}``, items sorted by file, line, reason and id; each has
    reason (a key of `REVIEW_REASONS`), file, line, id, what (in words), status and evidence (the
    evidence date, or None). Reasons: ``role`` (a person with a role whose newest evidence is
    stale); ``role text ended`` (a works_for tie that holds today, active or unknown, while its
    person's role text says the role is over: `queries.roletext.role_ended`, the reason in
    ``what``); ``unknown status``; ``planned overdue`` (a planned tie dated before the limit, or
    undated); ``ended without until``; ``low confidence`` and ``single source`` (a tie that holds
    today, or an entity, whose newest evidence is stale; entities only for low confidence, since
    they carry no dates of their own). The items are `Rows`: each is made when read.

    Raises
    ------
    EspooNetError for a reason that is not one of `REVIEW_REASONS`.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="A", kind="city"); G.add_node("b", name="B", kind="city")
    >>> G.add_edge("a", "b", key="t", id="t", kind="twin_town", status="unknown", sources=[])
    't'
    >>> [i["reason"] for i in review(G, on="2026-01-01")["items"]]
    ['unknown status']
    """
    import numpy as np

    order_of = {r: i for i, r in enumerate(REVIEW_REASONS)}
    wrong = [r for r in reasons if r not in order_of]
    if wrong:
        raise EspooNetError(f"unknown review reason {wrong[0]!r} (one of: {', '.join(REVIEW_REASONS)})")
    today = day_of(on)
    cutoff = stale_before(today, older_than).toordinal()
    ix = time_index(G)
    status = ix.status
    holds_today = ix.holds(today)
    # a person's role (queries.freshness): their own sources' published dates, and the evidence
    # of their works_for ties that hold today
    role_ev = ix.node_ev_hi.astype(np.int64)
    works = holds_today & ix.kind_in(("works_for",))
    np.maximum.at(role_ev, ix.u[works], ix.ev_hi[works])
    sourced = ix.node_sourced
    stale = ix.status_in(TODAY_STATUSES) & (ix.ev_hi < cutoff) & holds_today
    open_work = works & ix.status_in(TODAY_STATUSES)
    found = {  # reason: (record positions: entities, then relations)
        "role": np.nonzero(sourced & ix.node_role & (role_ev < cutoff))[0],
        "role text ended": ix.n_nodes + _role_text_ended(G, ix, open_work, today),
        "unknown status": ix.n_nodes + np.nonzero(status == STATUS_CODES["unknown"])[0],
        "planned overdue": ix.n_nodes + np.nonzero((status == STATUS_CODES["planned"]) & (ix.s_hi < cutoff))[0],
        "ended without until": ix.n_nodes + np.nonzero((status == STATUS_CODES["ended"]) & (ix.t_lo == NO_FIRST))[0],
        "low confidence": np.concatenate([np.nonzero(sourced & ix.node_low & (ix.node_ev_hi < cutoff))[0],
                                          ix.n_nodes + np.nonzero(stale & ix.low)[0]]),
        "single source": ix.n_nodes + np.nonzero(stale & ~ix.low & (ix.n_sources == 1))[0],
    }
    wanted = [r for r in REVIEW_REASONS if not reasons or r in reasons]
    records = np.concatenate([found[r] for r in wanted]).astype(np.int64)
    codes = np.concatenate([np.full(len(found[r]), order_of[r], np.int64) for r in wanted])
    key = (ix.place[records] * len(REVIEW_REASONS) + codes) * len(ix.rank) + ix.rank[records]
    order = np.argsort(key, kind="stable")
    records, codes = records[order], codes[order]
    names, labels = ix.names, list(REVIEW_REASONS)

    def make(i: int) -> dict:
        rec, reason = int(records[i]), labels[codes[i]]
        if rec < ix.n_nodes:
            n = ix.nodes[rec]
            d = G.nodes[n]
            if reason == "role":
                return _item(G, reason, n, f"{d['name']}: {d['role']}", role_evidence(G, n, today), None)
            return _item(G, reason, n, f"{d['name']} ({d['kind']})", evidence_date(d), None)
        u, v, d = ix.edge(rec - ix.n_nodes)
        what = f"{names.get(u) or u} {d['kind']} {names.get(v) or v}"
        if reason == "role text ended":
            what += f" ({role_ended(G.nodes[u].get('role'), today)}: {G.nodes[u]['role']})"
        return _item(G, reason, d["id"], what, evidence_date(d), d.get("status", "active"))

    return {"on": today.isoformat(), "stale_before": dt.date.fromordinal(cutoff).isoformat(),
            "items": Rows(len(records), make, {"reason": np.asarray(labels, dtype=object)[codes]})}
