"""The only module that knows the order of the stages: article -> Extraction."""
from __future__ import annotations

from typing import Iterable

from kg.loaders import gazetteer as gazetteer_module
from kg.loaders.agreements import agreement_facts
from kg.loaders.clean import clean
from kg.loaders.dates import find_dates
from kg.loaders.facts import sentence_facts
from kg.loaders.mentions import find_candidates
from kg.loaders.resolve import Resolver
from kg.loaders.sentences import split_sentences
from kg.model import Article, DateValue, Entity, Extraction, Fact


def extract(article: Article, gazetteer_files: tuple = ()) -> Extraction:
    """Everything one article states, as facts with evidence."""
    gaz = gazetteer_module.load(tuple(gazetteer_files))
    text = clean(article)
    candidates = find_candidates(text.text, gaz)
    mentions = Resolver(text.text, gaz, text.date).resolve(candidates, find_dates(text.text, text.date))
    facts: list[Fact] = []
    read: list = []           # (sentence, its mentions), for the passes over the whole article
    cursor = 0
    for sentence in split_sentences(text.text):
        inside = []
        while cursor < len(mentions) and mentions[cursor].start < sentence.start:
            cursor += 1
        j = cursor
        while j < len(mentions) and mentions[j].end <= sentence.end:
            inside.append(mentions[j])
            j += 1
        facts.extend(sentence_facts(text, sentence, inside))
        read.append((sentence, inside))
    facts.extend(agreement_facts(text, read, gaz))
    facts = best_per_fact(facts)
    entities = sorted({e for f in facts for e in (f.subject, f.object) if isinstance(e, Entity)},
                      key=lambda e: e.id)
    return Extraction(article, text, tuple(entities), tuple(facts))


def best_per_fact(facts: Iterable[Fact]) -> list[Fact]:
    """One piece of evidence per (fact, sentence): the most confident rule wins. Order is stable.

    A date that a more precise date of the same sentence contains ('the 1966 Geneva Agreement,
    signed on February 17, 1966') is dropped.
    """
    best: dict[tuple, Fact] = {}
    for fact in facts:
        key = (fact.key, fact.evidence.start)
        if key not in best or fact.evidence.confidence > best[key].evidence.confidence:
            best[key] = fact
    kept = [f for f in best.values() if not _less_precise_date(f, best.values())]
    return sorted(kept, key=lambda f: (f.evidence.start, f.key, f.evidence.rule))


def _less_precise_date(fact: Fact, facts) -> bool:
    if not isinstance(fact.object, DateValue):
        return False
    return any(other is not fact and isinstance(other.object, DateValue)
               and other.subject.id == fact.subject.id and other.predicate == fact.predicate
               and other.evidence.start == fact.evidence.start
               and len(other.object.iso) > len(fact.object.iso) and other.object.iso.startswith(fact.object.iso)
               for other in facts)
