// The facts on every shortest chain between $source and $target (directions ignored, at most
// 8 hops), with their evidence. kg picks one chain from these rows, the same way as for SPARQL
// (allShortestPaths, not shortestPath: among equally short chains the choice must not depend
// on the backend).
MATCH (s:Entity {id: $source})
MATCH (t:Entity {id: $target})
MATCH chain = allShortestPaths((s)-[:LEADER_OF|OFFICIAL_OF|MEMBER_OF|SUPPORTS|OPPOSES|ATTACKED|TALKED_WITH|PARTY_TO|APPLIES_TO|LOCATED_IN|PRESENT_IN|CONTROLS*..8]-(t))
UNWIND relationships(chain) AS r
WITH DISTINCT r
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN startNode(r).id AS subject_id, startNode(r).label AS subject, r.predicate AS predicate,
       endNode(r).id AS object_id, endNode(r).label AS object,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
