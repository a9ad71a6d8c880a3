"""Build a benchmark store fast from `kg extract` output, for measuring queries.

`kg load` writes each article in its own transaction (crash-safe, the way a user loads).
On a shared machine whose disk is busy a transaction can cost ~80 ms of waiting, so a
100k store would take hours; this writes the same article and summary quads with
Oxigraph's bulk loader (not transactional: a benchmark store only) and lets the store
build its stats graph when first opened, the path an older store takes
(`tests/test_aggregates.py` checks that this gives the same stats graph as writing
article by article).

    python bench/build_store.py STORE facts/part-00000.jsonl ...
"""
from __future__ import annotations

import sys
import time

import pyoxigraph as ox

from kg.load import build_extraction, groups
from kg.rdf import SUMMARY_GRAPH, article_quads, summary_quads
from kg.stores.embedded import EmbeddedStore


def build(store_path: str, paths: list[str], batch: int = 2000) -> dict:
    started = time.perf_counter()
    raw = ox.Store(store_path)
    raw.add_graph(SUMMARY_GRAPH)
    pending, articles, seen = [], 0, set()
    state = {"bad_lines": 0, "failed_files": 0}
    for group in groups(paths, lambda m: print(m, file=sys.stderr), state):
        if group.broken or group.article_id in seen:
            continue
        seen.add(group.article_id)
        quads = article_quads(build_extraction(group.records))
        pending += quads + summary_quads(quads)
        articles += 1
        if articles % batch == 0:
            raw.bulk_extend(pending)
            pending = []
            print(f"  {articles:,} articles", file=sys.stderr, flush=True)
    raw.bulk_extend(pending)
    raw.flush()
    del raw
    written = time.perf_counter()
    store = EmbeddedStore(store_path)         # builds the stats graph
    store.close()
    return {"articles": articles, "write_s": written - started, "stats_s": time.perf_counter() - written}


if __name__ == "__main__":
    print(build(sys.argv[1], sys.argv[2:]))
