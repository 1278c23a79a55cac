// Staged imports (graphmap.services.writer._write_staged): a workbook too large
// for one transaction is written in several. Its Import node is the lock (the
// import_running constraint lets one node hold `running`) and the record that
// lets a failed or abandoned import be undone: the nodes it created carry its
// id as `importId`.

// name: begin
// Record an import and claim the lock; a constraint error when another
// import holds it.
CREATE (i:Import {id: $id, running: 'import', status: 'running', by: $by, file: $file,
                  startedAt: $now, heartbeat: $now})
RETURN i.id AS id

// name: running
// The import holding the lock, if any, with its last heartbeat.
MATCH (i:Import {running: 'import'})
RETURN i.id AS id, i.by AS by, i.file AS file, i.startedAt AS startedAt,
       i.heartbeat AS heartbeat

// name: heartbeat
// A running import says it is alive (once per transaction it commits).
MATCH (i:Import {id: $id})
SET i.heartbeat = $now
RETURN i.id AS id

// name: finish
// The import's last transaction: done, lock released.
MATCH (i:Import {id: $id})
SET i.status = 'done', i.finishedAt = $now, i.rows = $rows, i.changed = $changed
REMOVE i.running
RETURN i.id AS id

// name: fail
// A failed or abandoned import, once undone: lock released, reason kept.
MATCH (i:Import {id: $id})
SET i.status = $status, i.finishedAt = $now, i.error = $error
REMOVE i.running
RETURN i.id AS id

// name: discard
// Undo: delete up to $batch of the nodes import $id created, with their
// relationships; call until it returns 0. A scan of each label: this runs
// only when an import failed, and spares every import an index to maintain.
CALL () {
  MATCH (n:Actor) WHERE n.importId = $id RETURN n
  UNION ALL
  MATCH (n:Initiative) WHERE n.importId = $id RETURN n
  UNION ALL
  MATCH (n:Alliance) WHERE n.importId = $id RETURN n
  UNION ALL
  MATCH (n:Territory) WHERE n.importId = $id RETURN n
}
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
