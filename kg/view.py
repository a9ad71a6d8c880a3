"""`kg view`: the graph as ONE self-contained HTML file (inline JavaScript, no network).

Positions are computed here (kg.layout: clusters kept apart, hubs in their middle); the
page (kg/assets/view.html, view.js, view.css) draws them on a canvas: nodes coloured by
type, labels for the most central entities (more as you zoom in, never overlapping),
relation names once zoomed in, a legend that filters by type and by predicate, a search
box, and a click on a node or an edge lists its facts and the sentences they were read
in. After rendering, ``<body>`` carries ``data-nodes``, ``data-edges``, ``data-labels``
(labels drawn), ``data-shown`` (nodes shown) and ``data-ready="1"`` (for the browser tests).
"""
from __future__ import annotations

import json
from importlib import resources

from kg.export import PropertyGraph, Selection, property_graph, write_atomically
from kg.layout import SPACING, layout

# The same colours as schema/style.grass, so Neo4j Browser and kg view look alike.
TYPE_COLORS = {
    "Person": "#4C8EDA", "Country": "#F16667", "Organization": "#8DCC93", "ArmedGroup": "#D9C8AE",
    "Location": "#57C7E3", "Agreement": "#FFC454", "Actor": "#C990C0",
}


def _asset(name: str) -> str:
    return resources.files("kg").joinpath("assets", name).read_text(encoding="utf-8")


EVIDENCE_SHOWN = 20   # sentences per fact in the page (the most confident); the rest are counted


def _evidence(edge) -> dict:
    shown = edge.evidence[:EVIDENCE_SHOWN]
    return {"articles": len(edge.articles), "evidence": shown, "more": len(edge.evidence) - len(shown)}


def view_data(graph: PropertyGraph) -> dict:
    """What the page needs: nodes (with their dated facts), edges with their evidence."""
    nodes = {key: dict(node, dates=[]) for key, node in sorted(graph.nodes.items())}
    for (source, pred, value), edge in sorted(graph.dates.items()):
        nodes[source]["dates"].append({"predicate": pred, "value": value, **_evidence(edge)})
    edges = [{"source": s, "target": t, "predicate": p, **_evidence(e)} for (s, p, t), e in sorted(graph.edges.items())]
    positions = layout(list(nodes), [(e["source"], e["target"]) for e in edges])
    for key, node in nodes.items():
        node.update(positions[key])
    return {"nodes": list(nodes.values()), "edges": edges, "colors": TYPE_COLORS, "spacing": SPACING}


def script_json(data) -> str:
    """JSON safe inside <script>: no '<', '>', '&' or line separators left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def render_html(graph: PropertyGraph, title: str = "kg graph") -> str:
    import html

    page = _asset("view.html")
    # Substitute the data last: it is user text and must not be scanned for placeholders.
    for placeholder, value in (("__TITLE__", html.escape(title)), ("__CSS__", _asset("view.css")),
                               ("__JS__", _asset("view.js"))):
        page = page.replace(placeholder, value)
    return page.replace("__DATA__", script_json(view_data(graph)), 1)


def write_view(store, output: str, selection: Selection = Selection(), title: str = "kg graph") -> int:
    """Write the page atomically; returns the number of nodes shown."""
    graph = property_graph(store, selection)
    write_atomically(output, render_html(graph, title))
    return len(graph.nodes)
