// Analysis: the snapshot read in bulk (a few large reads, never one per
// node), and the results written back as an AnalysisRun with per-node
// MEASURED relationships, so the API, the map and exports read them without
// recomputing.

// name: snapshot_actors
// Every live actor with the territories it is located in, as ONE record
// holding a list of [id, name, kind, world, territories, declaredRoles]: the
// driver's per-record cost is ~6× that of a list element (bench: 15k rows).
MATCH (a:Actor) WHERE a.deletedAt IS NULL
RETURN collect([a.id, a.name, a.kind, a.world,
                [(a)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id],
                coalesce(a.declaredRoles, [])]) AS rows

// name: snapshot_groups
// Every live alliance and initiative as one record: a list of [id, group,
// name, type, horizon, since, until, startedOn, stage, territories,
// carriedBy], dates as ISO text.
CALL () {
  MATCH (g:Alliance) WHERE g.deletedAt IS NULL
  RETURN [g.id, 'alliance', g.name, g.type, g.horizon, toString(g.since), toString(g.until),
          null, null, [(g)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id], []] AS row
  UNION ALL
  MATCH (g:Initiative) WHERE g.deletedAt IS NULL
  RETURN [g.id, 'initiative', g.name, null, null, null, null, toString(g.startedOn), g.stage,
          [(g)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id],
          [(al:Alliance)-[:CARRIES]->(g) WHERE al.deletedAt IS NULL | al.id]] AS row
}
RETURN collect(row) AS rows

// name: snapshot_memberships
// Every live membership between live nodes, as one record: a list of
// [actor, group, role, since, until], dates as ISO text.
MATCH (a:Actor)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
WHERE r.deletedAt IS NULL AND a.deletedAt IS NULL AND g.deletedAt IS NULL
RETURN collect([a.id, g.id, coalesce(r.role, 'PARTNER'), toString(r.since),
                toString(r.until)]) AS rows

// name: snapshot_territories
// Territory hierarchy (PART_OF) and names, for scoping and for reasons in
// words, as one record: a list of [id, name, parents].
MATCH (t:Territory) WHERE t.deletedAt IS NULL
RETURN collect([t.id, t.name, [(t)-[:PART_OF]->(p:Territory) WHERE p.deletedAt IS NULL | p.id]]) AS rows

// name: reusable_run
// A finished run of the same scope and parameters on the same graph revision.
MATCH (r:AnalysisRun {scopeKey: $scope_key})
WHERE r.status = 'done' AND r.revision = $revision AND r.parametersKey = $parameters_key
RETURN r {.*} AS run
ORDER BY r.createdAt DESC
LIMIT 1

// name: create_run
// A new run, 'running' until its measures are written.
CREATE (r:AnalysisRun {id: $id, scopeKey: $scope_key, territory: $territory, asOf: $as_of,
                       parametersKey: $parameters_key, parameters: $parameters,
                       revision: $revision, status: 'running', createdAt: $now,
                       createdBy: $by})
RETURN r.id AS id

// name: write_actor_measures
// Per-actor metrics of run $run: $rows: [{id, props}].
MATCH (r:AnalysisRun {id: $run})
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
CREATE (r)-[m:MEASURED]->(a)
SET m = row.props
RETURN count(m) AS written

// name: write_initiative_measures
// Per-initiative metrics of run $run: $rows: [{id, props}].
MATCH (r:AnalysisRun {id: $run})
UNWIND $rows AS row
MATCH (i:Initiative {id: row.id})
CREATE (r)-[m:MEASURED]->(i)
SET m = row.props
RETURN count(m) AS written

// name: write_indicators
// Per-territory indicators of run $run: $rows: [{id, props}] (the world
// matrix as JSON text: Neo4j properties cannot nest lists).
MATCH (r:AnalysisRun {id: $run})
UNWIND $rows AS row
MATCH (t:Territory {id: row.id})
CREATE (r)-[x:INDICATES]->(t)
SET x = row.props
RETURN count(x) AS written

// name: finish_run
// Mark run $run done with its timings and summary (JSON text).
MATCH (r:AnalysisRun {id: $run})
SET r.status = 'done', r.timings = $timings, r.summary = $summary, r.scope = $scope,
    r.finishedAt = $now
RETURN r {.*} AS run

// name: fail_run
MATCH (r:AnalysisRun {id: $run})
SET r.status = 'failed', r.error = $error, r.finishedAt = $now
RETURN r.id AS id

// name: run_by_id
MATCH (r:AnalysisRun {id: $id})
RETURN r {.*} AS run

// name: latest_run
// The newest finished run of a scope.
MATCH (r:AnalysisRun {scopeKey: $scope_key})
WHERE r.status = 'done'
RETURN r {.*} AS run
ORDER BY r.createdAt DESC
LIMIT 1

// name: runs
// Finished runs, newest first, optionally of one scope: to compare over time.
MATCH (r:AnalysisRun)
WHERE r.status = 'done' AND ($scope_key IS NULL OR r.scopeKey = $scope_key)
RETURN r {.*} AS run
ORDER BY r.createdAt DESC
LIMIT $limit

// name: bridge_ranking
// Actors of run $run by bridge rank (only the ones with reasons were ranked);
// $hidden keeps detected bridges that did not declare a facilitator role.
MATCH (:AnalysisRun {id: $run})-[m:MEASURED]->(a:Actor)
WHERE m.bridgeRank IS NOT NULL AND a.deletedAt IS NULL
  AND (NOT $hidden OR (m.bridgeDetected AND NOT m.declaredFacilitator))
RETURN a {.*} AS node, m {.*} AS measure
ORDER BY m.bridgeRank
LIMIT $limit

// name: emergence_candidates
// Initiatives of run $run with their emergence components (the API re-scores
// them when the caller adjusts the weights).
MATCH (:AnalysisRun {id: $run})-[m:MEASURED]->(i:Initiative)
WHERE i.deletedAt IS NULL AND m.emergenceScore IS NOT NULL
RETURN i {.*} AS node, m {.*} AS measure

// name: measures_of
// The measures of run $run for each node of $ids.
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Actor {id: id}) RETURN n
  UNION
  MATCH (n:Initiative {id: id}) RETURN n
}
MATCH (:AnalysisRun {id: $run})-[m:MEASURED]->(n)
RETURN id, m {.*} AS measure

// name: indicators_of
// The indicators of run $run for each territory of $ids.
UNWIND $ids AS id
MATCH (:AnalysisRun {id: $run})-[x:INDICATES]->(:Territory {id: id})
RETURN id, x {.*} AS measure
