"""The only module that knows the order of the stages: article -> Extraction."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from kg.loaders import gazetteer as gazetteer_module
from kg.loaders.agreements import agreement_facts
from kg.loaders.clean import PLACE_DATELINE, clean
from kg.loaders.dates import find_dates
from kg.loaders.facts import sentence_facts
from kg.loaders.frames import agrees_with_parse, can_hold_fact, frame_facts
from kg.loaders.language import english_reading
from kg.loaders.mentions import find_candidates
from kg.loaders.normalise import mixed_script_words
from kg.loaders.parse import parse
from kg.loaders.reference import Discourse, army_mentions
from kg.loaders.resolve import Resolver
from kg.loaders.sentences import split_sentences
from kg.model import Article, DateValue, Entity, Extraction, Fact, Mention, Sentence


def extract(article: Article, gazetteer_files: tuple = ()) -> Extraction:
    """Everything one article states, as facts with evidence."""
    gaz = gazetteer_module.load(tuple(gazetteer_files))
    text = clean(article)
    english, share, count = english_reading(text.text)
    if not english:
        flag = ("language", f"not English ({share:.0%} of {count} words are English function words)", "")
        return Extraction(article, replace(text, flags=text.flags + (flag,)), (), ())
    candidates = without_mixed_script(find_candidates(text.text, gaz), text.text)
    mentions = Resolver(text.text, gaz, text.date).resolve(candidates, find_dates(text.text, text.date))
    mentions = sorted(mentions + army_mentions(text.text, mentions, gaz), key=lambda m: (m.start, m.end))
    sentences = split_sentences(text.text)
    inside = mentions_by_sentence(sentences, mentions)
    parsed_inside = without_datelines(text.text, sentences, inside)     # what the parse may make an argument
    parsed = parse(text.text, sentences, lambda n, sentence: can_hold_fact(sentence, inside[n]))
    facts: list[Fact] = []
    discourse = Discourse()                  # "the two leaders", "the group": what earlier sentences said
    pairs = {}                               # per sentence: whom "the two leaders" may stand for
    for number, sentence in enumerate(sentences):
        span = parsed.get(number)
        here = [f for f in sentence_facts(text, sentence, inside[number]) if agrees_with_parse(f, inside[number], span)]
        here.extend(frame_facts(text, sentence, parsed_inside[number], span, discourse))
        pairs[number] = discourse.pairs_for(here)
        discourse.note(inside[number], here)
        facts.extend(here)
    facts.extend(agreement_facts(text, list(zip(sentences, inside)), gaz, parsed, pairs))
    facts = best_per_fact(facts)
    entities = sorted({e for f in facts for e in (f.subject, f.object) if isinstance(e, Entity)},
                      key=lambda e: e.id)
    return Extraction(article, text, tuple(entities), tuple(facts))


def mentions_by_sentence(sentences: list[Sentence], mentions: list[Mention]) -> list[list[Mention]]:
    """The mentions inside each sentence (both lists in text order)."""
    out, cursor = [], 0
    for sentence in sentences:
        while cursor < len(mentions) and mentions[cursor].start < sentence.start:
            cursor += 1
        end = cursor
        while end < len(mentions) and mentions[end].end <= sentence.end:
            end += 1
        out.append(mentions[cursor:end])
    return out


def without_datelines(text: str, sentences: list[Sentence], inside: list[list[Mention]]) -> list[list[Mention]]:
    """Each sentence's mentions without those of a dateline opening it ("New Delhi, May 25 (IANS)
    US President ... called up ..."): where the story was filed is no argument of the facts the
    parse reads (it still tells whose office a bare title is, for the mention's own facts)."""
    out = []
    for sentence, mentions in zip(sentences, inside):
        dateline = PLACE_DATELINE.match(text, sentence.start, sentence.end)
        end = dateline.end() if dateline else sentence.start
        agency = AGENCY_AFTER_DATELINE.match(text, end, sentence.end) if dateline else None
        end = agency.end() if agency else end            # "(Reuters)", "/TASS/": who filed it
        out.append([m for m in mentions if m.start >= end])
    return out


AGENCY_AFTER_DATELINE = re.compile(r"[^()/\n]{1,30}[)/]")


def without_mixed_script(candidates: list, text: str) -> list:
    """Candidates that neither hold nor run into a word mixing scripts ("Puтin"): such a
    word is a look-alike spelling (flagged on the CleanText), never a name kg reads."""
    flagged = [(a, b) for a, b, _word in mixed_script_words(text)]
    if not flagged:
        return candidates

    def touches(candidate) -> bool:
        for a, b in flagged:
            if candidate.start < b and a < candidate.end:
                return True
            gap = text[candidate.end:a] if candidate.end <= a else text[b:candidate.start]
            if len(gap) <= 2 and not gap.strip(" -'’"):
                return True
        return False

    return [c for c in candidates if not touches(c)]


def best_per_fact(facts: Iterable[Fact]) -> list[Fact]:
    """One pool of candidates: one piece of evidence per (fact, sentence), from the most
    confident rule or frame, naming every rule that read it ('supports.verb+dep.supports.verb').
    Order is stable.

    A date that a more precise date of the same sentence contains ('the 1966 Geneva Agreement,
    signed on February 17, 1966') is dropped.
    """
    best: dict[tuple, Fact] = {}
    fired: dict[tuple, list[str]] = {}
    for fact in facts:
        key = (fact.key, fact.evidence.start)
        fired.setdefault(key, [])
        if fact.evidence.rule not in fired[key]:
            fired[key].append(fact.evidence.rule)
        if key not in best or fact.evidence.confidence > best[key].evidence.confidence:
            best[key] = fact
    for key, fact in best.items():
        others = sorted(r for r in fired[key] if r != fact.evidence.rule)
        if others:
            best[key] = replace(fact, evidence=replace(fact.evidence, rule="+".join([fact.evidence.rule, *others])))
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
