// The web map's compact read: one scope (territory and its sub-territories,
// as of a date) in two statements, nodes then ties, with the metrics of the
// newest finished analysis run over the whole graph (scopeKey '*|*') when
// there is one. Nothing here walks LOCATED_IN beyond the scope test.
//
// Scope: an actor is in scope when it is located in $territory or any
// sub-territory (all live actors when $territory is null); an alliance or an
// initiative when it is located there or one of its in-scope actors takes
// part in it, so a national alliance shows beside its local members.
// As of $as_of (a date, or null for "everything"): memberships and
// alliances running at that date, initiatives started by then, actors whose
// first membership started by then.

// name: nodes
// The live actors, alliances and initiatives of the scope, as map rows:
// kind, label fields, territory codes, dates and metrics (null without a run).
CALL () {
  OPTIONAL MATCH (run:AnalysisRun {scopeKey: '*|*', status: 'done'})
  RETURN run ORDER BY run.createdAt DESC LIMIT 1
}
CALL (run) {
  MATCH (a:Actor)
  WHERE a.deletedAt IS NULL AND 'ACTOR' IN $include
    AND ($territory IS NULL OR EXISTS {
          MATCH (a)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..6]->(:Territory {id: $territory}) })
  CALL (a) {
    OPTIONAL MATCH (a)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
    WHERE r.deletedAt IS NULL AND g.deletedAt IS NULL
    RETURN min(r.since) AS since, count(r) AS ties,
           count(CASE WHEN r.since IS NULL THEN 1 END) AS undated
  }
  WITH a, since, ties, undated, run
  WHERE $as_of IS NULL OR ties = 0 OR undated > 0 OR since <= $as_of
  OPTIONAL MATCH (run)-[m:MEASURED]->(a)
  RETURN 'ACTOR' AS kind, a.id AS id, a.name AS name, a.kind AS actorKind, a.world AS world,
         [(a)-[:LOCATED_IN]->(t:Territory) | t.id] AS territories,
         CASE WHEN undated > 0 THEN null ELSE since END AS since, null AS until,
         m.degree AS degree, m.betweenness AS betweenness, m.pagerank AS pagerank,
         m.bridgeScore AS bridgeScore, null AS emergenceScore,
         'FACILITATOR' IN coalesce(a.declaredRoles, []) AS declaredFacilitator,
         null AS themes, null AS allianceType
  UNION ALL
  MATCH (i:Initiative)
  WHERE i.deletedAt IS NULL AND 'INITIATIVE' IN $include
    AND ($as_of IS NULL OR i.startedOn IS NULL OR i.startedOn <= $as_of)
    AND ($territory IS NULL
         OR EXISTS { MATCH (i)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..6]->(:Territory {id: $territory}) }
         OR EXISTS { MATCH (i)<-[r:CONTRIBUTES_TO]-(a:Actor)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..6]->(:Territory {id: $territory})
                     WHERE r.deletedAt IS NULL AND a.deletedAt IS NULL })
  OPTIONAL MATCH (run)-[m:MEASURED]->(i)
  RETURN 'INITIATIVE' AS kind, i.id AS id, i.name AS name, null AS actorKind, null AS world,
         [(i)-[:LOCATED_IN]->(t:Territory) | t.id] AS territories,
         i.startedOn AS since, null AS until,
         m.degree AS degree, m.betweenness AS betweenness, m.pagerank AS pagerank,
         null AS bridgeScore, m.emergenceScore AS emergenceScore,
         null AS declaredFacilitator, coalesce(i.themes, []) AS themes, null AS allianceType
  UNION ALL
  MATCH (al:Alliance)
  WHERE al.deletedAt IS NULL AND 'ALLIANCE' IN $include
    AND ($as_of IS NULL OR ((al.since IS NULL OR al.since <= $as_of)
                            AND (al.until IS NULL OR al.until >= $as_of)))
    AND ($territory IS NULL
         OR EXISTS { MATCH (al)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..6]->(:Territory {id: $territory}) }
         OR EXISTS { MATCH (al)<-[r:MEMBER_OF]-(a:Actor)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..6]->(:Territory {id: $territory})
                     WHERE r.deletedAt IS NULL AND a.deletedAt IS NULL })
  RETURN 'ALLIANCE' AS kind, al.id AS id, al.name AS name, null AS actorKind, null AS world,
         [(al)-[:LOCATED_IN]->(t:Territory) | t.id] AS territories,
         al.since AS since, al.until AS until,
         null AS degree, null AS betweenness, null AS pagerank,
         null AS bridgeScore, null AS emergenceScore,
         null AS declaredFacilitator, null AS themes, al.type AS allianceType
}
// One record holding every row (the driver's per-record cost is ~6× a list
// element's), dates as ISO text.
RETURN collect([kind, id, name, actorKind, world, territories, toString(since),
                toString(until), degree, betweenness, pagerank, bridgeScore, emergenceScore,
                declaredFacilitator, themes, allianceType]) AS rows

// name: edges
// The live participation ties leaving $actors (memberships, contributions)
// and $alliances (carrying), running at $as_of when given. The service keeps
// those whose other end is drawn.
CALL () {
  UNWIND $actors AS id
  MATCH (a:Actor {id: id})-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
  WHERE r.deletedAt IS NULL AND g.deletedAt IS NULL
    AND ($as_of IS NULL OR ((r.since IS NULL OR r.since <= $as_of)
                            AND (r.until IS NULL OR r.until >= $as_of)))
  RETURN a.id AS source, g.id AS target, type(r) AS type, r.role AS role,
         r.since AS since, r.until AS until
  UNION ALL
  UNWIND $alliances AS id
  MATCH (al:Alliance {id: id})-[r:CARRIES]->(i:Initiative)
  WHERE r.deletedAt IS NULL AND i.deletedAt IS NULL
  RETURN al.id AS source, i.id AS target, 'CARRIES' AS type, null AS role,
         null AS since, null AS until
}
RETURN collect([source, target, type, role, toString(since), toString(until)]) AS rows
