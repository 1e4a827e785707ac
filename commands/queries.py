"""The query commands: path, intro, clusters, brokers, suggest, neighbours and themes.

Each parses its options, calls one function of `queries`, and renders the result as a table
for people or as JSON for scripts (the shapes the functions document).
"""
from __future__ import annotations


import click

from queries.centrality import brokers as find_brokers
from queries.clusters import clusters as find_clusters
from queries.clusters import themes_summary
from queries.introductions import introductions
from queries.neighbours import neighbours as find_neighbours
from queries.paths import find_paths
from queries.suggest import suggest as find_suggestions

from .backends import backend_options, on_backend
from .options import (as_of_option, data_option, emit, format_option, include_inactive_option, library_errors,
                      short_name, table, theme_option)


def question_options(f):
    """What every question takes: --data, --backend and the Neo4j options, --as-of, --format;
    and the library's errors as one message."""
    for decorator in reversed((data_option, backend_options, as_of_option, format_option, library_errors)):
        f = decorator(f)
    return f

__all__ = ["COMMANDS"]


def _when(as_of) -> str:
    return f"as of {as_of}" if as_of else "today"


def _route_line(names: list[str]) -> str:
    return " → ".join(short_name(n) for n in names)


def _explained(lines: list[str], indent: str = "     ") -> list[str]:
    return [f"{indent}{line}" for line in lines]


# --- path -------------------------------------------------------------------------------------

@click.command()
@click.argument("source")
@click.argument("target")
@click.option("-k", "k", type=click.IntRange(1, 50), default=3, show_default=True, help="How many routes.")
@click.option("--by", type=click.Choice(["hops", "strength"]), default="hops", show_default=True,
              help="Fewest hops, or strongest ties (cost = sum of -log strength).")
@theme_option
@click.option("--max-hops", type=click.IntRange(1, 20), default=None, help="Only routes of at most N hops.")
@click.option("--via", default=None, metavar="ENTITY", help="Only routes through this entity.")
@click.option("--avoid", multiple=True, metavar="ENTITY|KIND",
              help="Never pass through this entity, or any entity of this kind (repeatable).")
@include_inactive_option
@question_options
def path(source, target, k, by, theme, max_hops, via, avoid, include_inactive, data_path, backend, neo4j, as_of, fmt):
    """The k best routes between two entities, each hop with its relation, dates and sources.

    SOURCE and TARGET are ids, names or aliases.

    \b
    Example:
      espoo-net path "Enter Espoo" "SK hynix"
      espoo-net path espoo cbnu --by strength --avoid person
      espoo-net path espoo ubc --as-of 2021-06-01 --via gatchina --format json
      espoo-net path espoo cbnu --max-hops 4 --backend neo4j
    """
    result = on_backend(backend, data_path, neo4j, find_paths, source, target, bounded=True, k=k, by=by, theme=theme, as_of=as_of,
                        max_hops=max_hops, via=via, avoid=avoid, include_inactive=include_inactive)
    emit(fmt, result, _render_paths)


def _render_paths(r: dict) -> str:
    first = r["routes"][0]
    head = f"Routes from {first['names'][0]} to {first['names'][-1]}, {_when(r['as_of'])}, by {r['by']}"
    if r.get("theme"):
        head += f", on {r['theme']}"
    rows = [(i, p["length"], f"{p['strength']:.3f}", p["band"], _route_line(p["names"])) for i, p in enumerate(r["routes"], 1)]
    out = [head, "", table(rows, ["#", "hops", "strength", "band", "route"])]
    for i, p in enumerate(r["routes"], 1):
        out += ["", f"{i}. {_route_line(p['names'])}"] + _explained(p["explanation"])
    return "\n".join(out)


# --- intro ------------------------------------------------------------------------------------

@click.command()
@click.argument("target")
@click.option("--from", "from_", default=None, metavar="ENTITY", help="Start only from this entity, not all of our side.")
@click.option("-k", "k", type=click.IntRange(1, 20), default=5, show_default=True, help="How many routes.")
@theme_option
@click.option("--max-hops", type=click.IntRange(1, 8), default=4, show_default=True,
              help="Longest route considered, in hops between actors (a shared agreement, project or event is one).")
@include_inactive_option
@click.option("--all-routes", is_flag=True, default=False,
              help="Also list routes too weak to act on (below the schema's `shown` score); by default they are counted.")
