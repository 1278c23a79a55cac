"""Neo4j access only: driver lifecycle, the Cypher registry, repositories."""
