// Actors: organisations and groups (domain.md). Soft-deleted actors
// (deletedAt set) are invisible to every read.

// name: create_many
// Create actors the writer found nowhere in the database (checked before,
// in the same transaction unless the import is staged): CREATE instead of
// MERGE, no comparison with stored values, LOCATED_IN created outright;
// importId tags the nodes of a staged import (null otherwise).
// $ids, $props (maps, nulls left out), $sources (each row's source, for its
// ties: `$props[i].source` there reads to the planner as a property that
// `SET += $props[i]` may write, and it buffered every row in an Eager),
// $territories (lists of territory handles).
// Returns the new nodes' handles by row index, and the ties made.
UNWIND range(0, size($ids) - 1) AS i
CREATE (a:Actor {id: $ids[i]})
SET a += $props[i], a.createdAt = $now, a.createdBy = $by, a.updatedAt = $now,
    a.importId = $import
WITH a, i
CALL (a, i) {
  UNWIND $territories[i] AS place
  MATCH (t:Territory) WHERE elementId(t) = place
  CREATE (a)-[:LOCATED_IN {createdAt: $now, createdBy: $by, source: $sources[i],
                             updatedAt: $now}]->(t)
  RETURN count(*) AS placed
}
RETURN collect(i) AS rows, collect(elementId(a)) AS handles, sum(placed) AS linked

// name: upsert_many
// Create or update actors from $rows: [{id, props, territories}];
// LOCATED_IN follows `territories` exactly (missing ones removed, new ones
// added, kept ones keep their provenance). Links to deleted territories are
// neither compared nor removed: the exports leave them out, so re-importing
// an export changes nothing, and restoring the territory brings them back.
// A row that would change nothing
// (same properties and territories, not deleted) is skipped: no SET, no
// updatedAt bump, not returned. Returns one record of [id, created] pairs
// for the actors written. $undo (an import's id, or null): keep a
// before-image of each actor changed, as an ImportUndo node with an UNDO_LINK
// copy of each LOCATED_IN removed, so that a staged import can be undone
// (imports.restore_nodes).
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
ON CREATE SET a.createdAt = $now, a.createdBy = $by, a._created = true
WITH a, row, coalesce(a._created, false) AS created
WHERE created OR a.deletedAt IS NOT NULL
   OR any(k IN keys(row.props) WHERE NOT coalesce(a[k] = row.props[k], a[k] IS NULL AND row.props[k] IS NULL))
   OR (row.territories IS NOT NULL AND (
        COUNT { (a)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL } <> size(row.territories)
        OR any(c IN row.territories WHERE NOT EXISTS { (a)-[:LOCATED_IN]->(:Territory {id: c}) })))
CALL (a, created) {
  WITH a, created WHERE $undo IS NOT NULL
  CREATE (u:ImportUndo)
  SET u = CASE WHEN created THEN {} ELSE properties(a) END,
      u.undoImport = $undo, u.undoNode = elementId(a), u.undoCreated = created,
      u.undoAt = $now
  RETURN collect(u) AS undo  // one row: [] without $undo
}
SET a += row.props, a.updatedAt = $now
REMOVE a.deletedAt
WITH a, row, undo
CALL (a, row, undo) {
  OPTIONAL MATCH (a)-[r:LOCATED_IN]->(t:Territory)
  WHERE row.territories IS NOT NULL AND t.deletedAt IS NULL AND NOT t.id IN row.territories
  CALL (undo, r, t) {
    WITH undo, r, t WHERE r IS NOT NULL
    UNWIND undo AS u
    CREATE (u)-[k:UNDO_LINK]->(t)
    SET k = properties(r), k.undoType = 'LOCATED_IN'
  }
  DELETE r
}
CALL (a, row) {
  UNWIND coalesce(row.territories, []) AS code
  MATCH (t:Territory {id: code}) USING INDEX t:Territory(id)
  MERGE (a)-[r:LOCATED_IN]->(t)
  ON CREATE SET r.createdAt = $now, r.createdBy = $by, r.source = row.props.source,
                r.updatedAt = $now
}
WITH a, coalesce(a._created, false) AS created
REMOVE a._created
RETURN collect([a.id, created]) AS written

// name: soft_delete
// Mark one actor deleted; its relationships stay for history.
MATCH (a:Actor {id: $id}) WHERE a.deletedAt IS NULL
SET a.deletedAt = $now, a.updatedAt = $now
RETURN a.id AS id

// name: by_ids
// Actors by id, in no particular order (the loader reorders).
UNWIND $ids AS id
MATCH (a:Actor {id: id}) WHERE a.deletedAt IS NULL
RETURN a {.*} AS node

// name: page
// One page of actors after the cursor, filtered; ordered by id for stable cursors.
MATCH (a:Actor)
WHERE a.deletedAt IS NULL
  AND ($after IS NULL OR a.id > $after)
  AND ($kinds IS NULL OR a.kind IN $kinds)
  AND ($worlds IS NULL OR a.world IN $worlds)
  AND ($text IS NULL OR toLower(a.name) CONTAINS toLower($text))
  AND ($declared_role IS NULL OR $declared_role IN coalesce(a.declaredRoles, []))
  AND ($territory IS NULL OR EXISTS {
        MATCH p = (a)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..]->(:Territory {id: $territory})
        WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL) })
RETURN a {.*} AS node
ORDER BY a.id
LIMIT $limit

// name: count
// How many actors match the filter (the connection's totalCount).
MATCH (a:Actor)
WHERE a.deletedAt IS NULL
  AND ($kinds IS NULL OR a.kind IN $kinds)
  AND ($worlds IS NULL OR a.world IN $worlds)
  AND ($text IS NULL OR toLower(a.name) CONTAINS toLower($text))
  AND ($declared_role IS NULL OR $declared_role IN coalesce(a.declaredRoles, []))
  AND ($territory IS NULL OR EXISTS {
        MATCH p = (a)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..]->(:Territory {id: $territory})
        WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL) })
RETURN count(a) AS total

// name: identifier_clashes
// USING INDEX: a plan made while the graph was empty would scan every actor
// for every row (seen: 17 s for 10k rows, 237 s for 50k).
// For each row {id, siren, siret, rna}, the other actors (deleted ones too: the
// uniqueness constraint still holds them) already holding one of its identifiers.
UNWIND $rows AS row
CALL (row) {
  MATCH (a:Actor {siren: row.siren}) USING INDEX a:Actor(siren) WHERE a.id <> row.id
  RETURN a.id AS owner, 'siren' AS field, row.siren AS value
  UNION
  MATCH (a:Actor {siret: row.siret}) USING INDEX a:Actor(siret) WHERE a.id <> row.id
  RETURN a.id AS owner, 'siret' AS field, row.siret AS value
  UNION
  MATCH (a:Actor {rna: row.rna}) USING INDEX a:Actor(rna) WHERE a.id <> row.id
  RETURN a.id AS owner, 'rna' AS field, row.rna AS value
}
RETURN row.id AS id, field, value, owner
