// Initiatives: what actors do together (collective experiments, territorial
// animations, partnership support).

// name: create_many
// Create initiatives the writer found nowhere in the database (checked before,
// in the same transaction unless the import is staged): CREATE instead of
// MERGE, no comparison with stored values, LOCATED_IN created outright;
// importId tags the nodes of a staged import (null otherwise).
// $ids, $props (maps, nulls left out), $sources (each row's source, for its
// ties: `$props[i].source` there reads to the planner as a property that
// `SET += $props[i]` may write, and it buffered every row in an Eager),
// $territories (lists of territory handles).
// Returns the new nodes' handles by row index, and the ties made.
UNWIND range(0, size($ids) - 1) AS i
CREATE (n:Initiative {id: $ids[i]})
SET n += $props[i], n.createdAt = $now, n.createdBy = $by, n.updatedAt = $now,
    n.importId = $import
WITH n, i
CALL (n, i) {
  UNWIND $territories[i] AS place
  MATCH (t:Territory) WHERE elementId(t) = place
  CREATE (n)-[:LOCATED_IN {createdAt: $now, createdBy: $by, source: $sources[i],
                             updatedAt: $now}]->(t)
  RETURN count(*) AS placed
}
RETURN collect(i) AS rows, collect(elementId(n)) AS handles, sum(placed) AS linked

// name: upsert_many
// Create or update initiatives from $rows: [{id, props, territories}] (links to
// deleted territories left alone, see actors.upsert_many); rows
// that would change nothing are skipped and not returned; $undo keeps
// before-images (see actors.upsert_many).
UNWIND $rows AS row
MERGE (i:Initiative {id: row.id})
ON CREATE SET i.createdAt = $now, i.createdBy = $by, i._created = true
WITH i, row, coalesce(i._created, false) AS created
WHERE created OR i.deletedAt IS NOT NULL
   OR any(k IN keys(row.props) WHERE NOT coalesce(i[k] = row.props[k], i[k] IS NULL AND row.props[k] IS NULL))
   OR (row.territories IS NOT NULL AND (
        COUNT { (i)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL } <> size(row.territories)
        OR any(c IN row.territories WHERE NOT EXISTS { (i)-[:LOCATED_IN]->(:Territory {id: c}) })))
CALL (i, created) {
  WITH i, created WHERE $undo IS NOT NULL
  CREATE (u:ImportUndo)
  SET u = CASE WHEN created THEN {} ELSE properties(i) END,
      u.undoImport = $undo, u.undoNode = elementId(i), u.undoCreated = created,
      u.undoAt = $now
  RETURN collect(u) AS undo  // one row: [] without $undo
}
SET i += row.props, i.updatedAt = $now
REMOVE i.deletedAt
WITH i, row, undo
CALL (i, row, undo) {
  OPTIONAL MATCH (i)-[r:LOCATED_IN]->(t:Territory)
  WHERE row.territories IS NOT NULL AND t.deletedAt IS NULL AND NOT t.id IN row.territories
  CALL (undo, r, t) {
    WITH undo, r, t WHERE r IS NOT NULL
    UNWIND undo AS u
    CREATE (u)-[k:UNDO_LINK]->(t)
    SET k = properties(r), k.undoType = 'LOCATED_IN'
  }
  DELETE r
}
CALL (i, row) {
  UNWIND coalesce(row.territories, []) AS code
  MATCH (t:Territory {id: code}) USING INDEX t:Territory(id)
  MERGE (i)-[r:LOCATED_IN]->(t)
  ON CREATE SET r.createdAt = $now, r.createdBy = $by, r.source = row.props.source,
                r.updatedAt = $now
}
WITH i, coalesce(i._created, false) AS created
REMOVE i._created
RETURN collect([i.id, created]) AS written

// name: soft_delete
MATCH (i:Initiative {id: $id}) WHERE i.deletedAt IS NULL
SET i.deletedAt = $now, i.updatedAt = $now
RETURN i.id AS id

// name: by_ids
UNWIND $ids AS id
MATCH (i:Initiative {id: id}) WHERE i.deletedAt IS NULL
RETURN i {.*} AS node

// name: page
// One page of initiatives after the cursor, filtered, ordered by id.
MATCH (i:Initiative)
WHERE i.deletedAt IS NULL
  AND ($after IS NULL OR i.id > $after)
  AND ($forms IS NULL OR i.form IN $forms)
  AND ($stages IS NULL OR i.stage IN $stages)
  AND ($themes IS NULL OR any(t IN coalesce(i.themes, []) WHERE t IN $themes))
  AND ($text IS NULL OR toLower(i.name) CONTAINS toLower($text))
  AND ($territory IS NULL OR EXISTS {
        MATCH p = (i)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..]->(:Territory {id: $territory})
        WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL) })
RETURN i {.*} AS node
ORDER BY i.id
LIMIT $limit

// name: count
MATCH (i:Initiative)
WHERE i.deletedAt IS NULL
  AND ($forms IS NULL OR i.form IN $forms)
  AND ($stages IS NULL OR i.stage IN $stages)
  AND ($themes IS NULL OR any(t IN coalesce(i.themes, []) WHERE t IN $themes))
  AND ($text IS NULL OR toLower(i.name) CONTAINS toLower($text))
  AND ($territory IS NULL OR EXISTS {
        MATCH p = (i)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..]->(:Territory {id: $territory})
        WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL) })
RETURN count(i) AS total
