"""Injection strings in every query parameter: answered as values, never as query text."""
from __future__ import annotations

import shutil

import pytest
from robust_support import nquads

from kg.cli import cli
from kg.queries import catalogue
from kg.stores.embedded import EmbeddedStore

INJECTIONS = [
    "x'}) DETACH DELETE n //",
    'a" } ; DROP ALL ; #',
    "Turkey\" } UNION { ?s ?p ?o } #",
    "<https://w3id.org/newskg/id/country/turkey>",
    "?s ?p ?o",
    "'; MATCH (n) DETACH DELETE n; //",
    "\\\" '''\n} ; CLEAR ALL",
    "Turkey\x00",
    "\u202eyekruT",
    "${name}",
]


@pytest.fixture
def store_dir(_examples_store_dir, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(_examples_store_dir, path)
    return path


def test_injection_in_every_canned_query_parameter(store_dir, runner, figures):
    before = EmbeddedStore(store_dir)
    quads = nquads(before)
    before.close()
    tried = 0
    turn = 0
    for name, canned in catalogue().items():
        arity = max(1, len([w for w in canned.usage().split()[1:]]))
        for position in range(arity):
            for _ in range(3):          # three injections per parameter, taking turns
                hostile, turn = INJECTIONS[turn % len(INJECTIONS)], turn + 1
                args = ["Turkey"] * arity
                if "PREDICATE" in canned.usage():
                    args[1] = "supports"
                args[position] = hostile
                result = runner.invoke(cli, ["--store", str(store_dir), "query", name, *args, "--format", "json"])
                tried += 1
                assert result.exit_code in (0, 1), (name, hostile, result.output)
                assert "Traceback" not in result.output and not isinstance(result.exception, (KeyError, TypeError,
                                                                                               AttributeError))
                if result.exit_code == 1:
                    assert result.output.startswith("Error:") or "Error:" in result.output, result.output
    for hostile in INJECTIONS:
        result = runner.invoke(cli, ["--store", str(store_dir), "sparql", "--format", "json",
                                     "SELECT ?s WHERE { ?s rdfs:label ?name }", "-p", f"name={hostile}"])
        tried += 1
        assert result.exit_code == 0 and result.output.strip() == "[]", (hostile, result.output)
    after = EmbeddedStore(store_dir)
    assert nquads(after) == quads
    after.close()
    for hostile in INJECTIONS:
        figures.input(hostile)


def test_read_only_check_reads_queries_like_a_sparql_lexer(figures):
    from kg.errors import QueryError
    from kg.sparql_safety import check_read_only

    hidden = [
        'SELECT * WHERE {\n# """\nSERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\n# """\n}',     # '"""' in comments
        "SELECT * WHERE {\n# '''\nSERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\n# '''\n}",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:a\\# SERVICE <http://h/> { ?s ?p ?o } }",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:a\\' ?o . SERVICE <http://h/> { ?s ?p ?o } FILTER(?o != ' ') }",
        "SELECT * WHERE { \\u0053ERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p \"\\u0022 } SERVICE <http://h/> { ?s ?p ?o } \" }",
        "SELECT * \\U00000046ROM <http://h/g> WHERE { ?s ?p ?o }",
    ]
    for query in hidden:
        with pytest.raises(QueryError, match="not allowed|SPARQL syntax error"):
            check_read_only(query)
    fine = [
        'SELECT ?s WHERE { ?s <http://x/#a> "# SERVICE" }',
        "SELECT ?from ?load WHERE { ?from rdfs:label ?load } # FROM and SERVICE in a comment",
        "SELECT ?s WHERE { ?s rdfs:label 'it\\'s FROM here' }",      # ('it''s' is two strings: not SPARQL)
        'SELECT ?s WHERE { ?s rdfs:label """SERVICE\n<x> { }""" }',
    ]
    for query in fine:
        check_read_only(query)
    for query in hidden:
        figures.hostile(query)
    for query in fine:
        figures.input(query)
