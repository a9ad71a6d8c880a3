"""Run a canned query on a store: check and resolve parameters, bind them as values, shape the rows."""
from __future__ import annotations

import re

from kg.errors import QueryError
from kg.lookup import resolve_name
from kg.queries import Param, Query
from kg.queries.path import hop_rows
from kg.queries.rows import answer, predicate_names
from kg.schema.namespaces import RESOURCE

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def resolve_predicate(text: str):
    """A vocabulary predicate from 'leader_of', 'leader of', 'leaderOf' or 'LEADER_OF'."""
    from kg.schema.vocab import predicate

    names = predicate_names()
    name = names.get(text) or names.get(text.strip().replace(" ", "_").replace("-", "_").lower())
    if name is None:
        known = ", ".join(sorted(set(names.values())))
        raise QueryError(f"unknown predicate {text!r}; use one of: {known}")
    return predicate(name)


def _value(param: Param, arg: str, store, gazetteer, bound: dict):
    """The value one argument is passed as, for the store's language."""
    sparql = store.language == "sparql"
    if param.kind == "predicate":
        pred = resolve_predicate(arg)
        bound["_predicate"] = pred
        return pred.iri if sparql else pred.neo4j
    if param.kind == "object" and "Date" in getattr(bound.get("_predicate"), "range", ()):
        if not DATE.match(arg.strip()):
            raise QueryError(f"{arg!r} is not a date: give YYYY-MM-DD, YYYY-MM or YYYY")
        return arg.strip()
    if param.kind in ("entity", "object"):
        iri, _label, entity_id = resolve_name(arg, store, gazetteer)
        return iri if sparql else entity_id
    return arg


def bind(query: Query, args: list[str], store, gazetteer=None) -> dict:
    """Parameters of a query from positional arguments, entity names resolved for the store."""
    required = [p for p in query.params if not p.optional]
    if not len(required) <= len(args) <= len(query.params):
        raise QueryError(f"usage: kg query {query.usage()} (got {len(args)} argument(s))")
    bound: dict = {}
    values = {}
    for param, arg in zip(query.params, args):
        values[param.name] = _value(param, arg, store, gazetteer, bound)
    if store.language == "cypher":   # Cypher needs every parameter, missing ones as null
        for param in query.params[len(args):]:
            values[param.name] = None
    return values


def entity_id(value: str) -> str:
    """A bound entity value (IRI in SPARQL, id in Cypher) as a kg id."""
    return value[len(RESOURCE):] if value.startswith(RESOURCE) else value


def raw_rows(query: Query, store, params: dict) -> list[dict]:
    """The query's evidence rows from the store (path: the rows of its hops)."""
    text = query.text(store.language)
    if query.name != "path":
        return store.query(text, params)
    edges = store.query(text, params if store.language == "cypher" else None)
    return hop_rows(edges, entity_id(params["source"]), entity_id(params["target"]))


def run(query: Query, store, args: list[str], gazetteer=None, evidence: bool = False) -> list[dict]:
    """Answer rows of a canned query (every evidence row with ``evidence``)."""
    params = bind(query, args, store, gazetteer)
    if query.name == "path" and params["source"] == params["target"]:
        raise QueryError("path needs two different entities")
    rows = raw_rows(query, store, params)
    return answer(rows, query.columns, query.order, evidence or query.evidence_always)
