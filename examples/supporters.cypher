// Who supports whom, with labels (kg cypher @examples/supporters.cypher).
MATCH (s:Entity)-[:SUPPORTS]->(o:Entity)
RETURN s.label AS supporter, o.label AS supported
ORDER BY supporter, supported
