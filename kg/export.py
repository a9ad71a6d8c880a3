"""Store -> files: RDF serialisations (with the evidence), graph formats, CSV and Neo4j loaders.

Every export goes through two steps: :func:`select` picks the article graphs and facts
a :class:`Selection` keeps (all of them when it is empty), then a renderer turns them
into text. Rendering happens in memory before anything is written, and each file is
written to a temporary file then renamed, so a failure leaves previous files intact.

Formats:
  turtle, ntriples   the union of the article graphs plus the ontology (triples)
  nquads, trig,      one named graph per article plus the ontology's graph
  jsonld             (JSON-LD with an inline @context: nothing is fetched)
  graphml, gexf      entities and facts for Gephi / Cytoscape (typed, flat attributes)
  csv                nodes.csv and edges.csv (formula injection neutralised)
  cypher             a :param / UNWIND ... MERGE script for cypher-shell or Neo4j Browser
  neo4j-admin        header-annotated CSV files for ``neo4j-admin database import full``
  browser-guide      a Neo4j Browser guide with the canned queries as runnable Cypher
(the last three are in kg.export_neo4j and write the model of kg.stores.neo4j).
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError
from kg.schema.namespaces import DCTERMS, GEO, ONTOLOGY, PREFIXES, RDF, RDFS, RESOURCE, kg
from kg.schema.vocab import predicate_by_iri, predicates

RDF_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
               "jsonld": None}
MULTI_FILE_FORMATS = ("csv", "neo4j-admin")
FORMATS = tuple(RDF_FORMATS) + ("graphml", "gexf", "csv", "cypher", "neo4j-admin", "browser-guide")
ONTOLOGY_GRAPH = ox.NamedNode(ONTOLOGY.rstrip("#"))
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
TYPE, FACT, EVIDENCE = RDF + "type", kg("Fact"), kg("evidence")


class ExportError(KGError):
    """An export could not be produced as asked (the message says what to change)."""


# -- selection --------------------------------------------------------------------------
@dataclass(frozen=True)
class Selection:
    """Which part of the graph to export; the empty selection keeps everything.

    ``entity`` is an entity IRI (resolve names with kg.lookup.resolve_name first);
    ``since``/``until`` are ISO dates (YYYY, YYYY-MM or YYYY-MM-DD) compared with the
    articles' dates (undated articles are left out when either is given);
    ``min_sources`` is the number of distinct articles a fact needs.
    """

    entity: str | None = None
    depth: int = 1
    predicate: str | None = None
    since: str | None = None
    until: str | None = None
    min_sources: int = 1

    def __post_init__(self):
        for value in (self.since, self.until):
            if value is not None and not DATE_RE.match(value):
                raise ExportError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if self.predicate is not None and self.predicate not in predicates():
            raise ExportError(f"unknown predicate {self.predicate!r}; known: {', '.join(predicates())}")
        if self.depth < 0 or self.min_sources < 1:
            raise ExportError("--depth must be >= 0 and --min-sources >= 1")

    @property
    def empty(self) -> bool:
        return self == Selection()


def date_bounds(iso: str) -> tuple[str, str]:
    """First and last day an ISO date of any precision covers, as comparable strings."""
    first = iso + "-01-01"[len(iso) - 4:] if len(iso) < 10 else iso
    last = iso + "-12-31"[len(iso) - 4:] if len(iso) < 10 else iso
    return first, last


@dataclass
class Dataset:
    """The store's quads indexed by graph and subject."""

    quads: list
    by_subject: dict = field(default_factory=lambda: defaultdict(list))   # (graph, subject) -> [quad]

    @classmethod
    def of(cls, store) -> "Dataset":
        data = cls(list(store.quads()))
        for quad in data.quads:
            data.by_subject[(_graph_name(quad), quad.subject.value)].append(quad)
        return data

    def values(self, graph: str, subject: str, prop: str) -> list:
        return [q.object for q in self.by_subject.get((graph, subject), ()) if q.predicate.value == prop]

    def value(self, graph: str, subject: str, prop: str):
        found = self.values(graph, subject, prop)
        return found[0] if found else None

    def subjects_of_type(self, cls_iri: str):
        for quad in self.quads:
            if quad.predicate.value == TYPE and quad.object.value == cls_iri and _graph_name(quad):
                yield _graph_name(quad), quad.subject.value


def _graph_name(quad) -> str:
    return quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""


def _article_date(data: Dataset, graph: str) -> str | None:
    date = data.value(graph, graph, DCTERMS + "date")
    return date.value if date is not None else None


def _dated_in(date: str | None, selection: Selection) -> bool:
    if selection.since is None and selection.until is None:
        return True
    if date is None:
        return False
    first, last = date_bounds(date)
    if selection.since and last < date_bounds(selection.since)[0]:
        return False
    return not (selection.until and first > date_bounds(selection.until)[1])


