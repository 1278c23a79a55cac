// Reference checks, run inside a write transaction before writing, so that a
// dangling reference is reported by field and nothing is half-written.

// name: existing
// Which of the given ids exist (live) under each label; territories as
// [code, handle] pairs (a handle is the element id the writer's CREATE
// statements take, see memberships.create_alliance_many).
RETURN
  COLLECT {
    UNWIND $territories AS id
    MATCH (t:Territory {id: id}) WHERE t.deletedAt IS NULL
    RETURN [id, elementId(t)]
  } AS territories,
  [id IN $actors WHERE EXISTS { MATCH (a:Actor {id: id}) WHERE a.deletedAt IS NULL }] AS actors,
  [id IN $alliances WHERE EXISTS { MATCH (g:Alliance {id: id}) WHERE g.deletedAt IS NULL }] AS alliances,
  [id IN $initiatives WHERE EXISTS { MATCH (g:Initiative {id: id}) WHERE g.deletedAt IS NULL }] AS initiatives

// name: labels_of
// The label holding each of $ids among Actor, Initiative, Alliance (deleted
// ones included), as one record of [id, label, handle] triples (imports ask
// about 100k ids: one record costs the driver far less than 100k).
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Actor {id: id}) RETURN 'Actor' AS label, elementId(n) AS handle
  UNION
  MATCH (n:Initiative {id: id}) RETURN 'Initiative' AS label, elementId(n) AS handle
  UNION
  MATCH (n:Alliance {id: id}) RETURN 'Alliance' AS label, elementId(n) AS handle
}
RETURN collect([id, label, handle]) AS found

// name: territory_codes
// Which of $ids are territory codes, deleted ones included, as one record
// (the writer creates the others without MERGE; create and update of a
// territory check that its code is free, or taken).
// Returned as [code, handle] pairs.
UNWIND $ids AS id
MATCH (t:Territory {id: id}) USING INDEX t:Territory(id)
RETURN collect([id, elementId(t)]) AS found

// name: territory_hierarchy
// The live territories above $codes (them included) and those directly under
// them, as one record of [code, level, parent codes] triples: a write refuses
// a PART_OF that goes down the levels or closes a loop (services/hierarchy.py).
CALL () {
  UNWIND $codes AS code
  MATCH (:Territory {id: code})-[:PART_OF*0..]->(t:Territory)
  RETURN t
  UNION
  UNWIND $codes AS code
  MATCH (:Territory {id: code})<-[:PART_OF]-(t:Territory)
  RETURN t
}
WITH DISTINCT t
WHERE t.deletedAt IS NULL
RETURN collect([
  t.id, t.level,
  COLLECT { MATCH (t)-[:PART_OF]->(p:Territory) WHERE p.deletedAt IS NULL RETURN p.id }
]) AS found
