"""What comes due and what went quiet: `due` (agreement terms, overdue plans) and `dormant`.

Our side is the entities marked `home`. An agreement is an entity of kind agreement; its
parties are tied to it (party_to: the schema's participation kinds; a contact person's tie to it
makes no party), and its terms are its own fields `valid_until`, `review_on`
and `renewal` (see graph/schema.yaml).
"""
from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.model import is_active
from graph.schema import SCHEMA
from graph.durations import Duration, duration
from graph.types import day_of, first_day, last_day

from .timeindex import NO_LAST, STATUS_CODES, time_index
from .timeline import home_nodes, in_window, tie_row

__all__ = ["due", "dormant", "DUE_REASONS", "PARTNERSHIP_FAMILIES"]

# The order `due` lists its reasons in: what falls in the window first, then what is already late.
# A planned tie whose date passed more than this long ago, still planned, is overdue.
PLANNED_GRACE = duration("1y")
DUE_REASONS = ("expires", "review", "lapsed", "review overdue", "planned overdue", "no term")


def _as_duration(value: Duration | str) -> Duration:
    return value if isinstance(value, Duration) else duration(value)


def _ties(G: nx.MultiDiGraph, node: str):
    """(other end, edge attributes) of every relation of `node`, both directions."""
    for _, v, d in G.out_edges(node, data=True):
        yield v, d
    for u, _, d in G.in_edges(node, data=True):
        yield u, d


def _names(G: nx.Graph, nodes) -> list[str]:
    return sorted(G.nodes[n].get("name", n) for n in set(nodes))


def due(G: nx.MultiDiGraph, *, within: Duration | str = "6m", on: dt.date | str | None = None,
        all_parties: bool = False) -> dict:
    """Agreements that expire or come up for review within a period, and what is already late.

    Parameters
    ----------
    G : the network; within : the period ahead (a `Duration` or text such as '6m');
    on : the day to look from (today when None); all_parties : also the agreements and plans
    none of our side is party to (left out by default: nobody of ours has to act on them).

    Returns
    -------
    ``{"on", "until", "items": [...], "others": N}``, items sorted by reason (in `DUE_REASONS`
    order), date and id; ``others`` counts the items left out as not ours. Each item has reason,
    date, id, name, kind (agreement, or the tie's kind), signed (an agreement's earliest `since`),
    partners and holders (names of the other side and of our side), renewal and sources. Reasons, for
    agreements that still have a tie holding on `on`: ``expires`` (`valid_until` in the window),
    ``review`` (`review_on` in the window), ``lapsed`` (`valid_until` passed, not renewed
    automatically), ``review overdue`` (`review_on` passed) and ``no term`` (none of the three
    fields recorded); and ``planned overdue``: a planned tie dated more than a year (`PLANNED_GRACE`) before `on`,
    whatever the window.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("espoo", name="Espoo", kind="city", home=True)
    >>> G.add_node("m", name="MoU", kind="agreement", valid_until="2026-03-31", sources=[])
    >>> G.add_edge("espoo", "m", key="p", id="p", kind="party_to", status="active")
    'p'
    >>> [(i["reason"], i["holders"]) for i in due(G, within="6m", on="2026-01-01")["items"]]
    [('expires', ['Espoo'])]
    """
    within = _as_duration(within)
    today = day_of(on)
    end = within.after(today)
    home = home_nodes(G)
    items: list[dict] = []
    for a, d in G.nodes(data=True):
        if d.get("kind") != "agreement":
            continue
        ties = [(n, t) for n, t in _ties(G, a) if t["kind"] in SCHEMA.participation_kinds]  # its parties' ties
        if not any(is_active(t, today) for _, t in ties):
            continue  # over, or not yet in force: nothing to renew or review
        dated = [t["since"] for _, t in ties if t.get("since")]
        base = {"id": a, "name": d.get("name", a), "kind": "agreement", "renewal": d.get("renewal"),
                "signed": min(dated, key=first_day) if dated else None,
                "partners": _names(G, (n for n, _ in ties if n not in home)),
                "holders": _names(G, (n for n, _ in ties if n in home)), "sources": d.get("sources") or []}
        valid, review = d.get("valid_until"), d.get("review_on")
        if in_window(valid, today, end):
            items.append({"reason": "expires", "date": valid, **base})
        elif valid and last_day(valid) < today and d.get("renewal") != "automatic":
            items.append({"reason": "lapsed", "date": valid, **base})
        if in_window(review, today, end):
            items.append({"reason": "review", "date": review, **base})
        elif review and last_day(review) < today:
            items.append({"reason": "review overdue", "date": review, **base})
        if not (valid or review or d.get("renewal")):
            items.append({"reason": "no term", "date": None, **base})
    late = PLANNED_GRACE.before(today)  # not `within`: a longer look ahead must not hide what is late
    ix = time_index(G)
    overdue = (ix.status == STATUS_CODES["planned"]) & (ix.s_hi != NO_LAST) & (ix.s_hi < late.toordinal())
    for p in overdue.nonzero()[0].tolist():
        u, v, d = ix.edge(p)
        row = tie_row(G, u, v, d, ix.names)
        items.append({"reason": "planned overdue", "date": d["since"], "id": d["id"],
                      "name": f"{row['source_name']} – {row['target_name']}", "kind": d["kind"], "renewal": None,
                      "signed": None,
                      "partners": _names(G, (n for n in (u, v) if n not in home)),
                      "holders": _names(G, (n for n in (u, v) if n in home)), "sources": row["sources"]})
    ours = [i for i in items if all_parties or i["holders"]]
    order = {r: i for i, r in enumerate(DUE_REASONS)}
    ours.sort(key=lambda i: (order[i["reason"]], first_day(i["date"]) if i["date"] else dt.date.max, i["id"]))
    return {"on": today.isoformat(), "until": end.isoformat(), "items": ours, "others": len(items) - len(ours)}


