"""The stable Python API (kg/api.py) and the published record schema."""
from __future__ import annotations

import json
import pickle

import pytest

import kg
from kg.cli import cli


@pytest.fixture(scope="module")
def libya(examples_dir):
    path = examples_dir / "01_libya_backers.txt"
    return path.name, path.read_text(encoding="utf-8")


def test_extract_records_gives_what_kg_extract_prints(runner, examples_dir, libya):
    name, text = libya
    result = runner.invoke(cli, ["extract", str(examples_dir / name)])
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert printed and kg.extract_records(text, id=name) == printed


def test_the_source_is_the_id_or_the_text_hash_never_a_shard(libya):
    name, text = libya
    records = kg.extract_records(text)
    assert {r["source"] for r in records} == {records[0]["article_id"]}
    # the same text under another id keeps its article id; only the source changes
    other = kg.extract_records(text, id="feed-42")
    assert [r["article_id"] for r in other] == [r["article_id"] for r in records]
    assert {r["source"] for r in other} == {"feed-42"}


def test_metadata_reaches_the_records_and_the_quads(libya):
    _, text = libya
    records = kg.extract_records(text, id="a1", title="Libya vote", url="https://example.org/a1",
                                 published="2021-03-12")
    assert {(r["article_title"], r["article_url"]) for r in records} == {("Libya vote", "https://example.org/a1")}
    quads = kg.extract_quads(text, id="a1", title="Libya vote")
    assert any(q.object.value == "Libya vote" for q in quads)
    assert {q.graph_name.value for q in quads} == {"https://w3id.org/newskg/id/article/" + records[0]["article_id"]}


def test_extract_quads_are_the_graph_ingest_stores(runner, examples_dir, libya, tmp_path):
    import pyoxigraph as ox

    from kg.stores.embedded import EmbeddedStore

    name, text = libya
    result = runner.invoke(cli, ["--store", str(tmp_path / "s"), "ingest", str(examples_dir / name)])
    assert result.exit_code == 0, result.output
    quads = kg.extract_quads(text, id=name)
    store = EmbeddedStore(tmp_path / "s")
    try:
        stored = store.graph_quads(quads[0].graph_name.value.rsplit("/", 1)[1])
    finally:
        store.close()
    as_stored = ox.Store()      # a store writes literals in canonical form ("0.90" as "0.9"), once each
    as_stored.extend(quads)
    assert sorted(map(str, as_stored)) == sorted(map(str, stored))


def test_the_api_is_picklable_and_its_results_too(libya):
    _, text = libya
    for function in (kg.extract_records, kg.extract_quads):
        assert pickle.loads(pickle.dumps(function)) is function
    quads = kg.extract_quads(text)
    assert pickle.loads(pickle.dumps(quads)) == quads


def test_an_empty_text_is_refused_with_a_clear_error():
    from kg.errors import LoadError

    with pytest.raises(LoadError, match="no article text"):
        kg.extract_records("   \n")


def test_records_match_the_published_schema_and_its_arrow_twin(libya):
    pa = pytest.importorskip("pyarrow")
    from kg.records import arrow_schema, to_columns

    _, text = libya
    schema = kg.record_schema()
    records = kg.extract_records(text, title="t")
    for record in records:
        assert set(schema["required"]) <= set(record)
        assert set(record) <= set(schema["properties"])
    assert arrow_schema().names == list(schema["properties"])
    table = pa.Table.from_pylist([to_columns(r) for r in records], schema=arrow_schema())
    assert table.num_rows == len(records)
