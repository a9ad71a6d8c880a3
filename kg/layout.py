"""Positions for `kg view`: clusters kept apart, each cluster's central entities in its middle.

Entities are grouped into communities (Louvain, networkx); each community is laid out on
its own (a force layout seeded by a sunflower spiral that puts the best connected entity
in the middle), then the communities are packed as discs, largest first, around the
centre. Small components (up to SMALL entities) share one block of rows at the bottom.
The result is deterministic for a given graph. ``rank`` orders entities by how much a
label matters (see ``_rank``).
"""
from __future__ import annotations

import math

SPACING = 28.0      # distance between neighbouring entities, in page units
SMALL = 3           # components this small go to the rows block
GOLDEN = math.pi * (3 - math.sqrt(5))
FORCE_MAX = 400     # communities larger than this keep their spiral (the force layout is O(n²))


def layout(nodes: list[str], edges: list[tuple[str, str]], seed: int = 7) -> dict[str, dict]:
    """Entity id -> {"x", "y", "group", "rank"}."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((s, t) for s, t in edges if s != t)
    small, large = [], []
    for component in nx.connected_components(graph):
        (small if len(component) <= SMALL else large).append(component)
    communities = []
    for component in large:
        communities += nx.community.louvain_communities(graph.subgraph(component), seed=seed)
    communities.sort(key=lambda c: (-len(c), min(c)))
    discs = [(_community_positions(graph, sorted(c), seed), c) for c in communities]
    placed = _pack([_radius(positions) for positions, _ in discs])
    out: dict[str, dict] = {}
    for group, ((positions, _), (cx, cy)) in enumerate(zip(discs, placed)):
        for node, (x, y) in positions.items():
            out[node] = {"x": round(cx + x, 1), "y": round(cy + y, 1), "group": group}
    bottom = max((v["y"] for v in out.values()), default=0.0) + 3 * SPACING
    _rows(graph, small, out, bottom, len(communities))
    _rank(graph, communities, out)
    return out


def _community_positions(graph, members: list[str], seed: int) -> dict[str, tuple[float, float]]:
    """A community's layout around (0, 0): hubs in the middle, neighbours pulled together."""
    import networkx as nx

    order = sorted(members, key=lambda n: (-graph.degree(n), n))
    spiral = {n: (SPACING * math.sqrt(i + 0.5) * math.cos(i * GOLDEN),
                  SPACING * math.sqrt(i + 0.5) * math.sin(i * GOLDEN)) for i, n in enumerate(order)}
    if len(members) < 3 or len(members) > FORCE_MAX:
        return spiral
    sub = graph.subgraph(members)
    scale = SPACING * math.sqrt(len(members)) * 0.9
    positions = nx.spring_layout(sub, pos={n: (x / scale, y / scale) for n, (x, y) in spiral.items()},
                                 iterations=60, seed=seed, k=1.4 / math.sqrt(len(members)))
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    span = max(max(abs(x - mx) for x in xs), max(abs(y - my) for y in ys)) or 1.0
    return {n: (float(p[0] - mx) / span * scale, float(p[1] - my) / span * scale) for n, p in positions.items()}


def _radius(positions: dict) -> float:
    return max((math.hypot(x, y) for x, y in positions.values()), default=0.0) + 1.5 * SPACING


def _pack(radii: list[float]) -> list[tuple[float, float]]:
    """Centres for discs of these radii, largest first, each at the first free place on a
    spiral around the first one."""
    centres: list[tuple[float, float, float]] = []
    for radius in radii:
        if not centres:
            centres.append((0.0, 0.0, radius))
            continue
        step, angle, distance = 0, 0.0, centres[0][2] + radius
        while True:
            x, y = distance * math.cos(angle), distance * math.sin(angle)
            if all(math.hypot(x - cx, y - cy) >= r + radius for cx, cy, r in centres):
                break
            step += 1
            angle += max(0.05, min(0.6, 2 * radius / max(distance, 1.0)))
            distance += SPACING * 0.08
        centres.append((x, y, radius))
    return [(x, y) for x, y, _ in centres]


def _rows(graph, components: list, out: dict, top: float, first_group: int) -> None:
    """Small components side by side in rows under the discs, as wide as the discs are."""
    xs = [v["x"] for v in out.values()]
    left, right = (min(xs), max(xs)) if xs else (0.0, 20 * SPACING)
    right = max(right, left + 20 * SPACING)
    x, y = left, top
    for group, component in enumerate(sorted(components, key=lambda c: (-len(c), min(c))), first_group):
        members = sorted(component, key=lambda n: (-graph.degree(n), n))
        width = len(members) * SPACING * 1.6
        if x + width > right:
            x, y = left, y + 2 * SPACING
        for i, node in enumerate(members):
            out[node] = {"x": round(x + i * SPACING * 1.6, 1), "y": round(y + (i % 2) * SPACING * 0.5, 1),
                         "group": group}
        x += width + SPACING


def _rank(graph, communities: list, out: dict) -> None:
    """Label order: every community's hub first, then each community's next entities in
    turn, a community of n entities getting about sqrt(n) turns to a small one's one (so
    every cluster is named as the zoom allows, not only the best connected); the small
    components last."""
    key = {}
    for community in communities:
        members = sorted(community, key=lambda n: (-graph.degree(n), n))
        for position, node in enumerate(members):
            key[node] = (0, position / math.sqrt(len(members)), -graph.degree(node), node)
    for node in out:
        key.setdefault(node, (1, 0.0, -graph.degree(node), node))
    for rank, node in enumerate(sorted(out, key=key.get)):
        out[node]["rank"] = rank
