"""Extraction quality must not fall: scored on the bundled examples (and on the shared
evaluation articles when they sit beside the checkout)."""
import json
from pathlib import Path

import pytest

from kg.evaluate import evaluate
from kg.records import fact_record

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def score(extractions, gold, tmp_path):
    predictions = tmp_path / "pred.jsonl"
    with predictions.open("w", encoding="utf-8") as out:
        for extraction in extractions:
            for fact in extraction.facts:
                out.write(json.dumps(fact_record(fact, extraction)) + "\n")
    return evaluate(predictions, gold)


def test_quality_on_examples(example_extractions, tmp_path):
    report = score(example_extractions, ROOT / "examples" / "gold.jsonl", tmp_path)
    overall = report["overall"]
    assert overall["precision"] >= 0.85, report["wrong"]
    assert overall["f1"] >= 0.50, overall


def test_quality_on_the_held_out_set(tmp_path):
    """Articles and gold written independently of the extractor, to keep the rules general."""
    from kg.loaders.articles import read_articles
    from kg.loaders.pipeline import extract

    heldout = ROOT / "tests" / "data" / "heldout"
    extractions = [extract(a) for a in read_articles([heldout / "articles"])]
    overall = score(extractions, heldout / "gold.jsonl", tmp_path)["overall"]
    assert overall["precision"] >= 0.85, overall
    assert overall["f1"] >= 0.45, overall


@pytest.mark.skipif(not (SHARED / "gold" / "seeds.jsonl").is_file(), reason="../shared/eval not beside the checkout")
def test_quality_on_shared_evaluation(tmp_path):
    from kg.loaders.articles import read_articles
    from kg.loaders.pipeline import extract

    extractions = [extract(a) for a in read_articles([SHARED / "articles"])]
    overall = score(extractions, SHARED / "gold" / "seeds.jsonl", tmp_path)["overall"]
    assert overall["precision"] >= 0.95, overall
    assert overall["f1"] >= 0.90, overall
