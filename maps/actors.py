"""A view of actors: what a map leaves out or redraws so that it shows who works with whom.

- Shared activities (agreements, projects, events, networks: `graph.style.shared_activity_kinds`)
  with two or three participants on the map become labelled ties between the participants
  (`activities="edges"`); larger ones stay as small hubs. `"nodes"` keeps every activity as a
  hub, `"hide"` leaves activities out.
- Place facts (relations of the "place" family: located in, headquartered in, operates in, key
  market) are drawn only on the geographic map, where the map itself says where things are.
- Entities left without a tie are dropped unless asked for.

`actor_view` changes the map's own copy of the graph in place and returns what it hid, which the
caption says.
"""
from __future__ import annotations

from itertools import combinations

import networkx as nx

from graph.errors import EspooNetError
from graph.schema import SCHEMA
from graph.style import SHARED_ACTIVITY, relation_family, shared_activity_kinds

from .drawing import short_label

__all__ = ["ACTIVITY_MODES", "actor_view", "family_of", "hidden_caption", "off_map_note"]

ACTIVITY_MODES = ("edges", "nodes", "hide")
MAX_FOLDED = 3  # an activity with up to this many participants on the map becomes ties


def family_of(data: dict) -> str:
    """The family an edge is drawn and counted under: its own (a folded activity), else its kind's."""
    return data.get("family") or relation_family(data["kind"])


def _participants(H: nx.MultiDiGraph, activity: str, shared: frozenset[str]) -> dict[str, list[dict]]:
    """{participant: the data of its participation ties to the activity (schema `participates`)},
    place facts and other activities aside."""
    out: dict[str, list[dict]] = {}
    for u, v, d in list(H.in_edges(activity, data=True)) + list(H.out_edges(activity, data=True)):
        other = u if v == activity else v
        if other == activity or H.nodes[other]["kind"] in shared or family_of(d) == "place":
            continue
        if d["kind"] not in SCHEMA.participation_kinds:
            continue  # a contact person's tie: not a participant (`_speakers`)
        out.setdefault(other, []).append(d)
    return dict(sorted(out.items()))


def _speakers(H: nx.MultiDiGraph, activity: str, parts: dict, shared: frozenset[str]) -> bool:
    """Whether an actor other than its participants has a tie to the activity (a contact person:
    schema `participates`); such an activity stays a node, so that tie still shows."""
    for u, v, d in list(H.in_edges(activity, data=True)) + list(H.out_edges(activity, data=True)):
        other = u if v == activity else v
        if other not in parts and other != activity and H.nodes[other]["kind"] not in shared \
                and family_of(d) != "place":
            return True
    return False


def _fold(H: nx.MultiDiGraph, activity: str, parts: dict[str, list[dict]]) -> None:
    """Replace an activity by a tie between each two of its participants, named after it."""
    d = H.nodes[activity]
    name = short_label(d.get("name") or activity, d.get("aliases") or [])
    for p, q in combinations(parts, 2):
        links = parts[p] + parts[q]
        sources = {(s["url"], s["seen"]): s for link in links for s in link.get("sources") or []}
        sinces = [x["since"] for x in links if x.get("since")]
        untils = [x["until"] for x in links if x.get("until")]
        first = parts[p][0]
        H.add_edge(p, q, key=f"{activity}~{p}~{q}", id=f"{activity}~{p}~{q}", kind=first["kind"],
                   family=SHARED_ACTIVITY, via=activity, label=name,
                   since=max(sinces) if sinces else None, until=min(untils) if untils else None,
                   status=first.get("status"), themes=sorted(set(d.get("themes") or [])) or None,
                   note=d.get("description"), sources=[sources[k] for k in sorted(sources)])
    H.remove_node(activity)


