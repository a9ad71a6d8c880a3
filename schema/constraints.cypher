// Keys of kg's Neo4j graph: run by `kg push neo4j` (Neo4jStore.ensure_constraints)
// before anything is written, so every MERGE finds its node through a unique index.
// One statement per key, each ending with ";". Safe to run again (IF NOT EXISTS).

// Every entity node carries the common label :Entity plus its type's labels
// (schema/vocabulary.yaml neo4j_labels, e.g. :Actor:Country) and a stable id.
CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;

// Articles are keyed by the content hash of their normalised text.
CREATE CONSTRAINT kg_article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;

// One evidence node per (article, fact, sentence span, rule).
CREATE CONSTRAINT kg_evidence_id IF NOT EXISTS FOR (n:Evidence) REQUIRE n.id IS UNIQUE;

// Lookups the push makes: an article's evidence, and the evidence of one fact.
CREATE INDEX kg_evidence_article IF NOT EXISTS FOR (n:Evidence) ON (n.article_id);
CREATE INDEX kg_evidence_fact IF NOT EXISTS FOR (n:Evidence) ON (n.subject_id, n.predicate, n.object_id);
CREATE INDEX kg_evidence_subject IF NOT EXISTS FOR (n:Evidence) ON (n.subject_id);
