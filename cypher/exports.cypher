// Exports: the graph streamed out for analysts (nodes.csv/edges.csv, GraphML,
// GEXF, JSON) and mappers (the import workbook). Every statement takes the
// scope: $area (null, or the territory ids of a territory and everything
// below it), $as_of (null, or a date: memberships and alliances active that
// day, initiatives started by then), $groups (null, or the ids of the
// alliances and initiatives in a territory scope, from scoped_groups) and
// $run (null, or the AnalysisRun whose metrics are attached).
//
// The element statements read one page at a time: $page source nodes after
// the id $after, in id order (an index range seek, no sort), and return ONE
// record: `rows` (lists, positional) and `last`, the id to continue after
// (null when done). Memory stays flat whatever the graph's size, and one
// record per page instead of per element avoids the driver's per-record cost
// (~80 µs each), which would otherwise dominate an export.
// An element's properties are read once, with properties() (each explicit
// key of a map projection on the node itself reads its property records
// again; a key it lacks, all of them), and sent as a list of values, not a
// map: first those of $keys, then those of $temporal as ISO text (the Python
// driver takes ~100 µs to hydrate one DateTime). The caller knows the keys
// from node_keys/edge_keys, read first; a list spares Neo4j and the driver a
// key string per value: the actor pages took 1.23 s against 1.57 s, the
// MEMBER_OF pages 1.21 against 1.42 s (medians of 4), a whole GraphML export
// of 516k elements 5.1 against 6.5 s. Metrics likewise, by $metrics.
// importId, the bookkeeping tag of a staged import (imports.cypher), is not
// among the keys.

// name: latest_run
// The newest finished whole-graph analysis run, if any.
MATCH (r:AnalysisRun)
WHERE r.scopeKey = '*|*' AND r.status = 'done'
RETURN r.id AS id, toString(r.createdAt) AS createdAt
ORDER BY r.createdAt DESC
LIMIT 1

// name: area
// A territory and every territory (transitively) part of it.
MATCH (t:Territory {id: $territory})
WHERE t.deletedAt IS NULL
OPTIONAL MATCH p = (c:Territory)-[:PART_OF*1..]->(t)
WHERE all(n IN nodes(p) WHERE n.deletedAt IS NULL)  // as map.places
RETURN t.id AS root, collect(DISTINCT c.id) AS below

// name: scoped_groups
// In a territory scope: the live alliances and initiatives (active at $as_of)
// located in $area or with an active member located there (as the analysis
// scope does, graphmap.analysis.snapshot.in_scope).
MATCH (g)
WHERE (g:Alliance OR g:Initiative) AND g.deletedAt IS NULL
  AND ($as_of IS NULL OR
       (g:Alliance AND (g.since IS NULL OR g.since <= $as_of) AND (g.until IS NULL OR g.until >= $as_of))
       OR (g:Initiative AND (g.startedOn IS NULL OR g.startedOn <= $as_of)))
  AND (EXISTS { MATCH (g)-[:LOCATED_IN]->(t:Territory) WHERE t.id IN $area }
       OR EXISTS {
         MATCH (a:Actor)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
         WHERE r.deletedAt IS NULL AND a.deletedAt IS NULL
           AND ($as_of IS NULL OR ((r.since IS NULL OR r.since <= $as_of)
                                   AND (r.until IS NULL OR r.until >= $as_of)))
           AND EXISTS { MATCH (a)-[:LOCATED_IN]->(t:Territory) WHERE t.id IN $area } })
RETURN g.id AS id

// name: node_keys
// Every property key of the nodes of each of $labels, with the types of its
// values (so GraphML/GEXF can declare typed attributes first), from Neo4j's
// derived property schema: a scan in Java, about 3x faster than walking
// keys() in Cypher. Left out: deletedAt (deleted nodes are not exported) and
// importId (a staged import's bookkeeping tag).
CALL db.schema.nodeTypeProperties() YIELD nodeLabels, propertyName, propertyTypes
WITH nodeLabels, propertyName, propertyTypes
WHERE propertyName IS NOT NULL AND NOT propertyName IN ['deletedAt', 'importId']
UNWIND nodeLabels AS label
WITH label, propertyName, propertyTypes WHERE label IN $labels
RETURN label, propertyName AS key, propertyTypes AS types

