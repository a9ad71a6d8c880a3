"""The same canned query gives the same rows on four backends: the embedded store, two real
SPARQL servers (Oxigraph from the `oxigraph` PyPI package, Apache Jena Fuseki) and Neo4j.

Fuseki and Neo4j are the servers scripts/test starts (FUSEKI_URL, NEO4J_URI): see
tests/servers.py. The tests delete kg's data on them first.
"""
from __future__ import annotations

import json

import pytest

import querydata
from kg.errors import QueryError, ResolutionError
from kg.queries import catalogue, load
from kg.queries.run import run
from kg.schema.namespaces import PREFIXES
from kg.stores.embedded import EmbeddedStore
from kg.stores.sparql import SparqlEndpointStore
from servers import server_quads
from test_queries import INJECTIONS, example_args

SMALL_ARGS = {
    "supporters": ["NLF"], "supported-by": ["Russia"], "opponents": ["Russia"], "profile": ["Sochi Memorandum"],
    "agreements": ["Turkey"], "agreement": ["Sochi Memorandum"], "at": ["Syria"], "leaders": ["Turkey"],
    "path": ["Turkey", "Hayat Tahrir al-Sham"], "timeline": ["Russia"],
    "evidence": ["Vladimir Putin", "talked_with", "Recep Tayyip Erdogan"], "contested": [],
}


@pytest.fixture
def gazetteer():
    from kg.loaders.gazetteer import load as load_gazetteer

    return load_gazetteer()


@pytest.fixture
def small(tmp_path):
    store = querydata.build(EmbeddedStore(tmp_path / "small"))
    yield store
    store.close()


def endpoint(server) -> SparqlEndpointStore:
    return SparqlEndpointStore(server.query_url, retries=1, backoff=0.05, timeout=30)


def answers(store, args: dict, gazetteer) -> dict:
    """Every canned query's rows, grouped and as evidence, keyed by (name, evidence)."""
    return {(name, evidence): run(query, store, args[name], gazetteer, evidence=evidence)
            for name, query in catalogue().items() for evidence in (False, True)}


def assert_same(expected: dict, got: dict, backend: str) -> None:
    for key, rows in expected.items():
        assert got[key] == rows, f"{key[0]} (evidence={key[1]}) differs on {backend}"


# -- SPARQL servers: Oxigraph and Fuseki ------------------------------------------------

def test_examples_give_the_same_rows_on_a_sparql_server(sparql_server, examples_store, gazetteer):
    remote = endpoint(sparql_server)
    remote.push_from(examples_store)
    args = example_args(examples_store)
    local = answers(examples_store, args, gazetteer)
    assert any(local.values()), "the examples answer nothing: the test would prove nothing"
    assert_same(local, answers(remote, args, gazetteer), sparql_server.url)


def test_small_graph_gives_the_same_rows_on_a_sparql_server(sparql_server, small, gazetteer):
    remote = endpoint(sparql_server)
    remote.push_from(small)
    local = answers(small, SMALL_ARGS, gazetteer)
    assert all(rows for (name, _), rows in local.items()), "every query answers on the small graph"
    assert_same(local, answers(remote, SMALL_ARGS, gazetteer), sparql_server.url)


def test_injection_strings_change_nothing_on_the_server(sparql_server, small):
    remote = endpoint(sparql_server)
    remote.push_from(small)
    before = server_quads(sparql_server)
    for query in catalogue().values():
        for param in query.params:
            for hostile in INJECTIONS:
                params = {p.name: PREFIXES["kg"] + "supports" if p.kind == "predicate" else "x" for p in query.params}
                params[param.name] = hostile
                try:                                # bound as a value: no rows, or refused as a bad IRI
                    rows = remote.query(query.text("sparql"), params)
                except (ValueError, QueryError):
                    pass                            # refused before it reached the server
                else:
                    assert rows == [], (query.name, hostile, rows)
                args = ["Turkey", "supports", "Russia"][:len(query.params)]
                args[query.params.index(param)] = hostile
                with pytest.raises((ResolutionError, QueryError)):
                    run(query, remote, args)
    assert server_quads(sparql_server) == before


# -- Neo4j -----------------------------------------------------------------------------

def test_examples_give_the_same_rows_on_neo4j(neo4j_store, examples_store, gazetteer):
    neo4j_store.push_from(examples_store)
    args = example_args(examples_store)
    assert_same(answers(examples_store, args, gazetteer), answers(neo4j_store, args, gazetteer), "Neo4j")


def test_small_graph_gives_the_same_rows_on_neo4j(neo4j_store, small, gazetteer):
    neo4j_store.push_from(small)
    assert_same(answers(small, SMALL_ARGS, gazetteer), answers(neo4j_store, SMALL_ARGS, gazetteer), "Neo4j")


def test_injection_strings_change_nothing_on_neo4j(neo4j_store, small):
    neo4j_store.push_from(small)
    before = neo4j_store.counts()
    for query in catalogue().values():
        for param in query.params:
            for hostile in INJECTIONS:
                params = {p.name: "x" for p in query.params}
                params[param.name] = hostile
                assert neo4j_store.query(query.text("cypher"), params) == []
    assert neo4j_store.counts() == before


def test_cli_queries_a_sparql_endpoint(sparql_server, small, runner, tmp_path):
    from kg.cli import cli

    endpoint(sparql_server).push_from(small)
    empty = str(tmp_path / "empty-store")
    local = run(load("supporters"), small, ["National Liberation Front"])
    for backend in (["--backend", "sparql", "--endpoint", sparql_server.query_url],
                    ["--backend", sparql_server.query_url]):
        result = runner.invoke(cli, ["--store", empty, "query", "supporters", "National Liberation Front",
                                     "--format", "json", *backend])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == local
    result = runner.invoke(cli, ["--store", empty, "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s kg:supports ?o }",
                                 "--endpoint", sparql_server.query_url, "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.splitlines()[1] != "0"
    refused = runner.invoke(cli, ["--store", empty, "sparql", "DROP ALL", "--endpoint", sparql_server.query_url])
    assert refused.exit_code == 1 and "not allowed" in refused.output
