"""Facts as JSON records: the `kg extract --format jsonl` contract (see VOCABULARY.md).

Besides the contract's fields, a record carries what `kg load` needs to rebuild the
article's graph exactly as `kg ingest` writes it (see kg/rdf.py): the article's title,
url and source, and the subject's/object's place attributes (lat, lon, geonames_id).
These extra fields are optional: a record without them loads, with less metadata.
"""
from __future__ import annotations

from kg.model import DateValue, Entity, Extraction, Fact

# entity attributes that reach the RDF (kg/rdf.py entity_quads)
RDF_ATTRS = ("lat", "lon", "geonames_id")


def fact_record(fact: Fact, extraction: Extraction) -> dict:
    obj = fact.object
    evidence = fact.evidence
    article = extraction.article
    record = {
        "subject": fact.subject.label,
        "subject_type": fact.subject.type,
        "predicate": fact.predicate,
        "object": obj.iso if isinstance(obj, DateValue) else obj.label,
        "object_type": "Date" if isinstance(obj, DateValue) else obj.type,
        "source": article.source,
        "evidence": evidence.sentence,
        "confidence": evidence.confidence,
        "subject_id": fact.subject.id,
        "object_id": None if isinstance(obj, DateValue) else obj.id,
        "article_id": article.id,
        "article_date": extraction.clean.date,
        "start": evidence.start,
        "end": evidence.end,
        "rule": evidence.rule,
    }
    if evidence.date:
        record["fact_date"] = evidence.date
    if article.title:
        record["article_title"] = article.title
    if article.url:
        record["article_url"] = article.url
    if evidence.source != article.source:
        record["evidence_source"] = evidence.source
    for side, entity in (("subject", fact.subject), ("object", obj)):
        if isinstance(entity, Entity):
            attrs = dict(entity.attrs)
            for key in RDF_ATTRS:
                if attrs.get(key) is not None:
                    record[f"{side}_{key}"] = attrs[key]
    return record
