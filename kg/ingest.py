"""Articles -> store: extract each new article and write it whole, skipping known ones.

Streams: articles are read and extracted one at a time (extraction, and serialising the
article's quads, may run in worker processes with ``jobs > 1``); the single writer hands
them to the store's bulk loader in small journalled batches, in input order, so the
store is the same whatever the number of jobs. Into an empty store (a first ingest or
load) the writer spools them instead and the store loads the whole run at the end, in
one journalled bulk load (``EmbeddedStore.start_first_load``).
"""
from __future__ import annotations

import sys
import time
from typing import Iterable, Iterator

from kg.model import Article
from kg.rdf import SUMMARY_GRAPH

# Counted in the summary graph, which holds each entity and each fact (its direct triple) once.
COUNT_ENTITIES = f"SELECT (COUNT(?e) AS ?n) WHERE {{ GRAPH {SUMMARY_GRAPH} {{ ?e kg:entityId ?id }} }}"
COUNT_FACTS = f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {SUMMARY_GRAPH} {{ ?s ?p ?o }}
  FILTER(STRSTARTS(STR(?p), STR(kg:)) && ?p NOT IN (kg:entityId, kg:geonamesId)) }}"""
# Flush the store every this many written articles: an on-disk Oxigraph store otherwise keeps
# every write in memory (~0.3 MB per article, 2 GB at 10k articles; bench/RESULTS.md), and
# flushing as it goes is also faster. Contents do not change.
FLUSH_EVERY = 100
# An article that cleaning cut by more than this share is named in the ingest summary.
CUT_REPORT_SHARE = 0.10


def flush_now(store, before: int, written: int) -> None:
    """Flush once when the written count went past a multiple of FLUSH_EVERY."""
    if written // FLUSH_EVERY > before // FLUSH_EVERY and hasattr(store, "flush"):
        store.flush()


def count(store, query: str) -> int:
    rows = store.query(query)
    return int(rows[0]["n"]) if rows else 0


def extract_or_error(article: Article, gazetteer_files: tuple = ()):
    """The article's extraction, or a LoadError naming it when extraction raised (a bug in
    kg, not in the article): one article never stops a batch."""
    from kg.errors import LoadError
    from kg.loaders.pipeline import extract

    try:
        return extract(article, gazetteer_files)
    except Exception as error:  # noqa: BLE001 - reported per article, the batch goes on
        return LoadError(f"{article.source}: extraction failed ({type(error).__name__}: {error}); "
                         "the article was skipped: please report this with the article")


def _extract_one(job):
    article, gazetteer_files = job
    return extract_or_error(article, gazetteer_files)


def prepare_or_error(job):
    """(the article's extraction serialised for the store (kg.rdf.prepare), what the ingest
    summary says about its reading), or the LoadError.

    Runs where the extraction runs (a worker with ``jobs > 1``), so the writing process
    only hands N-Quads bytes to the store's bulk loader."""
    from kg.rdf import prepare

    extraction = _extract_one(job)
    if isinstance(extraction, Exception):
        return extraction
    return prepare(extraction), reading_notes(extraction)


def reading_notes(extraction) -> dict:
    """What the ingest summary says about how an article was read: "cut" when cleaning
    left out more than CUT_REPORT_SHARE of it, "flagged" for each word mixing scripts."""
    clean, source = extraction.clean, extraction.article.source
    cut = [] if clean.cut_share <= CUT_REPORT_SHARE else [
        {"source": source, "share": round(clean.cut_share, 3),
         "as": [reason for reason, _n in sorted(clean.cut, key=lambda c: -c[1])]}]
    flagged = [{"source": source, "flag": kind, "word": word, "read_as": reading}
               for kind, word, reading in clean.flags]
    return {"cut": cut, "flagged": flagged}


def _preload(gazetteer_files: tuple) -> None:
    """Load the gazetteer and spaCy once in the parent, so forked workers share them
    (copy-on-write) instead of each building its own."""
    from kg.loaders import gazetteer
    from kg.loaders.sentences import nlp

    gazetteer.load(tuple(gazetteer_files))
    nlp()


