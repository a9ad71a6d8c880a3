"""Evidence rows -> answer rows, the same way for every backend.

Canned queries return one row per piece of evidence: the answer columns plus
``article``, ``source``, ``sentence`` and ``confidence``. Values are normalised
(predicate names, dates, numbers) so SPARQL and Cypher rows compare equal; then
rows are grouped per answer with the number of articles and the best sentence.
"""
from __future__ import annotations

from functools import lru_cache

from kg.schema.namespaces import RESOURCE

EVIDENCE = ("article", "source", "sentence", "confidence")
SUMMARY = ("articles", "confidence", "evidence", "sources")
PREDICATE_COLUMNS = ("predicate", "claim")
ARTICLE_PREFIX = RESOURCE + "article/"


@lru_cache(maxsize=1)
def predicate_names() -> dict[str, str]:
    """'leaderOf', 'LEADER_OF', full IRI and 'leader_of' -> 'leader_of'."""
    from kg.schema.vocab import predicates

    out = {}
    for p in predicates().values():
        for alias in (p.name, p.iri, p.iri.rsplit("#", 1)[-1], p.neo4j):
            out[alias] = p.name
    return out


def value(raw):
    """A backend's value as a plain comparable one (Neo4j dates -> ISO strings, floats rounded)."""
    if raw is None or isinstance(raw, (str, bool, int)):
        return raw
    if isinstance(raw, float):
        return round(raw, 2)
    if isinstance(raw, (list, tuple)):
        return "; ".join(str(value(v)) for v in raw)
    return str(raw.iso_format() if hasattr(raw, "iso_format") else raw)


def normalise(row: dict, columns: tuple[str, ...]) -> dict:
    """The answer and evidence columns of a raw row, values made comparable across backends."""
    out = {c: value(row.get(c)) for c in columns + EVIDENCE if c in row}
    for c in PREDICATE_COLUMNS:
        if isinstance(out.get(c), str):
            out[c] = predicate_names().get(out[c], out[c])
    if isinstance(out.get("article"), str) and out["article"].startswith(ARTICLE_PREFIX):
        out["article"] = out["article"][len(ARTICLE_PREFIX):]
    if out.get("confidence") is not None:
        out["confidence"] = round(float(out["confidence"]), 2)
    return out


def best(evidence: list[dict]) -> dict:
    """The most confident piece of evidence (ties: the first sentence in sort order)."""
    return min(evidence, key=lambda r: (-(r.get("confidence") or 0.0), r.get("sentence") or "", r.get("article") or ""))


def summarise(rows: list[dict], columns: tuple[str, ...]) -> list[dict]:
    """One row per answer: its columns, how many articles, the best confidence and sentence, sources."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row.get(c) for c in columns), []).append(row)
    out = []
    for key, evidence in groups.items():
        top = best(evidence)
        out.append({**dict(zip(columns, key)),
                    "articles": len({r.get("article") for r in evidence}),
                    "confidence": top.get("confidence"), "evidence": top.get("sentence"),
                    "sources": "; ".join(sorted({str(r.get("source")) for r in evidence if r.get("source")}))})
    return out


def distinct(rows: list[dict]) -> list[dict]:
    """Rows without duplicates, first occurrence kept."""
    seen, out = set(), []
    for row in rows:
        key = tuple(sorted(row.items(), key=lambda kv: kv[0]))
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _sort_key(raw):
    if raw is None:
        return (0, 0, "")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return (1, raw, "")
    return (2, 0, str(raw))


def sort_rows(rows: list[dict], order: tuple[str, ...]) -> list[dict]:
    """Rows sorted by the given columns ('-' prefix: descending), then by every column for a stable order."""
    return sort_by(sorted(rows, key=lambda r: [_sort_key(v) for v in r.values()]), order)


def sort_by(rows: list[dict], order) -> list[dict]:
    """Rows sorted by the given columns ('-' prefix: descending) as SPARQL's ORDER BY sorts them
    (unbound first, numbers by value, strings by code point), ties kept in the order they came."""
    rows = list(rows)
    for spec in reversed(tuple(order)):
        name = spec.lstrip("-")
        rows.sort(key=lambda r: _sort_key(r.get(name)), reverse=spec.startswith("-"))
    return rows


def answer(rows: list[dict], columns: tuple[str, ...], order: tuple[str, ...], evidence: bool) -> list[dict]:
    """Raw evidence rows -> sorted answer rows (or sorted evidence rows with ``evidence``)."""
    rows = distinct([normalise(r, columns) for r in rows])
    if evidence:
        keys = tuple(k for k in order if k.lstrip("-") != "articles") + ("-confidence", "article")
        return sort_rows(rows, keys)
    return sort_rows(summarise(rows, columns), order)
