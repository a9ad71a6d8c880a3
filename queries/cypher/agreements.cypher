// Agreements $entity is party to, or that apply to $entity, with signing dates (from the evidence).
MATCH (:Entity {id: $entity})-[r:PARTY_TO]->(ag:Entity)
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
OPTIONAL MATCH (signed:Evidence {subject_id: ag.id, predicate: 'signed_on'})
RETURN ag.label AS agreement, 'party_to' AS relation, signed.object_value AS signed_on,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
UNION ALL
MATCH (ag:Entity)-[r:APPLIES_TO]->(:Entity {id: $entity})
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
OPTIONAL MATCH (signed:Evidence {subject_id: ag.id, predicate: 'signed_on'})
RETURN ag.label AS agreement, 'applies_to' AS relation, signed.object_value AS signed_on,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
