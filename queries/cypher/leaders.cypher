// Leaders and officials of $entity.
MATCH (x:Entity)-[r:LEADER_OF|OFFICIAL_OF]->(:Entity {id: $entity})
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN x.label AS person, CASE type(r) WHEN 'LEADER_OF' THEN 'leader' ELSE 'official' END AS role,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
ORDER BY role, person, article
