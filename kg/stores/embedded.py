"""The default store: an on-disk Oxigraph (RocksDB) dataset, no server needed.

One named graph per article, plus the summary graph (``kg.rdf.SUMMARY_GRAPH``: one
copy of every direct fact and entity description). An article and its share of the
summary are written in one transaction, and retracted in one, so an article is
stored whole or not at all and a killed process leaves the store consistent.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.model import Extraction
from kg.rdf import SUMMARY_GRAPH, article_iri, article_quads, retract_update, summary_quads
from kg.schema.namespaces import PREFIXES
from kg.sparql_safety import bind_values, check_read_only, to_python


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
        self._ensure_summary()

    def _ensure_summary(self) -> None:
        """Build the summary graph once for a store written before kg kept one."""
        if self._store.contains_named_graph(SUMMARY_GRAPH):
            return
        self._store.add_graph(SUMMARY_GRAPH)
        for graph in list(self._store.named_graphs()):
            if graph != SUMMARY_GRAPH:
                self._store.extend(summary_quads(self._store.quads_for_pattern(None, None, None, graph)))

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

    def retract_article(self, article_id: str) -> bool:
        graph = article_iri(article_id)
        if not self._store.contains_named_graph(graph):
            return False
        self._store.update(retract_update(graph))  # atomic
        return True

    # -- reads --------------------------------------------------------------
    def query(self, text: str, params: dict | None = None) -> list[dict]:
        check_read_only(text)
        try:
            result = self._store.query(bind_values(text, params), prefixes=PREFIXES,
                                       use_default_graph_as_union=True)
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
                if summary or q.graph_name != SUMMARY_GRAPH)

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
