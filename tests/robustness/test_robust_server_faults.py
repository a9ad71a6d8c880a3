"""Server faults during `kg push sparql`: transient 503s, a server that dies mid-request.

A small HTTP proxy on 127.0.0.1 sits between kg and a real `oxigraph serve`; it
injects the faults on chosen requests and forwards everything else. After every
fault the endpoint must end up holding exactly the local quads: nothing lost,
nothing doubled.
"""
from __future__ import annotations

import http.client
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from robust_support import fact_ids

from kg.errors import StoreError
from kg.stores.sparql import SparqlEndpointStore

FORWARDED_HEADERS = ("Content-Type", "Accept", "Authorization")


class FaultProxy:
    """Forwards to ``server``; ``plan[(path, n)]`` says what to do with the n-th request to path.

    Actions: ``"503"`` answers 503 without forwarding; ``"503-after"`` forwards (the server
    applies the request) and then answers 503 anyway; ``"kill"`` forwards, kills the
    server and drops the connection without an answer.
    """

    def __init__(self, server, plan: dict):
        self.server, self.plan = server, dict(plan)
        self.seen: dict[str, int] = {}
        self.faults = 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path.split("?")[0]
                with proxy.lock:
                    proxy.seen[path] = number = proxy.seen.get(path, 0) + 1
                    action = proxy.plan.get((path, number))
                    proxy.faults += action is not None
                if action == "503":
                    return self.answer(503, "text/plain", b"injected: service unavailable")
                try:
                    status, content_type, payload = proxy.forward(self.command, self.path, self.headers, body)
                except OSError:
                    return self.answer(502, "text/plain", b"upstream unreachable")
                if action == "503-after":
                    return self.answer(503, "text/plain", b"injected after applying")
                if action == "kill":
                    proxy.server.kill()
                    self.close_connection = True
                    return None
                return self.answer(status, content_type, payload)

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

            def answer(self, status, content_type, payload):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def forward(self, method, path, headers, body):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.request(method, path, body=body or None,
                               headers={h: headers[h] for h in FORWARDED_HEADERS if headers.get(h)})
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", "text/plain"), response.read()
        finally:
            connection.close()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def proxy_factory(oxigraph_server):
    made = []

    def make(plan):
        made.append(FaultProxy(oxigraph_server, plan))
        return made[-1]

    yield make
    for proxy in made:
        proxy.close()


def server_quads(server) -> list[str]:
    request = urllib.request.Request(server.store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return sorted(str(q) for q in ox.parse(response.read(), format=ox.RdfFormat.N_QUADS))


def check_exact(server, source, figures) -> None:
    """The endpoint holds exactly the local quads; record facts lost and duplicates."""
    direct = SparqlEndpointStore(server.query_url, retries=0, timeout=10)
    local = sorted(str(q) for q in source.quads(summary=True))
    remote = server_quads(server)
    figures.compare("quads", local, remote)              # measured before asserting
    figures.compare("facts", fact_ids(source), fact_ids(direct))
    assert remote == local
    assert direct.count_quads() == len(local)


def test_transient_503_is_retried_once_and_nothing_doubles(oxigraph_server, proxy_factory, examples_store,
                                                           figures):
    proxy = proxy_factory({("/update", 1): "503"})
    target = SparqlEndpointStore(proxy.url + "/query", retries=2, backoff=0.01, timeout=10)
    summary = target.push_from(examples_store, batch_size=3)
    assert summary["batches"] == 3 and proxy.faults == 1
    assert proxy.seen["/update"] == 3 + 1 + 1      # one batch sent twice, no more; then the summary graph
    check_exact(oxigraph_server, examples_store, figures)
    figures.fault("HTTP 503 before the update is applied")


def test_503_after_the_server_applied_the_update_does_not_double(oxigraph_server, proxy_factory,
                                                                 examples_store, figures):
    proxy = proxy_factory({("/update", 1): "503-after", ("/update", 3): "503-after"})
    target = SparqlEndpointStore(proxy.url + "/query", retries=2, backoff=0.01, timeout=10)
    target.push_from(examples_store, batch_size=4)
    assert proxy.faults == 2 and proxy.seen["/update"] == 2 + 2 + 1     # + the summary graph
    check_exact(oxigraph_server, examples_store, figures)
    figures.fault("HTTP 503 after the update was applied")


def test_cli_push_retries_a_transient_503(oxigraph_server, proxy_factory, examples_store, runner, figures):
    from kg.cli import cli

    path = examples_store.path
    examples_store.close()                 # the CLI opens the store itself
    proxy = proxy_factory({("/update", 2): "503"})
    result = runner.invoke(cli, ["--store", str(path), "push", "sparql", proxy.url + "/query", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    assert "pushed 8 article(s)" in result.output and proxy.faults == 1
    from kg.stores.embedded import EmbeddedStore

    source = EmbeddedStore(path)
    try:
        check_exact(oxigraph_server, source, figures)
    finally:
        source.close()
    figures.fault("HTTP 503 during kg push sparql (the command)")


def test_server_killed_mid_request_then_restarted_and_pushed_again(oxigraph_server, proxy_factory,
                                                                   examples_store, figures):
    proxy = proxy_factory({("/update", 2): "kill"})
    target = SparqlEndpointStore(proxy.url + "/query", retries=1, backoff=0.01, timeout=10)
    with pytest.raises(StoreError):
        target.push_from(examples_store, batch_size=2)
    assert proxy.faults == 1
    figures.fault("SPARQL server killed in the middle of an update")

    oxigraph_server.start()                # same folder and port: what it had committed is kept
    partial = server_quads(oxigraph_server)
    assert 0 < len(partial) < len(list(examples_store.quads()))
    target.push_from(examples_store, batch_size=2)
    check_exact(oxigraph_server, examples_store, figures)
    target.push_from(examples_store, batch_size=5)     # and again: nothing changes
    check_exact(oxigraph_server, examples_store, figures)
