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
    figures.add("inputs_tried", tried)
