"""Agreements as events: every construction of schema/agreement_heads.yaml gives, on its own
example sentences (written for the file), exactly the facts it promises, and nothing from its
negative examples."""
import pytest

from kg.loaders.agreements import lexicon
from kg.loaders.articles import make_article
from kg.loaders.pipeline import extract

AGREEMENT_PREDICATES = {"party_to", "signed_on", "applies_to"}


def agreement_facts(text, date=None):
    body = f"date {date} {text}" if date else text
    extraction = extract(make_article("t.txt", body, "txt"))
    out = set()
    for fact in extraction.facts:
        if fact.predicate not in AGREEMENT_PREDICATES:
            continue
        subject = "*" if fact.subject.type == "Agreement" else fact.subject.label
        obj = fact.object.iso if fact.predicate == "signed_on" else \
            "*" if fact.object.type == "Agreement" else fact.object.label
        out.add(f"{subject} {fact.predicate} {obj}")
    return out


EXAMPLES = [(c.id, example) for c in lexicon().constructions for example in c.examples]


@pytest.mark.parametrize("construction,example", EXAMPLES, ids=[f"{c}:{n}" for n, (c, _) in enumerate(EXAMPLES)])
def test_construction_examples(construction, example):
    got = agreement_facts(example["text"], example.get("date"))
    expected = set(example.get("facts") or [])
    if not expected:
        assert not got, f"{construction}: expected nothing from a negative example, got {got}"
    assert expected <= got, f"{construction}: missing {expected - got}; got {got}"
    assert not set(example.get("not") or []) & got, f"{construction}: {example['not']} must not be read"


def test_every_construction_has_a_positive_example():
    for construction in lexicon().constructions:
        assert any(example.get("facts") for example in construction.examples), construction.id


def test_the_same_unnamed_deal_gets_the_same_agreement_in_two_articles():
    first = extract(make_article("a.txt", "date 2021-03-10 Chad and Niger signed a security pact on 8 March 2021.", "txt"))
    second = extract(make_article("b.txt", "date 2021-03-12 The security pact between Niger and Chad, signed on "
                                           "8 March 2021, took effect.", "txt"))
    ids = {f.object.id for e in (first, second) for f in e.facts if f.predicate == "party_to"}
    assert len(ids) == 1, ids


def test_the_deal_refers_back_to_the_agreement_named_before():
    got = agreement_facts("Serbia and Kosovo signed a deal on trade. Under the deal, Serbian troops will leave Kosovo.")
    assert {"Serbia party_to *", "Kosovo party_to *", "* applies_to Kosovo"} <= got


def test_mediators_are_not_parties():
    got = agreement_facts("A ceasefire between Ethiopia and Eritrea, mediated by Egypt, took effect.")
    assert "Egypt party_to *" not in got
    assert {"Ethiopia party_to *", "Eritrea party_to *"} <= got


def test_no_date_means_no_signed_on():
    got = agreement_facts("Israel and Hamas agreed a ceasefire in Gaza.")
    assert not any(" signed_on " in fact for fact in got)


def test_kg_eval_aligns_an_unnamed_agreement_like_the_shared_scorer(tmp_path):
    import json

    from kg.evaluate import evaluate

    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"entity": "Doha truce", "type": "Agreement", "aliases": []},
        {"subject": "Chad", "predicate": "party_to", "object": "Doha truce", "source": "a.txt"},
        {"subject": "Niger", "predicate": "party_to", "object": "Doha truce", "source": "a.txt"}]) + "\n")
    pred.write_text("\n".join(json.dumps(r) for r in [
        {"subject": "Chad", "predicate": "party_to", "object": "Chad-Niger ceasefire", "object_type": "Agreement",
         "source": "a.txt"},
        {"subject": "Niger", "predicate": "party_to", "object": "Chad-Niger ceasefire", "object_type": "Agreement",
         "source": "a.txt"},
        {"subject": "Mali", "predicate": "party_to", "object": "Mali truce", "object_type": "Agreement",
         "source": "b.txt"}]) + "\n")
    overall = evaluate(pred, gold)["overall"]
    assert overall["correct"] == 2 and overall["predicted"] == 3


def test_striking_a_deal_is_not_an_attack():
    extraction = extract(make_article("t.txt", "Russia and Turkey struck a deal on a buffer zone in northern Syria.", "txt"))
    predicates = {f.predicate for f in extraction.facts}
    assert "attacked" not in predicates and "party_to" in predicates


def test_a_byline_or_caption_date_dates_the_article():
    from kg.loaders.dates import opening_date

    assert opening_date("Deal reached\n\n22 October 2019 - 20:41 By a reporter\nThe two sides ...") == "2019-10-22"
    assert opening_date("Protesters in Neyrab, Sunday, March 15, 2020 as they marched.") == "2020-03-15"
    assert opening_date("On March 5, 2020, Chad and Niger signed a pact.") is None     # an event's date, not the article's
    got = agreement_facts("Trade pact\n\nJan. 15, 2025 - 10:02\nChad and Niger signed a trade pact on Monday.")
    assert "* signed_on 2025-01-13" in got


def test_with_a_parse_the_subject_of_signing_is_read_across_a_long_relative_clause():
    from kg.loaders import gazetteer
    from kg.loaders.agreements import agreement_facts as from_events
    from kg.loaders.clean import clean
    from kg.loaders.dates import find_dates
    from kg.loaders.mentions import find_candidates
    from kg.loaders.parse import parse
    from kg.loaders.resolve import Resolver
    from kg.loaders.sentences import split_sentences

    text = clean(make_article("t.txt", "Chad and Niger, whose armies had clashed along their border for most of "
                                       "the previous year, signed a truce.", "txt"))
    gaz = gazetteer.load(())
    mentions = Resolver(text.text, gaz, None).resolve(find_candidates(text.text, gaz), find_dates(text.text, None))
    sentences = [(s, [m for m in mentions if s.start <= m.start and m.end <= s.end]) for s in split_sentences(text.text)]

    def parties(parses):
        return {f.subject.label for f in from_events(text, sentences, gaz, parses) if f.predicate == "party_to"}

    assert parties(None) == set()
    assert parties(parse(text.text, [s for s, _ in sentences], {0})) == {"Chad", "Niger"}
