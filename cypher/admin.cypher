// Maintenance statements for tests and the CLI.

// name: delete_batch
// Delete up to $batch nodes (and their relationships); the caller loops until 0.
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted

// name: ping
RETURN 1 AS ok

// name: dump
// Every node and relationship with its labels/type and properties, for tests
// that prove a rejected write left the database exactly as it was.
CALL () {
  MATCH (n)
  RETURN collect({labels: labels(n), props: n {.*}}) AS nodes
}
CALL () {
  MATCH (a)-[r]->(b)
  RETURN collect({type: type(r), source: coalesce(a.id, a.key, elementId(a)),
                  target: coalesce(b.id, b.key, elementId(b)), props: r {.*}}) AS relationships
}
RETURN nodes, relationships
