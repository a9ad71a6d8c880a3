"""A user's SPARQL query on the embedded store, run with a time limit, a memory cap and a row cap.

Oxigraph cannot stop a query from outside, so ``kg sparql`` runs it in a child process
that opens the store read-only under an address-space limit; the parent stops it when the
time is up. The child stops reading after ``max_rows + 1`` rows (one more tells the
caller the answer was cut).

    python -m kg.query_limits    # the child: a JSON request on stdin, JSON rows on stdout
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from kg.errors import QueryError

DEFAULT_TIMEOUT = 30.0          # seconds
DEFAULT_MAX_MEMORY_MB = 2048
MEMORY_EXIT = 71                # the child ran out of its memory allowance


def run_limited(store_path: str, text: str, params: dict | None, max_rows: int,
                timeout: float = DEFAULT_TIMEOUT, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB) -> list[dict]:
    """Rows of a checked, read-only query (at most ``max_rows + 1``; the default graph is the
    summary graph, as ``kg sparql`` documents); QueryError when it runs past ``timeout``
    seconds or ``max_memory_mb`` megabytes."""
    request = json.dumps({"store": str(store_path), "query": text, "params": params or {},
                          "max_rows": max_rows, "max_memory_mb": max_memory_mb})
    child = subprocess.Popen([sys.executable, "-m", "kg.query_limits"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        out, err = child.communicate(request, timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise QueryError(f"the query ran longer than {timeout:g} s and was stopped; narrow it (a LIMIT "
                         "without ORDER BY, fewer unbound patterns) or raise --timeout") from None
    if child.returncode in (MEMORY_EXIT, -6) or (child.returncode != 0 and "memory" in err.lower()):
        raise QueryError(f"the query needed more than {max_memory_mb} MB and was stopped; narrow it "
                         "or raise --max-memory")
    if child.returncode != 0:
        last = (err.strip().splitlines() or [f"exit status {child.returncode}"])[-1]
        if child.returncode < 0:
            last = f"the query was stopped by signal {-child.returncode}"
        raise QueryError(last.removeprefix("kg: "))
    return json.loads(out)


def _limit_memory(megabytes: int) -> None:
    import resource

    limit = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child() -> int:
    from kg.errors import KGError
    from kg.rdf import SUMMARY_GRAPH
    from kg.sparql_safety import check_read_only
    from kg.stores.embedded import EmbeddedStore

    request = json.loads(sys.stdin.read())
    try:
        store = EmbeddedStore(request["store"], write=False)
        query = check_read_only(request["query"])     # imports what the query needs, then the cap
        _limit_memory(int(request["max_memory_mb"]))
        rows = store.query_rows(query, request["params"] or None, int(request["max_rows"]) + 1,
                                default_graph=SUMMARY_GRAPH)   # each fact and entity once
        json.dump(rows, sys.stdout, ensure_ascii=False, default=str)
    except MemoryError:
        os._exit(MEMORY_EXIT)
    except KGError as error:
        print(f"kg: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_child())