// name: edge_keys
// Every property key of the relationships of each of $types, with the types
// of its values (as node_keys; relType reads ":`TYPE`").
CALL db.schema.relTypeProperties() YIELD relType, propertyName, propertyTypes
WITH substring(relType, 2, size(relType) - 3) AS type, propertyName, propertyTypes
WHERE propertyName IS NOT NULL AND propertyName <> 'deletedAt' AND type IN $types
RETURN type, propertyName AS key, propertyTypes AS types

// name: metric_keys
// The metrics an analysis run measured, with their types.
MATCH (:AnalysisRun {id: $run})-[m:MEASURED]->()
UNWIND keys(m) AS key
RETURN key, collect(DISTINCT valueType(m[key])) AS types

// name: actors
// One page of Actor nodes: [id, values, metric values, territories-or-parents, carries].
// At $as_of, not an actor all of whose ties start later: it had not joined
// the ecosystem yet (the map leaves it out too, services/mapview.py).
MATCH (n:Actor)
WHERE n.id > $after AND n.deletedAt IS NULL
  AND ($area IS NULL OR EXISTS { MATCH (n)-[:LOCATED_IN]->(t:Territory) WHERE t.id IN $area })
  AND ($as_of IS NULL
       OR NOT EXISTS { MATCH (n)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
                       WHERE r.deletedAt IS NULL AND g.deletedAt IS NULL }
       OR EXISTS { MATCH (n)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
                   WHERE r.deletedAt IS NULL AND g.deletedAt IS NULL
                     AND (r.since IS NULL OR r.since <= $as_of) })
WITH n ORDER BY n.id LIMIT $page
OPTIONAL MATCH (n)<-[m:MEASURED]-(:AnalysisRun {id: $run})
WITH n, m, properties(n) AS props
RETURN collect([n.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])], [k IN $metrics | m[k]], [(n)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id], null]) AS rows, max(n.id) AS last

// name: initiatives
// One page of Initiative nodes, as actors.
MATCH (n:Initiative)
WHERE n.id > $after AND n.deletedAt IS NULL
  AND ($as_of IS NULL OR n.startedOn IS NULL OR n.startedOn <= $as_of)
  AND ($groups IS NULL OR n.id IN $groups)
WITH n ORDER BY n.id LIMIT $page
OPTIONAL MATCH (n)<-[m:MEASURED]-(:AnalysisRun {id: $run})
WITH n, m, properties(n) AS props
RETURN collect([n.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])], [k IN $metrics | m[k]], [(n)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id], null]) AS rows, max(n.id) AS last

// name: alliances
// One page of Alliance nodes, as actors.
MATCH (n:Alliance)
WHERE n.id > $after AND n.deletedAt IS NULL
  AND ($as_of IS NULL OR ((n.since IS NULL OR n.since <= $as_of) AND (n.until IS NULL OR n.until >= $as_of)))
  AND ($groups IS NULL OR n.id IN $groups)
WITH n ORDER BY n.id LIMIT $page
OPTIONAL MATCH (n)<-[m:MEASURED]-(:AnalysisRun {id: $run})
WITH n, m, properties(n) AS props
RETURN collect([n.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])], [k IN $metrics | m[k]], [(n)-[:LOCATED_IN]->(t:Territory) WHERE t.deletedAt IS NULL | t.id], [(n)-[:CARRIES]->(i:Initiative) WHERE i.deletedAt IS NULL | i.id]]) AS rows, max(n.id) AS last

// name: territories
// One page of Territory nodes, as actors.
MATCH (n:Territory)
WHERE n.id > $after AND n.deletedAt IS NULL
  AND ($area IS NULL OR n.id IN $area)
WITH n ORDER BY n.id LIMIT $page
WITH n, null AS m, properties(n) AS props
RETURN collect([n.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])], [k IN $metrics | m[k]], [(n)-[:PART_OF]->(p:Territory) WHERE p.deletedAt IS NULL | p.id], null]) AS rows, max(n.id) AS last

