"""The stored graph as a networkx MultiDiGraph, for analytics and graph exports.

Nodes are entities (id, label, type, coordinates); edges are facts (predicate,
number of articles, best evidence sentence, confidence). Dates are node-less
edge attributes of their agreement (``signed_on``).
"""
from __future__ import annotations

import networkx as nx

from kg.schema.namespaces import RESOURCE
from kg.schema.vocab import predicate_by_iri

FACTS_QUERY = """
SELECT ?s ?sLabel ?sType ?p ?o ?oLabel ?oType (COUNT(DISTINCT ?article) AS ?articles)
       (MAX(?confidence) AS ?best) (SAMPLE(?sentence) AS ?example) WHERE {
  ?fact a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?ev .
  ?ev prov:wasDerivedFrom ?article ; kg:confidence ?confidence ; kg:sentence ?sentence .
  ?s rdfs:label ?sLabel ; a ?sType .
  OPTIONAL { ?o rdfs:label ?oLabel ; a ?oType . }
} GROUP BY ?s ?sLabel ?sType ?p ?o ?oLabel ?oType
"""
ENTITIES_QUERY = """
SELECT ?e ?label ?type (SAMPLE(?la) AS ?lat) (SAMPLE(?lo) AS ?lon) WHERE {
  ?e kg:entityId ?id ; rdfs:label ?label ; a ?type .
  OPTIONAL { ?e geo:lat ?la ; geo:long ?lo . }
} GROUP BY ?e ?label ?type
"""


def _short(iri: str) -> str:
    return iri[len(RESOURCE):] if iri.startswith(RESOURCE) else iri


def _type_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def to_networkx(store) -> nx.MultiDiGraph:
    """Build the graph from any store that answers SPARQL."""
    graph = nx.MultiDiGraph()
    for row in store.query(ENTITIES_QUERY):
        attrs = {"label": row["label"], "type": _type_name(row["type"])}
        if row.get("lat") is not None:
            attrs.update(lat=float(row["lat"]), lon=float(row["lon"]))
        graph.add_node(_short(row["e"]), **attrs)
    predicates = predicate_by_iri()
    for row in sorted(store.query(FACTS_QUERY), key=lambda r: (r["s"], r["p"], str(r["o"]))):
        pred = predicates.get(row["p"])
        if pred is None:
            continue
        attrs = {"predicate": pred.name, "articles": int(row["articles"]),
                 "confidence": float(row["best"]), "evidence": row["example"]}
        source = _short(row["s"])
        if row.get("oLabel") is None:       # a literal: the agreement's date
            graph.nodes[source].setdefault("signed_on", str(row["o"]))
            continue
        graph.add_edge(source, _short(row["o"]), key=pred.name, **attrs)
    return graph


def top_actors(graph: nx.MultiDiGraph, n: int = 10) -> list[tuple[str, str, float, int]]:
    """The n most central actors: (id, label, betweenness, degree)."""
    simple = nx.DiGraph(graph)
    betweenness = nx.betweenness_centrality(simple) if len(simple) > 2 else {k: 0.0 for k in simple}
    actors = [node for node, data in graph.nodes(data=True)
              if data.get("type") in ("Person", "Country", "Organization", "ArmedGroup")]
    ranked = sorted(actors, key=lambda k: (-graph.degree(k), -betweenness.get(k, 0.0), k))[:n]
    return [(k, graph.nodes[k]["label"], round(betweenness.get(k, 0.0), 4), graph.degree(k)) for k in ranked]


def shortest_path(graph: nx.MultiDiGraph, source: str, target: str) -> list[tuple[str, str, str]]:
    """The fewest facts linking two entities, ignoring direction: [(from, predicate, to), ...].

    Empty when they are not connected; ResolutionError when an id is not in the graph.
    """
    from kg.errors import ResolutionError

    for node in (source, target):
        if node not in graph:
            raise ResolutionError(f"no entity {node!r} in the graph; ids look like 'country/turkey'")
    try:
        nodes = nx.shortest_path(graph.to_undirected(as_view=True), source, target)
    except nx.NetworkXNoPath:
        return []
    return [_hop(graph, a, b) for a, b in zip(nodes, nodes[1:])]


def _hop(graph: nx.MultiDiGraph, a: str, b: str) -> tuple[str, str, str]:
    """One step of a path as the fact it follows, in the fact's own direction."""
    if graph.has_edge(a, b):
        return a, sorted(graph[a][b])[0], b
    return b, sorted(graph[b][a])[0], a


def communities(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Groups of densely linked entities (greedy modularity), largest first, ids sorted."""
    simple = nx.Graph(graph.to_undirected(as_view=True))
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    if simple.number_of_edges() == 0:
        return []
    groups = nx.algorithms.community.greedy_modularity_communities(simple)
    return sorted((sorted(group) for group in groups), key=lambda g: (-len(g), g))
