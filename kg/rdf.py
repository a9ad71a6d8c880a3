"""Extraction -> RDF quads: one named graph per article, evidence as PROV-O nodes.

Layout (graph = the article's IRI, so retracting an article drops exactly its graph):

    <article> a kg:Article ; dcterms:title ; dcterms:date ; dcterms:source ; kg:contentHash .
    <entity>  a kg:Country ; rdfs:label ; kg:entityId ; geo:lat ; geo:long .
    <s> kg:supports <o> .                               # the fact itself, queryable directly
    <fact> a kg:Fact ; rdf:subject <s> ; rdf:predicate kg:supports ; rdf:object <o> ;
           kg:evidence <evidence> .
    <evidence> a kg:Evidence ; prov:wasDerivedFrom <article> ; kg:sentence "..." ;
               kg:start 10 ; kg:end 80 ; kg:rule "supports.backed_by" ; kg:confidence 0.9 .

Every node is an IRI (no blank nodes), so re-writing an article is exact.

The summary graph (``SUMMARY_GRAPH``) holds one copy of every direct fact and entity
description that any article graph holds: the entity-level graph that queries walking
the whole graph (paths, places within places, contradictions) read, instead of every
article's copy. Stores keep it in step with the article graphs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kg.ids import digest
from kg.model import DateValue, Entity, Extraction, Fact
from kg.schema.namespaces import DCTERMS, GEO, PROV, RDF, RDFS, XSD, kg, resource
from kg.schema.vocab import predicate, type_iri

A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
SUMMARY_GRAPH = NamedNode(resource("graph/summary"))
PER_ARTICLE_NODES = tuple(resource(kind) for kind in ("article/", "fact/", "evidence/"))
DATE_TYPES = {"day": XSD + "date", "month": XSD + "gYearMonth", "year": XSD + "gYear"}


def article_iri(article_id: str) -> NamedNode:
    return NamedNode(resource(f"article/{article_id}"))


def entity_iri(entity: Entity) -> NamedNode:
    return NamedNode(resource(entity.id))


def fact_iri(fact: Fact) -> NamedNode:
    return NamedNode(resource("fact/" + digest(*fact.key)))


def date_literal(value: DateValue) -> Literal:
    return Literal(value.iso, datatype=NamedNode(DATE_TYPES[value.precision]))


def _lit(value, datatype: str | None = None) -> Literal:
    if datatype:
        return Literal(str(value), datatype=NamedNode(datatype))
    return Literal(str(value))


def object_term(fact: Fact):
    if isinstance(fact.object, DateValue):
        return date_literal(fact.object)
    return entity_iri(fact.object)


def article_quads(extraction: Extraction) -> list[Quad]:
    """All quads an article contributes, in a deterministic order."""
    article = extraction.article
    graph = article_iri(article.id)
    quads: list[Quad] = []
    add = lambda s, p, o: quads.append(Quad(s, NamedNode(p) if isinstance(p, str) else p, o, graph))
    node = graph
    add(node, A, NamedNode(kg("Article")))
    add(node, kg("contentHash"), _lit(article.id))
    add(node, DCTERMS + "source", _lit(article.source))
    if article.title:
        add(node, DCTERMS + "title", _lit(article.title))
    if article.url:
        add(node, kg("url"), _lit(article.url))
    if extraction.clean.date:
        add(node, DCTERMS + "date", date_literal(DateValue(extraction.clean.date)))
    for entity in sorted(_fact_entities(extraction.facts), key=lambda e: e.id):
        quads.extend(entity_quads(entity, graph))
    for fact in extraction.facts:
        quads.extend(fact_quads(fact, graph))
    return quads


@dataclass(frozen=True)
class PreparedArticle:
    """An article ready to store: its graph, and its share of the summary graph, as N-Quads.

    Built where the extraction runs (a worker process, a Spark task), so the single writer
    only hands bytes to the store's loader; small to pickle. The summary lines are kept
    apart so a batch of articles sends each summary quad to the store once."""

    article_id: str
    source: str
    nquads: bytes
    summary: bytes = b""
    rows: tuple = ()        # its evidence rows (kg.aggregates.Row), for the stats graph


def prepare(extraction: Extraction) -> PreparedArticle:
    """The article's quads (``article_quads``), their summary share, serialised once, and
    the evidence rows the stats graph counts (``evidence_rows``)."""
    quads = list(dict.fromkeys(article_quads(extraction)))
    summary = list(dict.fromkeys(summary_quads(quads)))
    return PreparedArticle(extraction.article.id, extraction.article.source,
                           serialize(quads, format=RdfFormat.N_QUADS),
                           serialize(summary, format=RdfFormat.N_QUADS), tuple(evidence_rows(extraction)))


def evidence_rows(extraction: Extraction) -> list:
    """The evidence rows (kg.aggregates.Row) that ``kg.aggregates.rows_from_quads`` reads
    from ``article_quads(extraction)``, taken from the extraction itself (the same rows in
    the same order, without walking the quads; tests/test_load.py compares them).

    As in the graph, a fact node is described by the first fact with its key, an evidence
    node by the first value each of its properties was given, and only the article itself
    has a content hash, source and date."""
    from kg.aggregates import SIGNED_ON, Row

    article, date = extraction.article, extraction.clean.date
    article_date = DateValue(date).iso if date else None
    facts: dict[str, tuple] = {}                      # fact node -> (subject, predicate, object, {ev node: props})
    for fact in extraction.facts:
        node = fact_iri(fact).value
        if node not in facts:
            obj = object_term(fact)
            facts[node] = (entity_iri(fact.subject).value, predicate(fact.predicate).iri,
                           obj.value if isinstance(obj, NamedNode) else obj, {})
        ev = fact.evidence
        ev_node = digest(ev.article_id, *fact.key, ev.start, ev.end, ev.rule)
        props = facts[node][3].setdefault(ev_node, [ev.article_id, str(ev.sentence), f"{ev.confidence:.2f}", None,
                                                    str(ev.rule)])
        if props[3] is None and ev.date:
            props[3] = DateValue(ev.date).iso
    rows = []
    for node, (subject, pred, obj, evidence) in facts.items():
        for article_id, sentence, confidence, fact_date, rule in evidence.values():
            own = article_id == article.id
            rows.append(Row(node, subject, pred, obj, article.id if own else None, article.source if own else "",
                            sentence, round(float(confidence), 2),
                            obj.value if pred == SIGNED_ON else fact_date or (article_date if own else None),
                            rule, article_date if own else None))
    return rows


def retract_update(graph: NamedNode) -> str:
    """SPARQL Update dropping an article's graph and the summary triples no other article
    graph states (one update: one transaction on Oxigraph, Fuseki and GraphDB)."""
    return f"""
