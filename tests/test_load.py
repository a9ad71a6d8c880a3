"""`kg load`: the output of `kg extract --format jsonl` gives the same store as `kg ingest`."""
from __future__ import annotations

import hashlib
import json

import pytest

from kg.cli import cli
from kg.rdf import SUMMARY_GRAPH

SUMMARY = str(SUMMARY_GRAPH)
from kg.aggregates import STATS_GRAPH  # noqa: E402


def nquads(store_path) -> list[str]:
    """The article graphs of a store as sorted N-Quads lines (the summary graph they imply
    is checked by the robustness suite)."""
    import pyoxigraph as ox

    from kg.stores.embedded import EmbeddedStore

    store = EmbeddedStore(store_path)
    try:
        text = store.dump(ox.RdfFormat.N_QUADS).decode("utf-8")
    finally:
        store.close()
    derived = (SUMMARY, str(STATS_GRAPH))     # implied by the article graphs (tests/test_aggregates.py)
    return sorted(line for line in text.splitlines() if line.strip() and graph_of(line) not in derived)


@pytest.fixture(scope="module")
def built(tmp_path_factory, examples_dir):
    """facts.jsonl from `kg extract`, and the sorted N-Quads of a store built by `kg ingest`."""
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("load")
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", str(examples_dir), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    facts = root / "facts.jsonl"
    facts.write_text(result.stdout, encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(root / "ingested"), "ingest", str(examples_dir)])
    assert result.exit_code == 0, result.output
    return facts, nquads(root / "ingested")


def records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def graph_of(line: str) -> str:
    return line.rsplit(" ", 2)[-2]


def test_load_gives_the_store_ingest_gives(runner, built, tmp_path):
    facts, ingested = built
    store = tmp_path / "loaded"
    result = runner.invoke(cli, ["--store", str(store), "load", str(facts)])
    assert result.exit_code == 0, result.output
    loaded = nquads(store)
    # articles that yielded no fact are not in the extract output (documented in `kg load --help`)
    loaded_graphs = {graph_of(q) for q in loaded}
    assert len(loaded_graphs) == len({r["article_id"] for r in records(facts)})
    assert loaded == [q for q in ingested if graph_of(q) in loaded_graphs]
    assert hashlib.sha256("\n".join(loaded).encode()).hexdigest() == \
        hashlib.sha256("\n".join(q for q in ingested if graph_of(q) in loaded_graphs).encode()).hexdigest()
    # every article of the examples yields facts, so the stores are identical
    assert loaded == ingested


def test_records_carry_what_the_graph_needs(built):
    facts, _ = built
    rows = records(facts)
    assert any("article_title" in r for r in rows)
    assert any("article_url" in r for r in rows)
    assert any("object_lat" in r or "subject_lat" in r for r in rows)


def test_loading_twice_changes_nothing(runner, built, tmp_path):
    facts, _ = built
    store = tmp_path / "loaded"
    first = runner.invoke(cli, ["--store", str(store), "load", "--json", str(facts)])
    assert first.exit_code == 0, first.output
    before = nquads(store)
    again = runner.invoke(cli, ["--store", str(store), "load", "--json", str(facts)])
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert summary["articles_new"] == 0 and summary["articles_known"] == json.loads(first.stdout)["articles_new"]
    assert summary["facts_new"] == 0 and summary["entities_new"] == 0
    assert nquads(store) == before


