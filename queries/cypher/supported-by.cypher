// Whom $entity supports: one row per piece of evidence.
MATCH (:Entity {id: $entity})-[r:SUPPORTS]->(o:Entity)
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN o.label AS supported, o.type AS supported_type,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
ORDER BY supported, article
