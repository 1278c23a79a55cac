// Memberships: who takes part in what. (Actor)-[:MEMBER_OF]->(Alliance) and
// (Actor)-[:CONTRIBUTES_TO]->(Initiative), with role, since, until, provenance.
// Bulk statements here and in the other files carry USING INDEX: a plan cached
// while the graph was empty may otherwise scan a whole label for every row.

// name: create_alliance_many
// Create MEMBER_OF ties that cannot exist yet (their actor or alliance is created
// by this same write): CREATE instead of MERGE. $actors, $targets (handles),
// $props (maps, nulls and dates left out), $since and $until (ISO dates or
// null: the driver's Python date conversion was a tenth of a large import).
// Rows come as parallel lists, and other nodes as handles (element ids the
// writer looked up or created in this import), not ids: a node by element id
// costs Neo4j no index seek and no lock on an index entry (150k ties, side by
// side: 6.0-6.4 s by id, 4.0-4.3 s by handle; 14 s against 10.6 s of Neo4j CPU
// for a whole 204k-row import). The writer
// compares the returned counts with what it sent: a handle gone stale (a node
// hard-deleted meanwhile) fails the write instead of dropping a tie.
UNWIND range(0, size($actors) - 1) AS i
MATCH (a:Actor) WHERE elementId(a) = $actors[i]
MATCH (g:Alliance) WHERE elementId(g) = $targets[i]
CREATE (a)-[r:MEMBER_OF]->(g)
SET r.role = 'PARTNER', r += $props[i], r.since = date($since[i]), r.until = date($until[i]),
    r.createdAt = $now, r.createdBy = $by, r.updatedAt = $now
RETURN count(r) AS linked

// name: upsert_alliance_many
// Create or update MEMBER_OF from $rows: [{actor, target, props}].
// Rows that would change nothing are skipped and not returned; the others
// come back as one record of [actor, target, created] triples (a record per
// tie cost the driver a tenth of a 300k-tie update). $undo (an
// import's id, or null): keep a before-image of each tie changed, as an
// ImportUndo node, so that a staged import can be undone (imports.restore).
UNWIND $rows AS row
MATCH (a:Actor {id: row.actor}), (g:Alliance {id: row.target})
USING INDEX a:Actor(id) USING INDEX g:Alliance(id)
MERGE (a)-[r:MEMBER_OF]->(g)
ON CREATE SET r.createdAt = $now, r.createdBy = $by, r._created = true, r.role = 'PARTNER'
WITH r, row, coalesce(r._created, false) AS created
WHERE created OR r.deletedAt IS NOT NULL
   OR any(k IN keys(row.props) WHERE NOT coalesce(r[k] = row.props[k], r[k] IS NULL AND row.props[k] IS NULL))
FOREACH (_ IN CASE WHEN $undo IS NULL THEN [] ELSE [1] END |
  CREATE (u:ImportUndo)
  SET u = CASE WHEN created THEN {} ELSE properties(r) END,
      u.undoImport = $undo, u.undoTie = elementId(r), u.undoCreated = created,
      u.undoAt = $now)
SET r += row.props, r.updatedAt = $now
REMOVE r.deletedAt, r._created
RETURN collect([row.actor, row.target, created]) AS written

// name: create_initiative_many
// Create CONTRIBUTES_TO ties that cannot exist yet (their actor or initiative is created
// by this same write): CREATE instead of MERGE. $actors, $targets (handles),
// $props (maps, nulls and dates left out), $since and $until (ISO dates or
// null: the driver's Python date conversion was a tenth of a large import).
// Rows come as parallel lists, and other nodes as handles (element ids the
// writer looked up or created in this import), not ids: a node by element id
// costs Neo4j no index seek and no lock on an index entry (150k ties, side by
// side: 6.0-6.4 s by id, 4.0-4.3 s by handle; 14 s against 10.6 s of Neo4j CPU
// for a whole 204k-row import). The writer
// compares the returned counts with what it sent: a handle gone stale (a node
// hard-deleted meanwhile) fails the write instead of dropping a tie.
UNWIND range(0, size($actors) - 1) AS i
MATCH (a:Actor) WHERE elementId(a) = $actors[i]
MATCH (g:Initiative) WHERE elementId(g) = $targets[i]
CREATE (a)-[r:CONTRIBUTES_TO]->(g)
SET r.role = 'PARTNER', r += $props[i], r.since = date($since[i]), r.until = date($until[i]),
    r.createdAt = $now, r.createdBy = $by, r.updatedAt = $now
