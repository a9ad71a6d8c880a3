// Who supports $entity: one row per piece of evidence (kg groups them per supporter).
MATCH (s:Entity)-[r:SUPPORTS]->(:Entity {id: $entity})
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN s.label AS supporter, s.type AS supporter_type,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
ORDER BY supporter, article
