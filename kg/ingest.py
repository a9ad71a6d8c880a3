"""Articles -> store: extract each new article and write it whole, skipping known ones.

Streams: articles are read, extracted and written one at a time (extraction may run
in worker processes with ``jobs > 1``; results are written in input order, so the
store is the same whatever the number of jobs).
"""
from __future__ import annotations

import sys
from typing import Iterable, Iterator

from kg.model import Article

COUNT_ENTITIES = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:entityId ?id }"
COUNT_FACTS = "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:Fact }"
# Flush the store every this many written articles: an on-disk Oxigraph store otherwise keeps
# every write in memory (~0.3 MB per article, 2 GB at 10k articles; bench/RESULTS.md), and
# flushing as it goes is also faster. Contents do not change.
FLUSH_EVERY = 100


def flush_now(store, written: int) -> None:
    if written % FLUSH_EVERY == 0 and hasattr(store, "flush"):
        store.flush()


def count(store, query: str) -> int:
    rows = store.query(query)
    return int(rows[0]["n"]) if rows else 0


def _extract_one(job):
    from kg.loaders.pipeline import extract

    article, gazetteer_files = job
    return extract(article, gazetteer_files)


def _extract_for_store(job):
    """In a worker: the extraction without what the store never reads (the raw and clean
    text and the offset map, ~10x the size of the facts), so less is pickled back."""
    from dataclasses import replace

    from kg.model import CleanText, Extraction

    extraction = _extract_one(job)
    article = replace(extraction.article, raw="")
    return Extraction(article, CleanText(article, "", (), extraction.clean.date),
                      extraction.entities, extraction.facts)


def _preload(gazetteer_files: tuple) -> None:
    """Load the gazetteer and spaCy once in the parent, so forked workers share them
    (copy-on-write) instead of each building its own."""
    from kg.loaders import gazetteer
    from kg.loaders.sentences import nlp

    gazetteer.load(tuple(gazetteer_files))
    nlp()


def extractions(articles: Iterable[Article], gazetteer_files: tuple = (), jobs: int = 1) -> Iterator:
    """Extractions in input order, computed in ``jobs`` processes.

    With ``jobs > 1`` the extractions carry only what the store writes (article id,
    source, title, url and date; entities; facts with their evidence), not the text."""
    work = ((article, gazetteer_files) for article in articles)
    if jobs <= 1:
        yield from map(_extract_one, work)
        return
    import multiprocessing

    fork = sys.platform.startswith("linux")
    if fork:
        _preload(gazetteer_files)
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with context.Pool(jobs) as pool:
        yield from pool.imap(_extract_for_store, work, chunksize=8)


def ingest_articles(store, articles: Iterable[Article], gazetteer_files: tuple = (),
                    progress: bool = False, jobs: int = 1) -> dict:
    """Add every article not yet stored; return counts before/after."""
    entities_before, facts_before = count(store, COUNT_ENTITIES), count(store, COUNT_FACTS)
    state = {"new": 0, "known": 0}
    seen: set[str] = set()

    def fresh(stream):
        for article in stream:
            if article.id in seen or store.has_article(article.id):
                state["known"] += 1
                continue
            seen.add(article.id)
            yield article

    for number, extraction in enumerate(extractions(fresh(articles), gazetteer_files, jobs), 1):
        if store.add_article(extraction):
            state["new"] += 1
            flush_now(store, state["new"])
        else:
            state["known"] += 1
        if progress and number % 10 == 0:
            print(f"\r{number} articles extracted and stored", end="", file=sys.stderr, flush=True)
    if progress and state["new"]:
        print(f"\r{state['new']} articles extracted and stored", file=sys.stderr)
    entities, facts = count(store, COUNT_ENTITIES), count(store, COUNT_FACTS)
    return {"articles_new": state["new"], "articles_known": state["known"], "entities": entities,
            "entities_new": entities - entities_before, "facts": facts, "facts_new": facts - facts_before}
