"""Maps and exports: the offline HTML map, slide images, and files for Gephi, Neo4j and friends.

Modules: `view` (what a map shows), `layout` (where), `html` and `image` (drawing), `export`
(GraphML, GEXF, JSON, CSV, Cypher, and imports), `render` (one call per command), `commands`
(the `map` and `export` commands). This package module stays light: cli.py imports it.
"""

MAP_FORMATS = ("html", "png", "svg", "pdf")
EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "cypher")
