// Dated facts (only those about $entity unless it is null): the signing date of a signed_on
// fact, else the date the evidence gives, else the article's date.
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE $entity IS NULL OR ev.subject_id = $entity OR ev.object_id = $entity
MATCH (ev)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (ev)-[:OBJECT]->(o:Entity)
WITH ev, a, s, o,
     CASE WHEN ev.predicate = 'signed_on' THEN ev.object_value ELSE coalesce(ev.date, a.date) END AS date
WHERE date IS NOT NULL
RETURN date, s.label AS subject, ev.predicate AS predicate, coalesce(o.label, ev.object_value) AS object,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
ORDER BY date, subject, predicate, object, article
