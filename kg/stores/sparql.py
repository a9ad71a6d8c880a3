"""A remote SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso, GraphDB) as a kg store.

Layout on the endpoint is the same as in the embedded store: one named graph per
article, every node an IRI (no blank nodes), so writing an article graph again
replaces it exactly and a re-push changes nothing.

Writes use SPARQL 1.1 Update by default: per batch of articles, one request that
empties the batch's graphs and fills them again (see :func:`replace_graphs_update`;
one update request is one transaction on Oxigraph, Fuseki and GraphDB). With
``store_url`` (Graph Store Protocol endpoint) each graph is instead replaced by an
HTTP PUT of N-Triples. An interrupted push leaves whole graphs behind; pushing
again replaces them all, so it resumes to exact counts.

A push reads each article graph as N-Triples written by pyoxigraph (no Python work
per quad), reads the next batch in a thread while the server loads the current
one, and sends every request over one kept-alive connection.

Queries are POSTed as ``application/sparql-query``. kg's queries read the union
of the article graphs as their default graph: on Oxigraph the store asks for
that with the ``union-default-graph`` URL parameter (other servers ignore it;
configure their default graph as the union, e.g. Fuseki ``tdb2:unionDefaultGraph``).

Only the standard library is used for HTTP (``http.client``): connection errors
and 5xx answers are retried with exponential backoff, then reported as StoreError
naming the URL.

Example:
    >>> store = SparqlEndpointStore("http://127.0.0.1:7878/query")  # doctest: +SKIP
    >>> store.push_from(EmbeddedStore(".kg/store"))                  # doctest: +SKIP
    {'articles': 8, 'quads': 612, 'batches': 1, ...}
"""
from __future__ import annotations

import base64
import http.client
import json
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.model import Extraction
from kg import aggregates
from kg.aggregates import STATS_GRAPH
from kg.rdf import SUMMARY_GRAPH, article_iri, article_quads, retract_update, summary_quads
from kg.schema.namespaces import sparql_prefixes
from kg.sparql_safety import bind_values, check_read_only, to_python

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
RETRY_STATUS = {500, 502, 503, 504}

Progress = Callable[[int, int], None]  # (articles done, articles in all)


def sibling_url(url: str, name: str) -> str:
    """``http://h/ds/query`` -> ``http://h/ds/<name>``; other URLs are returned unchanged."""
    parts = urllib.parse.urlsplit(url)
    if parts.path.rstrip("/").endswith("/query"):
        path = parts.path.rstrip("/")[: -len("query")] + name
        return urllib.parse.urlunsplit(parts._replace(path=path))
    return url


