// One agreement: its parties, signing date(s) and the places it applies to, with sources.
MATCH (x:Entity)-[r:PARTY_TO]->(:Entity {id: $agreement})
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN 'party' AS role, x.label AS value,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
UNION ALL
MATCH (ev:Evidence {subject_id: $agreement, predicate: 'signed_on'})-[:FROM_ARTICLE]->(a:Article)
RETURN 'signed_on' AS role, ev.object_value AS value,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
UNION ALL
MATCH (:Entity {id: $agreement})-[r:APPLIES_TO]->(x:Entity)
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN 'applies_to' AS role, x.label AS value,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
