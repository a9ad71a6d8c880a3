"""Score extracted facts against a gold file: precision, recall and F1, overall and per predicate.

Same matching as the shared scorer: labels folded (accents, case, punctuation, a
leading 'the') and mapped through the gold's entity aliases; talked_with symmetric. An
agreement label the gold does not know (an unnamed deal kg minted a label for) is aligned,
one to one, to the gold agreement whose facts it reproduces best in the same articles.
"""
from __future__ import annotations

import json
from collections import defaultdict

from kg.lookup import fold

SYMMETRIC = {"talked_with"}
AGREEMENT_SUBJECT = {"signed_on", "applies_to"}
AGREEMENT_OBJECT = {"party_to"}


def _rows(path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _key(row, canonical):
    def resolve(label):
        return canonical.get(fold(str(label)).replace("-", " "), fold(str(label)).replace("-", " "))

    s, o = resolve(row["subject"]), resolve(row["object"])
    p = row["predicate"]
    if p in SYMMETRIC:
        s, o = sorted([s, o])
    return s, p, o


def _norm(label) -> str:
    return fold(str(label)).replace("-", " ")


def _agreement_of(row):
    if row["predicate"] in AGREEMENT_OBJECT or row.get("object_type") == "Agreement":
        return row["object"]
    if row["predicate"] in AGREEMENT_SUBJECT or row.get("subject_type") == "Agreement":
        return row["subject"]
    return None


def align_agreements(rows, gold_rows, canonical) -> dict:
    """{predicted label: gold label} for agreement labels the gold does not know, as the shared scorer does."""
    gold = {_key(r, canonical) for r in gold_rows}
    sources: dict = {}
    for r in gold_rows:
        label = _agreement_of(r)
        if label is not None:
            sources.setdefault(canonical.get(_norm(label), label), set()).add(r.get("source"))
    unknown: dict = {}
    for r in rows:
        label = _agreement_of(r)
        if label is not None and _norm(label) not in canonical:
            unknown.setdefault(label, []).append(r)
    scores = []
    for label, facts in unknown.items():
        where = {f.get("source") for f in facts}
        for target, target_sources in sources.items():
            if not where & target_sources:
                continue
            moved = {_key({**f, "subject": target if f["subject"] == label else f["subject"],
                           "object": target if f["object"] == label else f["object"]}, canonical) for f in facts}
            if moved & gold:
                scores.append((-len(moved & gold), str(label), target))
    aligned, taken = {}, set()
    for _, label, target in sorted(scores):
        if label not in aligned and target not in taken:
            aligned[label] = target
            taken.add(target)
    return aligned


def evaluate(predictions_path, gold_path) -> dict:
    canonical, gold_rows = {}, []
    for row in _rows(gold_path):
        if "entity" in row:
            for name in [row["entity"], *row.get("aliases", [])]:
                canonical[_norm(name)] = row["entity"]
        else:
            gold_rows.append(row)
    gold = {_key(r, canonical) for r in gold_rows}
    rows = [r for r in _rows(predictions_path) if "subject" in r]
    for label, target in align_agreements(rows, gold_rows, canonical).items():
        canonical[_norm(label)] = target
    predicted = {_key(r, canonical) for r in rows}
    report = {"overall": _scores(predicted, gold), "predicates": {}}
    by_pred = defaultdict(lambda: (set(), set()))
    for k in predicted:
        by_pred[k[1]][0].add(k)
    for k in gold:
        by_pred[k[1]][1].add(k)
    for pred in sorted(by_pred):
        report["predicates"][pred] = _scores(*by_pred[pred])
    report["missed"] = sorted(map(list, gold - predicted))
    report["wrong"] = sorted(map(list, predicted - gold))
    return report


def _scores(predicted: set, gold: set) -> dict:
    hits = len(predicted & gold)
    p = hits / len(predicted) if predicted else 0.0
    r = hits / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if hits else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "predicted": len(predicted), "gold": len(gold), "correct": hits}


def format_report(report: dict) -> str:
    lines = [f"{'predicate':<14} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}"]
    for name, s in [*report["predicates"].items(), ("overall", report["overall"])]:
        lines.append(f"{name:<14} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                     f"{s['predicted']:>5} {s['gold']:>5}")
    return "\n".join(lines)
