// Who opposes or attacked $entity, and whom it opposes or attacked; "$entity relation opponent".
MATCH (e:Entity {id: $entity})-[r:OPPOSES|ATTACKED]-(other:Entity)
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN CASE
         WHEN type(r) = 'OPPOSES' AND startNode(r) = e THEN 'opposes'
         WHEN type(r) = 'OPPOSES' THEN 'opposed by'
         WHEN startNode(r) = e THEN 'attacked'
         ELSE 'attacked by'
       END AS relation,
       other.label AS opponent, other.type AS opponent_type,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
ORDER BY relation, opponent, article
