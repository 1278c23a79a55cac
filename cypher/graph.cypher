// Traversals over the ecosystem: neighbourhoods, introduction paths, search.
// Only participation ties are walked (MEMBER_OF, CONTRIBUTES_TO, CARRIES):
// LOCATED_IN would join everything through the territories.

// name: expand
// One hop from each node of $ids (actors, initiatives, alliances): the ties
// and the live nodes at their other end. The service calls it once per hop.
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Actor {id: id}) RETURN n
  UNION
  MATCH (n:Initiative {id: id}) RETURN n
  UNION
  MATCH (n:Alliance {id: id}) RETURN n
}
MATCH (n)-[r:MEMBER_OF|CONTRIBUTES_TO|CARRIES]-(m)
WHERE r.deletedAt IS NULL AND m.deletedAt IS NULL
RETURN startNode(r).id AS source, endNode(r).id AS target, type(r) AS type, r.role AS role,
       m {.*} AS node, labels(m)[0] AS label
LIMIT $limit

// name: nodes_by_ids
// Live actors, initiatives and alliances by id, with their label.
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Actor {id: id}) RETURN n
  UNION
  MATCH (n:Initiative {id: id}) RETURN n
  UNION
  MATCH (n:Alliance {id: id}) RETURN n
}
WITH n WHERE n.deletedAt IS NULL
RETURN n {.*} AS node, labels(n)[0] AS label

// name: shortest_path
// The shortest chain of participation ties between two actors: who can
// introduce whom. Deleted nodes and ties are not walked.
MATCH (a:Actor {id: $source}), (b:Actor {id: $target})
MATCH p = shortestPath((a)-[:MEMBER_OF|CONTRIBUTES_TO|CARRIES*..16]-(b))
WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL)
  AND all(r IN relationships(p) WHERE r.deletedAt IS NULL)
RETURN [n IN nodes(p) | {node: n {.*}, label: labels(n)[0]}] AS nodes,
       [r IN relationships(p) | {source: startNode(r).id, target: endNode(r).id,
                                 type: type(r), role: r.role}] AS edges

// name: search
// Full-text search (French analyzer) over names and descriptions.
CALL db.index.fulltext.queryNodes('graphmap_names', $query, {limit: $limit})
YIELD node, score
WHERE node.deletedAt IS NULL
RETURN node {.*} AS node, labels(node)[0] AS label, score
ORDER BY score DESC

// name: counts
// How many live nodes of each kind the graph holds (health and summaries).
CALL () { MATCH (n:Actor) WHERE n.deletedAt IS NULL RETURN count(n) AS actors }
CALL () { MATCH (n:Initiative) WHERE n.deletedAt IS NULL RETURN count(n) AS initiatives }
CALL () { MATCH (n:Alliance) WHERE n.deletedAt IS NULL RETURN count(n) AS alliances }
CALL () { MATCH (n:Territory) WHERE n.deletedAt IS NULL RETURN count(n) AS territories }
RETURN actors, initiatives, alliances, territories
