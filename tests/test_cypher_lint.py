"""Every Cypher statement kg sends passes Neo4j's own parser and semantic checks (offline)."""
from __future__ import annotations

import pytest

from cypher_lint import lint, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))


@pytest.fixture(scope="module")
def kg_statements() -> list[str]:
    from kg.stores.neo4j import STATEMENTS

    return STATEMENTS


@pytest.fixture(scope="module")
def kg_diagnostics(kg_statements) -> list[list[dict]]:
    return lint(kg_statements)                      # one Node process for all statements


def test_cypher_lint_every_statement_kg_sends(kg_statements, kg_diagnostics):
    assert len(kg_statements) > 20
    failures = {statement: [d for d in diagnostics if d["severity"] == "error"]
                for statement, diagnostics in zip(kg_statements, kg_diagnostics)}
    assert {s: d for s, d in failures.items() if d} == {}


def test_cypher_lint_statements_have_no_warnings_either(kg_diagnostics):
    assert [d for diagnostics in kg_diagnostics for d in diagnostics] == []


def test_cypher_lint_reports_syntax_and_semantic_errors_but_not_parameters():
    bad_syntax, undefined, params_only = lint([
        "MATC (n) RETURN n",
        "MATCH (n) RETURN m",
        "MATCH (n {id: $entity}) RETURN n",
    ])
    assert bad_syntax and bad_syntax[0]["severity"] == "error"
    assert any("`m` not defined" in d["message"] for d in undefined)
    assert params_only == []
    assert lint(["RETURN $x"], keep_param_errors=True)[0][0]["message"] == "Parameter $x is not defined."