class SparqlEndpointStore:
    """kg's article graphs on a SPARQL 1.1 endpoint.

    Args:
        url: the SPARQL query endpoint, e.g. ``http://127.0.0.1:7878/query``.
        update_url: the SPARQL Update endpoint; default: ``.../update`` next to a
            ``.../query`` URL, else ``url`` itself (Virtuoso, GraphDB-style).
        store_url: a Graph Store Protocol endpoint (``.../store``); when given,
            article graphs are written with PUT instead of SPARQL Update.
        user, password: HTTP Basic credentials.
        graph_prefix: write article graphs as ``<graph_prefix><article id>``
            instead of kg's article IRIs.
        timeout: seconds per HTTP request.
        retries: attempts after the first on connection errors and 5xx.
        backoff: seconds before the first retry (doubled each time).
    """

    name = "sparql"
    language = "sparql"

    def __init__(self, url: str, update_url: str | None = None, store_url: str | None = None,
                 user: str | None = None, password: str | None = None,
                 graph_prefix: str | None = None, timeout: float = 30,
                 retries: int = 4, backoff: float = 0.5, union_default_graph: bool = True):
        self._connections: dict[tuple[str, str], http.client.HTTPConnection] = {}  # first: for __del__
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise StoreError(f"not an http(s) URL: {url!r}; give the endpoint like "
                             "http://127.0.0.1:7878/query")
        self.url = url
        self.update_url = update_url or sibling_url(url, "update")
        self.store_url = store_url
        self.graph_prefix = graph_prefix
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.union_default_graph = union_default_graph
        self._auth = None
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
            self._auth = f"Basic {token}"

    # -- naming -------------------------------------------------------------
    def graph_iri(self, article_id: str) -> ox.NamedNode:
        """The named graph holding an article on the endpoint."""
        if self.graph_prefix:
            return ox.NamedNode(self.graph_prefix + article_id)
        return article_iri(article_id)

    # -- HTTP ---------------------------------------------------------------
    def _request(self, method: str, url: str, body: bytes | None, headers: dict) -> tuple[int, str, bytes]:
        """One HTTP exchange with retries; (status, content type, body) of a 2xx answer."""
        headers = dict(headers)
        if self._auth:
            headers["Authorization"] = self._auth
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                status, content_type, answer = self._exchange(method, url, body, headers)
            except (OSError, http.client.HTTPException) as error:
                if attempt == self.retries:
                    raise StoreError(f"cannot reach the SPARQL endpoint {url}: {error} "
                                     f"(tried {self.retries + 1} times); is the server running?") from error
            else:
                if 200 <= status < 300:
                    return status, content_type, answer
                if status not in RETRY_STATUS or attempt == self.retries:
                    raise self._http_error(url, status, answer.decode("utf-8", "replace").strip()[:500])
            time.sleep(delay)
            delay *= 2
        raise AssertionError("not reached: the last attempt returns or raises")

    def _exchange(self, method: str, url: str, body: bytes | None, headers: dict) -> tuple[int, str, bytes]:
        """One request on the kept-alive connection to the URL's server (reopened once if it was closed)."""
        parts = urllib.parse.urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key not in self._connections:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            self._connections[key] = kind(parts.hostname, parts.port, timeout=self.timeout)
        connection = self._connections[key]
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        while True:
            reused = connection.sock is not None
            try:
                connection.request(method, target, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, response.getheader("Content-Type", ""), response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()                  # the next request opens a new one
                if not (reused and isinstance(error, ConnectionError)):
                    raise                           # else the server had closed an idle connection

    def _http_error(self, url: str, status: int, detail: str) -> Exception:
        if status in (401, 403):
            return StoreError(f"{url} refused access (HTTP {status}); check --user and --password")
        if status == 400:
            return QueryError(f"{url} rejected the request (HTTP 400): {detail}")
        if status == 404:
            return StoreError(f"{url} answered 404 Not Found; check the endpoint URL")
        return StoreError(f"{url} answered HTTP {status}: {detail}")

    def _query_url(self) -> str:
        if not self.union_default_graph:
            return self.url
        separator = "&" if urllib.parse.urlsplit(self.url).query else "?"
        return self.url + separator + "union-default-graph"

    def _select(self, text: str) -> list[dict]:
        """Run a query we wrote ourselves (no read-only check, no parameters)."""
        headers = {"Content-Type": "application/sparql-query; charset=utf-8",
                   "Accept": f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"}
        _status, content_type, body = self._request("POST", self._query_url(),
                                                    (sparql_prefixes() + text).encode("utf-8"), headers)
        if not content_type.startswith((RESULTS_JSON, N_TRIPLES, "text/plain", "application/json")):
            raise StoreError(f"{self.url} is not answering as a SPARQL endpoint (it sent "
                             f"{content_type or 'no content type'}, not SPARQL results); check the URL")
        try:
            return parse_results(content_type, body)
        except (StoreError, ValueError, KeyError, TypeError, SyntaxError) as error:
            raise StoreError(f"{self.url} sent an answer that is not SPARQL results ({error}); "
                             "check the URL") from None

    def update(self, text: str | bytes) -> None:
        """Send a SPARQL Update (one transaction on the server)."""
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        self._request("POST", self.update_url, text.encode("utf-8") if isinstance(text, str) else text, headers)

    # -- reads --------------------------------------------------------------
    def query(self, text: str, params: dict | None = None) -> list[dict]:
        """Run a read-only query; parameters are bound as VALUES terms, never pasted in."""
        return self._select(bind_values(check_read_only(text), params))

    def has_article(self, article_id: str) -> bool:
        rows = self._select(f"ASK {{ GRAPH {self.graph_iri(article_id)} {{ ?s ?p ?o }} }}")
        return bool(rows and rows[0]["result"])

    def graph_ids(self) -> list[str]:
        """Article ids of the article graphs on the endpoint (under this store's graph naming)."""
        prefix = self.graph_iri("").value
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"][len(prefix):] for r in rows if str(r["g"]).startswith(prefix))

    def count_quads(self) -> int:
        """Quads in all named graphs of the endpoint."""
        rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"])

    def check_stats_version(self) -> None:
        """StoreError naming the endpoint when its stats graph carries the mark of another stats
        version (a push copies the source store's mark): its counts and blocks have another shape,
        so canned answers would be wrong and writes would mix the two. A push replaces it whole."""
        rows = self._select(f"SELECT DISTINCT ?v WHERE {{ GRAPH {STATS_GRAPH} {{ {STATS_GRAPH} kg:statsVersion ?v }} }}")
        other = sorted({str(r["v"]) for r in rows} - {aggregates.VERSION})
        if other:
            raise StoreError(f"the stats graph on {self.url} was written by a kg of stats version {', '.join(other)} "
                             f"(this one writes version {aggregates.VERSION}): push the store to it again "
                             "(kg push sparql URL) before querying it or writing to it")

    # -- writes -------------------------------------------------------------
    def add_article(self, extraction: Extraction) -> bool:
        article_id = extraction.article.id
        if self.has_article(article_id):
            return False
        self.check_stats_version()
        quads = article_quads(extraction)
        self.replace_graphs([(article_id, quads)])
        delete, stats = aggregates.add_update(self.query, aggregates.rows_from_quads(quads))
        stats = [q for q in stats if q != aggregates.version_quad()]   # a mark for stores kg opens itself
        insert = aggregates.insert_data(summary_quads(quads) + stats)
        self.update(f"{delete} ;\n{insert}" if delete else insert)
        return True

    def retract_article(self, article_id: str) -> bool:
        if not self.has_article(article_id):
            return False
        self.check_stats_version()
        graph = self.graph_iri(article_id)
        facts = [r["f"] for r in self._select(f"SELECT DISTINCT ?f WHERE {{ GRAPH {graph} {{ ?f kg:evidence ?e }} }}")]
        delete, stats = aggregates.retract_changes(self.query, graph,
                                                   aggregates.stored_rows(self.query, facts, graph, within=True))
        steps = [delete, aggregates.insert_data(stats) if stats else "", retract_update(graph)]
        self.update(" ;\n".join(step for step in steps if step))
        return True

    def replace_graphs(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> int:
        """Replace each (article id, quads) graph exactly; the number of quads written."""
        return self._write([(self.graph_iri(article_id), ntriples(quads)) for article_id, quads in graphs])

    def _write(self, graphs: list[tuple[ox.NamedNode, bytes]]) -> int:
        """Replace each (graph, N-Triples) exactly, in one update or one PUT per graph; the triples written."""
        if self.store_url:
            for graph, triples in graphs:
                self._put_graph(graph, triples)
        elif graphs:
            self.update(replace_graphs_update(graphs))
        return sum(triples.count(b"\n") for _graph, triples in graphs)  # one triple a line

    def _put_graph(self, graph: ox.NamedNode, triples: bytes) -> None:
        """Graph Store Protocol: PUT replaces the graph's content in one request."""
        url = self.store_url + ("&" if "?" in self.store_url else "?") + \
            urllib.parse.urlencode({"graph": graph.value})
        self._request("PUT", url, triples, {"Content-Type": N_TRIPLES})

    def push_from(self, source_store, batch_size: int = 50, progress: Progress | None = None,
                  prune: bool = False) -> dict:
        """Copy every article graph of an EmbeddedStore here, replacing each exactly,
        then the summary graph (replaced whole, last).

        Re-running changes nothing; after an interrupted push, running again ends
        with exactly the source's graphs. With ``prune``, article graphs on the
        endpoint that the source no longer holds are dropped.
        """
        if batch_size < 1:
            raise StoreError("--batch-size must be at least 1")
        ids = source_store.article_ids()
        batches = [ids[start:start + batch_size] for start in range(0, len(ids), batch_size)]

        def read(batch: list[str]) -> list[tuple[ox.NamedNode, bytes]]:
            return [(self.graph_iri(a), source_store.dump(ox.RdfFormat.N_TRIPLES, from_graph=article_iri(a)))
                    for a in batch]

        quads = done = 0
        for graphs in read_ahead(read, batches):
            quads += self._write(graphs)
            done += len(graphs)
            if progress:
                progress(done, len(ids))
        summary = {"target": self.url, "articles": len(ids), "quads": quads, "batches": len(batches)}
        if prune:
            summary["pruned"] = self._prune(set(ids))
        summary["summary_quads"] = self._write(   # the summary and stats graphs, replaced whole (they match the source)
            [(graph, source_store.dump(ox.RdfFormat.N_TRIPLES, from_graph=graph)) for graph in (SUMMARY_GRAPH, STATS_GRAPH)])
        self.confirm_graphs([self.graph_iri(a) for a in ids] + ([SUMMARY_GRAPH] if summary["summary_quads"] else []))
        return summary

    def confirm_graphs(self, graphs: list[ox.NamedNode], chunk: int = 500) -> None:
        """Ask the endpoint whether every graph just written is there; StoreError naming the
        URL when one is missing (a server that answered 200 without storing anything)."""
        missing = 0
        for start in range(0, len(graphs), chunk):
            part = graphs[start:start + chunk]
            names = " ".join(str(g) for g in part)
            rows = self._select(f"SELECT ?g WHERE {{ VALUES ?g {{ {names} }} "
                                f"FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")
            missing += len({g.value for g in part} - {str(r.get("g")) for r in rows})
        if missing:
            raise StoreError(f"{self.update_url if not self.store_url else self.store_url} accepted the writes but "
                             f"{missing} of the {len(graphs)} graphs written are not on {self.url}; "
                             "check that both URLs name the same dataset, and the server's log")

    def _prune(self, keep: set[str]) -> int:
        stale = [a for a in self.graph_ids() if a not in keep]
        if stale:
            self.update(" ;\n".join(f"DROP SILENT GRAPH {self.graph_iri(a)}" for a in stale))
        return len(stale)

    def close(self) -> None:
        """Close the kept-alive connections."""
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    __del__ = close


def read_ahead(read: Callable, items: list) -> Iterator:
    """``read(item)`` for each item, the next one read in a thread while the caller uses this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = None
        for item in items:
            following = pool.submit(read, item)
            if pending is not None:
                yield pending.result()
            pending = following
        if pending is not None:
            yield pending.result()


def ntriples(quads: Iterable[ox.Quad]) -> bytes:
    """The quads' triples as N-Triples, one a line."""
    return ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                        format=ox.RdfFormat.N_TRIPLES)


def replace_graphs_update(graphs: list[tuple[ox.NamedNode, bytes]]) -> bytes:
    """One SPARQL Update replacing each named graph's content with its N-Triples.

    One DELETE empties all the graphs (listed in VALUES), one INSERT DATA fills
    them. Not DROP GRAPH: on Oxigraph 0.5 one DROP in an update makes the whole
    update about a third slower. N-Triples written by pyoxigraph (escaped, IRIs
    validated) is read as is by INSERT DATA.
    """
    names = " ".join(str(graph) for graph, _triples in graphs)
    update = [b"DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { VALUES ?g { %s } GRAPH ?g { ?s ?p ?o } }" % names.encode()]
    inserts = [b"GRAPH %s {\n%s}" % (str(graph).encode(), triples) for graph, triples in graphs if triples]
    if inserts:
        update.append(b"INSERT DATA {\n%s\n}" % b"\n".join(inserts))
    return b" ;\n".join(update)


def parse_results(content_type: str, body: bytes) -> list[dict]:
    """SPARQL JSON results (or N-Triples of a CONSTRUCT) as a list of plain dicts."""
    if content_type.startswith(N_TRIPLES) or content_type.startswith("text/plain"):
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        return [{"subject": to_python(t.subject), "predicate": to_python(t.predicate),
                 "object": to_python(t.object)} for t in triples]
    try:
        data = json.loads(body)
    except ValueError as error:
        raise StoreError(f"the endpoint did not answer SPARQL JSON results ({content_type})") from error
    if "boolean" in data:
        return [{"result": bool(data["boolean"])}]
    names = data["head"].get("vars", [])
    return [{n: json_term_value(b.get(n)) for n in names} for b in data["results"]["bindings"]]


def json_term_value(term: dict | None):
    """One SPARQL-JSON binding as a Python value: IRIs as str, numbers as numbers."""
    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return value
    if kind == "bnode":
        return "_:" + value
    if kind in ("literal", "typed-literal"):
        if term.get("datatype"):
            return to_python(ox.Literal(value, datatype=ox.NamedNode(term["datatype"])))
        return value
    return value
