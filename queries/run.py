"""Run a canned query on a store: check and resolve parameters, bind them as values."""
from __future__ import annotations

from kg.errors import QueryError
from kg.lookup import resolve_name
from kg.queries import Query


def bind(query: Query, args: list[str], store, gazetteer=None) -> dict:
    """Parameters of a query from positional arguments, entity names resolved for the store."""
    required = [p for p in query.params if not p.optional]
    if not len(required) <= len(args) <= len(query.params):
        names = " ".join(p.name.upper() if not p.optional else f"[{p.name.upper()}]" for p in query.params)
        raise QueryError(f"{query.name} takes {names}; got {len(args)} argument(s)")
    values = {}
    for param, arg in zip(query.params, args):
        if param.kind == "entity":
            iri, _label, entity_id = resolve_name(arg, store, gazetteer)
            values[param.name] = iri if store.language == "sparql" else entity_id
        else:
            values[param.name] = arg
    return values


def run(query: Query, store, args: list[str], gazetteer=None) -> list[dict]:
    params = bind(query, args, store, gazetteer)
    return store.query(query.text(store.language), params)