@question_options
def intro(target, from_, k, theme, max_hops, include_inactive, all_routes, data_path, backend, neo4j, as_of, fmt):
    """Who on our side can introduce us to TARGET, through what, and how warm the route is.

    Routes start from our side (entities marked home: the City of Espoo, Enter Espoo, Espoo's
    universities, institutes, companies and their people), are ranked by a score of tie strength,
    recency and length, and start different ways, each read as warm, lukewarm or cold. Each hop
    is explained with its date, strength, note and source; a shared agreement, project or event
    is one hop between two of its participants, weaker the more participants it has.

    \b
    Example:
      espoo-net intro "SK hynix"
      espoo-net intro "Chungbuk National University" --from "Ossi Ritvos"
      espoo-net intro sochi --as-of 2021-06-01 --format json
      espoo-net intro shanghai --all
      espoo-net intro "SK hynix" --backend neo4j
    """
    result = on_backend(backend, data_path, neo4j, introductions, target, bounded=True, k=k, from_=from_, theme=theme,
                        as_of=as_of, max_hops=max_hops, include_inactive=include_inactive, all_routes=all_routes)
    emit(fmt, result, _render_intro)
    if not result["routes"]:  # no route is exit status 1, as for `path`, with what to try
        click.echo(f"Error: no route from our side reaches {result['target_name']} ({result['target']}); "
                   f"{_try_next(result)}", err=True)
        raise SystemExit(1)


def _try_next(r: dict) -> str:
    """What to try when no route reaches the target, from the limits the question had."""
    tries = []
    if not r.get("include_inactive"):
        tries.append("--all also uses ended, suspended and planned ties")
    if r.get("theme"):
        tries.append("leave out --theme to use ties on every theme")
    if r["max_hops"] < 8 and r.get("target_ties", 1):  # a longer route needs a tie at the target's end
        tries.append(f"--max-hops {min(8, r['max_hops'] + 2)} looks further")
    if r.get("from"):
        tries.append("leave out --from to start from all of our side")
    if not r.get("target_ties", 1):
        tries.append(f"{r['target_name']} has no tie a route can use on the day")
    return "; ".join(tries) if tries else "the data has no tie that joins it to our side"


def _through(x: dict) -> str:
    """What a route goes through, for the table: its go-betweens, or for one hop the shared
    activity it passes (an event of 4 parties is no direct relationship) or 'direct tie'."""
    if x["length"] > 1:
        return _route_line(x["names"][1:-1])
    h = x["hops"][0]
    if h.get("via"):
        return f"{h.get('via_kind', 'activity')} {short_name(h['via_name'], 36)} ({h['parties']} parties)"
    return "direct tie"


def _render_intro(r: dict) -> str:
    head = f"Introductions to {r['target_name']} [{r['target']}], {_when(r['as_of'])}, within {r['max_hops']} hops"
    if r.get("theme"):
        head += f", on {r['theme']}"
    if r.get("include_inactive"):
        head += ", ended ties too"
    out = [head, ""]
    if r.get("notes"):
        out += [f"Note: {n}." for n in r["notes"]] + [""]
    if r["target_contact_names"]:
        roles = r.get("target_contact_roles") or [None] * len(r["target_contact_names"])
        out += [f"People who speak for {r['target_name']}:"]
        out += [f"  {name}" + (f" ({role})" if role else "") for name, role in zip(r["target_contact_names"], roles)]
        out.append("")
    present = "; ".join(f"{p['name']} ({p['relation']})" for p in r.get("present") or ())
    if not r["routes"]:
        if present:
            out += [f"Our side works in {r['target_name']}: {present}.",
                    f"But none of our side has a tie to {r['target_name']} itself that a route could use."]
        else:
            out.append("No route from our side reaches it.")
        if r["nearest"]:
            out += ["Nearest reachable entities that share its themes or country:", table(
                ((short_name(n["name"]), n["id"], f"{n['score']:.3f}", n["hops"],
                  ", ".join(n["shared_themes"] + ([n["same_country"]] if n["same_country"] else []))) for n in r["nearest"]),
                ["entity", "id", "score", "hops", "shares"])]
        else:
            out.append("Nothing reachable shares its themes or country.")
        return "\n".join(out)
    if present:
        out += [f"Our side in {r['target_name']}: {present}", ""]
    if not any(x["band"] == "warm" for x in r["routes"]):
        out += [f"No route is warm: the best is {r['routes'][0]['band']} (score {r['routes'][0]['score']:.3f}), "
                "so expect to introduce yourself.", ""]
    rows = [(i, x["introducer_name"],
             (x["contact_name"] + (" (check first)" if x.get("contact_check") else "")) if x["contact_name"]
             else "(none on record)",
             f"{x['score']:.3f}", x["band"], x["length"], _through(x)) for i, x in enumerate(r["routes"], 1)]
    out.append(table(rows, ["#", "introducer", "ask", "score", "band", "hops", "through"]))
    if r.get("hidden"):
        n = r["hidden"]
        out += ["", f"{n} weaker route{'' if n == 1 else 's'} (score below {r['shown_from']}) not shown (--all-routes lists them)."]
    for i, x in enumerate(r["routes"], 1):
        why = f" ({x['contact_reason']})" if x.get("contact_reason") else ""
        if x["contact_name"] and x["contact"] != x["introducer"]:
            ask = f", ask {x['contact_name']}{why}"
        elif x["contact_name"]:
            ask = f"{why}"
        else:
            ask = f", nobody to ask on record{why}"
        out += ["", f"{i}. {x['introducer_name']}{ask}: {x['band']} (score {x['score']:.3f})"] + _explained(x["explanation"])
    if r["single_threaded"]:
        who = next(x["introducer_name"] for x in r["routes"] if x["introducer"] == r["single_thread"])
        out += ["", f"All routes within {r['max_hops']} hops go through {who}: if {who} cannot help, there is no other way in."]
    return "\n".join(out)


