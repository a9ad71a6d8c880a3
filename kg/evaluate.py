"""Score extracted facts against a gold file: precision, recall and F1, overall and per predicate.

Same matching as the shared scorer: labels folded (accents, case, punctuation, a
leading 'the') and mapped through the gold's entity aliases; talked_with symmetric.
"""
from __future__ import annotations

import json
from collections import defaultdict

from kg.lookup import fold

SYMMETRIC = {"talked_with"}


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


def evaluate(predictions_path, gold_path) -> dict:
    canonical, gold_rows = {}, []
    for row in _rows(gold_path):
        if "entity" in row:
            for name in [row["entity"], *row.get("aliases", [])]:
                canonical[fold(name).replace("-", " ")] = row["entity"]
        else:
            gold_rows.append(row)
    gold = {_key(r, canonical) for r in gold_rows}
    predicted = {_key(r, canonical) for r in _rows(predictions_path) if "subject" in r}
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