// name: member_of
// One page of actors' MEMBER_OF ties: [source, target, values].
MATCH (a:Actor)
WHERE a.id > $after AND a.deletedAt IS NULL
WITH a ORDER BY a.id LIMIT $page
WITH collect(a) AS batch
CALL (batch) {
  UNWIND batch AS a
  MATCH (a)-[r:MEMBER_OF]->(x:Alliance)
  WHERE r.deletedAt IS NULL AND x.deletedAt IS NULL
    AND ($as_of IS NULL OR ((r.since IS NULL OR r.since <= $as_of) AND (r.until IS NULL OR r.until >= $as_of))) AND ($as_of IS NULL OR ((x.since IS NULL OR x.since <= $as_of) AND (x.until IS NULL OR x.until >= $as_of)))
    AND ($area IS NULL OR EXISTS { MATCH (a)-[:LOCATED_IN]->(t:Territory) WHERE t.id IN $area })
  WITH a, x, properties(r) AS props
  RETURN collect([a.id, x.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])]]) AS rows
}
RETURN rows, batch[-1].id AS last

// name: contributes_to
// One page of actors' CONTRIBUTES_TO ties.
MATCH (a:Actor)
WHERE a.id > $after AND a.deletedAt IS NULL
WITH a ORDER BY a.id LIMIT $page
WITH collect(a) AS batch
CALL (batch) {
  UNWIND batch AS a
  MATCH (a)-[r:CONTRIBUTES_TO]->(x:Initiative)
  WHERE r.deletedAt IS NULL AND x.deletedAt IS NULL
    AND ($as_of IS NULL OR ((r.since IS NULL OR r.since <= $as_of) AND (r.until IS NULL OR r.until >= $as_of))) AND ($as_of IS NULL OR x.startedOn IS NULL OR x.startedOn <= $as_of)
    AND ($area IS NULL OR EXISTS { MATCH (a)-[:LOCATED_IN]->(t:Territory) WHERE t.id IN $area })
  WITH a, x, properties(r) AS props
  RETURN collect([a.id, x.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])]]) AS rows
}
RETURN rows, batch[-1].id AS last

// name: carries
// One page of alliances' CARRIES ties (both ends in scope).
MATCH (al:Alliance)
WHERE al.id > $after AND al.deletedAt IS NULL
WITH al ORDER BY al.id LIMIT $page
WITH collect(al) AS batch
CALL (batch) {
  UNWIND batch AS al
  MATCH (al)-[r:CARRIES]->(x:Initiative)
  WHERE r.deletedAt IS NULL AND x.deletedAt IS NULL
    AND ($as_of IS NULL OR ((al.since IS NULL OR al.since <= $as_of) AND (al.until IS NULL OR al.until >= $as_of))) AND ($as_of IS NULL OR x.startedOn IS NULL OR x.startedOn <= $as_of)
    AND ($groups IS NULL OR (al.id IN $groups AND x.id IN $groups))
  WITH al, x, properties(r) AS props
  RETURN collect([al.id, x.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])]]) AS rows
}
RETURN rows, batch[-1].id AS last

// name: located_in_actors
// One page of actors' LOCATED_IN ties (territory in scope), of the actors
// exports.actors keeps at $as_of.
MATCH (a:Actor)
WHERE a.id > $after AND a.deletedAt IS NULL
  AND ($as_of IS NULL
       OR NOT EXISTS { MATCH (a)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
                       WHERE r.deletedAt IS NULL AND g.deletedAt IS NULL }
       OR EXISTS { MATCH (a)-[r:MEMBER_OF|CONTRIBUTES_TO]->(g)
                   WHERE r.deletedAt IS NULL AND g.deletedAt IS NULL
                     AND (r.since IS NULL OR r.since <= $as_of) })
WITH a ORDER BY a.id LIMIT $page
WITH collect(a) AS batch
CALL (batch) {
  UNWIND batch AS a
  MATCH (a)-[r:LOCATED_IN]->(x:Territory)
  WHERE r.deletedAt IS NULL AND x.deletedAt IS NULL
    AND ($area IS NULL OR x.id IN $area)
  WITH a, x, properties(r) AS props
  RETURN collect([a.id, x.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])]]) AS rows
}
RETURN rows, batch[-1].id AS last