DELETE {{ GRAPH {SUMMARY_GRAPH} {{ ?s ?p ?o }} }}
WHERE {{
  GRAPH {graph} {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph} && ?other != {SUMMARY_GRAPH}) }}
}} ;
DROP GRAPH {graph}
"""


def summary_quads(quads: Iterable[Quad]) -> list[Quad]:
    """The article's direct facts and entity descriptions, as quads of the summary graph."""
    return [Quad(q.subject, q.predicate, q.object, SUMMARY_GRAPH) for q in quads
            if not q.subject.value.startswith(PER_ARTICLE_NODES)]


def _fact_entities(facts: Iterable[Fact]) -> set[Entity]:
    out = set()
    for fact in facts:
        out.add(fact.subject)
        if isinstance(fact.object, Entity):
            out.add(fact.object)
    return out


def entity_quads(entity: Entity, graph: NamedNode) -> Iterator[Quad]:
    node = entity_iri(entity)
    yield Quad(node, A, NamedNode(type_iri(entity.type)), graph)
    yield Quad(node, LABEL, _lit(entity.label), graph)
    yield Quad(node, NamedNode(kg("entityId")), _lit(entity.id), graph)
    attrs = dict(entity.attrs)
    if "lat" in attrs and "lon" in attrs:
        yield Quad(node, NamedNode(GEO + "lat"), _lit(attrs["lat"], XSD + "decimal"), graph)
        yield Quad(node, NamedNode(GEO + "long"), _lit(attrs["lon"], XSD + "decimal"), graph)
    if attrs.get("geonames_id"):
        yield Quad(node, NamedNode(kg("geonamesId")), _lit(attrs["geonames_id"]), graph)


def fact_quads(fact: Fact, graph: NamedNode) -> Iterator[Quad]:
    pred = NamedNode(predicate(fact.predicate).iri)
    subject, obj, node = entity_iri(fact.subject), object_term(fact), fact_iri(fact)
    yield Quad(subject, pred, obj, graph)
    yield Quad(node, A, NamedNode(kg("Fact")), graph)
    yield Quad(node, NamedNode(RDF + "subject"), subject, graph)
    yield Quad(node, NamedNode(RDF + "predicate"), pred, graph)
    yield Quad(node, NamedNode(RDF + "object"), obj, graph)
    ev = fact.evidence
    ev_node = NamedNode(resource("evidence/" + digest(ev.article_id, *fact.key, ev.start, ev.end, ev.rule)))
    yield Quad(node, NamedNode(kg("evidence")), ev_node, graph)
    yield Quad(ev_node, A, NamedNode(kg("Evidence")), graph)
    yield Quad(ev_node, NamedNode(PROV + "wasDerivedFrom"), article_iri(ev.article_id), graph)
    yield Quad(ev_node, NamedNode(kg("sentence")), _lit(ev.sentence), graph)
    yield Quad(ev_node, NamedNode(kg("start")), _lit(ev.start, XSD + "integer"), graph)
    yield Quad(ev_node, NamedNode(kg("end")), _lit(ev.end, XSD + "integer"), graph)
    yield Quad(ev_node, NamedNode(kg("rule")), _lit(ev.rule), graph)
    yield Quad(ev_node, NamedNode(kg("confidence")), _lit(f"{ev.confidence:.2f}", XSD + "decimal"), graph)
    if ev.date:
        yield Quad(ev_node, NamedNode(kg("factDate")), date_literal(DateValue(ev.date)), graph)
