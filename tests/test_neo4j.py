"""Neo4j: integration tests against a real server, and unit tests of the statements kg sends.

Integration tests (test_neo4j_integration_*) run against the Neo4j 5.26 Community server
scripts/test starts (scripts/neo4j-server; NEO4J_URI, NEO4J_PASSWORD). They delete kg's own
nodes (:Entity, :Article, :Evidence) in that database. Without NEO4J_URI they skip (and
fail under CI=true). The unit tests (test_neo4j_statements_*) check the generated Cypher
and its parameters, and are not integration tests.
"""
from __future__ import annotations

import re

import pytest

from kg.errors import QueryError, SchemaError, StoreError
from kg.stores import neo4j as n4
from kg.schema.vocab import neo4j_labels, predicates
from servers import neo4j_connection, retract_one_and_prune

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


def test_neo4j_integration_constraints_exist(neo4j_store):
    neo4j_store.ensure_constraints()
    names = {row["name"] for row in neo4j_store._read("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"kg_entity_id", "kg_article_id", "kg_evidence_id"} <= names
    neo4j_store.ensure_constraints()                 # IF NOT EXISTS: runs again cleanly


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


def test_neo4j_integration_locations_have_points(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    rows = neo4j_store.query("MATCH (c:Country {id: $id}) RETURN c.location AS location",
                             {"id": "country/qatar"})
    assert rows[0]["location"] == {"latitude": 25.35, "longitude": 51.18}


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


def test_neo4j_integration_cli_push_twice(neo4j_store, examples_store, runner, monkeypatch):
    from kg.cli import cli

    connection = neo4j_connection()
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
    gone = retract_one_and_prune(runner, examples_store, args)
    assert not neo4j_store.has_article(gone) and neo4j_store.counts() != counts
    assert neo4j_store.query("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 7}]


def test_neo4j_integration_prune_propagates_a_local_retraction(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    article_id = examples_store.article_ids()[0]
    examples_store.retract_article(article_id)
    summary = neo4j_store.push_from(examples_store, prune=True)
    assert summary["pruned"] == 1
    assert not neo4j_store.has_article(article_id)
    again = neo4j_store.push_from(examples_store, prune=True)
    assert again["pruned"] == 0 and neo4j_store.counts() == {k: again[k] for k in ("nodes", "relationships")}


def test_neo4j_integration_labels_dates_and_points_match_the_store(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    types = {row["id"]: row["type"].rsplit("#", 1)[-1] for row in examples_store.query(
        "SELECT DISTINCT ?id ?type WHERE { ?e kg:entityId ?id ; a ?type }")}
    nodes = neo4j_store.query("MATCH (e:Entity) RETURN e.id AS id, labels(e) AS labels, "
                              "valueType(e.location) AS location, e.location.srid AS srid, "
                              "valueType(e.signed_on) AS signed_on, e.signed_on_text AS signed_on_text")
    assert {n["id"] for n in nodes} == set(types)
    for node in nodes:
        assert set(node["labels"]) == {"Entity", *neo4j_labels(types[node["id"]])}, node
        assert node["location"] in ("NULL", "POINT NOT NULL")
        assert node["srid"] in (None, 4326)                       # WGS-84, so maps place it
        full_date = node["signed_on_text"] is not None and len(node["signed_on_text"]) == 10
        assert node["signed_on"] == ("DATE NOT NULL" if full_date else "NULL"), node
    assert sum(n["signed_on"] == "DATE NOT NULL" for n in nodes) >= 1
    located = examples_store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e geo:lat ?lat ; geo:long ?lon }")
    assert sum(n["location"] == "POINT NOT NULL" for n in nodes) == located[0]["n"] > 0
    dates = neo4j_store.query("MATCH (a:Agreement) WHERE a.signed_on IS NOT NULL "
                              "RETURN a.signed_on = date(a.signed_on_text) AS same")
    assert dates and all(row["same"] for row in dates)
    published = neo4j_store.query("MATCH (a:Article) RETURN valueType(a.published) AS type, a.date AS date")
    assert all(row["type"] == ("DATE NOT NULL" if len(row["date"] or "") == 10 else "NULL") for row in published)


def test_neo4j_integration_relationships_are_the_facts_of_the_store(neo4j_store, examples_store):
    neo4j_store.push_from(examples_store)
    facts = examples_store.query("""SELECT ?s ?p ?o (COUNT(DISTINCT ?a) AS ?articles) WHERE {
        GRAPH ?a { ?f a kg:Fact ; rdf:subject/kg:entityId ?s ; rdf:predicate ?p ; rdf:object/kg:entityId ?o } }
        GROUP BY ?s ?p ?o""")
    by_iri = {p.iri: p for p in predicates().values()}
    expected = {(f["s"], by_iri[f["p"]].neo4j, f["o"]): f["articles"] for f in facts}
    rows = neo4j_store.query("MATCH (s:Entity)-[r]->(o:Entity) WHERE r.predicate IS NOT NULL "
                             "RETURN s.id AS s, type(r) AS type, o.id AS o, r.articles AS articles")
    assert {(r["s"], r["type"], r["o"]): r["articles"] for r in rows} == expected
    assert len(rows) == len(expected) > 0


def test_neo4j_integration_cli_cypher_reads_and_refuses_writes(neo4j_store, examples_store, runner, monkeypatch):
    from kg.cli import cli

    for name, value in neo4j_connection().items():
        if value:
            monkeypatch.setenv(f"NEO4J_{name.upper()}", value)
    neo4j_store.push_from(examples_store)
    counts = neo4j_store.counts()
    read = runner.invoke(cli, ["cypher", "MATCH (c:Country {id: $id}) RETURN c.label AS label",
                               "-p", "id=country/turkey", "--format", "json"])
    assert read.exit_code == 0, read.output
    assert [row["label"] for row in __import__("json").loads(read.output)] == ["Turkey"]
    for text in ("CREATE (n:Entity {id: 'x'})", "MATCH (n:Entity) DETACH DELETE n",
                 "MATCH (n:Entity) SET n.label = 'x'", "CALL db.createLabel('X')"):
        refused = runner.invoke(cli, ["cypher", text])
        assert refused.exit_code == 1, (text, refused.output)
        assert refused.output.startswith("Error: ") and len(refused.output.strip().splitlines()) == 1
    assert neo4j_store.counts() == counts


def test_neo4j_integration_cli_query_backend_neo4j_answers_like_the_store(neo4j_store, examples_store, runner,
                                                                         monkeypatch):
    import json

    from kg.cli import cli

    for name, value in neo4j_connection().items():
        if value:
            monkeypatch.setenv(f"NEO4J_{name.upper()}", value)
    neo4j_store.push_from(examples_store)
    path = examples_store.path
    examples_store.close()
    for question in (["supported-by", "Iran"], ["agreements", "Libya", "--evidence"], ["path", "Turkey", "Russia"]):
        args = ["--store", str(path), "query", *question, "--format", "json"]
        local = runner.invoke(cli, args)
        remote = runner.invoke(cli, args + ["--backend", "neo4j"])
        assert local.exit_code == remote.exit_code == 0, (local.output, remote.output)
        assert json.loads(local.output) and json.loads(remote.output) == json.loads(local.output), question
    examples_store.__init__(path)