def select(data: Dataset, selection: Selection) -> dict[str, set[str]]:
    """Article graph IRI -> IRIs of the facts kept in it."""
    preds = predicate_by_iri()
    dates: dict[str, str | None] = {}
    kept: dict[str, set[str]] = defaultdict(set)
    for graph, fact in data.subjects_of_type(FACT):
        if graph not in dates:
            dates[graph] = _article_date(data, graph)
        pred = preds.get(getattr(data.value(graph, fact, RDF + "predicate"), "value", ""))
        if pred is None or not _dated_in(dates[graph], selection):
            continue
        if selection.predicate and pred.name != selection.predicate:
            continue
        kept[graph].add(fact)
    kept = _min_sources(kept, selection.min_sources)
    if selection.entity:
        kept = _neighbourhood(data, kept, selection.entity, selection.depth)
    return {g: facts for g, facts in kept.items() if facts}


def _min_sources(kept: dict[str, set[str]], minimum: int) -> dict[str, set[str]]:
    if minimum <= 1:
        return kept
    count: dict[str, int] = defaultdict(int)
    for facts in kept.values():
        for fact in facts:
            count[fact] += 1
    return {g: {f for f in facts if count[f] >= minimum} for g, facts in kept.items()}


def _neighbourhood(data: Dataset, kept: dict[str, set[str]], start: str, depth: int) -> dict[str, set[str]]:
    """Facts whose entities lie within ``depth`` hops of ``start`` (directions ignored)."""
    ends: dict[str, tuple[str, str | None]] = {}
    for graph, facts in kept.items():
        for fact in facts:
            obj = data.value(graph, fact, RDF + "object")
            target = obj.value if isinstance(obj, ox.NamedNode) else None
            ends[fact] = (data.value(graph, fact, RDF + "subject").value, target)
    adjacent: dict[str, set[str]] = defaultdict(set)
    for source, target in ends.values():
        if target:
            adjacent[source].add(target)
            adjacent[target].add(source)
    reached, frontier = {start}, {start}
    for _ in range(depth):
        frontier = {n for node in frontier for n in adjacent[node]} - reached
        reached |= frontier
    inside = lambda f: ends[f][0] in reached and (ends[f][1] is None or ends[f][1] in reached)
    return {g: {f for f in facts if inside(f)} for g, facts in kept.items()}


def selected_quads(data: Dataset, kept: dict[str, set[str]]) -> list:
    """The quads of the kept facts: article metadata, entities, direct triples, fact and evidence nodes."""
    out = []
    for graph, facts in sorted(kept.items()):
        subjects, direct = {graph} | facts, set()
        for fact in facts:
            subjects.update(o.value for o in data.values(graph, fact, EVIDENCE))
            s, p, o = (data.value(graph, fact, RDF + x) for x in ("subject", "predicate", "object"))
            subjects.update(t.value for t in (s, o) if isinstance(t, ox.NamedNode))
            direct.add((s, p, o))
        for subject in sorted(subjects):
            out += [q for q in data.by_subject.get((graph, subject), ())
                    if _not_direct(q) or (q.subject, q.predicate, q.object) in direct]
    return out


def _not_direct(quad) -> bool:
    return quad.predicate.value not in predicate_by_iri()


def selected_article_quads(store, selection: Selection = Selection()) -> dict[str, list]:
    """Article id -> the quads of its graph that the selection keeps."""
    data = Dataset.of(store)
    quads = data.quads if selection.empty else selected_quads(data, select(data, selection))
    prefix, out = RESOURCE + "article/", defaultdict(list)
    for quad in quads:
        if _graph_name(quad).startswith(prefix):
            out[_graph_name(quad)[len(prefix):]].append(quad)
    return dict(sorted(out.items()))


def neo4j_article_rows(store, selection: Selection = Selection()) -> list:
    """The selection as kg.stores.neo4j ArticleRows: the model `kg push neo4j` writes."""
    from kg.stores.neo4j import article_rows

    return [article_rows(article, quads) for article, quads in selected_article_quads(store, selection).items()]


# -- the property graph (entities and facts) ---------------------------------------------
@dataclass
class Edge:
    source: str                 # entity id
    target: str                 # entity id
    predicate: str              # vocabulary name
    evidence: list = field(default_factory=list)  # dicts: article, date, sentence, rule, confidence

    @property
    def articles(self) -> list[str]:
        return sorted({e["article"] for e in self.evidence})

    @property
    def best(self) -> dict:
        return max(self.evidence, key=lambda e: (e["confidence"], len(e["sentence"])))


