// Facts the sources contradict, with every piece of evidence on both sides:
//  - A supports B in one article and opposes B in another;
//  - one agreement signed on two different dates (a date and its own year or month agree).
MATCH (s:Entity)-[pro:SUPPORTS]->(o:Entity)<-[con:OPPOSES]-(s)
WHERE any(x IN pro.sources WHERE any(y IN con.sources WHERE x <> y))
UNWIND [pro, con] AS r
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.id IN r.evidence_ids
RETURN 'supports vs opposes' AS conflict, s.label AS subject, r.predicate AS claim, o.label AS object,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
UNION ALL
MATCH (one:Evidence {predicate: 'signed_on'})
MATCH (two:Evidence {predicate: 'signed_on', subject_id: one.subject_id})
WHERE NOT one.object_value STARTS WITH two.object_value
  AND NOT two.object_value STARTS WITH one.object_value
MATCH (one)-[:FROM_ARTICLE]->(a:Article)
MATCH (one)-[:SUBJECT]->(s:Entity)
RETURN DISTINCT 'signing date' AS conflict, s.label AS subject, one.predicate AS claim,
       one.object_value AS object,
       a.id AS article, a.source AS source, one.sentence AS sentence, one.confidence AS confidence
