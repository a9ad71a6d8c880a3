"""Lint Cypher with Neo4j's own parser and semantic checks (npm @neo4j-cypher/language-support).

``lint(statements)`` returns one list of diagnostics per statement. Diagnostics about
parameters that are not defined ("Parameter $x is not defined.") are left out: kg
passes every value as a parameter, so they say nothing about the statement.

Needs Node.js and ``npm ci --prefix tests/js`` (``.ci/run`` does it); ``missing()``
says what is absent so tests can skip with a clear reason.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

JS = Path(__file__).resolve().parent / "js"
SCRIPT = JS / "lint.mjs"
PACKAGE = JS / "node_modules" / "@neo4j-cypher" / "language-support"


def missing() -> str | None:
    """Why linting cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed: Neo4j's Cypher linter runs on Node.js"
    if not PACKAGE.exists():
        return "the Cypher linter is not installed: run `npm ci --prefix tests/js`"
    return None


def lint(statements: list[str], keep_param_errors: bool = False) -> list[list[dict]]:
    """Diagnostics of each statement: dicts with severity, message, line, column, offset."""
    reason = missing()
    if reason:
        raise RuntimeError(reason)
    result = subprocess.run(["node", str(SCRIPT)], input=json.dumps(list(statements)), capture_output=True,
                            text=True, cwd=JS, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"tests/js/lint.mjs failed: {result.stderr.strip()}")
    return [[d for d in diagnostics if keep_param_errors or not d["param"]]
            for diagnostics in json.loads(result.stdout)]


def errors(statements: list[str]) -> dict[str, list[dict]]:
    """Statement -> its error diagnostics, for statements that have any."""
    found = {}
    for statement, diagnostics in zip(statements, lint(statements)):
        bad = [d for d in diagnostics if d["severity"] == "error"]
        if bad:
            found[statement] = bad
    return found