@dataclass
class PropertyGraph:
    nodes: dict = field(default_factory=dict)   # entity id -> {id, label, type, lat?, lon?, signed_on?}
    edges: dict = field(default_factory=dict)   # (source, predicate, target) -> Edge
    dates: dict = field(default_factory=dict)   # (agreement id, predicate, iso) -> Edge (target = iso)


def property_graph(store, selection: Selection = Selection()) -> PropertyGraph:
    """Entities and facts of the selection, with every evidence of each fact."""
    data = Dataset.of(store)
    graph = PropertyGraph()
    preds = predicate_by_iri()
    for article, facts in sorted(select(data, selection).items()):
        date = _article_date(data, article)
        for fact in sorted(facts):
            s, p, o = (data.value(article, fact, RDF + x) for x in ("subject", "predicate", "object"))
            source = _node(data, graph, article, s.value)
            if isinstance(o, ox.NamedNode):
                key = (source, preds[p.value].name, _node(data, graph, article, o.value))
                edge = graph.edges.setdefault(key, Edge(key[0], key[2], key[1]))
            else:
                key = (source, preds[p.value].name, o.value)
                edge = graph.dates.setdefault(key, Edge(source, o.value, key[1]))
                graph.nodes[source].setdefault("signed_on", o.value)
            for ev in data.values(article, fact, EVIDENCE):
                edge.evidence.append(_evidence(data, article, ev.value, date))
    for edge in list(graph.edges.values()) + list(graph.dates.values()):
        edge.evidence.sort(key=lambda e: (-e["confidence"], e["article"], e["sentence"]))
    return graph


def _node(data: Dataset, graph: PropertyGraph, article: str, iri: str) -> str:
    entity_id = data.value(article, iri, kg("entityId"))
    key = entity_id.value if entity_id is not None else iri.removeprefix(RESOURCE)
    if key not in graph.nodes:
        kind = data.value(article, iri, TYPE)
        attrs = {"id": key, "label": getattr(data.value(article, iri, RDFS + "label"), "value", key),
                 "type": kind.value.rsplit("#", 1)[-1] if kind is not None else "Entity"}
        lat, lon = data.value(article, iri, GEO + "lat"), data.value(article, iri, GEO + "long")
        if lat is not None and lon is not None:
            attrs.update(lat=float(lat.value), lon=float(lon.value))
        graph.nodes[key] = attrs
    return key


def _evidence(data: Dataset, article: str, node: str, date: str | None) -> dict:
    get = lambda prop: getattr(data.value(article, node, prop), "value", None)
    return {"article": article.removeprefix(RESOURCE + "article/"), "date": date or "",
            "sentence": get(kg("sentence")) or "", "rule": get(kg("rule")) or "",
            "confidence": float(get(kg("confidence")) or 0.0)}


# -- public entry points -----------------------------------------------------------------
def export_graph(store, fmt: str, output: str | None = None, selection: Selection = Selection()) -> str | None:
    """Render the store in ``fmt``; write atomically to ``output`` (a path) or return the text."""
    if fmt in MULTI_FILE_FORMATS:
        if output is None:
            raise ExportError(f"--format {fmt} writes several files: give -o FOLDER (or -o PREFIX-)")
        write_all_or_nothing(_targets(output, render_files(store, fmt, selection)))
        return None
    data = render(store, fmt, selection)
    if output is None:
        return data
    write_atomically(Path(output), data)
    return None


def render(store, fmt: str, selection: Selection = Selection()) -> str:
    """One-file formats as text."""
    if fmt in RDF_FORMATS:
        return render_rdf(store, fmt, selection)
    if fmt in ("graphml", "gexf"):
        return render_graph_xml(property_graph(store, selection), fmt)
    if fmt == "cypher":
        from kg.export_neo4j import render_cypher

        return render_cypher(neo4j_article_rows(store, selection))
    if fmt == "browser-guide":
        from kg.export_neo4j import render_browser_guide

        return render_browser_guide(store)
    raise ExportError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")


def render_files(store, fmt: str, selection: Selection = Selection()) -> dict[str, str]:
    """Several-file formats: file name -> text."""
    if fmt == "csv":
        return render_csv(property_graph(store, selection))
    if fmt == "neo4j-admin":
        from kg.export_neo4j import render_neo4j_admin

        return render_neo4j_admin(neo4j_article_rows(store, selection))
    raise ExportError(f"unknown multi-file format {fmt!r}")


def _targets(output: str, files: dict[str, str]):
    """FOLDER/name, or PREFIXname when ``output`` ends with '-', '_' or '.'."""
    if output.endswith(("-", "_", ".")) and not Path(output).is_dir():
        return [(Path(output + name), text) for name, text in files.items()]
    return [(Path(output) / name, text) for name, text in files.items()]


