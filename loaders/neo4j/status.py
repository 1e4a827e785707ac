"""What the server is and holds: product, version, counts, our constraints, the data version."""
from __future__ import annotations

import re



from graph.neo4j import cypher as C
from .connection import Connection, Settings, connect, id_constraints



# --- status --------------------------------------------------------------------------------------

def _product(agent: str, components: list) -> tuple[str, str, str | None]:
    m = re.search(r"\((ArcadeDB) ([^)]+)\)", agent)
    if m:
        return m.group(1), m.group(2), None
    comp = next((c for c in components if c["name"] == "Neo4j Kernel"), None)
    version = comp["versions"][0] if comp and comp["versions"] else agent.partition("/")[2]
    return "Neo4j", version, comp["edition"] if comp else None


def status(settings: Settings | None = None) -> dict:
    """The server, its version, the database and its counts by label and relationship type.

    Examples
    --------
    >>> status(Settings(password="secret"))["managed"]   # doctest: +SKIP
    {'entities': 124, 'relations': 310, 'themes': 18}
    """
    conn = connect(settings)
    components = conn.read(C.SERVER_COMPONENTS, doing="reading the server version")
    product, version, edition = _product(conn.agent, components)
    labels = {r["label"]: r["count"] for r in conn.read(C.COUNT_LABELS, doing="counting labels")}
    types = {r["type"]: r["count"] for r in conn.read(C.COUNT_TYPES, doing="counting relationship types")}
    nodes = conn.read(C.COUNT_MANAGED_NODES, doing="counting entities", marker=C.MARKER)[0]
    rels = conn.read(C.COUNT_MANAGED_RELATIONS, doing="counting relations", marker=C.MARKER)[0]
    return {
        "uri": conn.settings.shown_uri,
        "database": conn.settings.database or "default",
        "server": conn.agent,
        "product": product,
        "version": version,
        "edition": edition,
        "dialect": conn.dialect,
        "labels": labels,
        "types": types,
        "managed": {"entities": nodes["entities"] or 0, "relations": rels["relations"] or 0,
                    "themes": nodes["themes"] or 0},
        "constraints": _our_constraints(conn),
        "data": data_version(conn.settings),
    }


def data_version(settings: Settings | None = None) -> dict | None:
    """The data version the last push that changed anything recorded: {"version": n, "stamp": a
    token new to that push, "pushed_at": "YYYY-MM-DDTHH:MM:SSZ"}; None before any. One small read:
    `espoo-net serve --backend neo4j` asks it every few seconds to see a new push.

    >>> data_version(Settings(password="secret"))   # doctest: +SKIP
    {'version': 3, 'stamp': '9f2c4d1e0a7b3c55', 'pushed_at': '2026-12-02T04:10:00Z'}
    """
    rows = connect(settings).read(C.READ_VERSION, doing="reading the data version", marker=C.MARKER)
    if not rows:
        return None
    return {"version": rows[0]["version"], "stamp": rows[0]["stamp"], "pushed_at": rows[0]["pushed_at"]}


def _our_constraints(conn: Connection) -> list[str] | None:
    found = id_constraints(conn)
    return None if found is None else sorted(t for t, _ in C.schema_statements() if t in found)