def actor_view(H: nx.MultiDiGraph, *, activities: str = "edges", places: bool = False, isolated: bool = False,
               keep: tuple[str, ...] = ()) -> dict[str, int]:
    """Redraw `H` (a map's own copy) as a view of actors, in place; returns what was hidden.

    Parameters
    ----------
    H : the map's graph (changed in place).
    activities : "edges" (small activities as ties), "nodes" (all as hubs) or "hide".
    places : keep place facts (the geographic map does).
    isolated : keep entities without a tie.
    keep : nodes never folded, hidden or dropped (a highlighted route, the focus).

    Returns
    -------
    ``{"place facts": n, "activities as ties": n, "activities hidden": n, "unconnected": n}``
    (zero counts left out).

    Examples
    --------
    >>> H = nx.MultiDiGraph()
    >>> H.add_node("a", kind="city", name="A"); H.add_node("b", kind="city", name="B")
    >>> H.add_node("mou", kind="agreement", name="A-B MoU")
    >>> H.add_edge("a", "mou", key="r1", kind="party_to"); H.add_edge("b", "mou", key="r2", kind="party_to")
    'r1'
    'r2'
    >>> actor_view(H), sorted(H.edges(data="label"))
    ({'activities as ties': 1}, [('a', 'b', 'A-B MoU')])
    """
    if activities not in ACTIVITY_MODES:
        raise EspooNetError(f"unknown activities mode {activities!r} (use one of: {', '.join(ACTIVITY_MODES)})")
    hidden = {"place facts": 0, "activities as ties": 0, "activities hidden": 0, "unconnected": 0}
    kept = set(keep)
    if not places:
        facts = [(u, v, k) for u, v, k, d in H.edges(keys=True, data=True) if family_of(d) == "place"]
        H.remove_edges_from(facts)
        hidden["place facts"] = len(facts)
    shared = shared_activity_kinds()
    for a in sorted(n for n, k in H.nodes(data="kind") if k in shared and n not in kept):
        if activities == "hide":
            H.remove_node(a)
            hidden["activities hidden"] += 1
            continue
        parts = _participants(H, a, shared)
        if activities == "edges" and 2 <= len(parts) <= MAX_FOLDED and not _speakers(H, a, parts, shared):
            _fold(H, a, parts)
            hidden["activities as ties"] += 1
    if not isolated:
        alone = sorted(n for n in H if n not in kept and not any(x != n for x in nx.all_neighbors(H, n)))
        H.remove_nodes_from(alone)
        hidden["unconnected"] = len(alone)
    return {k: v for k, v in hidden.items() if v}


def hidden_caption(hidden: dict[str, int]) -> str:
    """What a view of actors redrew or left out, for the caption."""
    out = []
    if hidden.get("counterparts"):
        out.append(f"with {hidden['counterparts']} entities on our side tied to them (--no-counterparts leaves them out)")
    if hidden.get("counterparts left out"):
        out.append(f"{hidden['counterparts left out']} entities on our side tied to them left out (--counterparts "
                   "draws them)")
    if hidden.get("activities as ties"):
        n = hidden["activities as ties"]
        out.append(f"{n} {'activity' if n == 1 else 'activities'} with 2-3 partners drawn as ties between them")
    words = {"place facts": "{} place facts (see --layout geo)", "activities hidden": "{} activities",
             "unconnected": "{} entities without ties (--isolated keeps them)"}
    one = {"activities hidden": "1 activity", "unconnected": "1 entity without ties (--isolated keeps it)"}
    bits = [one[k] if v == 1 and k in one else words[k].format(v) for k, v in hidden.items() if k in words and v]
    if bits:
        out.append("left off the map: " + ", ".join(bits))
    if hidden.get("unplaced"):
        out.append(f"{hidden['unplaced']} entities with no known place are in the row below the map")
    return "; ".join(out)


def off_map_note(hidden: dict[str, int]) -> str:
    """The entities of the selection that are not the map's nodes, said beside the count of the
    map's own ("11 of 11 entities on the map shown"), so the two counts read as one story;
    empty when every entity of the selection is a node.

    >>> off_map_note({"unconnected": 6, "activities as ties": 1, "place facts": 3})
    'Besides these, 6 entities without ties are left off the map (--isolated keeps them); 1 activity is drawn as ties between its partners.'
    """
    def many(n: int, one: str, more: str) -> str:
        return f"{n} {one if n == 1 else more}"
    bits = []
    if hidden.get("unconnected"):
        n = hidden["unconnected"]
        bits.append(many(n, "entity without ties is", "entities without ties are")
                    + f" left off the map (--isolated keeps {'it' if n == 1 else 'them'})")
    if hidden.get("activities hidden"):
        bits.append(many(hidden["activities hidden"], "activity is", "activities are") + " left off the map")
    if hidden.get("activities as ties"):
        n = hidden["activities as ties"]
        bits.append(many(n, "activity is", "activities are") + f" drawn as ties between {'its' if n == 1 else 'their'} partners")
    return "Besides these, " + "; ".join(bits) + "." if bits else ""
