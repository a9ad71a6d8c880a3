"""The extraction shortcuts give exactly what the plain computation gives.

loaders/prefilter.py runs regexes only where they can match, facts.py tries only the rules
a sentence can satisfy, sentences.py reads spaCy's tokens without the pipeline and
resolve.py finds names with str.find: each is checked against the plain way, on the
example articles and on generated text full of near misses.
"""
from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.loaders import dates, facts, gazetteer, mentions, prefilter, resolve, sentences
from kg.loaders.articles import read_articles
from kg.loaders.clean import clean

ROOT = Path(__file__).resolve().parent.parent
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = ["Turkish", "Russia's", "forces", " troops", "President", " al-", "Ghani", "de ", "Sochi", " deal",
          "agrement", "signed in ", "Geneva", ", ", ". ", "(", ")", "NLF", " the ", "northern", "Syria",
          "air space", "countryside", "of ", "in ", "January 5", " 2019", "yesterday", "\n", "  ", "\t",
          "\xa0", "U.S.", "Feb.", "!", "?", "“", "”", '"', "’s", "n't", "not", "«0C»", "«1A»", " backed by ",
          "İ", "ſ", "K", "Σ", "which", "who", "-", "..."]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def example_texts() -> list[str]:
    return [clean(a).text for a in read_articles([ROOT / "examples" / "articles"]) if not isinstance(a, Exception)]


def spans(matches) -> list:
    return [(m.span(), m.groups()) for m in matches]


def mention_scanners() -> list:
    m = mentions.matchers(gazetteer.load(()))
    return m, [s for s in vars(m).values() if isinstance(s, prefilter.Scanner)]


def test_case_special_is_where_lower_differs_from_ignorecase():
    """CASE_SPECIAL: the characters whose str.lower() is not re.IGNORECASE's folding."""
    sre = pytest.importorskip("_sre")
    compiler = getattr(re, "_compiler", None) or pytest.importorskip("sre_compile")
    classes = {}
    for code, others in compiler._EXTRA_CASES.items():
        classes[code] = min((code, *others))
    special = set()
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        folded = sre.unicode_tolower(code)
        if chr(code).lower() != chr(classes.get(folded, folded)):
            special.add(chr(code))
    assert special == prefilter.CASE_SPECIAL


def test_scanners_find_what_their_regexes_find_in_the_examples():
    m, scanners = mention_scanners()
    for text in example_texts():
        found = m.literals.find(text)
        for scanner in scanners:
            assert spans(scanner.finditer(text, found)) == spans(scanner.regex.finditer(text)), scanner.regex.pattern


@FUZZ
@given(texts)
def test_scanners_find_what_their_regexes_find_in_any_text(text):
    m, scanners = mention_scanners()
    found = m.literals.find(text)
    for scanner in scanners:
        assert spans(scanner.finditer(text, found)) == spans(scanner.regex.finditer(text))
    found = dates.LITERALS.find(text)
    for scanner in dates.SCANNERS:
        assert spans(scanner.finditer(text, found)) == spans(scanner.regex.finditer(text))


@FUZZ
@given(texts)
def test_search_finds_what_the_regex_finds(text):
    for scanner in (facts.NEGATION, facts.CONDITIONAL, facts.HEDGE, facts.DEPENDENT, facts.NOT_THERE):
        assert bool(scanner.search(text)) == bool(scanner.regex.search(text))


def test_literals_of_a_pattern():
    scanner = prefilter.Scanner(re.compile(r"\b(?:Turkish|Russian)\s+(?i:troops|forces)\b"))
    assert scanner.anchors == {"turkish", "russian"}
    assert scanner.factors == (frozenset({"troops", "forces"}),)
    negation = prefilter.Scanner(re.compile(r"\bnot\b|n['’]t\b"))
    assert negation.anchors == {"not", "n't", "n’t"}
    assert prefilter.Scanner(re.compile(r"(?:the\s+)?\w+ly")).anchors is None


def naive_sentence_facts(clean_text, sentence, inside):
    """sentence_facts as it reads without RuleIndex: every rule whose type codes fit, on every form."""
    evidence = facts.evidence_factory(clean_text, sentence)
    out = []
    if len(inside) >= 2:
        text, index = facts.template(sentence, inside)
        codes = {facts.CODES[m.type] for m in inside}
        full = facts.PARTICIPIAL.sub("", text)
        forms = {"raw": [text], "full": [full], "reduced": [facts.reduced(text)]}
        forms["both"] = list(dict.fromkeys(forms["full"] + forms["reduced"]))
        for rule in facts.rules():
            if not rule.needs <= codes:
                continue
            for variant in forms[rule.template]:
                for match in rule.regex.finditer(variant):
                    if rule.unless_before and rule.unless_before.search(variant[max(0, match.start() - 40):match.start()]):
                        continue
                    out.extend(facts._rule_facts(rule, match, variant, index, evidence))
    out.extend(facts._mention_facts(inside, evidence))
    return out


def test_rule_index_loses_no_fact():
    from kg.loaders.pipeline import extract

    seen = 0
    for article in read_articles([ROOT / "examples" / "articles", ROOT / "tests" / "data" / "heldout" / "articles"]):
        extraction = extract(article)
        text = extraction.clean
        gaz = gazetteer.load(())
        candidates = mentions.find_candidates(text.text, gaz)
        found = resolve.Resolver(text.text, gaz, text.date).resolve(candidates, dates.find_dates(text.text, text.date))
        for sentence in sentences.split_sentences(text.text):
            inside = [m for m in found if m.start >= sentence.start and m.end <= sentence.end]
            expected = naive_sentence_facts(text, sentence, inside)
            assert list(facts.sentence_facts(text, sentence, inside)) == expected
            seen += len(expected)
    assert seen > 100


def spacy_sentences(text: str) -> list:
    """Sentences the way spaCy's pipeline (tokenizer + sentencizer) gives them."""
    out = []
    blocks = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", text)]
    for (offset, block), doc in zip(blocks, sentences.nlp().pipe(b for _, b in blocks)):
        for sent in doc.sents:
            start, end = offset + sent.start_char, offset + sent.end_char
            if text[start:end].strip():
                out.append(sentences.Sentence(start, end, text[start:end]))
    return out


def test_sentences_are_spacys_in_the_examples():
    for text in example_texts():
        assert sentences.split_sentences(text) == spacy_sentences(text)


@FUZZ
@given(texts)
def test_sentences_are_spacys_in_any_text(text):
    assert sentences.split_sentences(text) == spacy_sentences(text)


@pytest.mark.parametrize("name, text", [
    ("NLF", "NLF, the NLF-led front and (NLF) NLFs"), ("Al", "Al al-Al Al_ Al"), ("X", "X"), ("", "a-b"),
    *product(["ab"], ["abab ab", "ab-ab ab", " ab ab_ab ab"]),
])
def test_standalone_names_are_found_like_the_regex_finds_them(name, text):
    expected = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    assert resolve._standalone(text, name) == expected
