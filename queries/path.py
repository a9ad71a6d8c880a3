"""The shortest chain of facts between two entities, chosen the same way on every backend.

SPARQL has no shortest path, so a breadth-first search runs here, from both ends,
asking the store for one layer of neighbours at a time; Cypher's
``allShortestPaths`` returns the edges of every shortest path. Among equally short
chains the one whose entity ids come first in sort order wins, so every backend
gives the same chain.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Iterable

MAX_HOPS = 8
Neighbours = Callable[[list[str]], Iterable[tuple[str, str]]]  # frontier -> (entity, neighbour)
Graph = dict[str, set[str]]   # undirected: entity id -> linked entity ids


def add_edge(graph: Graph, a: str, b: str) -> None:
    graph.setdefault(a, set()).add(b)
    graph.setdefault(b, set()).add(a)


def edge_graph(edges: list[dict]) -> Graph:
    """Undirected graph of entity ids linked by at least one fact."""
    graph: Graph = {}
    for row in edges:
        s, o = row.get("subject_id"), row.get("object_id")
        if s and o and s != o:
            add_edge(graph, s, o)
    return graph


def explored_graph(neighbours: Neighbours, source: str, target: str,
                   max_hops: int = MAX_HOPS) -> Graph:
    """The edges a breadth-first search meets from both ends, one whole layer at a time
    (the smaller frontier first), until the two searches meet.

    Every edge of every shortest chain is in it (each such edge has an end that one of the
    searches expanded), so ``shortest_chain`` on it picks the same chain as on the whole graph.
    """
    graph: Graph = {source: set(), target: set()}
    seen = {source: {source}, target: {target}}
    frontier = {source: {source}, target: {target}}
    for _ in range(max_hops):
        if not (frontier[source] and frontier[target]) or seen[source] & seen[target]:
            break
        side = source if len(frontier[source]) <= len(frontier[target]) else target
        reached = set()
        for entity, neighbour in neighbours(sorted(frontier[side])):
            if entity != neighbour:
                add_edge(graph, entity, neighbour)
                reached.add(neighbour)
        frontier[side] = reached - seen[side]
        seen[side] |= reached
    return graph


def distances(graph: Graph, start: str, cutoff: int) -> dict[str, int]:
    """Hops from ``start`` to every entity within ``cutoff`` hops (breadth-first)."""
    distance, queue = {start: 0}, deque([start])
    while queue:
        here = queue.popleft()
        if distance[here] == cutoff:
            continue
        for n in graph.get(here, ()):
            if n not in distance:
                distance[n] = distance[here] + 1
                queue.append(n)
    return distance


def shortest_chain(graph: Graph, source: str, target: str, max_hops: int = MAX_HOPS) -> list[str]:
    """Entity ids from source to target along the first shortest chain in id order; [] when none."""
    if source not in graph or target not in graph:
        return []
    distance = distances(graph, target, max_hops)
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