RETURN count(r) AS linked

// name: upsert_initiative_many
// Create or update CONTRIBUTES_TO from $rows: [{actor, target, props}].
// Rows that would change nothing are skipped and not returned; the others
// come back as one record of [actor, target, created] triples (a record per
// tie cost the driver a tenth of a 300k-tie update). $undo (an
// import's id, or null): keep a before-image of each tie changed, as an
// ImportUndo node, so that a staged import can be undone (imports.restore).
UNWIND $rows AS row
MATCH (a:Actor {id: row.actor}), (g:Initiative {id: row.target})
USING INDEX a:Actor(id) USING INDEX g:Initiative(id)
MERGE (a)-[r:CONTRIBUTES_TO]->(g)
ON CREATE SET r.createdAt = $now, r.createdBy = $by, r._created = true, r.role = 'PARTNER'
WITH r, row, coalesce(r._created, false) AS created
WHERE created OR r.deletedAt IS NOT NULL
   OR any(k IN keys(row.props) WHERE NOT coalesce(r[k] = row.props[k], r[k] IS NULL AND row.props[k] IS NULL))
FOREACH (_ IN CASE WHEN $undo IS NULL THEN [] ELSE [1] END |
  CREATE (u:ImportUndo)
  SET u = CASE WHEN created THEN {} ELSE properties(r) END,
      u.undoImport = $undo, u.undoTie = elementId(r), u.undoCreated = created,
      u.undoAt = $now)
SET r += row.props, r.updatedAt = $now
REMOVE r.deletedAt, r._created
RETURN collect([row.actor, row.target, created]) AS written

// name: remove
// Soft-remove the membership of $actor in $target (alliance or initiative).
MATCH (a:Actor {id: $actor})-[r:MEMBER_OF|CONTRIBUTES_TO]->(g {id: $target})
WHERE r.deletedAt IS NULL AND (g:Alliance OR g:Initiative)
SET r.deletedAt = $now, r.updatedAt = $now
RETURN count(r) AS removed

// name: of_actors
// Every live membership of each actor of $ids, with the group it points to.
UNWIND $ids AS id
MATCH (a:Actor {id: id})-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
WHERE r.deletedAt IS NULL AND g.deletedAt IS NULL
RETURN id, r {.*} AS rel, type(r) AS type, g {.*} AS node,
       CASE WHEN g:Alliance THEN 'Alliance' ELSE 'Initiative' END AS label

// name: of_groups
// Every live membership in each alliance or initiative of $ids, with its actor.
UNWIND $ids AS id
CALL (id) {
  MATCH (g:Alliance {id: id}) RETURN g
  UNION
  MATCH (g:Initiative {id: id}) RETURN g
}
MATCH (a:Actor)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
WHERE r.deletedAt IS NULL AND a.deletedAt IS NULL
RETURN id, r {.*} AS rel, type(r) AS type, a {.*} AS node

// name: carried_by
// The alliances carrying each initiative of $ids.
UNWIND $ids AS id
MATCH (al:Alliance)-[:CARRIES]->(:Initiative {id: id})
WHERE al.deletedAt IS NULL
RETURN id, al {.*} AS node

// name: carries
// The initiatives each alliance of $ids carries.
UNWIND $ids AS id
MATCH (:Alliance {id: id})-[:CARRIES]->(i:Initiative)
WHERE i.deletedAt IS NULL
RETURN id, i {.*} AS node
