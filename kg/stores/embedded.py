"""The default store: an on-disk Oxigraph (RocksDB) dataset, no server needed.

One named graph per article, plus the summary graph (``kg.rdf.SUMMARY_GRAPH``: one
copy of every direct fact and entity description). ``add_article`` writes an article
and its share of the summary in one transaction, and ``retract_article`` removes them
in one, so an article is stored whole or not at all and a killed process leaves the
store consistent.

``add_prepared`` writes a batch of articles (already serialised as N-Quads, see
``kg.rdf.prepare``) with Oxigraph's bulk loader, ~3x cheaper than a transaction per
article. The bulk loader is not atomic, so the batch is journalled: its article ids are
written (in one transaction) to ``JOURNAL_GRAPH`` first and removed once the batch is
in. A store opened with a journal left by a killed process is repaired before use: the
journalled articles are dropped and the summary graph rebuilt from the article graphs,
so every article is again whole or absent, and re-running the ingest or load completes it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.model import Extraction
from kg.rdf import SUMMARY_GRAPH, PreparedArticle, article_iri, article_quads, retract_update, summary_quads
from kg.schema.namespaces import PREFIXES, kg, resource
from kg.sparql_safety import bind_values, check_read_only, to_python

JOURNAL_GRAPH = ox.NamedNode(resource("graph/pending"))
PENDING = ox.NamedNode(kg("pendingWrite"))


class EmbeddedStore:
    name = "embedded"
    language = "sparql"

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else None
        try:
            if self.path:
                self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as error:
            message = str(error)
            if "lock" in message.lower():
                raise StoreError(f"the store {self.path} is in use by another kg process; "
                                 "wait for it to finish and run again") from error
            raise StoreError(f"cannot open the store {self.path}: {message}") from error
        self._finish_interrupted_batch()
        self._ensure_summary()

    def _ensure_summary(self) -> None:
        """Build the summary graph once for a store written before kg kept one."""
        if self._store.contains_named_graph(SUMMARY_GRAPH):
            return
        self._store.add_graph(SUMMARY_GRAPH)
        for graph in list(self._store.named_graphs()):
            if graph not in (SUMMARY_GRAPH, JOURNAL_GRAPH):
                self._store.extend(summary_quads(self._store.quads_for_pattern(None, None, None, graph)))

    def _finish_interrupted_batch(self) -> None:
        """Undo a bulk batch a killed process left half written (see the module docstring)."""
        if not self._store.contains_named_graph(JOURNAL_GRAPH):
            return
        for quad in list(self._store.quads_for_pattern(None, PENDING, None, JOURNAL_GRAPH)):
            self._store.remove_graph(quad.subject)
        self._store.remove_graph(SUMMARY_GRAPH)       # rebuilt by _ensure_summary
        self._store.remove_graph(JOURNAL_GRAPH)

    # -- writes -------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self._store.contains_named_graph(article_iri(article_id))

    def add_article(self, extraction: Extraction) -> bool:
        graph = article_iri(extraction.article.id)
        if self._store.contains_named_graph(graph):
            return False
        quads = article_quads(extraction)
        self._store.extend(quads + summary_quads(quads))  # atomic
        return True

    def add_prepared(self, batch: list[PreparedArticle]) -> list[bool]:
        """Write a batch of prepared articles with the bulk loader; for each, whether it was
        written (False: already stored, or earlier in the batch)."""
        written, fresh, seen = [], [], set()
        for article in batch:
            new = article.article_id not in seen and not self.has_article(article.article_id)
            seen.add(article.article_id)
            written.append(new)
            if new:
                fresh.append(article)
        if fresh:
            self._store.extend([ox.Quad(article_iri(a.article_id), PENDING, ox.Literal(a.source), JOURNAL_GRAPH)
                                for a in fresh])                 # atomic: the journal
            # lenient: the N-Quads were serialised from terms pyoxigraph already checked (kg.rdf.prepare)
            summary = dict.fromkeys(line for a in fresh for line in a.summary.splitlines(keepends=True))
            self._store.bulk_load(b"".join([*(a.nquads for a in fresh), *summary]), format=ox.RdfFormat.N_QUADS,
                                  lenient=True)
            self._store.remove_graph(JOURNAL_GRAPH)              # atomic: the batch is in
        return written

    def retract_article(self, article_id: str) -> bool:
        graph = article_iri(article_id)
        if not self._store.contains_named_graph(graph):
            return False
        self._store.update(retract_update(graph))  # atomic
        return True

    # -- reads --------------------------------------------------------------
    def query(self, text: str, params: dict | None = None, default_graph=None) -> list[dict]:
        """Run a read-only query; the default graph is the union of every graph unless
        ``default_graph`` names one (``kg sparql`` gives the summary graph: each fact once)."""
        check_read_only(text)
        dataset = {"default_graph": default_graph} if default_graph is not None else \
            {"use_default_graph_as_union": True}
        try:
            result = self._store.query(bind_values(text, params), prefixes=PREFIXES, **dataset)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        if isinstance(result, ox.QueryBoolean):
            return [{"result": bool(result)}]
        if isinstance(result, ox.QueryTriples):
            return [{"subject": to_python(t.subject), "predicate": to_python(t.predicate),
                     "object": to_python(t.object)} for t in result]
        names = [v.value for v in result.variables]
        return [{n: to_python(s[n]) for n in names} for s in result]

    def article_ids(self) -> list[str]:
        prefix = article_iri("").value
        return sorted(g.value[len(prefix):] for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(prefix))

    def graph_quads(self, article_id: str) -> list[ox.Quad]:
        """The quads of one article's named graph (empty when the article is unknown)."""
        return list(self._store.quads_for_pattern(None, None, None, article_iri(article_id)))

    def quads(self, summary: bool = False):
        """Every article graph's quads; the summary graph's too (which they imply) with ``summary``."""
        return (q for q in self._store.quads_for_pattern(None, None, None, None)
                if (summary or q.graph_name != SUMMARY_GRAPH) and q.graph_name != JOURNAL_GRAPH)

    def dump(self, fmt: ox.RdfFormat, path=None, from_graph=None):
        kwargs = {"format": fmt}
        if from_graph is not None:
            kwargs["from_graph"] = from_graph
        if path is not None:
            return self._store.dump(str(path), **kwargs)
        return self._store.dump(**kwargs)

    def flush(self) -> None:
        if self.path:
            self._store.flush()

    def close(self) -> None:
        if getattr(self, "_store", None) is not None:
            self.flush()
            del self._store
            self._store = None
