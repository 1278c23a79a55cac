// Alliances: partnerships of two or more actors; nodes, because they carry
// dates, a type, a horizon, an evaluation and initiatives.

// name: create_many
// Create alliances the writer found nowhere in the database (checked before,
// in the same transaction unless the import is staged): CREATE instead of
// MERGE, no comparison with stored values, LOCATED_IN and CARRIES created outright;
// importId tags the nodes of a staged import (null otherwise).
// $ids, $props (maps, nulls left out), $sources (each row's source, for its
// ties: `$props[i].source` there reads to the planner as a property that
// `SET += $props[i]` may write, and it buffered every row in an Eager),
// $territories (lists of territory handles),
// $carries (lists of initiative handles).
// Returns the new nodes' handles by row index, and the ties made.
UNWIND range(0, size($ids) - 1) AS i
CREATE (al:Alliance {id: $ids[i]})
SET al += $props[i], al.createdAt = $now, al.createdBy = $by, al.updatedAt = $now,
    al.importId = $import
WITH al, i
CALL (al, i) {
  UNWIND $territories[i] AS place
  MATCH (t:Territory) WHERE elementId(t) = place
  CREATE (al)-[:LOCATED_IN {createdAt: $now, createdBy: $by, source: $sources[i],
                             updatedAt: $now}]->(t)
  RETURN count(*) AS placed
}
CALL (al, i) {
  UNWIND $carries[i] AS project
  MATCH (p:Initiative) WHERE elementId(p) = project
  CREATE (al)-[:CARRIES {createdAt: $now, createdBy: $by, source: $sources[i],
                         updatedAt: $now}]->(p)
  RETURN count(*) AS carried
}
RETURN collect(i) AS rows, collect(elementId(al)) AS handles,
       sum(placed) + sum(carried) AS linked

// name: upsert_many
// Create or update alliances from $rows: [{id, props, territories, carries}];
// LOCATED_IN and CARRIES follow the row exactly when given (null: untouched),
// but for links to deleted nodes (see actors.upsert_many).
// Rows that would change nothing are skipped and not returned; $undo keeps
// before-images, links included (see actors.upsert_many).
UNWIND $rows AS row
MERGE (al:Alliance {id: row.id})
ON CREATE SET al.createdAt = $now, al.createdBy = $by, al._created = true
WITH al, row, coalesce(al._created, false) AS created
WHERE created OR al.deletedAt IS NOT NULL
   OR any(k IN keys(row.props) WHERE NOT coalesce(al[k] = row.props[k], al[k] IS NULL AND row.props[k] IS NULL))
   OR (row.territories IS NOT NULL AND (
        COUNT { (al)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL } <> size(row.territories)
        OR any(c IN row.territories WHERE NOT EXISTS { (al)-[:LOCATED_IN]->(:Territory {id: c}) })))
   OR (row.carries IS NOT NULL AND (
        COUNT { (al)-[:CARRIES]->(i:Initiative) WHERE i.deletedAt IS NULL } <> size(row.carries)
        OR any(c IN row.carries WHERE NOT EXISTS { (al)-[:CARRIES]->(:Initiative {id: c}) })))
CALL (al, created) {
  WITH al, created WHERE $undo IS NOT NULL
  CREATE (u:ImportUndo)
  SET u = CASE WHEN created THEN {} ELSE properties(al) END,
      u.undoImport = $undo, u.undoNode = elementId(al), u.undoCreated = created,
      u.undoAt = $now
  RETURN collect(u) AS undo  // one row: [] without $undo
}
SET al += row.props, al.updatedAt = $now
REMOVE al.deletedAt
WITH al, row, undo
CALL (al, row, undo) {
  OPTIONAL MATCH (al)-[r:LOCATED_IN]->(t:Territory)
  WHERE row.territories IS NOT NULL AND t.deletedAt IS NULL AND NOT t.id IN row.territories
  CALL (undo, r, t) {
    WITH undo, r, t WHERE r IS NOT NULL
    UNWIND undo AS u
    CREATE (u)-[k:UNDO_LINK]->(t)
    SET k = properties(r), k.undoType = 'LOCATED_IN'
  }
  DELETE r
}
CALL (al, row) {
  UNWIND coalesce(row.territories, []) AS code
  MATCH (t:Territory {id: code}) USING INDEX t:Territory(id)
  MERGE (al)-[r:LOCATED_IN]->(t)
  ON CREATE SET r.createdAt = $now, r.createdBy = $by, r.source = row.props.source,
                r.updatedAt = $now
}
CALL (al, row, undo) {
  OPTIONAL MATCH (al)-[r:CARRIES]->(i:Initiative)
  WHERE row.carries IS NOT NULL AND i.deletedAt IS NULL AND NOT i.id IN row.carries
  CALL (undo, r, i) {
    WITH undo, r, i WHERE r IS NOT NULL
    UNWIND undo AS u
    CREATE (u)-[k:UNDO_LINK]->(i)
    SET k = properties(r), k.undoType = 'CARRIES'
  }
  DELETE r
}
CALL (al, row) {
  UNWIND coalesce(row.carries, []) AS iid
  MATCH (i:Initiative {id: iid}) USING INDEX i:Initiative(id)
  MERGE (al)-[r:CARRIES]->(i)
  ON CREATE SET r.createdAt = $now, r.createdBy = $by, r.source = row.props.source,
                r.updatedAt = $now
}
WITH al, coalesce(al._created, false) AS created
REMOVE al._created
RETURN collect([al.id, created]) AS written

// name: soft_delete
MATCH (al:Alliance {id: $id}) WHERE al.deletedAt IS NULL
SET al.deletedAt = $now, al.updatedAt = $now
RETURN al.id AS id

// name: by_ids
UNWIND $ids AS id
MATCH (al:Alliance {id: id}) WHERE al.deletedAt IS NULL
RETURN al {.*} AS node

// name: page
// One page of alliances after the cursor, filtered, ordered by id.
// $active_at keeps alliances running at that date (since <= d, until null or >= d).
MATCH (al:Alliance)
WHERE al.deletedAt IS NULL
  AND ($after IS NULL OR al.id > $after)
  AND ($types IS NULL OR al.type IN $types)
  AND ($horizons IS NULL OR al.horizon IN $horizons)
  AND ($text IS NULL OR toLower(al.name) CONTAINS toLower($text))
  AND ($active_at IS NULL OR ((al.since IS NULL OR al.since <= $active_at)
                              AND (al.until IS NULL OR al.until >= $active_at)))
  AND ($territory IS NULL OR EXISTS {
        MATCH p = (al)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..]->(:Territory {id: $territory})
        WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL) })
RETURN al {.*} AS node
ORDER BY al.id
LIMIT $limit

// name: count
MATCH (al:Alliance)
WHERE al.deletedAt IS NULL
  AND ($types IS NULL OR al.type IN $types)
  AND ($horizons IS NULL OR al.horizon IN $horizons)
  AND ($text IS NULL OR toLower(al.name) CONTAINS toLower($text))
  AND ($active_at IS NULL OR ((al.since IS NULL OR al.since <= $active_at)
                              AND (al.until IS NULL OR al.until >= $active_at)))
  AND ($territory IS NULL OR EXISTS {
        MATCH p = (al)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..]->(:Territory {id: $territory})
        WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL) })
RETURN count(al) AS total
