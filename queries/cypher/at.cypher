// Facts about $location and every place located in it, transitively (LOCATED_IN*0..).
MATCH (place:Entity)-[:LOCATED_IN*0..]->(:Entity {id: $location})
MATCH (place)-[r]-(:Entity)
WHERE r.evidence_ids IS NOT NULL
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN place.label AS place, startNode(r).label AS subject, r.predicate AS predicate,
       endNode(r).label AS object,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
ORDER BY place, predicate, subject, object, article
