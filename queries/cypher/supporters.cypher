// Who supports $entity. One row per supporter: how many articles say so, the best sentence.
MATCH (s)-[r:SUPPORTS]->(o {id: $entity})
RETURN s.label AS supporter, [l IN labels(s) WHERE l <> 'Actor'][0] AS supporter_type,
       r.articles AS articles, r.confidence AS confidence, r.evidence AS evidence
ORDER BY articles DESC, supporter
