// Every article and sentence behind one fact $subject $predicate $object ($predicate: the
// relationship type; $object: an entity id or a date; TALKED_WITH either way round).
MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a:Article)
WHERE ev.relationship = $predicate
  AND ((ev.subject_id = $subject AND coalesce(ev.object_id, ev.object_value) = $object)
       OR (ev.relationship = 'TALKED_WITH' AND ev.subject_id = $object AND ev.object_id = $subject))
RETURN a.date AS published, ev.rule AS rule,
       a.id AS article, a.source AS source, ev.sentence AS sentence, ev.confidence AS confidence
ORDER BY published, article, confidence DESC
