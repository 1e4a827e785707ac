"""The `neo4j` commands: push, pull, status. The neo4j driver is imported only when one runs."""
from __future__ import annotations

import json

import click

from loaders.neo4j import DEFAULT_BATCH_SIZE
from loaders.neo4j import pull as pull_graph
from loaders.neo4j import push as push_graph
from loaders.neo4j import status as server_status

from .backends import neo4j_options
from .options import Progress, data_option, emit, focus_options, format_option, library_errors, load_graph_for, table, theme_option

__all__ = ["COMMANDS"]

# --- rendering -------------------------------------------------------------------------------------

def _render_push(s: dict) -> str:
    rows = [[name, c["created"], c["updated"], c["unchanged"], c["removed"], c["stale"]]
            for name, c in (("themes", s["themes"]), ("entities", s["entities"]), ("relations", s["relations"]))]
    lines = [f"pushed to {s['target']} in {s['seconds']:.1f} s ({s['batches']} batches); server: {s['server']}",
             table(rows, ["", "created", "updated", "unchanged", "removed", "stale"])]
    if s.get("version") is not None:
        lines.append(f"data version {s['version']} recorded (explorers on this server reload it)")
    lines.append(f"id uniqueness constraints in place: {len(s['constraints'])} labels and types"
                 + (f"; not supported here: {', '.join(s['unsupported'])}" if s["unsupported"] else ""))
    stale = s["entities"]["stale"] + s["relations"]["stale"] + s["themes"]["stale"]
    if stale and not s["pruned"]:
        lines.append(f"{stale:,} written earlier and no longer in the data: push with --prune to remove them")
    if s["kept"]:
        lines.append(f"kept, since relationships not written by espoo-net touch them: {', '.join(s['kept'])}")
    return "\n".join(lines)


def _graph_summary(G, out: str | None) -> dict:
    from collections import Counter

    return {
        "origin": G.graph.get("origin"),
        "entities": G.number_of_nodes(),
        "relations": G.number_of_edges(),
        "themes": len(G.graph.get("themes", {})),
        "entity_kinds": dict(sorted(Counter(k for _, k in G.nodes(data="kind")).items())),
        "relation_kinds": dict(sorted(Counter(k for *_, k in G.edges(data="kind")).items())),
        "out": out,
    }


def _render_pull(s: dict) -> str:
    lines = [f"pulled {s['entities']} entities, {s['relations']} relations and {s['themes']} themes "
             f"from {s['origin'].removeprefix('neo4j ')}"]
    lines.append(table(s["entity_kinds"].items(), ["entity kind", "count"]))
    lines.append(table(s["relation_kinds"].items(), ["relation kind", "count"]))
    if s["out"]:
        lines.append(f"written to {s['out']}")
    return "\n\n".join(lines)


def _render_status(s: dict) -> str:
    head = [
        ["server", f"{s['product']} {s['version']}" + (f" ({s['edition']})" if s["edition"] else "")],
        ["agent", s["server"]],
        ["uri", s["uri"]],
        ["database", s["database"]],
        ["managed", f"{s['managed']['entities']:,} entities, {s['managed']['relations']:,} relations, "
                    f"{s['managed']['themes']:,} themes"],
        ["constraints", "not visible to this user" if s["constraints"] is None
         else f"id unique on {len(s['constraints'])} of this tool's labels and types"],
        ["data", "no push recorded" if not s.get("data")
         else f"version {s['data']['version']}, pushed {s['data']['pushed_at']}"],
    ]
    return "\n\n".join([
        "\n".join(f"{key:<12} {value}" for key, value in head),
        table(s["labels"].items(), ["label", "nodes"]),
        table(s["types"].items(), ["relationship type", "count"]),
    ])


def _node_link(G) -> dict:
    import networkx as nx

    return nx.node_link_data(G, edges="edges")


# --- the commands ----------------------------------------------------------------------------------

@click.group(name="neo4j")
def neo4j_group() -> None:
    """Push the network to a Neo4j server, pull it back, and see what the server holds.

    Connection settings come from the options or from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD
    and NEO4J_DATABASE. Every query command also takes --backend neo4j.

    \b
    Example:
      export NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=...
      espoo-net neo4j push
      espoo-net neo4j status
    """


@neo4j_group.command()
@data_option
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Rows per transaction.")
@click.option("--prune", is_flag=True,
              help="Also remove entities and relations pushed earlier that the data no longer has "
                   "(only what this tool wrote; other data in the database is never touched).")
@neo4j_options
@format_option
@library_errors
def push(data_path, batch_size, prune, neo4j, fmt):
    """Write the validated dataset to Neo4j, idempotently.

    Entities become nodes labelled by kind (and :EspooNet), relations become relationships
    typed by kind, each MERGEd by id with every attribute, in batches of --batch-size rows,
    each its own transaction. Pushing the same data again changes nothing. Progress goes to
    stderr; the summary counts what was created, updated, left unchanged and removed. If a batch
    fails, the batches before it stay written, the error says how much, and pushing again
    finishes the job.

    \b
    Example:
      espoo-net neo4j push --data data/
      espoo-net neo4j push --prune --batch-size 2000 --format json
    """
    G = load_graph_for(data_path)
    progress = Progress()
    try:
        summary = push_graph(G, neo4j, batch_size=batch_size, prune=prune, progress=progress)
    finally:
        if progress.shown:
            click.echo("", err=True)  # end the progress line, so an error starts on its own
    emit(fmt, summary.to_dict(), _render_push)


@neo4j_group.command()
@theme_option
@focus_options(min_depth=1)
@click.option("--out", "out", default=None, metavar="FILE",
              help="Write the pulled graph as JSON (networkx node-link; '-' for stdout).")
@neo4j_options
@format_option
@library_errors
def pull(theme, focus, depth, out, neo4j, fmt):
    """Read the network back from Neo4j, whole or in part, into the model.

    Without --out, prints what was pulled; with --out FILE, writes the graph as node-link JSON
    (attributes, relation ids as edge keys and the theme taxonomy included).

    \b
    Example:
      espoo-net neo4j pull
      espoo-net neo4j pull --focus "Enter Espoo" --depth 2 --out enter-espoo.json
      espoo-net neo4j pull --theme quantum --format json
    """
    G = pull_graph(neo4j, theme=theme, focus=focus, depth=depth)
    if out == "-":
        click.echo(json.dumps(_node_link(G), ensure_ascii=False, indent=2))
        return
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump(_node_link(G), f, ensure_ascii=False, indent=2)
    emit(fmt, _graph_summary(G, out), _render_pull)


@neo4j_group.command()
@neo4j_options
@format_option
@library_errors
def status(neo4j, fmt):
    """The server, its version, the database, and its counts by label and relationship type.

    \b
    Example:
      espoo-net neo4j status
      NEO4J_DATABASE=espoo espoo-net neo4j status --format json
    """
    emit(fmt, server_status(neo4j), _render_status)


COMMANDS: list[click.Command] = [neo4j_group]