// name: located_in_initiatives
// One page of initiatives' LOCATED_IN ties.
MATCH (i:Initiative)
WHERE i.id > $after AND i.deletedAt IS NULL
WITH i ORDER BY i.id LIMIT $page
WITH collect(i) AS batch
CALL (batch) {
  UNWIND batch AS i
  MATCH (i)-[r:LOCATED_IN]->(x:Territory)
  WHERE r.deletedAt IS NULL AND x.deletedAt IS NULL
    AND ($area IS NULL OR x.id IN $area) AND ($as_of IS NULL OR i.startedOn IS NULL OR i.startedOn <= $as_of)
    AND ($groups IS NULL OR i.id IN $groups)
  WITH i, x, properties(r) AS props
  RETURN collect([i.id, x.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])]]) AS rows
}
RETURN rows, batch[-1].id AS last

// name: located_in_alliances
// One page of alliances' LOCATED_IN ties.
MATCH (al:Alliance)
WHERE al.id > $after AND al.deletedAt IS NULL
WITH al ORDER BY al.id LIMIT $page
WITH collect(al) AS batch
CALL (batch) {
  UNWIND batch AS al
  MATCH (al)-[r:LOCATED_IN]->(x:Territory)
  WHERE r.deletedAt IS NULL AND x.deletedAt IS NULL
    AND ($area IS NULL OR x.id IN $area) AND ($as_of IS NULL OR ((al.since IS NULL OR al.since <= $as_of) AND (al.until IS NULL OR al.until >= $as_of)))
    AND ($groups IS NULL OR al.id IN $groups)
  WITH al, x, properties(r) AS props
  RETURN collect([al.id, x.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])]]) AS rows
}
RETURN rows, batch[-1].id AS last

// name: part_of
// One page of territories' PART_OF ties (both ends in scope).
MATCH (t:Territory)
WHERE t.id > $after AND t.deletedAt IS NULL
WITH t ORDER BY t.id LIMIT $page
WITH collect(t) AS batch
CALL (batch) {
  UNWIND batch AS t
  MATCH (t)-[r:PART_OF]->(x:Territory)
  WHERE r.deletedAt IS NULL AND x.deletedAt IS NULL
    AND ($area IS NULL OR (t.id IN $area AND x.id IN $area))
  WITH t, x, properties(r) AS props
  RETURN collect([t.id, x.id, [k IN $keys | props[k]] + [k IN $temporal | toString(props[k])]]) AS rows
}
RETURN rows, batch[-1].id AS last

// name: actor_ties
// The actor projection, one page of actors `a` at a time: `a` tied to each
// in-scope actor `b` with a greater id with whom it shares an active alliance
// or initiative: [source, target, [weight, alliances, initiatives]], weight =
// how many they share.
MATCH (a:Actor)
WHERE a.id > $after AND a.deletedAt IS NULL AND ($area IS NULL OR EXISTS { MATCH (a)-[:LOCATED_IN]->(t:Territory) WHERE t.id IN $area })
WITH a ORDER BY a.id LIMIT $page
WITH collect(a) AS batch
CALL (batch) {
  UNWIND batch AS a
  MATCH (a)-[r1:MEMBER_OF|CONTRIBUTES_TO]->(g)<-[r2:MEMBER_OF|CONTRIBUTES_TO]-(b:Actor)
  WHERE a.id < b.id AND b.deletedAt IS NULL AND g.deletedAt IS NULL
    AND r1.deletedAt IS NULL AND r2.deletedAt IS NULL
    AND ($as_of IS NULL OR (
          (r1.since IS NULL OR r1.since <= $as_of) AND (r1.until IS NULL OR r1.until >= $as_of)
          AND (r2.since IS NULL OR r2.since <= $as_of) AND (r2.until IS NULL OR r2.until >= $as_of)
          AND ((g:Alliance AND (g.since IS NULL OR g.since <= $as_of) AND (g.until IS NULL OR g.until >= $as_of))
               OR (g:Initiative AND (g.startedOn IS NULL OR g.startedOn <= $as_of)))))
    AND ($area IS NULL OR EXISTS { MATCH (b)-[:LOCATED_IN]->(t:Territory) WHERE t.id IN $area })
  WITH a.id AS source, b.id AS target,
       count(DISTINCT CASE WHEN g:Alliance THEN g END) AS alliances,
       count(DISTINCT CASE WHEN g:Initiative THEN g END) AS initiatives
  RETURN collect([source, target, [alliances + initiatives, alliances, initiatives]]) AS rows
}
RETURN rows, batch[-1].id AS last
