"""networkx analytics over the stored graph: shortest paths and communities."""
from __future__ import annotations

import pytest

from kg.errors import ResolutionError
from kg.graph import communities, shortest_path, to_networkx


@pytest.fixture
def graph(examples_store):
    return to_networkx(examples_store)


def test_shortest_path_follows_stored_facts(graph):
    source, target = sorted(graph.edges(keys=False))[0]
    assert shortest_path(graph, source, source) == []
    path = shortest_path(graph, source, target)
    assert len(path) == 1 and path[0][0] == source and path[0][2] == target
    for a, predicate, b in path:
        assert predicate in graph[a][b]


def test_shortest_path_across_several_facts_and_unknown_ids(graph):
    import networkx as nx

    undirected = graph.to_undirected(as_view=True)
    lengths = dict(nx.all_pairs_shortest_path_length(undirected))
    a, b = next((a, b) for a in sorted(lengths) for b in sorted(lengths[a]) if lengths[a][b] == 2)
    path = shortest_path(graph, a, b)
    assert len(path) == 2
    with pytest.raises(ResolutionError):
        shortest_path(graph, a, "country/atlantis")


def test_communities_partition_connected_entities(graph):
    groups = communities(graph)
    assert groups and len(groups[0]) >= len(groups[-1])
    members = [node for group in groups for node in group]
    assert len(members) == len(set(members))
    assert set(members) == {n for n in graph if graph.degree(n) > 0}
