"""neo4j"""