# --- clusters and themes ----------------------------------------------------------------------

def _some(names: list[str], n: int = 4) -> str:
    more = f" +{len(names) - n} more" if len(names) > n else ""
    return ", ".join(short_name(x, 36) for x in names[:n]) + more


@click.command()
@theme_option
@click.option("--algorithm", type=click.Choice(["louvain", "leiden"]), default="louvain", show_default=True,
              help="Community detection algorithm (both optimise modularity).")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed: the same seed gives the same clusters.")
@click.option("--engine", type=click.Choice(["auto", "networkx", "igraph"]), default="auto", show_default=True,
              help="Graph engine (auto: igraph, much faster on large networks).")
@question_options
def clusters(theme, algorithm, seed, engine, data_path, backend, neo4j, as_of, fmt):
    """Clusters of partners, with their dominant themes and countries and the entities that bridge them.

    \b
    Example:
      espoo-net clusters
      espoo-net clusters --theme quantum --algorithm leiden
    """
    emit(fmt, on_backend(backend, data_path, neo4j, find_clusters, theme=theme, algorithm=algorithm, as_of=as_of,
                         seed=seed, engine=engine), _render_clusters)


def _render_clusters(r: dict) -> str:
    # One block per cluster rather than a seven-column table: the table was ~290 characters
    # wide, so every row wrapped on a laptop terminal.
    scope = f"theme {r['theme']}" if r["theme"] else "the whole network"
    out = [f"{len(r['clusters'])} clusters of {scope}, {_when(r['as_of'])} ({r['algorithm']}, seed {r['seed']}): "
           f"{r['entities']} entities, {r['ties']} ties, modularity {r['modularity']:.3f}"]
    for c in r["clusters"]:
        facts = [f"{c['size']} entities", *([f"themes {', '.join(c['themes'])}"] if c["themes"] else []),
                 *([f"countries {', '.join(c['countries'])}"] if c["countries"] else [])]
        out += ["", f"{c['id']:>2}. {c['label']}", f"    {' · '.join(facts)}", f"    members: {_some(c['names'], 5)}"]
        if c["bridge_names"]:
            out.append(f"    bridges: {_some(c['bridge_names'], 4)}")
        if c["document_names"]:
            out.append(f"    held together by: {_some(c['document_names'], 3)}")
    return "\n".join(out)


@click.command()
@question_options
def themes(data_path, backend, neo4j, as_of, fmt):
    """The themes, with how many entities and ties carry each.

    "ties" counts ties on the theme as --theme filters them (tagged with it, or untagged between
    two entities on it); "tagged" only the ties that name it.

    \b
    Example:
      espoo-net themes
      espoo-net themes --as-of 2021-06-01 --format json
    """
    emit(fmt, on_backend(backend, data_path, neo4j, themes_summary, as_of), _render_themes)


def _render_themes(r: dict) -> str:
    """The table, and why a theme has no entities: only ties name it, or nothing does (yet)."""
    lines = [table(((t["id"], t["label"], t["entities"], t["ties"], t["tagged_ties"]) for t in r["themes"]),
                   ["theme", "label", "entities", "ties", "tagged"])]
    tie_only = [t["id"] for t in r["themes"] if not t["entities"] and t["ties"]]
    unused = [t["id"] for t in r["themes"] if not t["entities"] and not t["ties"]]
    if tie_only:
        lines.append(f"0 entities: no entity lists {', '.join(tie_only)}; only ties name "
                     f"{'it' if len(tie_only) == 1 else 'them'} (a tie's own themes)")
    if unused:
        lines.append(f"Not used yet: no entity lists {', '.join(unused)} and no tie that holds on the day names "
                     f"{'it' if len(unused) == 1 else 'them'}")
    return "\n".join(lines)


