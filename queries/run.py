"""Run a canned query on a store: check and resolve parameters, bind them as values, shape the rows."""
from __future__ import annotations

import re

from kg.errors import QueryError
from kg.lookup import resolve_name
from kg.queries import Query
from kg.queries import auxiliary_text
from kg.queries.path import explored_graph, hop_rows, shortest_chain
from kg.queries.rows import answer, predicate_names
from kg.schema.namespaces import RESOURCE
from kg.sparql_safety import bind_constants, check_read_only

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


def checked_date(text: str) -> str:
    if not DATE.match(text.strip()):
        raise QueryError(f"{text!r} is not a date: give YYYY-MM-DD, YYYY-MM or YYYY")
    return text.strip()


def bind(query: Query, args: list[str], store, gazetteer=None) -> dict:
    """Parameters of a query from positional arguments, resolved for the store's language.

    Entities become IRIs (SPARQL) or ids (Cypher), predicates IRIs or relationship types;
    an object of a date predicate (signed_on) stays an ISO date. Cypher gets missing
    optional parameters as null.
    """
    required = [p for p in query.params if not p.optional]
    if not len(required) <= len(args) <= len(query.params):
        raise QueryError(f"usage: kg query {query.usage()} (got {len(args)} argument(s))")
    sparql = store.language == "sparql"
    values, predicate = {}, None
    for param, arg in zip(query.params, args):
        if param.kind == "predicate":
            predicate = resolve_predicate(arg)
            values[param.name] = predicate.iri if sparql else predicate.neo4j
        elif param.kind == "object" and predicate is not None and "Date" in predicate.range:
            values[param.name] = checked_date(arg)
        elif param.kind in ("entity", "object"):
            iri, _label, entity = resolve_name(arg, store, gazetteer)
            values[param.name] = iri if sparql else entity
        else:
            values[param.name] = arg
    if not sparql:
        values.update({p.name: None for p in query.params[len(args):]})
    return values


def entity_id(value: str) -> str:
    """A bound entity value (IRI in SPARQL, id in Cypher) as a kg id."""
    return value[len(RESOURCE):] if value.startswith(RESOURCE) else value


def bound(text: str, store, params: dict) -> tuple:
    """Arguments for ``store.query``: SPARQL with the values written in (see
    ``bind_constants``), Cypher with its parameters."""
    return (bind_constants(text, params),) if store.language == "sparql" else (text, params)


def raw_rows(query: Query, store, params: dict) -> list[dict]:
    """The query's evidence rows from the store (path: the rows of its hops)."""
    text = query.text(store.language)
    if store.language == "sparql":
        text = check_read_only(text)         # parsed once per process, then bound as terms
    if query.name != "path":
        return store.query(*bound(text, store, params))
    if store.language == "cypher":
        edges = store.query(text, params)
        return hop_rows(edges, entity_id(params["source"]), entity_id(params["target"]))
    return sparql_path_rows(query, store, params)


def sparql_path_rows(query: Query, store, params: dict) -> list[dict]:
    """Shortest chain by a breadth-first search over the summary graph, then the evidence
    of each hop only."""
    neighbours_text = check_read_only(auxiliary_text("neighbours", "sparql"))

    def neighbours(frontier: list[str]) -> list[tuple[str, str]]:
        rows = store.query(neighbours_text, {"x": [RESOURCE + e for e in frontier]})
        return [(row["from"], row["to"]) for row in rows]

    source, target = entity_id(params["source"]), entity_id(params["target"])
    chain = shortest_chain(explored_graph(neighbours, source, target), source, target)
    rows = []
    for a, b in zip(chain, chain[1:]):
        rows += store.query(bind_constants(check_read_only(query.text("sparql")), {"a": RESOURCE + a, "b": RESOURCE + b}))
    return hop_rows(rows, source, target)


def run(query: Query, store, args: list[str], gazetteer=None, evidence: bool = False) -> list[dict]:
    """Answer rows of a canned query (every evidence row with ``evidence``)."""
    params = bind(query, args, store, gazetteer)
    if query.name == "path" and params["source"] == params["target"]:
        raise QueryError("path needs two different entities")
    rows = raw_rows(query, store, params)
    return answer(rows, query.columns, query.order, evidence or query.evidence_always)
