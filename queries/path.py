"""The shortest chain of facts between two entities, chosen the same way on every backend.

SPARQL has no shortest path, so the edges come from ``path.rq`` and a
breadth-first search runs here; Cypher's ``allShortestPaths`` returns the edges
of every shortest path. Among equally short chains the one whose entity ids
come first in sort order wins, so every backend gives the same chain.
"""
from __future__ import annotations

import networkx as nx

MAX_HOPS = 8


def edge_graph(edges: list[dict]) -> nx.Graph:
    """Undirected graph of entity ids linked by at least one fact."""
    graph = nx.Graph()
    for row in edges:
        s, o = row.get("subject_id"), row.get("object_id")
        if s and o and s != o:
            graph.add_edge(s, o)
    return graph


def shortest_chain(graph: nx.Graph, source: str, target: str, max_hops: int = MAX_HOPS) -> list[str]:
    """Entity ids from source to target along the first shortest chain in id order; [] when none."""
    if source not in graph or target not in graph:
        return []
    distance = nx.single_source_shortest_path_length(graph, target, cutoff=max_hops)
    if source not in distance:
        return []
    chain = [source]
    while chain[-1] != target:
        here = chain[-1]
        chain.append(min(n for n in graph[here] if distance.get(n) == distance[here] - 1))
    return chain


def hop_rows(edges: list[dict], source: str, target: str) -> list[dict]:
    """Evidence rows of every fact on the chain, numbered by hop (1 = the fact touching source)."""
    chain = shortest_chain(edge_graph(edges), source, target)
    hops = {frozenset(pair): n for n, pair in enumerate(zip(chain, chain[1:]), 1)}
    out = []
    for row in edges:
        hop = hops.get(frozenset((row.get("subject_id"), row.get("object_id"))))
        if hop is not None:
            out.append({"hop": hop, **row})
    return out
