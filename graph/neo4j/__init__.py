"""The model's mapping to Neo4j: labels and relationship types from the schema's whitelist,
every Cypher statement (`cypher`), and the stored form of attributes (`storage`).

Talking to a server is not the model's business: push and pull are loaders
(`loaders.neo4j`), the searches that run in the server are queries (`queries.server`).
Nothing here imports the neo4j driver.
"""
