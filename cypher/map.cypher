// The web map's compact read: one scope (territory and its sub-territories,
// as of a date) as a few simple statements in one read transaction, joined
// by graphmap/services/mapview.py, with the metrics of the newest finished
// analysis run over the whole graph (scopeKey '*|*') when there is one.
//
// Scope: an actor is in scope when it is located in $territory or any
// sub-territory (all live actors when $territory is null); an alliance or an
// initiative when it is located there or one of its in-scope actors takes
// part in it, so a national alliance shows beside its local members.
// As of $as_of (a date, or null for "everything"): memberships and
// alliances running at that date, initiatives started by then, actors whose
// first membership started by then.
//
// Why split this way (20,000 nodes / 100,000 ties): each statement is one
// pass over one kind of thing, with no per-row subquery. The former single
// statement ran, per actor, a subquery over its memberships, up to three
// PART_OF*0..6 walks per node for the scope, and an OPTIONAL MATCH from the
// run node per node; here the run's metrics are read once from the run
// node, the sub-territories are listed once, an actor's ties come back with
// it (its first-membership date, the as-of test on ties and the groups'
// "one of its in-scope actors takes part" test are then plain Python over
// those lists), and groups come back whole (a few thousand rows) to be
// scoped in Python. Each statement returns ONE record holding a list of
// row-lists: the driver's per-record cost is ~6× a list element's. Dates
// travel as ISO text.

// name: metrics
// The newest finished whole-graph run's metrics, one row per measured actor
// or initiative: kind, id, degree, betweenness, pagerank, bridgeScore,
// emergenceScore. No run: no rows.
MATCH (run:AnalysisRun {scopeKey: '*|*', status: 'done'})
WITH run ORDER BY run.createdAt DESC LIMIT 1
MATCH (run)-[m:MEASURED]->(n)
WHERE n:Actor OR n:Initiative
RETURN collect([CASE WHEN n:Actor THEN 'ACTOR' ELSE 'INITIATIVE' END, n.id,
                m.degree, m.betweenness, m.pagerank, m.bridgeScore, m.emergenceScore]) AS rows

// name: places
// The ids of $territory and every territory under it (PART_OF, at any depth,
// as the analysis scopes; through live territories only: a deleted one cuts
// what is under it off): listed once instead of walked per node.
MATCH p = (t:Territory)-[:PART_OF*0..]->(:Territory {id: $territory})
WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL)
RETURN collect(DISTINCT t.id) AS ids

// name: actors
// The live actors located in one of $places (every live actor when $places
// is null), each with its territory codes and its live ties (memberships,
// contributions) to live groups: [target, type, role, since, until].
CALL () {
  MATCH (a:Actor) WHERE $places IS NULL
  RETURN a
  UNION
  MATCH (t:Territory)<-[:LOCATED_IN]-(a:Actor) WHERE t.id IN $places
  RETURN a
}
WITH a WHERE a.deletedAt IS NULL
RETURN collect([a.id, a.name, a.kind, a.world,
                [(a)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id],
                'FACILITATOR' IN coalesce(a.declaredRoles, []),
                [(a)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
                 WHERE r.deletedAt IS NULL AND g.deletedAt IS NULL
                 | [g.id, type(r), r.role, toString(r.since), toString(r.until)]]]) AS rows

// name: initiatives
// The live initiatives started by $as_of (all when null), with their
// territory codes; the service keeps those of the scope.
MATCH (i:Initiative)
WHERE i.deletedAt IS NULL
  AND ($as_of IS NULL OR i.startedOn IS NULL OR i.startedOn <= $as_of)
RETURN collect([i.id, i.name, [(i)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id],
                toString(i.startedOn), coalesce(i.themes, [])]) AS rows

// name: alliances
// The live alliances running at $as_of (all when null), with their
// territory codes and the live initiatives they carry (live CARRIES).
MATCH (al:Alliance)
WHERE al.deletedAt IS NULL
  AND ($as_of IS NULL OR ((al.since IS NULL OR al.since <= $as_of)
                          AND (al.until IS NULL OR al.until >= $as_of)))
RETURN collect([al.id, al.name, [(al)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id],
                toString(al.since), toString(al.until), al.type,
                [(al)-[r:CARRIES]->(i:Initiative)
                 WHERE r.deletedAt IS NULL AND i.deletedAt IS NULL | i.id]]) AS rows