def _activity_day(d: dict) -> dt.date | None:
    """The latest day a tie shows activity: the last day of `until`, else the first of `since`."""
    if d.get("until"):
        return last_day(d["until"])
    return first_day(d["since"]) if d.get("since") else None


def _counts(d: dict) -> bool:
    """Whether a tie can show partnership: not planned, and of the relationship, activity or
    money family (`PARTNERSHIP_FAMILIES`): who owns whom and where an entity is, operates or
    sells are facts about it, not a partnership. Twinnings (relationship ties between places) count.
    Nor a kind that is structural itself (works_for: a person's role holds an organisation
    together; its start date is no sign of a partnership going quiet)."""
    rk = SCHEMA.relation_kinds[d["kind"]]
    return d.get("status") != "planned" and rk.family in PARTNERSHIP_FAMILIES and not rk.structural


def _role_for_a_place(G: nx.Graph, d: dict, partner: str) -> bool:
    """A person's role for a place (the contact for a country, working for a town): a fact about
    the person, not a partnership with the place."""
    return SCHEMA.relation_kinds[d["kind"]].speaks_for and G.nodes[partner].get("kind") in _PLACES


# The families that show partnership, read from the schema: those that carry routes, but not
# the structural ones (who owns whom is no partnership). Relationships, shared activities and
# money: a funder gone quiet matters before a budget round.
PARTNERSHIP_FAMILIES = frozenset(f for f, fam in SCHEMA.families.items() if fam.routes and not fam.structural)
_PLACES = frozenset(SCHEMA.groups["place"])
_ACTORS = frozenset(SCHEMA.groups["actor"])
_ACTIVITIES = frozenset(SCHEMA.groups["activity"])
_SHARED = _ACTIVITIES - _ACTORS  # projects, agreements, events: shared, never a partner or a holder


def _base_strength(d: dict) -> float:
    """How strong a tie is at its best: its own strength, else its kind's default."""
    return d["strength"] if d.get("strength") is not None else SCHEMA.relation_kinds[d["kind"]].strength


class _Partner:
    __slots__ = ("strength", "last", "last_tie", "via", "holders", "live")

    @property
    def last_text(self) -> str | None:
        """The last activity as the data dates it ('1969', '2022-03'): no more precise than it is."""
        t = self.last_tie or {}
        return t.get("until") or t.get("since")

    def __init__(self):
        self.strength, self.last, self.last_tie, self.via = 0.0, None, None, None
        self.holders: set[str] = set()
        self.live = False

    def tend(self, tie: dict, holder: str, today: dt.date) -> None:
        """A person of ours tends the partnership (the mayor's Europe Day with a partner city):
        the tie's start is activity of it (its strength is not the partnership's); the person
        holds it while the tie holds."""
        if is_active(tie, today):
            self.holders.add(holder)
        day = first_day(tie["since"]) if tie.get("since") else None  # its until is the person leaving
        if day is not None and (self.last is None or day > self.last):
            self.last, self.last_tie, self.via = day, tie, None

    def note(self, strength: float, ties: tuple[dict, ...], holder: str, via: str | None, today: dt.date) -> None:
        self.strength = max(self.strength, strength)
        self.holders.add(holder)
        self.live = self.live or all(is_active(t, today) for t in ties)
        for t in ties:
            day = _activity_day(t)
            if day is not None and (self.last is None or day > self.last):
                self.last, self.last_tie, self.via = day, t, via