def test_an_article_split_across_shards_loads_whole(runner, built, tmp_path):
    facts, ingested = built
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    ids = [json.loads(line)["article_id"] for line in lines]
    # cut inside an article's records, so its first records are in one shard and the rest in the next
    cut = next(i for i in range(len(ids) // 2, len(ids)) if ids[i - 1] == ids[i])
    shards = tmp_path / "facts"
    shards.mkdir()
    (shards / "part-00000").write_text("".join(lines[:cut]), encoding="utf-8")
    (shards / "part-00001").write_text("".join(lines[cut:]), encoding="utf-8")
    (shards / "_SUCCESS").write_text("", encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(tmp_path / "s"), "load", "--json", str(shards)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles_new"] == len(set(ids))
    assert nquads(tmp_path / "s") == ingested
    # the same records twice in a row (an article read twice) count once
    (tmp_path / "twice.jsonl").write_text("".join(lines[:3] * 2 + lines[3:]), encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(tmp_path / "t"), "load", str(tmp_path / "twice.jsonl")])
    assert result.exit_code == 0, result.output
    assert nquads(tmp_path / "t") == ingested


def test_shuffled_records_in_many_files_load_to_the_same_store(runner, built, tmp_path):
    """What a Spark or Dask repartition does: records of every article scattered over files."""
    import random

    facts, ingested = built
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(17).shuffle(lines)
    shards = tmp_path / "shuffled"
    shards.mkdir()
    for part in range(5):
        (shards / f"part-{part:05d}.jsonl").write_text("".join(lines[part::5]), encoding="utf-8")
    ids = [json.loads(line)["article_id"] for line in lines]
    assert any(len({i % 5 for i, a in enumerate(ids) if a == article}) > 1 for article in set(ids))
    result = runner.invoke(cli, ["--store", str(tmp_path / "s"), "load", str(shards)])
    assert result.exit_code == 0, result.output
    assert nquads(tmp_path / "s") == ingested
    # the same with the quads built in two worker processes
    result = runner.invoke(cli, ["--store", str(tmp_path / "j2"), "load", "--jobs", "2", str(shards)])
    assert result.exit_code == 0, result.output
    assert nquads(tmp_path / "j2") == ingested


def test_parquet_out_and_in_gives_the_store_ingest_gives(runner, built, tmp_path, examples_dir):
    import pyarrow.parquet as pq

    from kg.records import arrow_schema

    facts, ingested = built
    out = tmp_path / "facts.parquet"
    result = runner.invoke(cli, ["extract", str(examples_dir), "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.schema.equals(arrow_schema())
    assert table.num_rows == len(records(facts))
    result = runner.invoke(cli, ["--store", str(tmp_path / "s"), "load", str(out)])
    assert result.exit_code == 0, result.output
    assert nquads(tmp_path / "s") == ingested


def test_a_broken_line_is_reported_and_the_others_load(runner, built, tmp_path):
    facts, ingested = built
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    ids = [json.loads(line)["article_id"] for line in lines]
    # break a line in the middle of an article's records (truncated, as by a killed writer)
    victim = next(i for i in range(1, len(ids) - 1) if ids[i - 1] == ids[i] == ids[i + 1])
    broken = list(lines)
    broken[victim] = lines[victim][:40] + "\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(broken), encoding="utf-8")
    store = tmp_path / "loaded"
    result = runner.invoke(cli, ["--store", str(store), "load", str(bad)])
    assert result.exit_code == 1
    stderr = result.stderr
    assert f"{bad}:{victim + 1}:" in stderr
    assert ids[victim] in stderr          # the article it belonged to is not loaded (whole or not at all)
    loaded = nquads(store)
    graphs = {graph_of(q) for q in loaded}
    assert not any(ids[victim] in g for g in graphs)
    others = {i for i in ids if i != ids[victim]}
    assert len(graphs) == len(others)
    assert loaded == [q for q in ingested if graph_of(q) in graphs]
    # once the line is fixed, loading again completes the store
    result = runner.invoke(cli, ["--store", str(store), "load", str(facts)])
    assert result.exit_code == 0, result.output
    assert nquads(store) == ingested


def test_a_line_naming_its_article_only_keeps_that_article_out(runner, built, tmp_path):
    facts, ingested = built
    rows = records(facts)
    last = rows[-1]["article_id"]
    bad = tmp_path / "bad.jsonl"
    with bad.open("w", encoding="utf-8") as out:
        out.write(facts.read_text(encoding="utf-8"))
        out.write(json.dumps({**rows[-1], "predicate": "loves"}) + "\n")   # valid JSON, bad record
    result = runner.invoke(cli, ["--store", str(tmp_path / "s"), "load", str(bad)])
    assert result.exit_code == 1
    stderr = result.stderr
    assert f"{bad}:{len(rows) + 1}: unknown predicate 'loves'" in stderr
    graphs = {graph_of(q) for q in nquads(tmp_path / "s")}
    assert not any(last in g for g in graphs)
    assert len(graphs) == len({r["article_id"] for r in rows}) - 1


def test_a_bulk_batch_cut_short_is_undone_when_the_store_opens(example_extractions, tmp_path):
    """A killed process can leave a bulk batch half written: the store drops the journalled
    articles and rebuilds the summary graph when it opens, then a re-run completes it."""
    import pyoxigraph as ox

    from kg.rdf import prepare, summary_quads
    from kg.stores.embedded import JOURNAL_GRAPH, PENDING, EmbeddedStore

    first, second = (prepare(e) for e in example_extractions[:2])
    store = EmbeddedStore(tmp_path / "s")
    store.add_prepared([first])
    before = sorted(map(str, store.quads(summary=True)))
    # what a kill between the journal and its removal leaves: the journal, half the batch
    store._store.extend([ox.Quad(ox.NamedNode("https://w3id.org/newskg/id/article/" + second.article_id),
                                 PENDING, ox.Literal(second.source), JOURNAL_GRAPH)])
    lines = second.nquads.decode("utf-8").splitlines(keepends=True)
    store._store.bulk_load("".join(lines[::2]).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.close()
    store = EmbeddedStore(tmp_path / "s")
    try:
        assert store.article_ids() == [first.article_id]
        assert sorted(map(str, store.quads(summary=True))) == before
        implied = {str(q) for q in summary_quads(store.graph_quads(first.article_id))}
        assert {str(q) for q in store.quads(summary=True) if q.graph_name == SUMMARY_GRAPH} == implied
        assert store.add_prepared([first, second]) == [False, True]
    finally:
        store.close()


def test_a_first_load_writes_the_stats_graph_once_and_a_killed_one_rebuilds_it(tmp_path, monkeypatch):
    """Into an empty store the stats graph is kept in memory and written at the end: the
    store is the same as one whose stats were rewritten batch by batch, and a process
    killed before the end leaves no stats mark, so the store rebuilds them when opened."""
    import querydata
    from kg.rdf import prepare
    from kg.stores.embedded import EmbeddedStore

    def written(path, defer: bool, spool: bool = False) -> EmbeddedStore:
        store = EmbeddedStore(path)
        if spool:
            assert store.start_first_load()         # empty: a first load, spooled
        elif defer:
            assert store.defer_stats()              # empty: a first load
        for batch in (["a1", "a3"], ["a2", "a1"]):
            store.add_prepared([prepare(querydata.extraction(a)) for a in batch])
        return store

    def everything(store) -> list[str]:
        return sorted(str(q) for q in store.quads(summary=True))

    batches = written(tmp_path / "batches", defer=False)
    expected = everything(batches)
    assert any(str(STATS_GRAPH) in q for q in expected)
    once = written(tmp_path / "once", defer=True)
    assert not any(str(STATS_GRAPH) in q for q in everything(once))
    once.finish_stats()
    assert everything(once) == expected
    assert not once.defer_stats()                   # it holds articles now
    killed = written(tmp_path / "killed", defer=True)
    killed._deferred = None                         # what a kill leaves: the articles, no stats graph
    spooled = written(tmp_path / "spooled", defer=True, spool=True)
    assert spooled.has_article("a2")                # spooled (loaded at the end, or when a chunk fills)
    spooled.finish_stats()                          # the run in one bulk load, then summary and stats
    assert everything(spooled) == expected and not list((tmp_path / "spooled").glob(".kg-spool-*"))
    from kg.stores import embedded

    monkeypatch.setattr(embedded, "CHUNK_BYTES", 1)     # every batch a chunk, bulk-loaded while the next is read
    chunked = written(tmp_path / "chunked", defer=True, spool=True)
    chunked.finish_stats()
    assert everything(chunked) == expected and not list((tmp_path / "chunked").glob(".kg-spool-*"))
    for store in (batches, once, killed, spooled, chunked):
        store.close()
    reopened = EmbeddedStore(tmp_path / "killed")
    try:
        assert everything(reopened) == expected
    finally:
        reopened.close()


KILLED_FIRST_LOAD = """
import os, sys
import querydata
from kg import aggregates
from kg.rdf import article_iri, prepare
from kg.stores import embedded

embedded.CHUNK_BYTES = 1        # each batch's chunk handed to the bulk loader at once
store = embedded.EmbeddedStore(sys.argv[1])
assert store.start_first_load()
for batch in (("a1",), ("a2", "a3")):
    store.add_prepared([prepare(querydata.extraction(a)) for a in batch])
for loading in store._spool.loading:
    loading.result()
assert store._store.contains_named_graph(article_iri(querydata.extraction("a2").article.id))
if sys.argv[2] == "spooling":
    os._exit(0)                 # killed while reading: some chunks loaded, no summary or stats yet
aggregates.facts_quads = lambda facts: os._exit(0)   # killed while the summary and stats graphs are built
store.finish_stats()
"""


@pytest.mark.parametrize("when", ["spooling", "loading"])
def test_a_first_load_killed_leaves_nothing_of_itself(tmp_path, when):
    """A first load into an empty store is journalled as a whole: killed while reading (its
    first chunks already bulk-loaded) or at the end, the reopened store holds nothing of the
    run and no spool file, and running it again gives the store an uninterrupted run gives."""
    import subprocess
    import sys
    from pathlib import Path

    import querydata
    from kg.rdf import prepare
    from kg.stores.embedded import EmbeddedStore

    path = tmp_path / "s"
    tests = Path(__file__).parent
    done = subprocess.run([sys.executable, "-c", KILLED_FIRST_LOAD, str(path), when], capture_output=True,
                          text=True, timeout=120, env={**__import__("os").environ, "PYTHONPATH": str(tests)})
    assert done.returncode == 0, done.stderr
    assert list(path.glob(".kg-spool-*")), "the killed run should have left its spool file"
    store = EmbeddedStore(path)
    try:
        assert store.article_ids() == [] and list(store.quads(summary=True)) == []
        assert not list(path.glob(".kg-spool-*"))
        assert store.start_first_load()             # still empty: the next run is a first load again
        store.add_prepared([prepare(querydata.extraction(a)) for a in ("a1", "a2", "a3")])
        store.finish_stats()
        again = sorted(str(q) for q in store.quads(summary=True))
    finally:
        store.close()
    reference = EmbeddedStore(tmp_path / "reference")
    try:
        reference.add_prepared([prepare(querydata.extraction(a)) for a in ("a1", "a2", "a3")])
        assert again == sorted(str(q) for q in reference.quads(summary=True))
    finally:
        reference.close()


def test_a_first_ingest_gives_the_store_batches_give(runner, examples_dir, tmp_path):
    """The whole store (summary and stats graphs included) of a first ingest (spooled, one
    bulk load) equals that of one written in two runs, the second batch by batch."""
    from test_ingest_jobs import nquads as dumped     # the whole store, summary and stats graphs included

    files = sorted(p for p in examples_dir.iterdir() if p.is_file())
    assert len(files) > 2
    for path, runs in ((tmp_path / "once", [files]), (tmp_path / "twice", [files[:1], files[1:]])):
        for paths in runs:
            result = runner.invoke(cli, ["--store", str(path), "ingest", *map(str, paths)])
            assert result.exit_code == 0, result.output
    once = dumped(tmp_path / "once")
    assert any(str(STATS_GRAPH) in line for line in once) and any(SUMMARY in line for line in once)
    assert once == dumped(tmp_path / "twice")


def test_prepared_rows_are_the_rows_the_quads_give(example_extractions):
    """The stats graph's evidence rows are taken from the extraction (kg.rdf.evidence_rows):
    the same rows, in the same order, as read back from the article's quads."""
    import querydata
    from kg.aggregates import rows_from_quads
    from kg.rdf import article_quads, evidence_rows

    extractions = [*example_extractions, *(querydata.extraction(a) for a in querydata.ARTICLES)]
    assert sum(len(e.facts) for e in extractions) > 100
    assert any(f.predicate == "signed_on" for e in extractions for f in e.facts)
    for extraction in extractions:
        assert evidence_rows(extraction) == rows_from_quads(list(dict.fromkeys(article_quads(extraction))))