# -- RDF ----------------------------------------------------------------------------------
def ontology_quads() -> list:
    """schema/ontology.ttl as quads of the ontology graph (empty if the file is not shipped)."""
    from kg.schema import data_path

    path = data_path("ontology.ttl")
    if not path.is_file():
        return []
    triples = ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE)
    return [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples]


def dataset_quads(store, selection: Selection = Selection()) -> list:
    """The quads an RDF export holds: the (selected) article graphs and the ontology graph."""
    if selection.empty:
        return ontology_quads() + list(store.quads())
    data = Dataset.of(store)
    return ontology_quads() + selected_quads(data, select(data, selection))


def render_rdf(store, fmt: str, selection: Selection = Selection()) -> str:
    quads = dataset_quads(store, selection)
    if fmt == "jsonld":
        return _jsonld(quads)
    rdf_format = getattr(ox.RdfFormat, RDF_FORMATS[fmt])
    if not rdf_format.supports_datasets:
        quads = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    prefixes = {**PREFIXES, "owl": "http://www.w3.org/2002/07/owl#"}
    return ox.serialize(quads, format=rdf_format, prefixes=prefixes).decode("utf-8")


def _jsonld(quads) -> str:
    """JSON-LD through rdflib, one named graph per article, with an inline context."""
    import rdflib

    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    return dataset.serialize(format="json-ld", context=dict(PREFIXES), indent=1, ensure_ascii=False)


# -- GraphML / GEXF -----------------------------------------------------------------------
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Control characters (and XML-invalid code points) become spaces."""
    return CONTROL.sub(" ", value)


def edge_attributes(edge: Edge) -> dict:
    """Flat, typed attributes of an edge (no None, lists or dicts)."""
    best = edge.best
    return {"predicate": edge.predicate, "articles": len(edge.articles), "evidence_count": len(edge.evidence),
            "confidence": float(best["confidence"]), "evidence": best["sentence"], "rule": best["rule"],
            "article_ids": " ".join(edge.articles)}


def node_attributes(node: dict) -> dict:
    return {k: v for k, v in node.items() if k != "id" and v is not None}


def to_networkx(graph: PropertyGraph):
    """The property graph as a networkx MultiDiGraph with clean, flat attributes."""
    import networkx as nx

    out = nx.MultiDiGraph()
    tidy = lambda attrs: {k: clean_text(v) if isinstance(v, str) else v for k, v in attrs.items()}
    for key, node in sorted(graph.nodes.items()):
        out.add_node(clean_text(key), **tidy(node_attributes(node)))
    for (source, pred, target), edge in sorted(graph.edges.items()):
        out.add_edge(clean_text(source), clean_text(target), key=pred, **tidy(edge_attributes(edge)))
    return out


def render_graph_xml(graph: PropertyGraph, fmt: str) -> str:
    import networkx as nx

    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8")
    else:
        nx.write_gexf(to_networkx(graph), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


# -- CSV ------------------------------------------------------------------------------------
NODE_COLUMNS = ("id", "label", "type", "lat", "lon", "signed_on")
EDGE_COLUMNS = ("source", "target", "predicate", "articles", "evidence_count", "confidence", "evidence",
                "rule", "article_ids")


def _csv(columns, rows) -> str:
    from kg.output import neutralise

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")     # RFC 4180: CR or LF in a cell gets it quoted
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(c)) for c in columns])
    return out.getvalue()


def render_csv(graph: PropertyGraph) -> dict[str, str]:
    edges = [{"source": s, "target": t, **edge_attributes(e)} for (s, _, t), e in sorted(graph.edges.items())]
    return {"nodes.csv": _csv(NODE_COLUMNS, [graph.nodes[k] for k in sorted(graph.nodes)]),
            "edges.csv": _csv(EDGE_COLUMNS, edges)}


# -- writing ----------------------------------------------------------------------------------
def _mode(path: Path) -> int:
    """The existing file's permissions, else what the umask allows (mkstemp makes 0600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_all_or_nothing(targets: list[tuple[Path, str]]) -> None:
    """Write several files whole: all go to a temporary folder beside them first (where a full
    disk or any other failure stops everything, leaving the old files as they were), then each
    is renamed into place (a rename needs no space and cannot be half done)."""
    if not targets:
        return
    parent = targets[0][0].parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kg-export.", dir=parent))
    try:
        staged = []
        for path, text in targets:
            temporary = staging / path.name
            with open(temporary, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, _mode(path))
            staged.append((temporary, path))
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()


def write_atomically(path: Path, data: str) -> None:
    """Write to a temporary file beside ``path``, then rename: a failure leaves the old file.
    A device or pipe (/dev/stdout, a FIFO) is written to directly, never replaced."""
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(data)
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
