// Maintenance statements for tests and the CLI.

// name: delete_batch
// Delete up to $batch relationships or, once none is left, up to $batch
// nodes; the caller loops until 0. Relationships first: a DETACH DELETE of
// $batch nodes would also delete every tie of the dense ones (an alliance of
// thousands of members), past the transaction memory limit on a big graph.
CALL () {
  MATCH ()-[r]->()
  WITH r LIMIT $batch
  DELETE r
  RETURN count(r) AS ties
}
CALL (ties) {
  WITH ties WHERE ties = 0
  MATCH (n)
  WITH n LIMIT $batch
  DELETE n
  RETURN count(n) AS nodes
}
RETURN ties + nodes AS deleted

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