# --- brokers, suggest, neighbours -------------------------------------------------------------

@click.command()
@theme_option
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many brokers.")
@click.option("--sample", type=click.IntRange(1), default=None,
              help="Estimate betweenness from N sampled start entities (default: exact up to 5,000 entities).")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the sample.")
@question_options
def brokers(theme, top, sample, seed, data_path, backend, neo4j, as_of, fmt):
    """The brokers who hold the network together: betweenness, degree, tie strength and constraint.

    Betweenness: the share of shortest routes between others that pass through the entity.
    Constraint (Burt): low when its partners are not tied to each other, so it bridges them.

    \b
    Example:
      espoo-net brokers
      espoo-net brokers --theme climate --top 5
    """
    emit(fmt, on_backend(backend, data_path, neo4j, find_brokers, theme=theme, top=top, as_of=as_of, sample=sample,
                         seed=seed), _render_brokers)


def _render_brokers(r: dict) -> str:
    scope = f"theme {r['theme']}" if r["theme"] else "the whole network"
    head = f"Brokers of {scope}, {_when(r['as_of'])}: {r['entities']} entities, {r['ties']} ties"
    if r["sampled"]:
        head += f" (betweenness estimated from {r['sampled']} sampled entities)"
    rows = [(i, short_name(b["name"]), b["id"], b["kind"], f"{b['betweenness']:.3f}", b["degree"], f"{b['strength']:.2f}",
             f"{b['constraint']:.3f}") for i, b in enumerate(r["brokers"], 1)]
    return "\n".join([head, "", table(rows, ["#", "name", "id", "kind", "betweenness", "ties", "strength", "constraint"]), "",
                      "betweenness: the share of shortest routes between others that pass through the entity.",
                      "constraint (Burt, 0-1): low when its partners are not tied to each other, so it is their bridge."])


@click.command()
@click.argument("entity")
@click.option("-k", "k", type=click.IntRange(1, 100), default=10, show_default=True, help="How many suggestions.")
@question_options
def suggest(entity, k, data_path, backend, neo4j, as_of, fmt):
    """Who ENTITY should be talking to: entities not yet tied to it that share its themes and partners.

    \b
    Example:
      espoo-net suggest iqm
      espoo-net suggest "Enter Espoo" -k 5 --format json
    """
    emit(fmt, on_backend(backend, data_path, neo4j, find_suggestions, entity, k=k, as_of=as_of), _render_suggest)


def _render_suggest(r: dict) -> str:
    head = f"Suggested partners for {r['name']} [{r['entity']}], {_when(r['as_of'])}"
    if not r["suggestions"]:
        return head + "\n\nNo suggestion: nobody two steps away shares its themes."
    rows = [(i, short_name(s["name"]), s["id"], s["kind"], f"{s['score']:.3f}", s["reason"]) for i, s in enumerate(r["suggestions"], 1)]
    return "\n".join([head, "", table(rows, ["#", "name", "id", "kind", "score", "why"])])


@click.command()
@click.argument("entity")
@click.option("--depth", type=click.IntRange(1, 5), default=1, show_default=True, help="How many ties away.")
@theme_option
@question_options
def neighbours(entity, depth, theme, data_path, backend, neo4j, as_of, fmt):
    """Everyone within --depth ties of ENTITY, with the ties that lead to them.

    \b
    Example:
      espoo-net neighbours cbnu
      espoo-net neighbours espoo --depth 2 --theme quantum
      espoo-net neighbours cbnu --depth 2 --backend neo4j
    """
    emit(fmt, on_backend(backend, data_path, neo4j, find_neighbours, entity, depth=depth, theme=theme, as_of=as_of),
         _render_neighbours)


def _render_neighbours(r: dict) -> str:
    scope = f" on {r['theme']}" if r["theme"] else ""
    ties = "tie" if r["depth"] == 1 else "ties"
    head = f"Neighbours of {r['name']} [{r['entity']}] within {r['depth']} {ties}{scope}, {_when(r['as_of'])}"
    rows = [(n["distance"], short_name(n["name"]), n["id"], n["kind"], n["country"] or "", "; ".join(_tie_text(t) for t in n["ties"]))
            for n in r["neighbours"]]
    return "\n".join([head, "", table(rows, ["hops", "name", "id", "kind", "country", "tied by"]), f"{len(rows)} found"])


def _tie_text(t: dict) -> str:
    """'cbnu —party to→' (from the nearer entity to this one) or '—works for→ enter-espoo' (the other way)."""
    return f"{t['from']} —{t['label']}→" if t["direction"] == "out" else f"—{t['label']}→ {t['from']}"


COMMANDS: list[click.Command] = [path, intro, clusters, brokers, suggest, neighbours, themes]
