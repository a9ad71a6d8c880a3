// Every fact about $entity (as subject or object), one row per piece of evidence.
// Relationships carry facts between entities; signing dates are read from the evidence.
MATCH (:Entity {id: $entity})-[r]-(:Entity)
WHERE r.evidence_ids IS NOT NULL
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN r.predicate AS predicate, startNode(r).label AS subject, endNode(r).label AS object,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
UNION ALL
MATCH (ev:Evidence {subject_id: $entity})-[:FROM_ARTICLE]->(a:Article)
WHERE ev.object_id IS NULL
MATCH (ev)-[:SUBJECT]->(s:Entity)
RETURN ev.predicate AS predicate, s.label AS subject, ev.object_value AS object,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
