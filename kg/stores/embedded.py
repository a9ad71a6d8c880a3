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

The stats graph (``kg.aggregates.STATS_GRAPH``: per fact its article count, best
evidence, sources, dates and conflicts) changes in the same transaction as each article
(``add_article``, ``retract_article``), and for a bulk batch in one transaction while its
journal is still there (a repaired store rebuilds it from the article graphs).

A first load into an empty on-disk store (``start_first_load``) is journalled as a
whole (one ``FIRST_LOAD`` mark: every graph is the run's): the articles' N-Quads are
spooled to files in the store's folder, each bulk-loaded in a background thread once it
holds CHUNK_BYTES, and the last one, the summary and the stats graphs at the end
(``finish_stats``), the journal removed and the stats version mark last. A store left by
a killed run is emptied when next opened (and its spool files deleted): all or nothing.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from pathlib import Path

import pyoxigraph as ox

from kg import aggregates
from kg.aggregates import STATS_GRAPH
from kg.errors import QueryError, StoreError, os_error_line
from kg.model import Extraction
from kg.rdf import SUMMARY_GRAPH, PreparedArticle, article_iri, article_quads, retract_update, summary_quads
from kg.schema.namespaces import PREFIXES, kg, resource
from kg.sparql_safety import bind_values, check_read_only, to_python

JOURNAL_GRAPH = ox.NamedNode(resource("graph/pending"))
PENDING = ox.NamedNode(kg("pendingWrite"))


FIRST_LOAD = ox.NamedNode(resource("graph/first-load"))   # journalled: every graph belongs to a first load under way
SPOOL_PREFIX = ".kg-spool-"       # a first load's N-Quads, in the store's folder until loaded (see start_first_load)
CHUNK_BYTES = 192 * 2**20         # a first load hands its spool to the bulk loader in chunks of about this size


@dataclass
class _Spool:
    """A first load under way: the chunk of N-Quads being written (``handle``, ``path``,
    ``size`` bytes), the chunks handed to the loader thread (``loading``: futures), the
    articles' ids (and sources) in order, their summary lines (each once) and stats rows
    (a tuple per article). ``torn`` while an article is being added (an interrupt there
    leaves it half added: the run is then dropped)."""

    folder: Path
    loader: Any                                   # a ThreadPoolExecutor(1): bulk loads, one at a time
    handle: Any = None
    path: Path | None = None
    size: int = 0
    loading: list = field(default_factory=list)
    articles: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    rows: Any = None                              # the articles' stats rows, pickled a tuple per article
    torn: bool = False

    def new_chunk(self) -> None:
        self.handle = self.spool_file(".nq")
        self.path, self.size = Path(self.handle.name), 0

    def spool_file(self, suffix: str):
        import tempfile

        return tempfile.NamedTemporaryFile("wb", prefix=SPOOL_PREFIX, suffix=suffix, dir=self.folder, delete=False)

    def write_derived(self, path: Path) -> None:
        """The summary and stats graphs of the spooled articles as N-Quads into ``path`` (the
        stats version mark left out: it is written last), from the rows file."""
        import pickle

        facts, mark = aggregates.Facts(), aggregates.version_quad()
        with open(self.rows.name, "rb") as rows:
            while True:
                try:
                    facts.add(list(pickle.load(rows)))
                except EOFError:
                    break
        part = path.with_name(path.name + ".part")   # renamed when whole: a helper killed midway leaves no `path`
        with open(part, "wb") as out:            # streamed: the stats graph is never held whole as objects
            out.writelines(self.summary)
            ox.serialize((q for q in aggregates.facts_quads(facts) if q != mark), out, format=ox.RdfFormat.N_QUADS)
        os.replace(part, path)


def _bulk_load_file(store: ox.Store, path: Path) -> None:
    """One spool chunk into the store (in the loader thread), then the chunk deleted."""
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
    path.unlink(missing_ok=True)


HELPER_CPU = {"seconds": 0.0}     # CPU the helper processes of _build_derived used (for bench/scale.py)


def _build_derived(spool: _Spool, path: Path):
    """Start writing the spool's summary and stats graphs into ``path`` (``_Spool.write_derived``)
    beside the bulk load of its last articles; returns the function that waits for them.

    On Linux a forked process builds them (pure Python work on the rows file, so it runs on
    the second core while the bulk loader, which releases the GIL, writes the articles, and
    its memory is returned when it ends; it touches no store); elsewhere, or if that
    process fails, they are built here."""
    if not sys.platform.startswith("linux"):
        return lambda: spool.write_derived(path)
    pid = os.fork()
    if pid == 0:                                             # the child: build, write, leave
        import gc

        gc.disable()          # nothing of the parent's (its store, iterators) is ever finalised here
        code = 1
        try:
            spool.write_derived(path)
            code = 0
        except BaseException as error:  # noqa: BLE001 - reported; the parent builds them itself
            print(f"kg: building the stats graph in a helper process failed ({error}); building it in the "
                  "main process", file=sys.stderr)
        finally:
            os._exit(code)

    def wait() -> None:
        _, status, usage = os.wait4(pid, 0)
        HELPER_CPU["seconds"] += usage.ru_utime + usage.ru_stime
        if os.waitstatus_to_exitcode(status) != 0 or not path.exists():
            spool.write_derived(path)
    return wait


MARKER = "KG_STORE"               # names a folder as a kg store, with its format version
FORMAT_VERSION = 1
ROCKSDB_FILES = ("CURRENT", "IDENTITY")   # a store written before kg kept a marker has these


class EmbeddedStore:
    """An on-disk (or, without a path, in-memory) store.

    ``write=True`` (the default) opens for writing and creates the store when the folder is
    missing or empty; ``write=False`` opens an existing store read-only (it works on a
    read-only file system and changes no file). A folder holding anything but a kg store is
    refused, and so is a damaged store, which is left exactly as it was.
    """

    name = "embedded"
    language = "sparql"

    def __init__(self, path: str | os.PathLike | None = None, write: bool = True):
        self.path = Path(path) if path else None
        self.writable = write
        self._lock: _FolderLock | None = None
        self._deferred: aggregates.Facts | None = None     # see defer_stats
        self._bulk_written = False                            # compacted when closed (see close)
        self._spool: _Spool | None = None                     # see start_first_load
        self._store: Any
        if self.path is None:
            self._store = ox.Store()
        else:
            self._store = open_store_folder(self.path, write, self)
        if write:
            self._remove_stale_spools()
            self._finish_interrupted_batch()
            self._ensure_summary()
            self._ensure_stats()
        elif self._needs_repair():
            self._repair_then_reopen()

    def _needs_repair(self) -> bool:
        """A batch a killed process left half written, or no summary or stats graph (of this version) yet."""
        derived_missing = not self._store.contains_named_graph(SUMMARY_GRAPH) or \
            next(self._store.quads_for_pattern(*aggregates.version_quad()), None) is None
        return self._store.contains_named_graph(JOURNAL_GRAPH) or (
            derived_missing and any(True for _ in self._store.named_graphs()))

    def _repair_then_reopen(self) -> None:
        """For a reading command: repair the store as a writer would, then read it."""
        assert self.path is not None, "an in-memory store needs no repair"
        self.close()
        EmbeddedStore(self.path, write=True).close()
        self._store = open_store_folder(self.path, False, self)

    def _ensure_summary(self) -> None:
        """Build the summary graph once for a store written before kg kept one."""
        if self._store.contains_named_graph(SUMMARY_GRAPH):
            return
        self._store.add_graph(SUMMARY_GRAPH)
        for graph in list(self._store.named_graphs()):
            if graph not in (SUMMARY_GRAPH, JOURNAL_GRAPH, STATS_GRAPH):
                self._store.extend(summary_quads(self._store.quads_for_pattern(None, None, None, graph)))

    def _finish_interrupted_batch(self) -> None:
        """Undo a bulk batch a killed process left half written (see the module docstring)."""
        if not self._store.contains_named_graph(JOURNAL_GRAPH):
            return
        if next(self._store.quads_for_pattern(FIRST_LOAD, PENDING, None, JOURNAL_GRAPH), None) is not None:
            self._store.clear()                       # a first load: the store was empty before it
            return
        for quad in list(self._store.quads_for_pattern(None, PENDING, None, JOURNAL_GRAPH)):
            self._store.remove_graph(quad.subject)  # type: ignore[arg-type]  # journal subjects are IRIs
        self._store.remove_graph(SUMMARY_GRAPH)       # rebuilt by _ensure_summary
        self._store.remove_graph(STATS_GRAPH)         # rebuilt by _ensure_stats
        self._store.remove_graph(JOURNAL_GRAPH)

    def _remove_stale_spools(self) -> None:
        """Delete the spool files a killed first load left (its graphs are dropped by its journal)."""
        if self.path is not None:
            for stale in self.path.glob(SPOOL_PREFIX + "*"):
                stale.unlink(missing_ok=True)

    def _ensure_stats(self) -> None:
        """Build the stats graph once for a store written before kg kept one (or an older kind of it)."""
        if next(self._store.quads_for_pattern(*aggregates.version_quad()), None) is not None or \
                not any(g not in (SUMMARY_GRAPH, STATS_GRAPH, JOURNAL_GRAPH) for g in self._store.named_graphs()):
            return            # up to date, or no article yet (the first one written brings the version)
        if self._upgrade_stats():
            return
        self._store.remove_graph(STATS_GRAPH) if self._store.contains_named_graph(STATS_GRAPH) else None
        graphs = (list(self._store.quads_for_pattern(None, None, None, g)) for g in list(self._store.named_graphs())
                  if g not in (SUMMARY_GRAPH, STATS_GRAPH, JOURNAL_GRAPH))
        quads = aggregates.all_aggregates(graphs)
        self._store.add_graph(STATS_GRAPH)
        self._store.extend(quads)

    def _upgrade_stats(self) -> bool:
        """Add what an older stats graph lacks, step by step (``aggregates.UPGRADES``: from
        each article graph, or from the stats graph alone), marking each step's version when
        it is done; False when it can only be rebuilt. A killed step leaves the old mark: the
        next open adds the same quads again (no duplicates)."""
        version = aggregates.stored_version(self._store.quads_for_pattern)
        steps = aggregates.upgrade_steps(version)
        if version is None or not steps:
            return False
        for step in steps:
            if step.stats is not None:
                step.stats(self._store)
            else:
                self._add_per_article(step.article)
            self._store.update(aggregates.delete_data([aggregates.version_quad(version)]) + " ;\n" +
                               aggregates.insert_data([aggregates.version_quad(step.to)]))
            version = step.to
            self._bulk_written = True             # many new quads: compacted when closed, like a bulk load
        return True

    def _add_per_article(self, upgrade) -> None:
        graphs = [g for g in self._store.named_graphs() if g not in (SUMMARY_GRAPH, STATS_GRAPH, JOURNAL_GRAPH)]
        for start in range(0, len(graphs), 500):
            self._store.extend([q for g in graphs[start:start + 500]
                                for q in upgrade(list(self._store.quads_for_pattern(None, None, None, g)))])

    # -- writes -------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        """Whether the article is stored (or spooled by the first load under way)."""
        return (self._spool is not None and article_id in self._spool.articles) or \
            self._store.contains_named_graph(article_iri(article_id))

    def add_article(self, extraction: Extraction) -> bool:
        graph = article_iri(extraction.article.id)
        if self._store.contains_named_graph(graph):
            return False
        self.finish_stats()
        quads = article_quads(extraction)
        delete, stats = aggregates.add_update(self._read, aggregates.rows_from_quads(quads))
        insert = aggregates.insert_data(quads + summary_quads(quads) + stats)
        self._store.update(f"{delete} ;\n{insert}" if delete else insert)  # one transaction
        return True

    def add_prepared(self, batch: list[PreparedArticle]) -> list[bool]:
        """Write a batch of prepared articles with the bulk loader; for each, whether it was
        written (False: already stored, or earlier in the batch)."""
        if self._spool is not None:
            return self._spool_batch(batch)
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
            rows = [row for a in fresh for row in a.rows]
            stats = b""
            if self._deferred is not None:
                self._deferred.add(rows)                         # written by finish_stats
            else:
                changed, quads = aggregates.add_changes(self._read, rows)
                for quad in self._stats_replaced(changed):       # the journal covers these writes:
                    self._store.remove(quad)                     # a repaired store rebuilds its stats
                stats = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
            summary = dict.fromkeys(line for a in fresh for line in a.summary.splitlines(keepends=True))
            # lenient: the N-Quads were serialised from terms pyoxigraph already checked (kg.rdf.prepare)
            self._store.bulk_load(b"".join([*(a.nquads for a in fresh), *summary, stats]),
                                  format=ox.RdfFormat.N_QUADS, lenient=True)
            self._store.remove_graph(JOURNAL_GRAPH)              # atomic: the batch is in
            self._bulk_written = True
        return written

    def start_first_load(self) -> bool:
        """For a first load into an empty on-disk store: from now on ``add_prepared`` appends
        the articles' N-Quads to spool files in the store's folder, each handed to the bulk
        loader in a background thread once it holds CHUNK_BYTES (so the store's loader works
        while articles are still read), and keeps their stats rows and summary lines in
        memory; ``finish_stats`` (or ``close``) loads the last chunk, then the summary and
        stats graphs, the stats version mark last. The run is journalled as a whole (the
        store was empty): a store left by a killed run is emptied when opened. Into an
        in-memory store only the stats are deferred (``defer_stats``). Whether it spools."""
        if self._spool is not None:
            return True
        if not self.defer_stats() or self.path is None:
            return False
        from concurrent.futures import ThreadPoolExecutor

        self._store.add(ox.Quad(FIRST_LOAD, PENDING, ox.Literal("a first load"), JOURNAL_GRAPH))   # atomic
        self._spool = _Spool(self.path, ThreadPoolExecutor(1, thread_name_prefix="kg-bulk-load"))
        self._spool.new_chunk()
        self._spool.rows = self._spool.spool_file(".rows")
        return True

    def _spool_batch(self, batch: list[PreparedArticle]) -> list[bool]:
        """``add_prepared`` during a first load: each new article's N-Quads appended to the spool."""
        import pickle

        spool, written = self._spool, []
        assert spool is not None
        for article in batch:
            new = not self.has_article(article.article_id)
            written.append(new)
            if new:
                spool.torn = True
                spool.handle.write(article.nquads)
                spool.size += len(article.nquads)
                pickle.dump(article.rows, spool.rows, protocol=pickle.HIGHEST_PROTOCOL)
                spool.summary.update(dict.fromkeys(article.summary.splitlines(keepends=True)))
                spool.articles[article.article_id] = article.source
                spool.torn = False
        if spool.size >= CHUNK_BYTES:
            self._hand_chunk(spool)
            spool.new_chunk()
        return written

    def _hand_chunk(self, spool: _Spool) -> None:
        """Close the chunk being written and queue its bulk load (the loader releases the GIL);
        a failed earlier load is raised here."""
        for done in [f for f in spool.loading if f.done()]:
            done.result()
        spool.handle.close()
        if spool.size:
            # lenient: the N-Quads were serialised from terms pyoxigraph already checked (kg.rdf.prepare)
            spool.loading.append(spool.loader.submit(_bulk_load_file, self._store, spool.path))
            self._bulk_written = True

    def _load_spool(self) -> None:
        """Finish a first load: the last chunk loaded, then the summary and stats graphs (built
        by a helper process meanwhile), the journal removed, the stats version mark last. The
        spool files are deleted whatever happens; a spool an interrupt tore (see _Spool) is
        dropped whole, with whatever of it was loaded: nothing of the run stays."""
        spool, self._spool, self._deferred = self._spool, None, None
        assert spool is not None
        derived_path = spool.folder / f"{SPOOL_PREFIX}{os.getpid()}-derived.nq"
        try:
            spool.rows.close()
            if spool.torn:
                spool.handle.close()
                spool.loader.shutdown(wait=True)
                self._finish_interrupted_batch()      # the journal empties the store again
                return
            self._hand_chunk(spool)
            building = _build_derived(spool, derived_path) if spool.articles else None
            for loading in spool.loading:
                loading.result()
            if building is not None:
                building()
                self._store.bulk_load(path=str(derived_path), format=ox.RdfFormat.N_QUADS, lenient=True)
                self._bulk_written = True
            self._store.remove_graph(JOURNAL_GRAPH)              # atomic: the run is in
            if spool.articles:
                self._store.add(aggregates.version_quad())
        finally:
            spool.handle.close()
            spool.rows.close()
            spool.loader.shutdown(wait=True, cancel_futures=True)     # after a failure, no further chunk
            for leftover in spool.folder.glob(SPOOL_PREFIX + "*"):
                leftover.unlink(missing_ok=True)

    def defer_stats(self) -> bool:
        """For a first load into a store without articles: keep the stats of the articles
        ``add_prepared`` writes in memory and write the whole stats graph once, in
        ``finish_stats`` (or ``close``), instead of reading and rewriting it every batch.
        Until then the store has no stats version mark, so a store left by a killed
        process rebuilds its stats graph from the article graphs when it is opened."""
        if self._deferred is None and next(self._store.quads_for_pattern(*aggregates.version_quad()), None) is None \
                and not any(g not in (SUMMARY_GRAPH, STATS_GRAPH, JOURNAL_GRAPH) for g in self._store.named_graphs()):
            self._deferred = aggregates.Facts()
        return self._deferred is not None

    def finish_stats(self) -> None:
        """Write the stats graph ``defer_stats`` kept, its version mark last (atomic); after
        ``start_first_load``, the whole run (``_load_spool``)."""
        if self._spool is not None:
            self._load_spool()
            return
        facts, self._deferred = self._deferred, None
        if facts is None or not any(g not in (SUMMARY_GRAPH, STATS_GRAPH, JOURNAL_GRAPH)
                                    for g in self._store.named_graphs()):
            return
        mark = aggregates.version_quad()
        quads = [q for q in aggregates.facts_quads(facts) if q != mark]
        self._store.bulk_load(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS,
                              lenient=True)
        self._store.add(mark)

    def _stats_replaced(self, replaced: list) -> list[ox.Quad]:
        """The stats quads that writing new articles replaces ((nodes, predicate names) pairs)."""
        out = []
        for nodes, names in replaced:
            predicates = aggregates.predicate_terms(names)
            out += [q for node in nodes for q in self._store.quads_for_pattern(ox.NamedNode(node), None, None,
                                                                              STATS_GRAPH) if q.predicate in predicates]
        return out

    def retract_article(self, article_id: str) -> bool:
        graph = article_iri(article_id)
        if not self._store.contains_named_graph(graph):
            return False
        self.finish_stats()
        delete, stats = aggregates.retract_changes(self._read, graph, aggregates.rows_from_quads(
            self._store.quads_for_pattern(None, None, None, graph)))
        steps = [delete, aggregates.insert_data(stats) if stats else "", retract_update(graph)]
        self._store.update(" ;\n".join(step for step in steps if step))  # one transaction
        return True

    def _read(self, text: str, params: dict | None = None) -> list[dict]:
        """kg's own reads (no user text): values bound, no safety checks."""
        result = self._store.query(bind_values(text, params), prefixes=PREFIXES, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return [{n: to_python(s[n]) for n in names} for s in result]

    # -- reads --------------------------------------------------------------
    def query(self, text: str, params: dict | None = None, default_graph=None) -> list[dict]:
        """Run a read-only query; the default graph is the union of every graph unless
        ``default_graph`` names one (``kg sparql`` gives the summary graph: each fact once)."""
        return self.query_rows(text, params, default_graph=default_graph)

    def query_rows(self, text: str, params: dict | None = None, max_rows: int | None = None,
                   default_graph=None) -> list[dict]:
        """Rows of a read-only query, reading at most ``max_rows`` of them."""
        text = check_read_only(text)
        dataset = {"default_graph": default_graph} if default_graph is not None else \
            {"use_default_graph_as_union": True}
        try:
            result = self._store.query(bind_values(text, params), prefixes=PREFIXES, **dataset)
            if isinstance(result, ox.QueryBoolean):
                return [{"result": bool(result)}]
            if isinstance(result, ox.QueryTriples):
                return [{"subject": to_python(t.subject), "predicate": to_python(t.predicate),
                         "object": to_python(t.object)} for t in islice(result, max_rows)]
            names = [v.value for v in result.variables]
            return [{n: to_python(s[n]) for n in names} for s in islice(result, max_rows)]
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error

    def article_ids(self) -> list[str]:
        prefix = article_iri("").value
        return sorted(g.value[len(prefix):] for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(prefix))

    def graph_quads(self, article_id: str) -> list[ox.Quad]:
        """The quads of one article's named graph (empty when the article is unknown)."""
        return list(self._store.quads_for_pattern(None, None, None, article_iri(article_id)))

    def quads(self, summary: bool = False):
        """Every article graph's quads; the summary and stats graphs' too (which they imply) with ``summary``."""
        return (q for q in self._store.quads_for_pattern(None, None, None, None)
                if (summary or q.graph_name not in (SUMMARY_GRAPH, STATS_GRAPH)) and q.graph_name != JOURNAL_GRAPH)

    def dump(self, fmt: ox.RdfFormat, path=None, from_graph=None):
        kwargs: dict[str, Any] = {"format": fmt}
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
            if self.writable:
                self.finish_stats()
                if self._bulk_written:
                    # the bulk loader adds table files that overlap: compacted once, each lookup
                    # reads one of them instead of many (canned queries 2-4x faster at 10k articles)
                    self._store.optimize()
                self.flush()
            del self._store
            self._store = None
            if self.path is not None:
                import gc

                gc.collect()      # a finished query's iterator can sit in a reference cycle, keeping RocksDB open
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def store_problem(path: Path) -> str | None:
    """Why ``path`` cannot be opened as a kg store (None: it is one, or it is new)."""
    if path.exists() and not path.is_dir():
        return f"{path} is a file, not a kg store; pass --store with a new or empty folder"
    if not path.exists() or not any(path.iterdir()):
        return None
    names = {child.name for child in path.iterdir()}
    tables = any(n.endswith(".sst") for n in names)      # data: a store, not one cut short while created
    rocksdb = tables or any(n in names for n in ROCKSDB_FILES) or \
        any(n.endswith((".dbtmp", ".log")) or n.startswith(("MANIFEST-", "OPTIONS-")) for n in names)
    if MARKER not in names and not rocksdb:
        shown = ", ".join(sorted(names)[:3]) + (", ..." if len(names) > 3 else "")
        return (f"{path} is not a kg store (it holds {shown}); kg writes only in a new or empty folder "
                "or in a kg store: pass --store with one")
    if MARKER in names:
        version = _format_version(path / MARKER)
        if version is None:
            return f"the store {path} is damaged: its {MARKER} is unreadable; restore the store from a backup"
        if version > FORMAT_VERSION:
            return (f"the store {path} has format version {version}, newer than this kg reads "
                    f"({FORMAT_VERSION}); upgrade kg")
    if "CURRENT" not in names and (MARKER in names or tables):
        return (f"the store {path} is damaged: its CURRENT file is missing; kg left it as it was: "
                "restore the store from a backup, or re-ingest into a new --store")
    return None


def _format_version(marker: Path) -> int | None:
    try:
        version = json.loads(marker.read_text(encoding="utf-8")).get("format_version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, int) else None


def open_store_folder(path: Path, write: bool, owner: EmbeddedStore) -> ox.Store:
    """The Oxigraph store in ``path``, after the checks of ``store_problem``.

    A marked store is first opened read-only (which writes nothing), so a damaged one is
    refused before RocksDB could touch it; a writer then reopens it read-write. The marker
    is written once RocksDB has created the store, so a folder without it is a store from
    before the marker or one whose creation was cut short (a writer completes it).
    """
    problem = store_problem(path)
    if problem:
        raise StoreError(problem)
    new = not path.exists() or not any(path.iterdir())
    if new and not write:
        raise StoreError(f"no kg store at {path}: run `kg ingest PATHS` first, or pass --store "
                         "(or set KG_STORE) to the folder of an existing store")
    try:
        path.mkdir(parents=True, exist_ok=True)
        owner._lock = _FolderLock(path, write)
        marked = (path / MARKER).exists()
        if write and marked:
            probe = _read_only(path)      # a damaged store is refused before RocksDB could write to it
            del probe
        store = ox.Store(str(path)) if write else _read_only(path)
        if write and not marked:
            _write_marker(path)
        return store
    except (OSError, RuntimeError) as error:
        if owner._lock is not None:
            owner._lock.close()
            owner._lock = None
        raise StoreError(os_error_line(error, f"the store {path}")) from error


def _write_marker(path: Path) -> None:
    from kg import __version__

    text = json.dumps({"kg_store": True, "format_version": FORMAT_VERSION, "written_by": f"kg {__version__}"})
    (path / MARKER).write_text(text + "\n", encoding="utf-8")


class _FolderLock:
    """A shared (readers) or exclusive (writer) flock on the store's folder, held until closed."""

    def __init__(self, path: Path, write: bool):
        import fcntl

        self.fd: int | None = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, (fcntl.LOCK_EX if write else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise StoreError(f"the store {path} is in use by another kg process; "
                             "wait for it to finish and run again") from None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _read_only(path: Path) -> ox.Store:
    """The store opened read-only: RocksDB checks its files and writes nothing."""
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as error:
        reason = str(error).split("\n")[0].split(": While")[0][:200]
        raise StoreError(f"the store {path} is damaged ({reason}); kg left it as it was: restore the "
                         "store from a backup, or re-ingest into a new --store") from error
