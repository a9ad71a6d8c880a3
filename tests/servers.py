"""The servers scripts/test starts for the suite: Neo4j (scripts/neo4j-server) and Fuseki
(scripts/fuseki-server). Tests find them through NEO4J_URI / NEO4J_PASSWORD and FUSEKI_URL;
without those they skip and say why, except under CI=true, where a missing server fails."""
from __future__ import annotations

import os
import urllib.parse
import urllib.request
from decimal import Decimal

import pyoxigraph as ox
import pytest

XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def unavailable(message: str) -> None:
    """A part the test needs is missing: skip and say why, or fail under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def required(variable: str, what: str) -> str:
    """The value of ``variable``; without it the test skips (fails under CI=true)."""
    value = os.environ.get(variable)
    if not value:
        unavailable(f"{variable} not set: no {what} here; run the suite with scripts/test, which starts it")
    return value


def neo4j_connection() -> dict:
    """uri, user, password and database of the Neo4j scripts/test started."""
    return {"uri": required("NEO4J_URI", "Neo4j server"), "user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD", ""), "database": os.environ.get("NEO4J_DATABASE")}


def delete_kg_nodes(store) -> None:
    """Remove kg's own nodes (:Entity, :Article, :Evidence) from the Neo4j database."""
    with store._session() as session:
        session.execute_write(lambda tx: tx.run(
            "MATCH (n) WHERE n:Entity OR n:Article OR n:Evidence DETACH DELETE n").consume())


class FusekiServer:
    """The Fuseki dataset at FUSEKI_URL (``http://127.0.0.1:3030/kg``): query, update, and the
    Graph Store Protocol on the dataset URL itself (``store_url``), as on OxigraphServer."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.query_url, self.update_url, self.store_url = f"{self.url}/query", f"{self.url}/update", self.url

    def clear(self) -> None:
        body = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
        with urllib.request.urlopen(urllib.request.Request(self.update_url, data=body), timeout=30):
            pass


def canonical(quad: ox.Quad) -> str:
    """A quad as N-Quads text, xsd:decimal literals by value (Fuseki writes 33 back as 33.0)."""
    obj = quad.object
    if isinstance(obj, ox.Literal) and obj.datatype.value == XSD_DECIMAL:
        value = Decimal(obj.value).normalize()
        obj = ox.Literal(f"{value:f}", datatype=obj.datatype)
    return str(ox.Quad(quad.subject, quad.predicate, obj, quad.graph_name))


def server_quads(server) -> set[str]:
    """Every quad on a SPARQL server (Graph Store Protocol GET of the whole dataset)."""
    request = urllib.request.Request(server.store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {canonical(q) for q in ox.parse(response.read(), format=ox.RdfFormat.N_QUADS)}


def store_quads(store) -> set[str]:
    """Every quad of an embedded store, its summary graph included, as server_quads gives them."""
    return {canonical(q) for q in store.quads(summary=True)}


def retract_one_and_prune(runner, store, push_args: list) -> str:
    """`kg retract` the store's first article, then run the push again with --prune; the
    retracted article's id. The store is closed on entry and open again on return."""
    from kg.cli import cli

    store.__init__(store.path)
    gone = store.article_ids()[0]
    store.close()
    assert runner.invoke(cli, ["--store", str(store.path), "retract", gone]).exit_code == 0
    pruned = runner.invoke(cli, push_args + ["--prune"])
    assert pruned.exit_code == 0, pruned.output
    store.__init__(store.path)
    return gone