def dormant(G: nx.MultiDiGraph, *, quiet_for: Duration | str = "3y", on: dt.date | str | None = None) -> dict:
    """Partners of our side with no dated activity within a period, strongest ties first.

    A partner is an organisation or place (the schema's actor group) that holds a tie today with
    one of our side, either directly or through a shared project, agreement or event (both tied
    to it). Only relationship, activity and money ties count (`PARTNERSHIP_FAMILIES`): ownership
    and place facts (owned_by, key_market, operates_in...) do not, nor a kind structural in its
    own right (a person's role: works_for), nor a person's role for a place (the contact for a country), nor planned ties. Its
    last activity is the latest date of those ties (the last day of `until`, else the first of
    `since`); it is dormant when that is before `on` minus `quiet_for`, or when no tie is dated.

    Returns
    -------
    ``{"on", "quiet_since", "partners": [...]}``; each partner has id, name, kind, country,
    strength (its strongest tie at its best: the tie's own strength or its kind's default; via a
    shared activity, the product of the two ties), last_activity (its date as the data gives it, or None), last_tie (the
    relation id), via (the shared activity's name, or None), source (the tie's first source URL)
    and holders (names on our side). Sorted by strength (strongest first), then name.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("espoo", name="Espoo", kind="city", home=True); G.add_node("x", name="X", kind="city")
    >>> G.add_edge("espoo", "x", key="t", id="t", kind="twin_town", since="2001", status="active", sources=[])
    't'
    >>> [(p["id"], p["last_activity"]) for p in dormant(G, quiet_for="3y", on="2026-01-01")["partners"]]
    [('x', '2001')]
    """
    quiet_for = _as_duration(quiet_for)
    today = day_of(on)
    cutoff = quiet_for.before(today)
    home = home_nodes(G)
    found: dict[str, _Partner] = {}
    tended: list[tuple[str, dict, str]] = []  # (place, a person's role tie to it, the person)
    for h in sorted(home):
        if G.nodes[h].get("kind") in _SHARED:
            continue  # a project of ours is no holder: its partners are our side's through it
        for x, d in _ties(G, h):
            kind = G.nodes[x].get("kind")
            if (x in home and kind not in _SHARED) or not _counts(d):
                continue
            if kind in _ACTORS:
                if _role_for_a_place(G, d, x):
                    tended.append((x, d, h))
                    continue
                found.setdefault(x, _Partner()).note(_base_strength(d), (d,), h, None, today)
            elif kind in _ACTIVITIES:
                for y, d2 in _ties(G, x):
                    if y in home or G.nodes[y].get("kind") not in _ACTORS or not _counts(d2):
                        continue
                    found.setdefault(y, _Partner()).note(_base_strength(d) * _base_strength(d2), (d, d2), h, x, today)
    for x, d, h in tended:  # a role for a place dates a partnership it already has, and makes none
        if x in found:
            found[x].tend(d, h, today)
    rows = []
    for n, p in found.items():
        if not p.live or (p.last is not None and p.last >= cutoff):
            continue
        node = G.nodes[n]
        srcs = (p.last_tie or {}).get("sources") or []
        rows.append({
            "id": n, "name": node.get("name", n), "kind": node.get("kind"), "country": node.get("country"),
            "strength": round(p.strength, 3), "last_activity": p.last_text,
            "last_tie": p.last_tie["id"] if p.last_tie else None,
            "via": G.nodes[p.via].get("name", p.via) if p.via else None,
            "source": srcs[0]["url"] if srcs else None, "holders": _names(G, p.holders),
        })
    rows.sort(key=lambda r: (-r["strength"], r["name"], r["id"]))
    return {"on": today.isoformat(), "quiet_since": cutoff.isoformat(), "partners": rows}
