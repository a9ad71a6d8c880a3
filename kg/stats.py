"""Counts of what a store holds."""
from __future__ import annotations

from kg.ingest import COUNT_ENTITIES, COUNT_FACTS, count
from kg.rdf import SUMMARY_GRAPH

ENTITY_TYPES = f"""SELECT ?type (COUNT(?e) AS ?n) WHERE {{ GRAPH {SUMMARY_GRAPH} {{ ?e kg:entityId ?id ; a ?t }}
  BIND(STRAFTER(STR(?t), "#") AS ?type) }} GROUP BY ?type ORDER BY DESC(?n) ?type"""
PREDICATES = f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH {SUMMARY_GRAPH} {{ ?s ?pred ?o }}
  FILTER(STRSTARTS(STR(?pred), STR(kg:)) && ?pred NOT IN (kg:entityId, kg:geonamesId))
  BIND(STRAFTER(STR(?pred), "#") AS ?p) }} GROUP BY ?p ORDER BY DESC(?n) ?p"""
ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"


def store_stats(store, top: int = 0) -> dict:
    from kg.schema.vocab import predicates

    names = {p.iri.rsplit("#", 1)[1]: p.name for p in predicates().values()}
    result = {
        "articles": count(store, ARTICLES),
        "entities": count(store, COUNT_ENTITIES),
        "facts": count(store, COUNT_FACTS),
        "entity_types": {r["type"]: int(r["n"]) for r in store.query(ENTITY_TYPES)},
        "predicates": {names.get(r["p"], r["p"]): int(r["n"]) for r in store.query(PREDICATES)},
    }
    if top:
        from kg.graph import to_networkx, top_actors

        result["top"] = [{"id": i, "label": label, "betweenness": b, "degree": d}
                         for i, label, b, d in top_actors(to_networkx(store), top)]
    return result
