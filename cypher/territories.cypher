// Territories: communes, EPCI, départements, régions, the country and named
// areas, linked upward by PART_OF. Their id is their code.

// name: create_many
// Create territories the writer found nowhere in the database: CREATE, no
// MERGE, no comparison (PART_OF by create_parent_links or link_parents
// afterwards). importId tags the nodes of a staged import (null otherwise).
// $ids, $props (maps, nulls left out). Returns the new nodes' handles (element
// ids) by row index.
UNWIND range(0, size($ids) - 1) AS i
CREATE (t:Territory {id: $ids[i]})
SET t += $props[i], t.createdAt = $now, t.createdBy = $by, t.updatedAt = $now,
    t.importId = $import
RETURN collect(i) AS rows, collect(elementId(t)) AS handles, 0 AS linked

// name: upsert_many
// Create or update territories from $rows: [{id, props, parents}]; PART_OF
// follows `parents` exactly when given (null: untouched; missing parents
// unlinked, new ones linked, kept ones keep their provenance; links to
// deleted parents left alone, see actors.upsert_many). Every parent
// exists already: the writer creates new territories (create_many) first.
// Rows that would change nothing are skipped and not returned; $undo keeps
// before-images (see actors.upsert_many).
UNWIND $rows AS row
MERGE (t:Territory {id: row.id})
ON CREATE SET t.createdAt = $now, t.createdBy = $by, t._created = true
WITH t, row, coalesce(t._created, false) AS created
WHERE created OR t.deletedAt IS NOT NULL
   OR any(k IN keys(row.props) WHERE NOT coalesce(t[k] = row.props[k], t[k] IS NULL AND row.props[k] IS NULL))
   OR (row.parents IS NOT NULL AND (
        COUNT { (t)-[:PART_OF]->(p:Territory) WHERE p.deletedAt IS NULL } <> size(row.parents)
        OR any(c IN row.parents WHERE NOT EXISTS { (t)-[:PART_OF]->(:Territory {id: c}) })))
CALL (t, created) {
  WITH t, created WHERE $undo IS NOT NULL
  CREATE (u:ImportUndo)
  SET u = CASE WHEN created THEN {} ELSE properties(t) END,
      u.undoImport = $undo, u.undoNode = elementId(t), u.undoCreated = created,
      u.undoAt = $now
  RETURN collect(u) AS undo  // one row: [] without $undo
}
SET t += row.props, t.updatedAt = $now
REMOVE t.deletedAt
WITH t, row, undo
CALL (t, row, undo) {
  OPTIONAL MATCH (t)-[r:PART_OF]->(p:Territory)
  WHERE row.parents IS NOT NULL AND p.deletedAt IS NULL AND NOT p.id IN row.parents
  CALL (undo, r, p) {
    WITH undo, r, p WHERE r IS NOT NULL
    UNWIND undo AS u
    CREATE (u)-[k:UNDO_LINK]->(p)
    SET k = properties(r), k.undoType = 'PART_OF'
  }
  DELETE r
}
CALL (t, row) {
  UNWIND coalesce(row.parents, []) AS code
  MATCH (p:Territory {id: code}) USING INDEX p:Territory(id)
  MERGE (t)-[r:PART_OF]->(p)
  ON CREATE SET r.createdAt = $now, r.createdBy = $by, r.source = row.props.source,
                r.updatedAt = $now
}
WITH t, coalesce(t._created, false) AS created
REMOVE t._created
RETURN collect([t.id, created]) AS written

// name: create_parent_links
// PART_OF for territories created in this same write (they have none yet):
// CREATE, no comparison. $territories (handles), $parents (lists of handles),
// $sources; see memberships.create_alliance_many for handles.
UNWIND range(0, size($territories) - 1) AS i
MATCH (t:Territory) WHERE elementId(t) = $territories[i]
UNWIND $parents[i] AS parent
MATCH (p:Territory) WHERE elementId(p) = parent
CREATE (t)-[:PART_OF {createdAt: $now, createdBy: $by, source: $sources[i], updatedAt: $now}]->(p)
RETURN count(*) AS linked

// name: soft_delete
MATCH (t:Territory {id: $id}) WHERE t.deletedAt IS NULL
SET t.deletedAt = $now, t.updatedAt = $now
RETURN t.id AS id

// name: by_ids
UNWIND $ids AS id
MATCH (t:Territory {id: id}) WHERE t.deletedAt IS NULL
RETURN t {.*} AS node

// name: page
// One page of territories after the cursor, filtered, ordered by code.
// $parent keeps the territories directly PART_OF it; $within, all below it.
MATCH (t:Territory)
WHERE t.deletedAt IS NULL
  AND ($after IS NULL OR t.id > $after)
  AND ($levels IS NULL OR t.level IN $levels)
  AND ($text IS NULL OR toLower(t.name) CONTAINS toLower($text))
  AND ($parent IS NULL OR EXISTS { MATCH (t)-[:PART_OF]->(p:Territory {id: $parent}) WHERE p.deletedAt IS NULL })
  AND ($within IS NULL OR EXISTS {
        MATCH p = (t)-[:PART_OF*1..]->(:Territory {id: $within})
        WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL) })
RETURN t {.*} AS node
ORDER BY t.id
LIMIT $limit

// name: count
MATCH (t:Territory)
WHERE t.deletedAt IS NULL
  AND ($levels IS NULL OR t.level IN $levels)
  AND ($text IS NULL OR toLower(t.name) CONTAINS toLower($text))
  AND ($parent IS NULL OR EXISTS { MATCH (t)-[:PART_OF]->(p:Territory {id: $parent}) WHERE p.deletedAt IS NULL })
  AND ($within IS NULL OR EXISTS {
        MATCH p = (t)-[:PART_OF*1..]->(:Territory {id: $within})
        WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL) })
RETURN count(t) AS total

// name: parents_of
// The territories each of $ids is directly part of.
UNWIND $ids AS id
MATCH (:Territory {id: id})-[:PART_OF]->(p:Territory)
WHERE p.deletedAt IS NULL
RETURN id, p {.*} AS node

// name: children_count
// How many live territories are directly part of each of $ids.
UNWIND $ids AS id
OPTIONAL MATCH (c:Territory)-[:PART_OF]->(:Territory {id: id})
WHERE c.deletedAt IS NULL
RETURN id, count(c) AS total

// name: of_nodes
// The territories each node of $ids (actor, initiative, alliance) is located in.
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Actor {id: id}) RETURN n
  UNION
  MATCH (n:Initiative {id: id}) RETURN n
  UNION
  MATCH (n:Alliance {id: id}) RETURN n
}
MATCH (n)-[:LOCATED_IN]->(t:Territory)
WHERE t.deletedAt IS NULL
RETURN id, t {.*} AS node
