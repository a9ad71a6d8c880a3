"""Every Cypher statement kg sends passes Neo4j's own parser and semantic checks (offline)."""
from __future__ import annotations

import pytest

from cypher_lint import errors, lint, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))


def test_cypher_lint_every_statement_kg_sends():
    from kg.stores.neo4j import STATEMENTS

    assert len(STATEMENTS) > 20
    assert errors(STATEMENTS) == {}


def test_cypher_lint_statements_have_no_warnings_either():
    from kg.stores.neo4j import STATEMENTS

    assert [d for diagnostics in lint(STATEMENTS) for d in diagnostics] == []


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