def prepared(articles: Iterable[Article], gazetteer_files: tuple = (), jobs: int = 1) -> Iterator:
    """Prepared articles (or LoadErrors) in input order, extracted in ``jobs`` processes."""
    work = ((article, gazetteer_files) for article in articles)
    if jobs <= 1:
        yield from map(prepare_or_error, work)
        return
    import multiprocessing

    fork = sys.platform.startswith("linux")
    if fork:
        _preload(gazetteer_files)
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with context.Pool(jobs) as pool:
        yield from pool.imap(prepare_or_error, work, chunksize=8)


class StoreWriter:
    """Writes prepared articles (kg.rdf.PreparedArticle) to a store with its bulk loader
    (journalled, see kg/stores/embedded.py), a batch per ``batch`` articles or per
    ``seconds`` (whichever comes first: a slow stream still reaches the store and shows
    progress every few seconds): counts new and known articles, flushes every FLUSH_EVERY
    writes (at most once a batch), shows progress, and sums up what the store gained. ``totals`` writes the last
    batch (after a first load into an empty store, the whole spooled run: see ``start_first_load``). Each bulk call costs ~50 ms whatever its size, so batches of 100+ articles are
    what makes it ~3x cheaper than a transaction per article; the first batches are
    smaller (10 articles, doubling up to ``batch``) so a short run reaches the store early."""

    def __init__(self, store, label: str, progress: bool = False, every: int = 10, batch: int = 200,
                 seconds: float = 5.0):
        from kg.progress import Progress

        self.store, self.label, self.every = store, label, every
        self.size, self.largest, self.seconds, self.started = min(10, batch), batch, seconds, 0.0
        self.new = self.known = self.seen = 0
        self.pending: list = []
        self.entities_before, self.facts_before = count(store, COUNT_ENTITIES), count(store, COUNT_FACTS)
        # a first load: spooled, bulk-loaded in chunks, the summary and stats graphs at the end
        self.first_load = hasattr(store, "start_first_load") and store.start_first_load()
        self.bar = Progress(label, enabled=progress).__enter__()

    def write(self, article) -> None:
        if not self.pending:
            self.started = time.monotonic()
        self.pending.append(article)
        if len(self.pending) >= self.size or time.monotonic() - self.started >= self.seconds:
            self.close()

    def close(self) -> None:
        """Write what is pending."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self.size = min(2 * self.size, self.largest)
        before = self.new
        for written in self.store.add_prepared(batch):
            self.seen += 1
            if written:
                self.new += 1
            else:
                self.known += 1
            if self.seen % self.every == 0:
                self.bar.update(self.seen)
        flush_now(self.store, before, self.new)

    def totals(self) -> dict:
        """Entities and facts in the store now, and how many this run added."""
        self.close()
        if self.first_load:
            self.bar.update(self.seen)
            self.bar.describe(f"{self.label}; writing the store")
        if hasattr(self.store, "finish_stats"):
            self.store.finish_stats()
        self.bar.__exit__(None, None, None)
        entities, facts = count(self.store, COUNT_ENTITIES), count(self.store, COUNT_FACTS)
        return {"entities": entities, "entities_new": entities - self.entities_before,
                "facts": facts, "facts_new": facts - self.facts_before}


def ingest_articles(store, articles: Iterable[Article], gazetteer_files: tuple = (),
                    progress: bool = False, jobs: int = 1) -> dict:
    """Add every article not yet stored; return counts before/after."""
    writer = StoreWriter(store, "extracted and stored", progress, batch=1000)
    skipped = 0
    seen: set[str] = set()

    def fresh(stream):
        nonlocal skipped
        for article in stream:
            if article.id in seen or store.has_article(article.id):
                skipped += 1
                continue
            seen.add(article.id)
            yield article

    failed = 0
    notes: dict = {"cut": [], "flagged": []}
    for item in prepared(fresh(articles), gazetteer_files, jobs):
        if isinstance(item, Exception):
            failed += 1
            print(f"kg: {item}", file=sys.stderr)
            continue
        article, reading = item
        writer.write(article)
        for key in notes:
            notes[key].extend(reading[key])
    totals = writer.totals()
    return {"articles_new": writer.new, "articles_known": writer.known + skipped,
            "articles_failed": failed, **totals, **notes}
