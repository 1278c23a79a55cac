// The graph model's constraints and indexes, applied idempotently at start-up
// (graphmap.store.schema runs every statement of this file, in order).

// name: actor_id
CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE

// name: actor_siren
CREATE CONSTRAINT actor_siren IF NOT EXISTS FOR (n:Actor) REQUIRE n.siren IS UNIQUE

// name: actor_siret
CREATE CONSTRAINT actor_siret IF NOT EXISTS FOR (n:Actor) REQUIRE n.siret IS UNIQUE

// name: actor_rna
CREATE CONSTRAINT actor_rna IF NOT EXISTS FOR (n:Actor) REQUIRE n.rna IS UNIQUE

// name: initiative_id
CREATE CONSTRAINT initiative_id IF NOT EXISTS FOR (n:Initiative) REQUIRE n.id IS UNIQUE

// name: alliance_id
CREATE CONSTRAINT alliance_id IF NOT EXISTS FOR (n:Alliance) REQUIRE n.id IS UNIQUE

// name: territory_id
CREATE CONSTRAINT territory_id IF NOT EXISTS FOR (n:Territory) REQUIRE n.id IS UNIQUE

// name: territory_insee
CREATE CONSTRAINT territory_insee IF NOT EXISTS FOR (n:Territory) REQUIRE n.insee IS UNIQUE

// name: territory_siren
CREATE CONSTRAINT territory_siren IF NOT EXISTS FOR (n:Territory) REQUIRE n.siren IS UNIQUE

// name: change_id
CREATE CONSTRAINT change_id IF NOT EXISTS FOR (n:Change) REQUIRE n.id IS UNIQUE

// name: change_entity
// history.of_entity looks a single change up by its entity's id.
CREATE INDEX change_entity IF NOT EXISTS FOR (n:Change) ON (n.entityId)

// name: import_id
CREATE CONSTRAINT import_id IF NOT EXISTS FOR (n:Import) REQUIRE n.id IS UNIQUE

// name: import_running
// The import lock: only one Import node may hold `running` (writer._claim).
CREATE CONSTRAINT import_running IF NOT EXISTS FOR (n:Import) REQUIRE n.running IS UNIQUE

// name: territory_level
CREATE INDEX territory_level IF NOT EXISTS FOR (n:Territory) ON (n.level)

// name: actor_kind
CREATE INDEX actor_kind IF NOT EXISTS FOR (n:Actor) ON (n.kind)

// name: actor_world
CREATE INDEX actor_world IF NOT EXISTS FOR (n:Actor) ON (n.world)

// name: fulltext_names
// French analyzer: "partenariat" finds "partenariats", accents folded.
CREATE FULLTEXT INDEX graphmap_names IF NOT EXISTS
FOR (n:Actor|Initiative|Alliance|Territory) ON EACH [n.name, n.description]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'french', `fulltext.eventually_consistent`: false}}


// name: analysis_run_id
CREATE CONSTRAINT analysis_run_id IF NOT EXISTS FOR (n:AnalysisRun) REQUIRE n.id IS UNIQUE

// name: analysis_run_scope
CREATE INDEX analysis_run_scope IF NOT EXISTS FOR (n:AnalysisRun) ON (n.scopeKey)

// name: import_undo
// The before-images of the ties a staged import changed (imports.restore).
CREATE INDEX import_undo IF NOT EXISTS FOR (n:ImportUndo) ON (n.undoImport)

// name: await_indexes
CALL db.awaitIndexes(300)
