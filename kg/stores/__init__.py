"""Store backends, registered by name: ``get_store("embedded", path=...)``."""
from __future__ import annotations

import importlib

from kg.errors import StoreError

BACKENDS = {
    "embedded": ("kg.stores.embedded", "EmbeddedStore"),
    "sparql": ("kg.stores.sparql", "SparqlEndpointStore"),
    "neo4j": ("kg.stores.neo4j", "Neo4jStore"),
}


def register(name: str, module: str, cls: str) -> None:
    """Make a backend available under ``name`` (imported only when used)."""
    BACKENDS[name] = (module, cls)


def get_store(name: str, **config):
    try:
        module, cls = BACKENDS[name]
    except KeyError:
        raise StoreError(f"unknown store {name!r}; known: {', '.join(sorted(BACKENDS))}") from None
    return getattr(importlib.import_module(module), cls)(**config)
