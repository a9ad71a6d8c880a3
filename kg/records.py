"""Facts as JSON records: the `kg extract --format jsonl` contract (see VOCABULARY.md)."""
from __future__ import annotations

from kg.model import DateValue, Extraction, Fact


def fact_record(fact: Fact, extraction: Extraction) -> dict:
    obj = fact.object
    evidence = fact.evidence
    record = {
        "subject": fact.subject.label,
        "subject_type": fact.subject.type,
        "predicate": fact.predicate,
        "object": obj.iso if isinstance(obj, DateValue) else obj.label,
        "object_type": "Date" if isinstance(obj, DateValue) else obj.type,
        "source": extraction.article.source,
        "evidence": evidence.sentence,
        "confidence": evidence.confidence,
        "subject_id": fact.subject.id,
        "object_id": None if isinstance(obj, DateValue) else obj.id,
        "article_id": extraction.article.id,
        "article_date": extraction.clean.date,
        "start": evidence.start,
        "end": evidence.end,
        "rule": evidence.rule,
    }
    if evidence.date:
        record["fact_date"] = evidence.date
    return record
