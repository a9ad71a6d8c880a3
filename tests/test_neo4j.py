"""Neo4j: integration tests against a real server, and unit tests of the statements kg sends.

Integration tests (test_neo4j_integration_*) run only when NEO4J_URI is set. They
delete kg's own nodes (:Entity, :Article, :Evidence) in the database first, so
point them at a scratch database. To run them:

    docker run --rm -d --name kg-neo4j -p 7687:7687 -e NEO4J_AUTH=neo4j/kg-test-password neo4j:5
    NEO4J_URI=neo4j://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=kg-test-password \\
        pytest tests/test_neo4j.py

(NEO4J_DATABASE picks a database other than the default.) Without a server, only
the unit tests (test_neo4j_statements_*) run: they check the generated Cypher and
its parameters, and are not integration tests.
"""
from __future__ import annotations

import os
import re

import pytest

from kg.errors import QueryError, SchemaError, StoreError
from kg.stores import neo4j as n4
from kg.schema.vocab import neo4j_labels, predicates

NEEDS_NEO4J = pytest.mark.skipif(
    not os.environ.get("NEO4J_URI"),
    reason="NEO4J_URI not set: no Neo4j server on this machine; see README 'Neo4j' for how to run these")

KG_LABELS = {"Entity", "Article", "Evidence"}
KG_REL_TYPES = {"MENTIONS", "FROM_ARTICLE", "SUBJECT", "OBJECT"}


def batch_of(store) -> n4.Batch:
    batch = n4.Batch()
    for article_id in store.article_ids():
        batch.add(n4.article_rows(article_id, store.graph_quads(article_id)))
    return batch


# -- unit tests: statements and parameters, no server ----------------------------------

def test_neo4j_statements_never_create_nodes_or_relationships():
    for statement in n4.push_statements():
        assert not re.search(r"\bCREATE\b", statement), statement
    constraints = n4.constraint_statements()
    assert len(constraints) >= 3
    for statement in constraints:
        assert re.match(r"CREATE (CONSTRAINT|INDEX) kg_\w+ IF NOT EXISTS FOR \(n:\w+\)", statement), statement
    keys = [s for s in constraints if "IS UNIQUE" in s]
    assert {re.search(r"\(n:(\w+)\)", s).group(1) for s in keys} == KG_LABELS


def test_neo4j_statements_use_only_allow_listed_labels_and_types():
    vocab_labels = {label for entity_type in n4.entity_types() for label in neo4j_labels(entity_type)}
    vocab_types = {p.neo4j for p in predicates().values()}
    text = "\n".join(n4.STATEMENTS)
    labels = set(re.findall(r"\((?:\w+)?((?::\w+)+)", text))
    used_labels = {label for group in labels for label in group.strip(":").split(":")}
    used_labels |= {label for group in re.findall(r"SET \w+((?::\w+)+)", text)
                    for label in group.strip(":").split(":")}
    used_types = set(re.findall(r"\[\w*:(\w+)", text))
    assert used_labels <= vocab_labels | KG_LABELS
    assert used_types <= vocab_types | KG_REL_TYPES
    assert {"SUPPORTS", "PARTY_TO", "LOCATED_IN"} <= used_types
    assert "SIGNED_ON" not in used_types          # a date: a property, not a relationship


def test_neo4j_statements_refuse_identifiers_that_are_not_plain():
    with pytest.raises(SchemaError):
        n4.checked("Person`) DETACH DELETE n //", n4._LABEL, "Neo4j label")
    with pytest.raises(SchemaError):
        n4.drop_unsupported_statement("SUPPORTS]->() DELETE r //")


def test_neo4j_statements_rows_carry_every_article_entity_and_evidence(examples_store):
    batch = batch_of(examples_store)
    evidence = examples_store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Evidence }")[0]["n"]
    entities = examples_store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:entityId ?id }")[0]["n"]
    assert len(batch.articles) == 8
    assert len(batch.evidence) == evidence
    assert sum(len(rows) for rows in batch.entities.values()) == entities
    for row in batch.evidence:
        props = row["props"]
        assert props["predicate"] in predicates() and isinstance(props["confidence"], float)
        assert isinstance(props["start"], int) and props["sentence"]
        assert (props["object_id"] is None) != (props["object_value"] is None)
    located = [e for rows in batch.entities.values() for e in rows.values() if e["lat"] is not None]
    assert located and all(isinstance(e["lat"], float) and isinstance(e["lon"], float) for e in located)


