"""Push to real SPARQL servers (`oxigraph serve`, and Apache Jena Fuseki started by scripts/test):
exact, idempotent, resumable, safe to query. Tests that kill or restart the server use Oxigraph."""
from __future__ import annotations

import pytest

from kg.errors import StoreError
from kg.stores.sparql import SparqlEndpointStore
from servers import retract_one_and_prune, server_quads
from servers import store_quads as local_quads

INJECTION = "x'}) DETACH DELETE n //\"\n} ; DROP ALL ; SELECT * WHERE { \\\" '''"


def endpoint(server, **options) -> SparqlEndpointStore:
    return SparqlEndpointStore(server.query_url, retries=options.pop("retries", 1),
                               backoff=options.pop("backoff", 0.05), timeout=10, **options)


def graph_count(server) -> int:
    rows = endpoint(server)._select("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return rows[0]["n"]


def test_push_sparql_copies_every_graph_and_quad(sparql_server, examples_store):
    target = endpoint(sparql_server)
    summary = target.push_from(examples_store, batch_size=3)
    expected = local_quads(examples_store)
    assert summary["articles"] == len(examples_store.article_ids()) == 8
    assert summary["quads"] + summary["summary_quads"] == len(expected)
    assert summary["batches"] == 3
    assert target.count_quads() == len(expected)
    assert graph_count(sparql_server) == 8 + 2   # and the summary and stats graphs
    assert server_quads(sparql_server) == expected


def test_push_sparql_again_changes_nothing(sparql_server, examples_store):
    target = endpoint(sparql_server)
    target.push_from(examples_store, batch_size=4)
    before = server_quads(sparql_server)
    target.push_from(examples_store, batch_size=4)
    target.push_from(examples_store, batch_size=1)
    assert server_quads(sparql_server) == before == local_quads(examples_store)
    assert graph_count(sparql_server) == 8 + 2   # and the summary and stats graphs


def test_push_sparql_resumes_after_server_killed_mid_push(oxigraph_server, examples_store):
    killed = []

    def kill_after_two_batches(done, total):
        if done == 4 and not killed:
            oxigraph_server.kill()          # SIGKILL half-way: 4 of 8 articles written
            killed.append(done)

    target = endpoint(oxigraph_server, retries=1, backoff=0.05)
    with pytest.raises(StoreError, match=oxigraph_server.update_url):
        target.push_from(examples_store, batch_size=2, progress=kill_after_two_batches)
    assert killed == [4]

    oxigraph_server.start()                # same folder, same port
    partial = server_quads(oxigraph_server)
    assert partial and partial < local_quads(examples_store)

    summary = endpoint(oxigraph_server).push_from(examples_store, batch_size=2)
    assert summary["articles"] == 8
    assert server_quads(oxigraph_server) == local_quads(examples_store)
    assert graph_count(oxigraph_server) == 8 + 2   # and the summary and stats graphs


def test_push_sparql_with_graph_store_protocol_put(sparql_server, examples_store):
    target = endpoint(sparql_server, store_url=sparql_server.store_url)
    target.push_from(examples_store, batch_size=5)
    target.push_from(examples_store, batch_size=5)
    assert server_quads(sparql_server) == local_quads(examples_store)


@pytest.mark.parametrize("graph_store", [False, True], ids=["update", "graph-store"])
def test_push_sparql_replaces_a_changed_graph_whole(sparql_server, examples_store, graph_store):
    options = {"store_url": sparql_server.store_url} if graph_store else {}
    target = endpoint(sparql_server, **options)
    target.push_from(examples_store, batch_size=3)
    first, second = (target.graph_iri(a) for a in examples_store.article_ids()[:2])
    target.update(f"DELETE WHERE {{ GRAPH {first} {{ ?s ?p ?o }} }} ; "
                  f"INSERT DATA {{ GRAPH {second} {{ <urn:stale> <urn:stale> \"stale\" }} }}")
    assert server_quads(sparql_server) != local_quads(examples_store)
    summary = target.push_from(examples_store, batch_size=3)
    assert summary["quads"] + summary["summary_quads"] == len(local_quads(examples_store))
    assert server_quads(sparql_server) == local_quads(examples_store)


def test_push_sparql_reopens_a_connection_the_server_closed(oxigraph_server, examples_store):
    target = endpoint(oxigraph_server, retries=0)
    target.push_from(examples_store)
    oxigraph_server.restart()              # the kept-alive connection is dead now
    assert target.count_quads() == len(local_quads(examples_store))
    target.close()


def test_push_sparql_query_binds_hostile_parameter_as_a_value(oxigraph_server, examples_store):
    target = endpoint(oxigraph_server)
    target.push_from(examples_store)
    before = server_quads(oxigraph_server)
    query = "SELECT ?e WHERE { ?e rdfs:label ?name }"
    assert target.query(query, {"name": INJECTION}) == []
    assert target.query(query, {"name": "x'}) DETACH DELETE n //"}) == []
    assert server_quads(oxigraph_server) == before


def test_push_sparql_query_returns_python_values(sparql_server, examples_store):
    target = endpoint(sparql_server)
    target.push_from(examples_store)
    query = ("SELECT ?f ?start ?confidence WHERE { ?f a kg:Fact ; kg:evidence ?ev . "
             "?ev kg:start ?start ; kg:confidence ?confidence } ORDER BY ?f ?start LIMIT 3")
    remote = target.query(query)
    assert remote == examples_store.query(query)
    assert isinstance(remote[0]["f"], str) and isinstance(remote[0]["start"], int)
    assert isinstance(remote[0]["confidence"], float)
    assert target.query("ASK { ?f a kg:Fact }") == [{"result": True}]
    construct = "CONSTRUCT { ?s kg:supports ?o } WHERE { ?s kg:supports ?o }"
    key = lambda row: (row["subject"], row["object"])
    assert sorted(target.query(construct), key=key) == sorted(examples_store.query(construct), key=key)


def test_push_sparql_query_refuses_updates(oxigraph_server):
    from kg.errors import QueryError

    with pytest.raises(QueryError):
        endpoint(oxigraph_server).query("DROP ALL")


def test_sparql_store_add_has_retract(sparql_server, example_extractions):
    target = endpoint(sparql_server)
    extraction = example_extractions[0]
    article_id = extraction.article.id
    assert not target.has_article(article_id)
    assert target.add_article(extraction) is True
    assert target.add_article(extraction) is False
    assert target.has_article(article_id)
    assert target.retract_article(article_id) is True
    assert target.retract_article(article_id) is False
    assert target.count_quads() == 0


def test_push_sparql_graph_prefix_and_prune(sparql_server, examples_store):
    prefix = "http://example.org/graphs/"
    target = endpoint(sparql_server, graph_prefix=prefix)
    target.push_from(examples_store)
    assert target.graph_ids() == examples_store.article_ids()
    graphs = endpoint(sparql_server)._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    from kg.aggregates import STATS_GRAPH           # the canned queries name them: they keep their IRIs
    from kg.rdf import SUMMARY_GRAPH
    assert {row["g"] for row in graphs if not row["g"].startswith(prefix)} == {SUMMARY_GRAPH.value, STATS_GRAPH.value}
    gone = examples_store.article_ids()[0]
    examples_store.retract_article(gone)
    summary = target.push_from(examples_store, prune=True)
    assert summary["pruned"] == 1
    assert gone not in target.graph_ids()


def test_push_sparql_unreachable_endpoint_names_the_url():
    import socket

    with socket.socket() as probe:                # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    with pytest.raises(StoreError, match=f"cannot reach the SPARQL endpoint {url}"):
        SparqlEndpointStore(url, retries=1, backoff=0.01).has_article("x")


def test_cli_push_sparql_twice(sparql_server, examples_store, runner):
    from kg.cli import cli

    path = examples_store.path
    examples_store.close()
    args = ["--store", str(path), "push", "sparql", sparql_server.query_url, "--batch-size", "3"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert f"pushed 8 article(s) to {sparql_server.query_url}" in first.output
    before = server_quads(sparql_server)
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert server_quads(sparql_server) == before
    gone = retract_one_and_prune(runner, examples_store, args)
    assert server_quads(sparql_server) == local_quads(examples_store) != before
    assert gone not in endpoint(sparql_server).graph_ids()


def test_cli_push_sparql_bad_url_is_one_line(runner, examples_store):
    from kg.cli import cli

    path = examples_store.path
    examples_store.close()
    result = runner.invoke(cli, ["--store", str(path), "push", "sparql", "ftp://nowhere"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: not an http(s) URL: 'ftp://nowhere'")
    examples_store.__init__(path)


def test_a_server_pushed_by_another_stats_version_is_refused_until_pushed_again(oxigraph_server, examples_store):
    """A server whose stats graph a kg of another stats version pushed has counts and blocks of another
    shape: canned queries and writes are refused with one line naming it; a push makes it current."""
    from kg.aggregates import delete_data, insert_data, version_quad
    from kg.queries import catalogue
    from kg.queries.run import run_page

    target = endpoint(oxigraph_server)
    target.push_from(examples_store)
    query = catalogue()["profile"]
    answer = run_page(query, target, ["Libyan National Army"]).rows
    assert answer
    target.update(delete_data([version_quad()]) + " ;\n" + insert_data([version_quad("3")]))   # as a v3 push left it
    message = f"stats graph on {oxigraph_server.query_url} was written by a kg of stats version 3"
    with pytest.raises(StoreError, match=message):
        run_page(query, target, ["Libyan National Army"])
    with pytest.raises(StoreError, match=message):
        target.retract_article(examples_store.article_ids()[0])
    target.push_from(examples_store)
    assert run_page(query, target, ["Libyan National Army"]).rows == answer
