// Maintenance statements for tests and the CLI.

// name: delete_batch
// Delete up to $batch nodes (and their relationships); the caller loops until 0.
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted

// name: ping
RETURN 1 AS ok
