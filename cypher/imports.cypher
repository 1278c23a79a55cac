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
// relationships; call until it returns 0. A node someone edited meanwhile
// (its updatedAt moved on from its creation) or tied to something (a
// relationship made or changed at another time than the import's) stays,
// untagged, with that edit: an API edit, recorded in the history, is not
// undone by a failed import. A scan of each label: this runs only when an
// import failed, and spares every import an index to maintain.
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
WITH n, n.updatedAt <> n.createdAt
        OR EXISTS { (n)-[r]-() WHERE r.createdAt <> n.createdAt OR r.updatedAt <> n.createdAt }
        AS edited
CALL (n, edited) {
  WITH n WHERE edited
  REMOVE n.importId
}
CALL (n, edited) {
  WITH n WHERE NOT edited
  DETACH DELETE n
}
RETURN count(*) AS deleted

// name: restore
// Undo: put back up to $batch of the ties import $id changed, from their
// before-images (memberships.upsert_*_many with $undo): a tie it created is
// deleted, a tie it updated gets its properties back; unless someone edited
// the tie since (its updatedAt moved on): that edit stays. Call until it
// returns 0.
MATCH (u:ImportUndo {undoImport: $id}) WHERE u.undoTie IS NOT NULL
WITH u LIMIT $batch
OPTIONAL MATCH ()-[r]->() WHERE elementId(r) = u.undoTie AND r.updatedAt = u.undoAt
CALL (u, r) {
  WITH u, r WHERE r IS NOT NULL AND u.undoCreated
  DELETE r
}
CALL (u, r) {
  WITH u, r WHERE r IS NOT NULL AND NOT u.undoCreated
  SET r = properties(u)
  REMOVE r.undoImport, r.undoTie, r.undoCreated, r.undoAt
}
DELETE u
RETURN count(*) AS restored

// name: restore_nodes
// Undo: put back up to $batch of the actors, initiatives, alliances and
// territories import $id changed, from their before-images (*.upsert_many
// with $undo): their properties, the links the import removed (UNDO_LINK
// copies, provenance kept) and not the links it made (created at its time);
// a node it created is deleted. A node someone edited since (its updatedAt
// moved on) keeps the edit. Call until it returns 0.
MATCH (u:ImportUndo {undoImport: $id}) WHERE u.undoNode IS NOT NULL
WITH u LIMIT $batch
OPTIONAL MATCH (n) WHERE elementId(n) = u.undoNode AND n.updatedAt = u.undoAt
CALL (u, n) {
  WITH u, n WHERE n IS NOT NULL AND NOT u.undoCreated
  OPTIONAL MATCH (n)-[made:LOCATED_IN|CARRIES|PART_OF]->()
  WHERE made.createdAt = u.undoAt
  DELETE made
}
CALL (u, n) {
  WITH u, n WHERE n IS NOT NULL AND NOT u.undoCreated
  MATCH (u)-[k:UNDO_LINK]->(other)
  CREATE (n)-[r:$(k.undoType)]->(other)
  SET r = properties(k)
  REMOVE r.undoType
}
CALL (u, n) {
  WITH u, n WHERE n IS NOT NULL AND NOT u.undoCreated
  SET n = properties(u)
  REMOVE n.undoImport, n.undoNode, n.undoCreated, n.undoAt
}
CALL (u, n) {
  WITH u, n WHERE n IS NOT NULL AND u.undoCreated
  DETACH DELETE n
}
DETACH DELETE u
RETURN count(*) AS restored

// name: forget
// Delete up to $batch before-images (with their UNDO_LINK copies) no import
// needs: those of $id once it is done, or (with $id null, when no import
// runs) every one left. Call until it returns 0.
MATCH (u:ImportUndo)
WHERE $id IS NULL OR u.undoImport = $id
WITH u LIMIT $batch
DETACH DELETE u
RETURN count(*) AS forgotten
