// The history: every write appends Change nodes, so nothing a mapper entered
// is ever lost (design.md, "Graph model").

// name: record_many
// Append one Change per entry of $changes: [{op, entity, entityId, data}]
// (data: the written values as JSON text) and bump the graph revision, which
// analysis runs use to know whether the graph changed.
UNWIND $changes AS c
CREATE (:Change {id: randomUUID(), at: $now, by: $by, op: c.op, entity: c.entity,
                 entityId: c.entityId, data: c.data})
WITH count(*) AS written
MERGE (m:GraphMeta {key: 'graph'})
SET m.revision = coalesce(m.revision, 0) + 1, m.updatedAt = $now
RETURN written, m.revision AS revision

// name: of_entity
// The changes of one entity, newest first: single changes by their entityId,
// bulk ones (imports) by membership of entityIds, with that entity's row.
CALL () {
  MATCH (c:Change {entityId: $id})
  RETURN c {.*} AS change
  UNION ALL
  MATCH (c:Bulk)
  WHERE $id IN c.entityIds
  WITH c, [i IN range(0, size(c.entityIds) - 1) WHERE c.entityIds[i] = $id][0] AS i
  RETURN c {.id, .at, .by, .op, .entity, entityId: $id, data: c.data[i]} AS change
}
RETURN change
ORDER BY change.at DESC
LIMIT $limit

// name: revision
// The graph's current revision (0 before any write).
OPTIONAL MATCH (m:GraphMeta {key: 'graph'})
RETURN coalesce(m.revision, 0) AS revision

// name: append_many
// Append one Change per entry of $changes (as record_many) without touching
// the revision: the one summary change of a write without per-row history
// (the territorial reference), then bump_revision.
UNWIND $changes AS c
CREATE (:Change {id: randomUUID(), at: $now, by: $by, op: c.op, entity: c.entity,
                 entityId: c.entityId, data: c.data})
RETURN count(*) AS written

// name: append_bulk
// Append bulk changes (imports): one Change:Bulk per entry of $changes:
// [{op, entity, entityIds, data}], entityIds and data (each row as JSON text)
// side by side. Does not touch the revision (the writer bumps it once).
UNWIND $changes AS c
CREATE (:Change:Bulk {id: randomUUID(), at: $now, by: $by, op: c.op, entity: c.entity,
                      entityIds: c.entityIds, data: c.data})
RETURN count(*) AS written

// name: bump_revision
// Bump the graph revision once for a write that changed something.
MERGE (m:GraphMeta {key: 'graph'})
SET m.revision = coalesce(m.revision, 0) + 1, m.updatedAt = $now
RETURN m.revision AS revision
