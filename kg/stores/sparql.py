"""A remote SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso, GraphDB) as a kg store.

Layout on the endpoint is the same as in the embedded store: one named graph per
article, every node an IRI (no blank nodes), so writing an article graph again
replaces it exactly and a re-push changes nothing.

Writes use SPARQL 1.1 Update by default: per batch of articles, one request of
``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`` pairs (one update
request is one transaction on Oxigraph, Fuseki and GraphDB). With ``store_url``
(Graph Store Protocol endpoint) each graph is instead replaced by an HTTP PUT of
N-Triples. An interrupted push leaves whole graphs behind; pushing again
replaces them all, so it resumes to exact counts.

Queries are POSTed as ``application/sparql-query``. kg's queries read the union
of the article graphs as their default graph: on Oxigraph the store asks for
that with the ``union-default-graph`` URL parameter (other servers ignore it;
configure their default graph as the union, e.g. Fuseki ``tdb2:unionDefaultGraph``).

Only the standard library is used for HTTP: connection errors and 5xx answers
are retried with exponential backoff, then reported as StoreError naming the URL.

Example:
    >>> store = SparqlEndpointStore("http://127.0.0.1:7878/query")  # doctest: +SKIP
    >>> store.push_from(EmbeddedStore(".kg/store"))                  # doctest: +SKIP
    {'articles': 8, 'quads': 612, 'batches': 1, ...}
"""
from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable, Iterable

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.model import Extraction
from kg.rdf import article_iri, article_quads
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
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, response.headers.get("Content-Type", ""), response.read()
            except urllib.error.HTTPError as error:
                detail = error.read().decode("utf-8", "replace").strip()[:500]
                if error.code not in RETRY_STATUS or attempt == self.retries:
                    raise self._http_error(url, error.code, detail) from error
                last = f"HTTP {error.code}"
            except (urllib.error.URLError, OSError) as error:
                if attempt == self.retries:
                    reason = getattr(error, "reason", error)
                    raise StoreError(f"cannot reach the SPARQL endpoint {url}: {reason} "
                                     f"(tried {self.retries + 1} times); is the server running?") from error
                last = str(error)
            time.sleep(delay)
            delay *= 2
        raise StoreError(f"{url}: {last}")  # not reached

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
        return parse_results(content_type, body)

    def update(self, text: str) -> None:
        """Send a SPARQL Update (one transaction on the server)."""
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        self._request("POST", self.update_url, text.encode("utf-8"), headers)

    # -- reads --------------------------------------------------------------
    def query(self, text: str, params: dict | None = None) -> list[dict]:
        """Run a read-only query; parameters are bound as VALUES terms, never pasted in."""
        check_read_only(text)
        return self._select(bind_values(text, params))

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

    # -- writes -------------------------------------------------------------
    def add_article(self, extraction: Extraction) -> bool:
        article_id = extraction.article.id
        if self.has_article(article_id):
            return False
        self.replace_graphs([(article_id, article_quads(extraction))])
        return True

    def retract_article(self, article_id: str) -> bool:
        if not self.has_article(article_id):
            return False
        self.update(f"DROP SILENT GRAPH {self.graph_iri(article_id)}")
        return True

    def replace_graphs(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> int:
        """Replace each (article id, quads) graph exactly; the number of quads written."""
        graphs = [(self.graph_iri(article_id), list(quads)) for article_id, quads in graphs]
        if self.store_url:
            for graph, quads in graphs:
                self._put_graph(graph, quads)
        elif graphs:
            self.update(" ;\n".join(replace_graph_update(graph, quads) for graph, quads in graphs))
        return sum(len(quads) for _graph, quads in graphs)

    def _put_graph(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        """Graph Store Protocol: PUT replaces the graph's content in one request."""
        url = self.store_url + ("&" if "?" in self.store_url else "?") + \
            urllib.parse.urlencode({"graph": graph.value})
        body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                            format=ox.RdfFormat.N_TRIPLES)
        self._request("PUT", url, body, {"Content-Type": N_TRIPLES})

    def push_from(self, source_store, batch_size: int = 50, progress: Progress | None = None,
                  prune: bool = False) -> dict:
        """Copy every article graph of an EmbeddedStore here, replacing each exactly.

        Re-running changes nothing; after an interrupted push, running again ends
        with exactly the source's graphs. With ``prune``, article graphs on the
        endpoint that the source no longer holds are dropped.
        """
        if batch_size < 1:
            raise StoreError("--batch-size must be at least 1")
        ids = source_store.article_ids()
        quads = batches = 0
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            quads += self.replace_graphs((a, source_store.graph_quads(a)) for a in chunk)
            batches += 1
            if progress:
                progress(start + len(chunk), len(ids))
        summary = {"target": self.url, "articles": len(ids), "quads": quads, "batches": batches}
        if prune:
            summary["pruned"] = self._prune(set(ids))
        return summary

    def _prune(self, keep: set[str]) -> int:
        stale = [a for a in self.graph_ids() if a not in keep]
        if stale:
            self.update(" ;\n".join(f"DROP SILENT GRAPH {self.graph_iri(a)}" for a in stale))
        return len(stale)

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


def replace_graph_update(graph: ox.NamedNode, quads: list[ox.Quad]) -> str:
    """SPARQL Update text that replaces a named graph's content with these quads.

    Terms are written in N-Triples syntax by pyoxigraph (escaped, IRIs validated),
    which SPARQL's INSERT DATA reads as is.
    """
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    drop = f"DROP SILENT GRAPH {graph}"
    if not quads:
        return drop
    return f"{drop} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


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
