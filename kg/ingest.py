"""Articles -> store: extract each new article and write it whole, skipping known ones."""
from __future__ import annotations

import sys
from typing import Iterable

from kg.model import Article

COUNT_ENTITIES = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:entityId ?id }"
COUNT_FACTS = "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:Fact }"


def count(store, query: str) -> int:
    rows = store.query(query)
    return int(rows[0]["n"]) if rows else 0


def ingest_articles(store, articles: Iterable[Article], gazetteer_files: tuple = (),
                    progress: bool = False) -> dict:
    """Add every article not yet stored; return counts before/after."""
    from kg.loaders.pipeline import extract

    articles = list(articles)
    entities_before, facts_before = count(store, COUNT_ENTITIES), count(store, COUNT_FACTS)
    new = known = 0
    seen: set[str] = set()
    for number, article in enumerate(articles, 1):
        if progress:
            print(f"\r[{number}/{len(articles)}] {article.source[:60]:<60}", end="", file=sys.stderr, flush=True)
        if article.id in seen or store.has_article(article.id):
            known += 1
            continue
        seen.add(article.id)
        if store.add_article(extract(article, gazetteer_files)):
            new += 1
        else:
            known += 1
    if progress and articles:
        print(file=sys.stderr)
    entities, facts = count(store, COUNT_ENTITIES), count(store, COUNT_FACTS)
    return {"articles_new": new, "articles_known": known, "entities": entities,
            "entities_new": entities - entities_before, "facts": facts, "facts_new": facts - facts_before}
