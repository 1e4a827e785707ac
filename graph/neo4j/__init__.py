"""The Neo4j backend: push the network to a Neo4j server, pull it back, and query it there.

`backend` (push, pull, status), `cypher` (every statement), `storage` (the stored form),
`queries` (path, neighbours and introductions searched in the server), `commands` (the CLI).
Nothing here imports the neo4j driver until a function needs it.
"""

DEFAULT_BATCH_SIZE = 2000
"""Rows per transaction: ArcadeDB's cost per row grows with the transaction (5x slower at
20,000 rows than at 2,000), Neo4j's does not; 2,000 is near the best for both."""
