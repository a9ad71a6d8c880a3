"""kill -9 during `kg ingest`, and two `kg ingest` processes on one store.

The store is reopened after every SIGKILL: it must open, hold every article it has
either whole (its named graph identical to the one an uninterrupted run writes) or
not at all, and a re-run must end with exactly the quads of an uninterrupted run. A first
ingest into an empty store writes the whole run at the end (one journalled bulk load of
a spool file): killed, it leaves nothing of itself; into a store holding articles the
ingest writes batch by batch, and a kill keeps the batches written.
"""
from __future__ import annotations

import json
import os
import pty
import random
import re
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from robust_support import KG, count_facts, fact_ids, nquads, rebuilt_stats, stats_of, summary_of, write_articles

from kg.rdf import summary_quads
from kg.stores.embedded import EmbeddedStore

ARTICLES = 200
KILLS = 6
SEED = 20261122
PROGRESS = re.compile(rb"(\d+) articles extracted and stored")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "articles"
    write_articles(folder, ARTICLES, seed=11)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    """The store an uninterrupted run writes: its quads, per-article graphs and summary."""
    path = tmp_path_factory.mktemp("reference") / "store"
    done = subprocess.run([KG, "--store", str(path), "ingest", "--json", str(corpus)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    store = EmbeddedStore(path)
    try:
        graphs = {a: sorted(str(q) for q in store.graph_quads(a)) for a in store.article_ids()}
        result = {"quads": nquads(store), "graphs": graphs, "facts": count_facts(store), "fact_ids": fact_ids(store),
                  "articles": store.article_ids(),
                  "summary": json.loads(done.stdout), "path": path}
    finally:
        store.close()
    assert len(graphs) == ARTICLES and result["facts"] > 0
    return result


def start_ingest(store: Path, corpus):
    """`kg ingest` with its stderr on a pseudo-terminal, so it prints its progress."""
    master, slave = pty.openpty()
    paths = [str(p) for p in corpus] if isinstance(corpus, list) else [str(corpus)]
    process = subprocess.Popen([KG, "--store", str(store), "ingest", *paths],
                               stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    return process, master


def kill_when(process, master, stored_at_least: int, extra_delay: float, deadline: float = 60) -> int:
    """SIGKILL once progress says ``stored_at_least`` articles were stored, ``extra_delay`` s later."""
    seen, buffer, end = 0, b"", time.monotonic() + deadline
    while seen < stored_at_least and process.poll() is None and time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                buffer += os.read(master, 4096)
            except OSError:
                break
            numbers = PROGRESS.findall(buffer)
            if numbers:
                seen = int(numbers[-1])
            buffer = buffer[-200:]
    time.sleep(extra_delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    os.close(master)
    return seen


def check_whole(path: Path, reference) -> int:
    """Reopen the store; every article in it must be exactly the reference's. Returns how many."""
    store = EmbeddedStore(path)
    try:
        ids = store.article_ids()
        for article_id in ids:
            graph = sorted(str(q) for q in store.graph_quads(article_id))
            assert graph == reference["graphs"][article_id], f"article {article_id} is not whole"
        broken = store.query("""
            SELECT ?g WHERE { GRAPH ?g { { FILTER NOT EXISTS { ?g a kg:Article } ?s ?p ?o }
                UNION { ?f a kg:Fact FILTER NOT EXISTS { ?f kg:evidence/prov:wasDerivedFrom ?g } } }
                FILTER(?g != kgr:graph\\/summary && ?g != kgr:graph\\/stats) } LIMIT 5""")
        assert broken == [], f"graphs without their Article node or with facts lacking evidence: {broken}"
        implied = {str(q) for a in ids for q in summary_quads(store.graph_quads(a))}
        assert summary_of(store) == implied, "the summary graph is not exactly what the article graphs state"
        assert stats_of(store) == rebuilt_stats(store), "the stats graph is not what the article graphs imply"
        return len(ids)
    finally:
        store.close()


def test_kill_9_during_ingest_then_rerun_gives_exact_counts(corpus, reference, tmp_path, figures):
    rng = random.Random(SEED)
    path = tmp_path / "store"
    # a first ingest (empty store: spooled, one bulk load at the end) killed while it reads,
    # then just after it has read every article (during its bulk load, or once it is done)
    for target, delay in ((rng.randrange(1, ARTICLES // 2), rng.uniform(0.0, 0.05)), (ARTICLES, rng.uniform(0.0, 0.3))):
        process, master = start_ingest(path, corpus)
        kill_when(process, master, target, delay)
        stored = check_whole(path, reference)
        assert stored in (0, ARTICLES), f"a first ingest killed left {stored} of its {ARTICLES} articles"
        assert not list(path.glob(".kg-spool-*")), "the killed run's spool file was left in the store"
        if process.returncode == -signal.SIGKILL:
            figures.fault("kill -9 during a first kg ingest (spooled, one bulk load)")
        shutil.rmtree(path)
    # a store holding a few articles: the ingest then writes batch by batch
    articles = sorted(corpus.iterdir())
    seeded = subprocess.run([KG, "--store", str(path), "ingest", *map(str, articles[:5])], capture_output=True,
                            text=True, timeout=120)
    assert seeded.returncode == 0, seeded.stderr
    stored, partial = 5, 0
    for attempt in range(KILLS):
        process, master = start_ingest(path, corpus)
        remaining = ARTICLES - stored
        if attempt == 0:      # once at a random moment of start-up (store open, nothing written yet)
            target, delay = 0, rng.uniform(0.0, 0.8)
        else:                 # else at a random point of the writing
            target, delay = rng.randrange(0, max(remaining // 2, 1)), rng.uniform(0.0, 0.05)
        kill_when(process, master, target, delay)
        killed = process.returncode == -signal.SIGKILL
        before = stored
        stored = check_whole(path, reference)
        partial += 0 < stored < ARTICLES
        if killed and attempt == 0:
            figures.fault("kill -9 during kg ingest, at start-up")
        elif killed and before < stored < ARTICLES:
            figures.fault("kill -9 during kg ingest, between articles being written")
    assert partial >= 2, "the kills should have interrupted the writing at least twice"

    # the killed store passes kg validate (SHACL)
    check = subprocess.run([KG, "--store", str(path), "validate"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr

    done = subprocess.run([KG, "--store", str(path), "ingest", "--json", str(corpus)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["articles_new"] == ARTICLES - stored
    assert summary["articles_known"] == stored
    assert (summary["entities"], summary["facts"]) == (reference["summary"]["entities"],
                                                       reference["summary"]["facts"])
    store = EmbeddedStore(path)
    try:
        final, facts, articles = nquads(store), fact_ids(store), store.article_ids()
    finally:
        store.close()
    # measured against the uninterrupted run, before asserting
    figures.compare("facts", reference["fact_ids"], facts)
    figures.compare("articles", reference["articles"], articles)
    figures.compare("quads", reference["quads"], final)
    for article in sorted(corpus.iterdir()):
        figures.input(article.read_bytes())
    assert final == reference["quads"]


def test_second_ingest_on_the_same_store_stops_with_a_clear_message(corpus, reference, tmp_path, figures):
    path = tmp_path / "store"
    first = subprocess.Popen([KG, "--store", str(path), "ingest", str(corpus)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (path / "LOCK").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)
        second = subprocess.run([KG, "--store", str(path), "ingest", str(corpus)],
                                capture_output=True, text=True, timeout=60)
        still_running = first.poll() is None
        out, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert still_running, "the first ingest ended before the second started; the test proved nothing"
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "in use by another kg process" in lines[0], second.stderr
    assert "Traceback" not in second.stderr
    assert first.returncode == 0, err
    assert f"articles: {ARTICLES} new" in out
    figures.fault("a second kg ingest on a store in use")
    store = EmbeddedStore(path)
    try:
        assert nquads(store) == reference["quads"]
    finally:
        store.close()
