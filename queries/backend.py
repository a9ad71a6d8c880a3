"""Open the store a query runs on: the embedded store, a SPARQL endpoint or Neo4j."""
from __future__ import annotations

import os

from kg.errors import StoreError

BACKENDS = ("embedded", "sparql", "neo4j")


def parse_backend(backend: str, endpoint: str | None) -> tuple[str, str | None]:
    """('sparql', URL) from '--backend sparql --endpoint URL' or '--backend URL'; others unchanged."""
    if backend.startswith(("http://", "https://")):
        return "sparql", backend
    if backend not in BACKENDS:
        raise StoreError(f"unknown backend {backend!r}; use embedded, sparql (with --endpoint URL) or neo4j")
    if backend == "sparql" and not endpoint:
        raise StoreError("--backend sparql needs the endpoint: add --endpoint http://HOST:PORT/query "
                         "(or set KG_SPARQL_ENDPOINT)")
    return backend, endpoint


def neo4j_config() -> dict:
    """Neo4j settings from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE."""
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        raise StoreError("no Neo4j password: set NEO4J_PASSWORD (and NEO4J_URI, NEO4J_USER if not the defaults)")
    return {"uri": os.environ.get("NEO4J_URI", "neo4j://localhost:7687"),
            "user": os.environ.get("NEO4J_USER", "neo4j"), "password": password,
            "database": os.environ.get("NEO4J_DATABASE") or None}


def open_store(backend: str, endpoint: str | None = None, embedded=None, timeout: float | None = None,
               max_rows: int | None = None):
    """The store for a backend; ``embedded`` is a callable returning the local store.

    ``timeout`` (seconds) applies to an endpoint and to Neo4j; ``max_rows`` to Neo4j, which
    refuses a longer answer. The embedded store has neither: callers cap its rows.
    """
    from kg.stores import get_store

    kind, url = parse_backend(backend, endpoint)
    if kind == "embedded":
        return embedded()
    if kind == "sparql":
        return get_store("sparql", url=url, **({"timeout": timeout} if timeout else {}))
    limits = {k: v for k, v in (("timeout", timeout), ("max_rows", max_rows)) if v}
    return get_store("neo4j", **neo4j_config(), **limits)
