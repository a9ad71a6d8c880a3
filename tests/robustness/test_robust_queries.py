"""User queries are read by a SPARQL parser, limited in time, memory and rows; pushes succeed
only when the endpoint confirms them; a wrong Neo4j address gets one line with the right one."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st
from robust_support import Listener
from test_robust_store import kg, one_line_error

from kg.errors import QueryError
from kg.sparql_safety import check_read_only


@pytest.fixture(scope="module")
def listener():
    server = Listener("/sparql")
    yield server
    server.close()


@pytest.fixture
def store(_examples_store_dir):
    return _examples_store_dir


def test_a_comment_ended_by_a_carriage_return_hides_no_service(store, listener, figures):
    query = f"SELECT * WHERE {{ # x\r SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    status, _out, err = kg("--store", store, "sparql", query)
    assert status == 1 and "SERVICE is not allowed" in one_line_error(err)
    assert listener.connections == 0
    figures.hostile(query.replace(listener.url, "URL"))


# -- the check, fuzzed over the forms SPARQL allows for comments, escapes and whitespace ------

WHITESPACE = st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "\n\n", " \t "])
LINE_END = st.sampled_from(["\n", "\r", "\r\n"])
COMMENT_TEXT = st.text(alphabet=st.sampled_from(list("ab #\"'<>{}\\u0053ERVICE\u2028\x85\x0b\x0c")), max_size=12)


def escaped(word: str, draw) -> str:
    """``word`` with some letters written as \\u or \\U escapes."""
    flags = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    big = draw(st.booleans())
    return "".join((f"\\U{ord(c):08X}" if big else f"\\u{ord(c):04X}") if flag else c
                   for c, flag in zip(word, flags))


@st.composite
def decorated(draw, hostile: bool):
    """A query built from pieces joined by random whitespace and comments; ``hostile`` ones
    carry a SERVICE (maybe escaped, maybe behind comment forms) to the listener."""
    def gap():
        parts = [draw(WHITESPACE)]
        if draw(st.booleans()):
            parts += ["#", draw(COMMENT_TEXT), draw(LINE_END)]
        return "".join(parts)

    body = ["?s", "?p", "?o"]
    if hostile:
        keyword = escaped("SERVICE", draw) if draw(st.booleans()) else draw(st.sampled_from(["SERVICE", "service",
                                                                                             "Service SILENT"]))
        body = [keyword, "<URL>", "{", "?s", "?p", "?o", "}"]
    words = ["SELECT", "*", "WHERE", "{", *body, "}"]
    return "".join(word + gap() for word in words)


def runs_without_connecting(query: str, listener) -> bool:
    """Run what the check lets through on an in-memory store; True when nothing connected."""
    from kg.stores.embedded import EmbeddedStore

    before = listener.connections
    try:
        EmbeddedStore().query(query)
    except QueryError:
        pass
    time.sleep(0.01)
    return listener.connections == before


@given(st.data())
def test_no_comment_escape_or_whitespace_form_lets_a_service_through(listener, figures, data):
    template = data.draw(decorated(hostile=True))
    query = template.replace("<URL>", f"<{listener.url}>")
    figures.example(template)
    try:
        checked = check_read_only(query)
    except QueryError:
        figures.hostile(template)
        assert runs_without_connecting(query, listener)
        return
    # the parser found no SERVICE: then the engine must not find one either
    assert runs_without_connecting(checked, listener), repr(query)


@given(st.data())
def test_the_same_forms_around_a_plain_query_are_accepted(figures, data):
    query = data.draw(decorated(hostile=False))
    figures.example(query)
    if "\\u" in query.split("#")[0] or "\\U" in query.split("#")[0]:
        return
    try:
        checked = check_read_only(query)
    except QueryError as error:
        # only an escape inside a comment that spells a line end may change the query
        assert "\\u" in query or "\\U" in query, (query, error)
        return
    from kg.stores.embedded import EmbeddedStore

    assert EmbeddedStore().query(checked) == []


# -- limits ---------------------------------------------------------------------------

CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c LIMIT 1"


def test_a_runaway_query_is_stopped_by_its_time_limit(store, figures):
    started = time.monotonic()
    status, _out, err = kg("--store", store, "sparql", "--timeout", "2", "--max-memory", "4096", CROSS_PRODUCT,
                           timeout=90)
    assert status == 1 and "longer than 2 s" in one_line_error(err)
    assert time.monotonic() - started < 30
    figures.hostile(CROSS_PRODUCT + " (time)")
    figures.fault("query past its time limit")


def test_a_runaway_query_is_stopped_by_its_memory_cap(store, figures):
    status, _out, err = kg("--store", store, "sparql", "--timeout", "120", "--max-memory", "400", CROSS_PRODUCT,
                           timeout=150)
    assert status == 1 and "more than 400 MB" in one_line_error(err)
    figures.hostile(CROSS_PRODUCT + " (memory)")
    figures.fault("query past its memory cap")


def test_the_row_cap_applies_to_every_query(store, figures):
    status, out, err = kg("--store", store, "sparql", "--limit", "4", "--format", "csv",
                          "SELECT ?s WHERE { ?s ?p ?o }")
    assert status == 0 and len(out.strip().splitlines()) == 1 + 4
    assert "first 4 rows" in err


# -- endpoints -------------------------------------------------------------------------

class FakeEndpoint:
    """Answers every request with ``status`` and an HTML page (a proxy's error page, a
    web server at the wrong address)."""

    def __init__(self, status=200, content_type="text/html; charset=utf-8"):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_any(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                page = b"<html><body>Welcome to nginx!</body></html>"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            do_GET = do_POST = do_PUT = handle_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_push_to_a_server_answering_html_with_200_fails_naming_it(store, figures):
    fake = FakeEndpoint()
    try:
        status, out, err = kg("--store", store, "push", "sparql", fake.url + "/query")
    finally:
        fake.close()
    assert status == 1 and "pushed" not in out
    assert fake.url in one_line_error(err)
    figures.fault("endpoint answers 200 with an HTML page")


def test_a_push_whose_writes_go_nowhere_fails_naming_the_url(store, oxigraph_server, figures):
    sink = FakeEndpoint(status=204, content_type="")
    try:
        status, out, err = kg("--store", store, "push", "sparql", oxigraph_server.query_url,
                              "--update-url", sink.url + "/update")
    finally:
        sink.close()
    line = one_line_error(err)
    assert status == 1 and "pushed" not in out and "not on" in line and oxigraph_server.query_url in line
    figures.fault("update endpoint accepts writes and stores nothing")


@pytest.mark.parametrize("command", [["cypher", "MATCH (n) RETURN n LIMIT 1"], ["push", "neo4j"],
                                     ["query", "supporters", "Turkey", "--backend", "neo4j"]])
def test_an_http_neo4j_uri_gets_one_line_naming_the_bolt_address(store, command, figures):
    env = {"NEO4J_URI": "http://127.0.0.1:7474", "NEO4J_PASSWORD": "x"}
    status, _out, err = kg("--store", store, *command, env=env)
    line = one_line_error(err)
    assert status == 1 and "neo4j://127.0.0.1:7687" in line and "NEO4J_URI" in line
    assert "--uri" not in line or "kg push neo4j" in line
    figures.refused("NEO4J_URI=http://127.0.0.1:7474 " + command[0])
