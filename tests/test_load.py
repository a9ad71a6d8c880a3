"""`kg load`: the output of `kg extract --format jsonl` gives the same store as `kg ingest`."""
from __future__ import annotations

import hashlib
import json

import pytest

from kg.cli import cli
from kg.rdf import SUMMARY_GRAPH

SUMMARY = str(SUMMARY_GRAPH)


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
    return sorted(line for line in text.splitlines() if line.strip() and graph_of(line) != SUMMARY)


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


def test_shards_in_a_folder_load_like_one_file(runner, built, tmp_path):
    facts, ingested = built
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    shards = tmp_path / "facts"
    shards.mkdir()
    half = len(lines) // 2
    (shards / "part-00000").write_text("".join(lines[:half]), encoding="utf-8")
    (shards / "part-00001").write_text("".join(lines[half:]), encoding="utf-8")
    (shards / "_SUCCESS").write_text("", encoding="utf-8")
    # an article cut between two shards is written once, from its first run of records...
    result = runner.invoke(cli, ["--store", str(tmp_path / "s"), "load", str(shards)])
    assert result.exit_code == 0, result.output
    ids = [r["article_id"] for r in records(facts)]
    if ids[half - 1] != ids[half]:
        assert nquads(tmp_path / "s") == ingested
    # ... and the same records twice in a row (an article read twice) count once
    (tmp_path / "twice.jsonl").write_text("".join(lines[:3] * 2 + lines[3:]), encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(tmp_path / "t"), "load", str(tmp_path / "twice.jsonl")])
    assert result.exit_code == 0, result.output
    if ids[0] == ids[2]:
        assert nquads(tmp_path / "t") == ingested


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
