"""The robustness suite's shared parts: generated articles, helpers, and its figures.

Every test adds what it measured to ``figures`` (inputs tried, faults injected, facts
lost, duplicates stored, requests that reached the network). At the end of a session in
which the whole suite ran and passed, they are written to ``figures.json`` next to this
file; ``scripts/guarantees.py`` renders them into the README's Guarantees section.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIGURES_FILE = HERE / "figures.json"

# -- figures --------------------------------------------------------------------------

FIGURES: Counter = Counter()
_STATE = {"passed": 0, "failed": 0, "skipped": 0, "deselected": 0}

# keys every run reports, even when zero (the "lost" and "duplicates" keys must stay 0)
KEYS = ("inputs_tried", "bad_inputs_refused", "faults_injected", "ingest_kills", "server_kills",
        "transient_errors_injected", "competing_writers_refused", "hostile_queries_refused",
        "hypothesis_examples", "facts_checked", "facts_lost", "articles_lost", "duplicates_stored",
        "network_connections")


class Figures:
    """What the suite measured; tests call ``figures.add(key, n)``."""

    def add(self, key: str, amount: int = 1) -> None:
        if key not in KEYS:
            raise KeyError(f"unknown figure {key!r}; add it to KEYS in tests/robustness/conftest.py")
        FIGURES[key] += int(amount)

    def __getitem__(self, key: str) -> int:
        return FIGURES[key]


@pytest.fixture(scope="session")
def figures() -> Figures:
    return Figures()


def _in_suite(nodeid: str) -> bool:
    return nodeid.replace("\\", "/").startswith("tests/robustness/") or "/robustness/" in nodeid


def pytest_runtest_logreport(report):
    if not _in_suite(report.nodeid):
        return
    if report.failed:
        _STATE["failed"] += 1
    elif report.when == "call" and report.passed:
        _STATE["passed"] += 1
    elif report.skipped:
        _STATE["skipped"] += 1


def pytest_deselected(items):
    _STATE["deselected"] += sum(1 for item in items if _in_suite(item.nodeid))


def pytest_sessionfinish(session, exitstatus):
    """Write figures.json when the whole suite ran here and passed (never from a partial run)."""
    if _STATE["passed"] == 0 or _STATE["failed"] or _STATE["deselected"]:
        return
    if getattr(session.config.option, "keyword", "") or getattr(session.config.option, "markexpr", ""):
        return
    ran = {Path(str(item.fspath)).name for item in session.items if _in_suite(item.nodeid)}
    if ran != {path.name for path in HERE.glob("test_*.py")}:
        return
    figures = {key: FIGURES.get(key, 0) for key in KEYS}
    figures.update({"tests_passed": _STATE["passed"], "tests_skipped": _STATE["skipped"]})
    FIGURES_FILE.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