def _plain_value(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_value(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_value(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


class RecordingTx:
    """Stands in for a managed transaction: records statements and parameters (unit tests only)."""

    def __init__(self):
        self.calls = []

    def run(self, text, params):
        self.calls.append((text, params))
        return RecordedResult(text)


class RecordedResult:
    def __init__(self, text):
        self.rows = [{"dropped": []}] if "AS dropped" in text else [{"ids": []}] if "AS ids" in text else []

    def __iter__(self):
        return iter(type("Record", (), {"data": lambda self, row=row: row})() for row in self.rows)

    def consume(self):
        counters = type("Counters", (), dict.fromkeys(n4.COUNTERS, 0))()
        return type("Summary", (), {"counters": counters})()


def test_neo4j_statements_write_batch_sends_known_statements_with_plain_parameters(examples_store):
    tx = RecordingTx()
    counters = n4.write_batch(tx, batch_of(examples_store))
    assert set(counters) == set(n4.COUNTERS)
    statements = set(n4.STATEMENTS)
    for text, params in tx.calls:
        assert text in statements
        assert set(params) <= {"rows", "ids", "id"} and _plain_value(params)
        assert "$rows" in text or "$ids" in text or "$id" in text
    sent = [text for text, _params in tx.calls]
    assert sent[0] == n4.MERGE_ARTICLES
    assert sent.index(n4.MERGE_EVIDENCE) < sent.index(n4.merge_supported_statement("SUPPORTS"))


def test_neo4j_statements_dates_become_agreement_properties(example_extractions):
    from dataclasses import replace

    from kg.model import DateValue, Entity, Fact
    from kg.rdf import article_quads

    base = example_extractions[0]
    agreement = Entity("agreement/sochi-memorandum", "Sochi memorandum", "Agreement")
    evidence = replace(base.facts[0].evidence, rule="signed_on.test")
    facts = (Fact(agreement, "signed_on", DateValue("2018-09-17"), evidence),)
    extraction = replace(base, facts=facts)
    rows = n4.article_rows(base.article.id, article_quads(extraction))
    assert rows.entities["agreement/sochi-memorandum"]["type"] == "Agreement"
    [row] = rows.evidence
    assert row["props"]["object_value"] == "2018-09-17" and row["props"]["object_id"] is None
    [(text, params)] = n4.recompute_rows({("agreement/sochi-memorandum", "signed_on", None)})
    assert text == n4.set_date_statement("signed_on")
    assert "e.signed_on = CASE WHEN size(found[0]) = 10 THEN date(found[0])" in text
    assert "e.signed_on_text = found[0]" in text
    assert params == [{"subject_id": "agreement/sochi-memorandum", "predicate": "signed_on"}]


def test_neo4j_statements_locations_get_points():
    text = n4.merge_entities_statement("Location")
    assert "SET e:Location," in text
    assert "point({latitude: row.lat, longitude: row.lon})" in text
    assert "SET e:Actor:Person," in n4.merge_entities_statement("Person")


def test_neo4j_statements_plain_converts_driver_values():
    from neo4j.spatial import WGS84Point
    from neo4j.time import Date

    assert n4.plain({"d": Date(2018, 9, 17), "p": WGS84Point((36.2, 37.1)), "l": [1, "a"]}) == \
        {"d": "2018-09-17", "p": {"latitude": 37.1, "longitude": 36.2}, "l": [1, "a"]}


def test_neo4j_statements_unreachable_server_is_a_clear_error():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError, match=f"cannot connect to Neo4j at bolt://127.0.0.1:{port}"):
        n4.Neo4jStore(f"bolt://127.0.0.1:{port}", "neo4j", "x")


# -- integration tests: a real Neo4j ---------------------------------------------------

def _connection() -> dict:
    return {"uri": os.environ["NEO4J_URI"], "user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD", ""), "database": os.environ.get("NEO4J_DATABASE")}


def _delete_kg_nodes(store) -> None:
    with store._session() as session:
        session.execute_write(lambda tx: tx.run(
            "MATCH (n) WHERE n:Entity OR n:Article OR n:Evidence DETACH DELETE n").consume())


@pytest.fixture
def neo4j_store():
    store = n4.Neo4jStore(**_connection())
    _delete_kg_nodes(store)
    yield store
    _delete_kg_nodes(store)
    store.close()


@NEEDS_NEO4J
def test_neo4j_integration_push_twice_changes_nothing(neo4j_store, examples_store):
    first = neo4j_store.push_from(examples_store, batch_size=3)
    assert first["articles"] == 8 and first["nodes_created"] > 0
    counts = neo4j_store.counts()
    second = neo4j_store.push_from(examples_store, batch_size=5)
    assert neo4j_store.counts() == counts
    assert second["nodes_created"] == second["relationships_created"] == 0
    assert second["nodes_deleted"] == second["relationships_deleted"] == 0
    evidence = examples_store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Evidence }")[0]["n"]
    assert neo4j_store.query("MATCH (ev:Evidence) RETURN count(ev) AS n") == [{"n": evidence}]
    assert neo4j_store.query("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 8}]


@NEEDS_NEO4J
def test_neo4j_integration_constraints_exist(neo4j_store):
    neo4j_store.ensure_constraints()
    names = {row["name"] for row in neo4j_store._read("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"kg_entity_id", "kg_article_id", "kg_evidence_id"} <= names
    neo4j_store.ensure_constraints()                 # IF NOT EXISTS: runs again cleanly


@NEEDS_NEO4J
def test_neo4j_integration_evidence_reachable_from_relationships(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    rows = neo4j_store.query("""
        MATCH (s:Entity)-[r:SUPPORTS]->(o:Entity)
        MATCH (ev:Evidence)-[:SUBJECT]->(s), (ev)-[:OBJECT]->(o), (ev)-[:FROM_ARTICLE]->(a:Article)
        WHERE ev.predicate = r.predicate
        RETURN s.id AS s, o.id AS o, r.articles AS articles, r.sources AS sources,
               r.evidence AS best, r.confidence AS confidence,
               collect(DISTINCT a.id) AS articles_found, collect(ev.sentence) AS sentences,
               max(ev.confidence) AS max_confidence""")
    assert rows
    for row in rows:
        assert row["articles"] == len(row["articles_found"]) == len(row["sources"])
        assert set(row["sources"]) == set(row["articles_found"])
        assert row["best"] in row["sentences"] and row["confidence"] == row["max_confidence"]


@NEEDS_NEO4J
def test_neo4j_integration_locations_have_points(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    rows = neo4j_store.query("MATCH (c:Country {id: $id}) RETURN c.location AS location",
                             {"id": "country/qatar"})
    assert rows[0]["location"] == {"latitude": 25.35, "longitude": 51.18}


@NEEDS_NEO4J
def test_neo4j_integration_query_refuses_writes(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    counts = neo4j_store.counts()
    for text in ("CREATE (n:Entity {id: 'x'}) RETURN n", "MATCH (n) DETACH DELETE n",
                 "MATCH (n:Entity) SET n.label = 'x' RETURN n", "CREATE INDEX x FOR (n:X) ON (n.y)"):
        with pytest.raises(QueryError):
            neo4j_store.query(text)
    hostile = "x'}) DETACH DELETE n //\"\n"
    assert neo4j_store.query("MATCH (n:Entity {label: $name}) RETURN n.id AS id", {"name": hostile}) == []
    assert neo4j_store.counts() == counts


@NEEDS_NEO4J
def test_neo4j_integration_retract_then_push_restores(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    counts = neo4j_store.counts()
    article_id = examples_store.article_ids()[0]
    assert neo4j_store.retract_article(article_id) is True
    assert neo4j_store.retract_article(article_id) is False
    assert not neo4j_store.has_article(article_id)
    assert neo4j_store.query("MATCH (ev:Evidence {article_id: $id}) RETURN count(ev) AS n",
                             {"id": article_id}) == [{"n": 0}]
    orphans = neo4j_store.query("MATCH ()-[r]->() WHERE r.sources IS NOT NULL AND $id IN r.sources "
                                "RETURN count(r) AS n", {"id": article_id})
    assert orphans == [{"n": 0}]
    neo4j_store.push_from(examples_store)
    assert neo4j_store.counts() == counts


@NEEDS_NEO4J
def test_neo4j_integration_cli_push_twice(neo4j_store, examples_store, runner, monkeypatch):
    from kg.cli import cli

    connection = _connection()
    monkeypatch.setenv("NEO4J_USER", connection["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", connection["password"])
    path = examples_store.path
    examples_store.close()
    args = ["--store", str(path), "push", "neo4j", "--uri", connection["uri"]]
    if connection["database"]:
        args += ["--database", connection["database"]]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    counts = neo4j_store.counts()
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert "pushed 8 article(s)" in second.output
    assert neo4j_store.counts() == counts
    examples_store.__init__(path)


@NEEDS_NEO4J
def test_neo4j_integration_prune_propagates_a_local_retraction(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    article_id = examples_store.article_ids()[0]
    examples_store.retract_article(article_id)
    summary = neo4j_store.push_from(examples_store, prune=True)
    assert summary["pruned"] == 1
    assert not neo4j_store.has_article(article_id)
    again = neo4j_store.push_from(examples_store, prune=True)
    assert again["pruned"] == 0 and neo4j_store.counts() == {k: again[k] for k in ("nodes", "relationships")}
