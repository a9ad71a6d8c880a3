"""What the canned queries need precomputed, kept in step with the article graphs.

The stats graph (``STATS_GRAPH``) is derived, like the summary graph: it is written in
the same transaction as each article, recomputed for the facts an article touched when
it is retracted, and built once when a store written before it existed is opened.
A stats graph of an older version is upgraded in place where ``UPGRADES`` says how (v2 -> v3:
what it lacks, from each article graph alone; v3 -> v4: the entity days replaced by months
and the answer blocks added, from the stats graph alone; v4 -> v5: each day's counts in one
text, from the stats graph alone), else rebuilt. For every fact (its
IRI, the one the article graphs use) it holds

    <fact> rdf:subject <s> ; rdf:predicate <p> ; rdf:object <o> ;
           kg:articleCount 3 ; kg:evidenceCount 4 ;              # articles, evidence rows
           kg:bestSentence "..." ; kg:bestConfidence 0.90 ; kg:bestArticle "hash" ;
           kg:source "feed.jsonl" ;                               # one per distinct source
           kg:conflict "supports vs opposes" .                    # when the sources disagree

for every fact and date of the timeline (the signing date of a signed_on fact, else the
date the evidence gives, else the article's date) a node ``<dated/...>`` with
``kg:fact``, ``kg:date`` and the same counts, best evidence and sources; and for every
date a node ``<day/...>`` with ``kg:date``, ``kg:rowCount`` (its dated nodes), their
``kg:evidenceCount``, and both counts again in one short text ``kg:dayCounts "12 57"`` (the
whole timeline's days are read with one lookup each), so the whole timeline can be paged
without sorting every fact.

Three kinds of group node count the blocks the long answers are paged by, so a page reads
only the blocks it falls in, whatever the number of articles:

    <emonth/...>    kg:groupEntity <e> ; kg:groupDate "2019-03" ;       # an entity's timeline in a month
                    kg:groupRows 3 ; kg:groupEvidence 5 .
    <eblock/...>    kg:groupEntity <e> ; kg:groupPredicate kg:supports ; kg:groupDirection "out" ;
                    kg:groupRows 40 ; kg:groupEvidence 97 .            # an entity's facts of a predicate
    <contested/...> kg:groupConflict "supports vs opposes" ; kg:groupSubject <s> ;
                    kg:groupRows 2 ; kg:groupEvidence 7 .             # the contested facts of a subject

and each member links to its groups: a dated node ``kg:inGroup`` the entity months of its
subject and object, a contested fact ``kg:inGroup`` the group of its conflict and subject, and
every fact ``kg:inBlock`` the answer block of its subject ("out") and, when its object is an
entity, of its object ("in"). A month is the date's first 7 characters ("2019-03", or "2019"
for a year-only date), so months sort as their dates do. Group nodes are named by a digest of
their identity (``entity_month_node``: entity IRI and month; ``entity_block_node``: entity
IRI, predicate IRI and direction; ``conflict_group_node``); a
group left with no row is not written. ``kg:groupRows`` counts the facts (or dated nodes) in
the group, ``kg:groupEvidence`` the sum of their ``kg:evidenceCount``.

Every evidence row has a short sort key on its fact and (when dated) on its dated node, so
a page of evidence rows reads the keys of the answers it covers, sorts them, and reads the
sentences of the rows it shows only (``queries/run.py``):

    <fact>     kg:evidenceRow "0.90 <article> 2019-03-04 <sentence hash> <rule hash>" .
    <dated/..> kg:evidenceRow "0.90 <article> <sentence hash>" .

(confidence, article, its date or "-", a digest of the sentence and one of the rule: the
keys of a fact are its distinct evidence rows, those of a dated node its distinct rows as
``--evidence`` shows them). They belong to one article each: written with it, deleted with it.

"Best" evidence is the most confident, then the first sentence, then the first article
(the order ``kg.queries.rows.best`` uses). A fact is contested when one article says
A supports B and another that A opposes B, or when an agreement has two signing dates
of which neither contains the other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Callable, Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from kg.ids import digest
from kg.schema.namespaces import DCTERMS, PROV, RDF, XSD, kg, resource

STATS_GRAPH = NamedNode(resource("graph/stats"))
VERSION = "5"   # raise when what the stats graph holds changes: stores rebuild it when opened
SUPPORTS, OPPOSES, SIGNED_ON = kg("supports"), kg("opposes"), kg("signedOn")
OPPOSITE = {SUPPORTS: OPPOSES, OPPOSES: SUPPORTS}
SUPPORT_CONFLICT, DATE_CONFLICT = "supports vs opposes", "signing date"
COUNTS = ("articleCount", "evidenceCount", "bestSentence", "bestConfidence", "bestArticle")
GROUP_KINDS = {        # kind of group node -> its identity predicates, each (name, whether its value is an IRI)
    "emonth": (("groupEntity", True), ("groupDate", False)),
    "eblock": (("groupEntity", True), ("groupPredicate", True), ("groupDirection", False)),
    "contested": (("groupConflict", False), ("groupSubject", True)),
}
GROUP_IDENTITY = tuple(dict.fromkeys(name for names in GROUP_KINDS.values() for name, _iri in names))
_P = {name: NamedNode(kg(name)) for name in (*COUNTS, "source", "conflict", "fact", "date", "rowCount", "statsVersion",
                                             "undated", "inGroup", "inBlock", "dayCounts", "groupRows", "groupEvidence", "evidenceRow",
                                             *GROUP_IDENTITY)}
_TRUE = Literal("true", datatype=NamedNode(XSD + "boolean"))
_RDF = {name: NamedNode(RDF + name) for name in ("subject", "predicate", "object")}
_INTEGER, _DECIMAL = NamedNode(XSD + "integer"), NamedNode(XSD + "decimal")


@dataclass(frozen=True)
class Row:
    """One piece of evidence, as the canned queries see it."""
    fact: str          # fact IRI
    subject: str       # entity IRI
    predicate: str     # predicate IRI
    object: object     # entity IRI (str) or date literal (pyoxigraph Literal)
    article: str       # article id (content hash)
    source: str
    sentence: str
    confidence: float
    date: str | None   # the timeline's date of this evidence
    rule: str = ""
    published: str | None = None   # the article's date


    @property
    def shown(self) -> tuple:
        """What makes two evidence rows the same row of an answer."""
        return (self.article, self.source, self.sentence, self.confidence)


@dataclass
class Aggregate:
    """Counts, best evidence and sources of one fact (or one fact on one date)."""
    articles: int = 0
    evidence: int = 0
    best: tuple | None = None            # (-confidence, sentence, article)
    sources: set = field(default_factory=set)
    dated: bool = False                  # some evidence row has a timeline date

    def add(self, rows: list[Row]) -> None:
        """Fold in the rows of one more article."""
        self.dated = self.dated or any(r.date for r in rows)
        self.articles += len({r.article for r in rows})
        self.evidence += len({r.shown for r in rows})
        self.sources |= {r.source for r in rows if r.source}
        top = min((-r.confidence, r.sentence, r.article) for r in rows)
        self.best = top if self.best is None else min(self.best, top)


def fact_node(subject_id: str, predicate_name: str, object_key: str) -> str:
    """The IRI ``kg.rdf.fact_iri`` gives the fact with this key."""
    return resource("fact/" + digest(subject_id, predicate_name, object_key))


def dated_node(fact: str, date: str) -> str:
    return resource("dated/" + digest(fact, date))


def day_node(date: str) -> str:
    return resource("day/" + date)


def entity_month_node(entity: str, month: str) -> str:
    return resource("emonth/" + digest(entity, month))


def entity_block_node(entity: str, predicate: str, direction: str) -> str:
    return resource("eblock/" + digest(entity, predicate, direction))


def conflict_group_node(conflict: str, subject: str) -> str:
    return resource("contested/" + digest(conflict, subject))


def dated_groups(triple: tuple, date: str) -> dict[str, tuple]:
    """The entity months a dated node counts in: group node -> (kind, entity, month). The
    month is the date's first 7 characters ("2019-03", or "2019" for a year): months sort
    as their dates do, so an entity's timeline is paged month by month."""
    s, _p, o = triple
    month = date[:7]
    entities = [s] + ([o] if isinstance(o, str) else [])
    return {entity_month_node(e, month): ("emonth", e, month) for e in entities}


def fact_blocks(triple: tuple) -> dict[str, tuple]:
    """The answer blocks a fact counts in: group node -> (kind, entity, predicate, direction):
    its subject's facts of its predicate ("out"), and its object's ("in") when that is an entity."""
    s, p, o = triple
    ends = [(s, "out")] + ([(o, "in")] if isinstance(o, str) else [])
    return {entity_block_node(e, p, direction): ("eblock", e, p, direction) for e, direction in ends}


@dataclass
class Groups:
    """Row and evidence counts of group nodes (or the changes to them)."""
    counts: dict = field(default_factory=dict)     # group node -> [identity, rows, evidence]

    def shift(self, node: str, identity: tuple, rows: int, evidence: int) -> None:
        entry = self.counts.setdefault(node, [identity, 0, 0])
        entry[1] += rows
        entry[2] += evidence

    def blocks(self, triple: tuple, rows: int, evidence: int) -> None:
        """The change to a fact's answer blocks when it is added (rows 1), dropped (-1) or its
        evidence count changes."""
        for node, identity in fact_blocks(triple).items():
            self.shift(node, identity, rows, evidence)

    def contested(self, fact: str, subject: str, marks_before: set, marks_after: set,
                  evidence_before: int, evidence_after: int) -> None:
        """The change to the contested groups when a fact's marks or evidence count change."""
        for mark in marks_before | marks_after:
            self.shift(conflict_group_node(mark, subject), ("contested", mark, subject),
                       (mark in marks_after) - (mark in marks_before),
                       evidence_after * (mark in marks_after) - evidence_before * (mark in marks_before))


# -- evidence rows -----------------------------------------------------------------

def rows_from_quads(quads: Iterable[Quad]) -> list[Row]:
    """The evidence rows of one article graph, read from its quads."""
    by_subject: dict[str, dict[str, list]] = {}
    for q in quads:
        by_subject.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    first = lambda node, p: (by_subject.get(node, {}).get(p) or [None])[0]
    rows = []
    for node, props in by_subject.items():
        if not node.startswith(resource("fact/")) or RDF + "subject" not in props:
            continue
        obj = props[RDF + "object"][0]
        for ev in props.get(kg("evidence"), []):
            article = first(ev.value, PROV + "wasDerivedFrom")
            rows.append(_row(node, props[RDF + "subject"][0].value, props[RDF + "predicate"][0].value, obj,
                             first(article.value, kg("contentHash")), first(article.value, DCTERMS + "source"),
                             first(ev.value, kg("sentence")), first(ev.value, kg("confidence")),
                             first(ev.value, kg("factDate")), first(article.value, DCTERMS + "date"),
                             first(ev.value, kg("rule"))))
    return rows


def _row(fact, subject, predicate, obj, article, source, sentence, confidence, fact_date, article_date,
         rule) -> Row:
    text = lambda term: None if term is None else term.value
    date = obj.value if predicate == SIGNED_ON else text(fact_date) or text(article_date)
    obj = obj.value if isinstance(obj, NamedNode) else obj
    return Row(fact, subject, predicate, obj, text(article), text(source) or "", text(sentence) or "",
               round(float(text(confidence) or 0), 2), date, text(rule) or "", text(article_date))


def key_quads(rows: Iterable[Row]) -> list[Quad]:
    """The sort keys of evidence rows (see the module docstring), each once."""
    out = {}
    for r in rows:
        if r.article is None:
            continue                      # no article of its own graph: no query shows it
        sentence = digest(r.sentence, length=10)
        fact_key = f"{r.confidence:.2f} {r.article} {r.published or '-'} {sentence} {digest(r.rule, length=6)}"
        out[(r.fact, fact_key)] = None
        if r.date:
            out[(dated_node(r.fact, r.date), f"{r.confidence:.2f} {r.article} {sentence}")] = None
    return [Quad(NamedNode(node), _P["evidenceRow"], Literal(key), STATS_GRAPH) for node, key in out]


def delete_data(quads: list[Quad]) -> str:
    """``DELETE DATA`` for quads (see ``insert_data``)."""
    return "DELETE" + insert_data(quads)[len("INSERT"):] if quads else ""


# Evidence rows of some facts from every article graph (but one); the retract reads what remains.
EVIDENCE_ROWS = """
SELECT ?fact ?s ?p ?o ?article ?source ?sentence ?confidence ?fact_date ?article_date ?rule
WHERE {
  GRAPH ?g {
    ?fact rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?ev .
    ?ev prov:wasDerivedFrom ?art ; kg:sentence ?sentence ; kg:confidence ?confidence .
    ?art kg:contentHash ?article ; dcterms:source ?source .
    OPTIONAL { ?ev kg:rule ?rule . }
    OPTIONAL { ?ev kg:factDate ?fact_date . }
    OPTIONAL { ?art dcterms:date ?article_date . }
  }
  FILTER(?g %s %s)
}"""


def stored_rows(query: Callable, facts: Iterable[str], graph: NamedNode, within: bool = False) -> list[Row]:
    """Evidence rows of ``facts`` in every article graph except ``graph`` (only in it with ``within``)."""
    from kg.sparql_safety import to_term

    facts = sorted(set(facts))
    rows = []
    for start in range(0, len(facts), 200):
        chunk = facts[start:start + 200]
        for r in query(EVIDENCE_ROWS % ("=" if within else "!=", to_term(graph)), {"fact": chunk}):
            rows.append(_row(r["fact"], r["s"], r["p"], _term(r["o"]), Literal(r["article"]),
                             Literal(r["source"]), Literal(r["sentence"]), Literal(str(r["confidence"])),
                             _literal(r.get("fact_date")), _literal(r.get("article_date")), _literal(r.get("rule"))))
    return rows


def _term(value):
    """A query value of rdf:object back as an IRI string or a date literal."""
    from kg.rdf import date_literal
    from kg.model import DateValue

    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return NamedNode(value)
    return date_literal(DateValue(str(value)))


def _literal(value):
    return None if value is None else Literal(str(value))


# -- aggregates of rows --------------------------------------------------------------

@dataclass
class Facts:
    """Aggregates per fact and per (fact, date), and what each fact is."""
    facts: dict = field(default_factory=dict)      # fact IRI -> Aggregate
    dated: dict = field(default_factory=dict)      # (fact IRI, date) -> Aggregate
    triple: dict = field(default_factory=dict)     # fact IRI -> (subject, predicate, object)
    keys: list = field(default_factory=list)       # the rows' sort keys (key_quads)

    def add(self, rows: list[Row]) -> None:
        """Fold in rows (of any number of articles)."""
        self.keys += key_quads(rows)
        by_article: dict[tuple, list[Row]] = {}
        for r in rows:
            self.triple[r.fact] = (r.subject, r.predicate, r.object)
            by_article.setdefault((r.fact, None, r.article), []).append(r)
            if r.date:
                by_article.setdefault((r.fact, r.date, r.article), []).append(r)
        for (fact, date, _article), group in by_article.items():
            target = self.facts if date is None else self.dated
            target.setdefault(fact if date is None else (fact, date), Aggregate()).add(group)


def aggregate_quads(facts: Facts, days: dict[str, tuple[int, int]]) -> list[Quad]:
    """The stats graph's quads for these aggregates and day counts."""
    return list(iter_aggregate_quads(facts, days))


def iter_aggregate_quads(facts: Facts, days: dict[str, tuple[int, int]]) -> Iterator[Quad]:
    """``aggregate_quads`` one fact at a time: a first load of many articles streams them to its
    file instead of holding the whole stats graph as objects."""
    for quads in _aggregate_parts(facts, days):
        yield from quads


def _aggregate_parts(facts: Facts, days: dict[str, tuple[int, int]]) -> Iterator[list[Quad]]:
    out: list[Quad] = []
    add = lambda s, p, o: out.append(Quad(NamedNode(s), p, o, STATS_GRAPH))
    for fact, agg in facts.facts.items():
        s, p, o = facts.triple[fact]
        add(fact, _RDF["subject"], NamedNode(s))
        add(fact, _RDF["predicate"], NamedNode(p))
        add(fact, _RDF["object"], NamedNode(o) if isinstance(o, str) else o)
        _counts(add, fact, agg)
        for block in fact_blocks((s, p, o)):
            add(fact, _P["inBlock"], NamedNode(block))
        if not agg.dated and p != SIGNED_ON:
            add(fact, _P["undated"], _TRUE)       # left out of the timeline: nothing dates it
        yield out
        out.clear()
    for (fact, date), agg in facts.dated.items():
        node = dated_node(fact, date)
        add(node, _P["fact"], NamedNode(fact))
        add(node, _P["date"], Literal(date))
        _counts(add, node, agg)
        for group in dated_groups(facts.triple[fact], date):
            add(node, _P["inGroup"], NamedNode(group))
        yield out
        out.clear()
    for date, (n, evidence) in days.items():
        if n:
            add(day_node(date), _P["date"], Literal(date))
            add(day_node(date), _P["rowCount"], Literal(str(n), datatype=_INTEGER))
            add(day_node(date), _P["evidenceCount"], Literal(str(evidence), datatype=_INTEGER))
            add(day_node(date), _P["dayCounts"], day_counts(n, evidence))
    yield out


def day_counts(rows, evidence) -> Literal:
    """A day's answer rows and evidence rows in one text ("12 57"): queries/sparql/support/timeline-days.rq."""
    return Literal(f"{rows} {evidence}")


def _counts(add, node: str, agg: Aggregate) -> None:
    add(node, _P["articleCount"], Literal(str(agg.articles), datatype=_INTEGER))
    add(node, _P["evidenceCount"], Literal(str(agg.evidence), datatype=_INTEGER))
    add(node, _P["bestSentence"], Literal(agg.best[1]))
    add(node, _P["bestConfidence"], Literal(f"{-agg.best[0]:.2f}".rstrip("0").rstrip("."), datatype=_DECIMAL))
    add(node, _P["bestArticle"], Literal(agg.best[2]))
    for source in sorted(agg.sources):
        add(node, _P["source"], Literal(source))


def support_conflicts(facts: Facts, pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Marks for (supports fact, opposes fact) pairs that different articles state."""
    marks: dict[str, set[str]] = {}
    for pro, con in pairs:
        a, b = facts.facts.get(pro), facts.facts.get(con)
        if a and b and a.articles and b.articles and \
                not (a.articles == 1 and b.articles == 1 and a.best[2] == b.best[2]):
            marks.setdefault(pro, set()).add(SUPPORT_CONFLICT)
            marks.setdefault(con, set()).add(SUPPORT_CONFLICT)
    return marks


def date_conflicts(dates: dict[str, str]) -> dict[str, set[str]]:
    """Marks for the signed_on facts (fact IRI -> date) of one agreement that disagree."""
    marks: dict[str, set[str]] = {}
    for fact, date in dates.items():
        if any(not date.startswith(other) and not other.startswith(date) for other in dates.values()):
            marks[fact] = {DATE_CONFLICT}
    return marks


def opposite_fact(fact: str, triple: tuple) -> str | None:
    """The supports fact of an opposes fact and the other way round."""
    s, p, o = triple
    if p not in OPPOSITE or not isinstance(o, str):
        return None
    name = "opposes" if p == SUPPORTS else "supports"
    return fact_node(s[len(resource("")):], name, o[len(resource("")):])


# -- reading what is stored --------------------------------------------------------------

STORED_AGGREGATES = """
SELECT ?n ?articles ?evidence ?sentence ?confidence ?article ?source ?undated
WHERE {
  GRAPH <%s> {
    ?n kg:articleCount ?articles ; kg:evidenceCount ?evidence ; kg:bestSentence ?sentence ;
       kg:bestConfidence ?confidence ; kg:bestArticle ?article .
    OPTIONAL { ?n kg:source ?source . }
    OPTIONAL { ?n kg:undated ?undated . }
  }
}""" % STATS_GRAPH.value
STORED_TRIPLES = """
SELECT ?n ?s ?p ?o WHERE { GRAPH <%s> { ?n rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . } }""" % STATS_GRAPH.value
SIGNING_DATES = """
SELECT ?s ?n ?o WHERE { GRAPH <%s> { ?n rdf:subject ?s ; rdf:predicate kg:signedOn ; rdf:object ?o . } }""" % STATS_GRAPH.value
GROUP_COUNTS = """
SELECT ?n ?rows ?evidence WHERE { GRAPH <%s> { ?n kg:groupRows ?rows ; kg:groupEvidence ?evidence . } }""" % STATS_GRAPH.value
MARKS = """
SELECT ?n ?mark WHERE { GRAPH <%s> { ?n kg:conflict ?mark . } }""" % STATS_GRAPH.value
DAY_COUNTS = """
SELECT ?n ?count ?evidence WHERE { GRAPH <%s> { ?n kg:rowCount ?count ; kg:evidenceCount ?evidence . } }""" % STATS_GRAPH.value


def _chunks(values: list, size: int = 200):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def stored_aggregates(query: Callable, nodes: Iterable[str]) -> dict[str, Aggregate]:
    out: dict[str, Aggregate] = {}
    for chunk in _chunks(sorted(set(nodes))):
        for r in query(STORED_AGGREGATES, {"n": chunk}):
            agg = out.get(r["n"])
            if agg is None:
                agg = out[r["n"]] = Aggregate(int(r["articles"]), int(r["evidence"]),
                                              (-round(float(r["confidence"]), 2), r["sentence"], r["article"]),
                                              dated=r.get("undated") is None)
            if r.get("source"):
                agg.sources.add(r["source"])
    return out


def stored_signing_dates(query: Callable, agreements: Iterable[str]) -> dict[str, dict[str, str]]:
    """Agreement IRI -> {signed_on fact IRI: date} as stored."""
    out: dict[str, dict[str, str]] = {}
    for chunk in _chunks(sorted(set(agreements))):
        for r in query(SIGNING_DATES, {"s": chunk}):
            out.setdefault(r["s"], {})[r["n"]] = str(r["o"])
    return out


def stored_day_counts(query: Callable, dates: Iterable[str]) -> dict[str, list[int]]:
    """Date -> [answer rows, evidence rows] of the timeline on that date, as stored (0, 0 when none)."""
    dates = sorted(set(dates))
    out = {d: [0, 0] for d in dates}
    for chunk in _chunks(dates):
        for r in query(DAY_COUNTS, {"n": [day_node(d) for d in chunk]}):
            out[r["n"][len(resource("day/")):]] = [int(r["count"]), int(r["evidence"])]
    return out


def stored_group_counts(query: Callable, nodes: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Group node -> (rows, evidence rows) as stored."""
    out = {}
    for chunk in _chunks(sorted(set(nodes))):
        for r in query(GROUP_COUNTS, {"n": chunk}):
            out[r["n"]] = (int(r["rows"]), int(r["evidence"]))
    return out


def stored_marks(query: Callable, facts: Iterable[str]) -> dict[str, set[str]]:
    """Fact IRI -> its conflict marks as stored."""
    out: dict[str, set[str]] = {}
    for chunk in _chunks(sorted(set(facts))):
        for r in query(MARKS, {"n": chunk}):
            out.setdefault(r["n"], set()).add(str(r["mark"]))
    return out


def group_quads(groups: Groups) -> list[Quad]:
    """Group nodes with their identity and counts (those left with no row are not written)."""
    return list(iter_group_quads(groups))


def iter_group_quads(groups: Groups) -> Iterator[Quad]:
    """``group_quads`` as a stream."""
    for node, (identity, rows, evidence) in groups.counts.items():
        if rows <= 0:
            continue
        kind, *values = identity
        terms = [(name, NamedNode(value) if iri else Literal(value))
                 for (name, iri), value in zip(GROUP_KINDS[kind], values)]
        for predicate, term in (*terms, ("groupRows", Literal(str(rows), datatype=_INTEGER)),
                                ("groupEvidence", Literal(str(evidence), datatype=_INTEGER))):
            yield Quad(NamedNode(node), _P[predicate], term, STATS_GRAPH)


def _apply(query: Callable, changes: Groups) -> Groups:
    """Stored group counts plus the changes."""
    stored = stored_group_counts(query, changes.counts)
    out = Groups()
    for node, (identity, rows, evidence) in changes.counts.items():
        before = stored.get(node, (0, 0))
        out.counts[node] = [identity, before[0] + rows, before[1] + evidence]
    return out


GROUP_PREDICATES = (*GROUP_IDENTITY, "groupRows", "groupEvidence")


# -- updates -------------------------------------------------------------------------------

def _delete(nodes: Iterable[str], predicates: Iterable[str]) -> str:
    """SPARQL Update removing the given properties of the given stats nodes."""
    from kg.sparql_safety import values_rows

    parts = []
    for chunk in _chunks(sorted(set(nodes)), 500):
        parts.append(f"DELETE {{ GRAPH {STATS_GRAPH} {{ ?n ?p ?o }} }} WHERE {{ GRAPH {STATS_GRAPH} {{ "
                     f"VALUES {values_rows({'n': [NamedNode(n) for n in chunk]})} "
                     f"VALUES ?p {{ {' '.join(str(_P.get(p) or _RDF[p]) for p in predicates)} }} "
                     f"?n ?p ?o }} }}")
    return " ;\n".join(parts)


ALL_PREDICATES = (*COUNTS, "source", "conflict", "fact", "date", "rowCount", "undated", "subject", "predicate",
                  "object", "inGroup", "inBlock")


# What writing articles replaces in the stats nodes they touch (the rest is only added to).
REPLACED = (*COUNTS, "source", "rowCount", "dayCounts", "undated")


def add_update(query: Callable, rows: list[Row]) -> tuple[str, list[Quad]]:
    """What writing one new article does to the stats graph: (an update deleting the
    values it changes, the quads to insert), read from the store before the write."""
    replaced, quads = add_changes(query, rows)
    return " ;\n".join(part for part in (_delete(nodes, names) for nodes, names in replaced) if part), quads


def predicate_terms(names: Iterable[str]) -> set[NamedNode]:
    """Predicates of the stats graph by name (REPLACED, GROUP_PREDICATES), as terms."""
    return {_P[name] for name in names}


def add_changes(query: Callable, rows: list[Row]) -> tuple[list[tuple[list[str], tuple]], list[Quad]]:
    """What writing new articles (their evidence rows) does to the stats graph: (the values
    it replaces, as (stats nodes, predicate names) pairs, and the quads to insert), read
    from the store before the write."""
    new = Facts()
    new.add(rows)
    nodes = list(new.facts) + [dated_node(f, d) for f, d in new.dated]
    opposites = {f: opposite_fact(f, t) for f, t in new.triple.items()}
    old = stored_aggregates(query, nodes + [o for o in opposites.values() if o])
    merged = Facts(triple=dict(new.triple))
    groups = Groups()
    for fact, agg in new.facts.items():
        merged.facts[fact] = _merge(old.get(fact), agg)
        groups.blocks(new.triple[fact], fact not in old, agg.evidence)
    for (fact, date), agg in new.dated.items():
        merged.dated[(fact, date)] = _merge(old.get(dated_node(fact, date)), agg)
        for node, identity in dated_groups(new.triple[fact], date).items():
            groups.shift(node, identity, dated_node(fact, date) not in old, agg.evidence)
    conflicts, subjects = _conflicts_after_add(query, merged, old, opposites)
    _contested_after_add(query, groups, conflicts, subjects, merged, old)
    groups = _apply(query, groups)
    days = stored_day_counts(query, [d for _f, d in new.dated])
    for (fact, date), agg in new.dated.items():
        days[date][0] += dated_node(fact, date) not in old
        days[date][1] += agg.evidence
    changed = nodes + [day_node(d) for d in days]
    replaced = [(changed, REPLACED), (list(groups.counts), GROUP_PREDICATES)]
    return replaced, [version_quad()] + aggregate_quads(merged, days) + mark_quads(conflicts, subjects) + \
        group_quads(groups) + key_quads(rows)


def _merge(old: Aggregate | None, new: Aggregate) -> Aggregate:
    if old is None:
        return new
    return Aggregate(old.articles + new.articles, old.evidence + new.evidence, min(old.best, new.best),
                     old.sources | new.sources, old.dated or new.dated)


def _conflicts_after_add(query, merged: Facts, old: dict, opposites: dict) -> tuple[dict, dict]:
    """Conflict marks once the article is written (a mark, once true, stays true while
    articles are only added), and the subject of every fact they may touch."""
    view = Facts(facts={**old, **merged.facts})
    pairs = [(f, o) if merged.triple[f][1] == SUPPORTS else (o, f) for f, o in opposites.items() if o]
    marks = support_conflicts(view, pairs)
    subjects = {f: t[0] for f, t in merged.triple.items()}
    subjects.update({o: merged.triple[f][0] for f, o in opposites.items() if o})
    signed = {t[0] for t in merged.triple.values() if t[1] == SIGNED_ON}
    stored = stored_signing_dates(query, signed)
    for agreement in signed:
        dates = dict(stored.get(agreement, {}))
        dates.update({f: t[2].value for f, t in merged.triple.items() if t[1] == SIGNED_ON and t[0] == agreement})
        subjects.update(dict.fromkeys(dates, agreement))
        for fact, mark in date_conflicts(dates).items():
            marks.setdefault(fact, set()).update(mark)
    return marks, subjects


def _contested_after_add(query, groups: Groups, conflicts: dict, subjects: dict, merged: Facts, old: dict) -> None:
    """The change an added article makes to the contested groups: new marks, and more
    evidence for facts already marked."""
    facts = set(conflicts) | set(merged.facts)
    before = stored_marks(query, facts)
    changed = [f for f in facts if conflicts.get(f, set()) - before.get(f, set()) or
               (before.get(f) and f in merged.facts)]
    evidence = {**stored_aggregates(query, [f for f in changed if f not in old and f not in merged.facts]), **old}
    for fact in changed:
        was = evidence[fact].evidence if fact in evidence else 0
        now = merged.facts[fact].evidence if fact in merged.facts else was
        groups.contested(fact, subjects[fact], before.get(fact, set()),
                         before.get(fact, set()) | conflicts.get(fact, set()), was, now)


def mark_quads(marks: dict[str, set[str]], subjects: dict[str, str]) -> list[Quad]:
    out = []
    for fact in sorted(marks):
        for mark in sorted(marks[fact]):
            out.append(Quad(NamedNode(fact), _P["conflict"], Literal(mark), STATS_GRAPH))
            out.append(Quad(NamedNode(fact), _P["inGroup"], NamedNode(conflict_group_node(mark, subjects[fact])),
                            STATS_GRAPH))
    return out


def retract_changes(query: Callable, graph: NamedNode, graph_rows: list[Row]) -> tuple[str, list[Quad]]:
    """What retracting one article (its graph and evidence rows) does to the stats graph:
    (an update deleting what it changes, the quads to insert), recomputed from the
    evidence the other articles hold."""
    gone = Facts()
    gone.add(graph_rows)
    facts = set(gone.facts)
    left = Facts()
    left.add(stored_rows(query, facts, graph))
    result = Facts(triple=left.triple)
    result.facts = {f: a for f, a in left.facts.items() if f in facts}
    result.dated = {k: a for k, a in left.dated.items() if k in gone.dated}
    days = stored_day_counts(query, {d for _f, d in gone.dated})
    before = stored_aggregates(query, [dated_node(f, d) for f, d in gone.dated] + list(facts))
    groups = Groups()
    for key in gone.dated:
        was = before[dated_node(*key)].evidence
        now = result.dated[key].evidence if key in result.dated else 0
        days[key[1]][0] -= key not in result.dated
        days[key[1]][1] -= was - now
        for node, identity in dated_groups(gone.triple[key[0]], key[1]).items():
            groups.shift(node, identity, -(key not in result.dated), now - was)
    for fact in facts:
        now = result.facts[fact].evidence if fact in result.facts else 0
        groups.blocks(gone.triple[fact], -(fact not in result.facts), now - before[fact].evidence)
    opposites = {f: opposite_fact(f, t) for f, t in gone.triple.items()}
    subjects = {f: t[0] for f, t in gone.triple.items()}
    subjects.update({o: gone.triple[f][0] for f, o in opposites.items() if o})
    others = stored_aggregates(query, [o for o in opposites.values() if o and o not in facts])
    view = Facts(facts={**others, **result.facts})
    pairs = [(f, o) if gone.triple[f][1] == SUPPORTS else (o, f) for f, o in opposites.items() if o]
    marks = support_conflicts(view, pairs)
    agreements = {t[0] for t in gone.triple.values() if t[1] == SIGNED_ON}
    siblings = []
    for agreement, dates in stored_signing_dates(query, agreements).items():
        siblings += dates
        subjects.update(dict.fromkeys(dates, agreement))
        dates = {f: d for f, d in dates.items() if f not in facts or f in result.facts}
        for fact, mark in date_conflicts(dates).items():
            marks.setdefault(fact, set()).update(mark)
    touched = [o for o in opposites.values() if o] + siblings
    _contested_after_retract(query, groups, set(touched) | facts, marks, subjects, before, others, result)
    groups = _apply(query, groups)
    delete = " ;\n".join(part for part in (
        _delete(list(facts) + [dated_node(f, d) for f, d in gone.dated], ALL_PREDICATES),
        _delete([day_node(d) for d in days], ("date", "rowCount", "evidenceCount", "dayCounts")),
        _delete(touched, ("conflict", "inGroup")),
        _delete(groups.counts, GROUP_PREDICATES), delete_data(key_quads(graph_rows))) if part)
    return delete, aggregate_quads(result, days) + mark_quads(marks, subjects) + group_quads(groups)


def _contested_after_retract(query, groups: Groups, facts: set, marks: dict, subjects: dict, before: dict,
                             others: dict, result: Facts) -> None:
    """The change a retract makes to the contested groups: marks recomputed for every fact it
    touches, and less evidence for facts that stay marked."""
    was_marked = stored_marks(query, facts)
    changed = [f for f in facts if was_marked.get(f, set()) != marks.get(f, set()) or
               (was_marked.get(f) and f in result.facts)]
    evidence = {**stored_aggregates(query, [f for f in changed if f not in before and f not in others]),
                **others, **before}
    for fact in changed:
        was = evidence[fact].evidence if fact in evidence else 0
        now = result.facts[fact].evidence if fact in result.facts else (was if fact not in before else 0)
        groups.contested(fact, subjects[fact], was_marked.get(fact, set()), marks.get(fact, set()), was, now)


def version_quad(version: str = VERSION) -> Quad:
    return Quad(STATS_GRAPH, _P["statsVersion"], Literal(version), STATS_GRAPH)


# -- upgrades of an older stats graph ----------------------------------------------------

@dataclass(frozen=True)
class Upgrade:
    """One step from a stats version to ``to``: what it lacks either as a function of one
    article graph's quads (``article``: added to every article's share), or made by a
    function of the store from the stats graph alone (``stats``, given a ``pyoxigraph.Store``).
    Either adds only quads it would add again when redone (a killed step leaves the old mark)."""
    to: str
    article: Callable[[list[Quad]], list[Quad]] | None = None
    stats: Callable[..., None] | None = None


def upgrade_steps(version: str | None) -> list[Upgrade]:
    """The steps from a stored version to ``VERSION`` (none when it can only be rebuilt)."""
    steps = []
    while version in UPGRADES:
        steps.append(UPGRADES[version])
        version = steps[-1].to
    return steps if version == VERSION else []


def months_and_blocks(store) -> None:
    """v3 -> v4 in a ``pyoxigraph.Store``, from its stats graph alone: the entity-day groups
    and their links removed, the entity-month groups and the answer blocks (with their
    links) computed from the dated and fact nodes, streamed in chunks."""
    _remove_entity_days(store)
    months, blocks = Groups(), Groups()
    links = (link for row in store.query(DATED_NODES, prefixes=_PREFIXES) for link in _month_links(months, row))
    _extend_in_chunks(store, links)
    links = (link for row in store.query(FACT_NODES, prefixes=_PREFIXES) for link in _block_links(blocks, row))
    _extend_in_chunks(store, links)
    _extend_in_chunks(store, iter_group_quads(months))
    _extend_in_chunks(store, iter_group_quads(blocks))


_PREFIXES = {"kg": kg(""), "rdf": RDF}
DATED_NODES = """
SELECT ?d ?s ?o ?date ?n WHERE { GRAPH <%s> {
  ?d kg:fact ?f ; kg:date ?date ; kg:evidenceCount ?n . ?f rdf:subject ?s ; rdf:object ?o . } }""" % STATS_GRAPH.value
FACT_NODES = """
SELECT ?f ?s ?p ?o ?n WHERE { GRAPH <%s> {
  ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidenceCount ?n . } }""" % STATS_GRAPH.value


def _remove_entity_days(store) -> None:
    """The v3 entity-day group nodes and the dated nodes' links to them, removed."""
    eday = resource("eday/")
    for predicate, on_subject in (("inGroup", False), *((name, True) for name in
                                                        ("groupEntity", "groupDate", "groupRows", "groupEvidence"))):
        quads = store.quads_for_pattern(None, _P[predicate], None, STATS_GRAPH)
        while chunk := _islice(quads, 100_000):
            for quad in chunk:
                if (quad.subject if on_subject else quad.object).value.startswith(eday):
                    store.remove(quad)


def _islice(iterator, n: int) -> list:
    return list(islice(iterator, n))


def _month_links(months: Groups, row) -> list[Quad]:
    """A dated node's months counted in ``months``, and its links to them."""
    s, o, date = row["s"].value, row["o"], row["date"].value
    triple = (s, None, o.value if isinstance(o, NamedNode) else o)
    out = []
    for node, identity in dated_groups(triple, date).items():
        months.shift(node, identity, 1, int(row["n"].value))
        out.append(Quad(row["d"], _P["inGroup"], NamedNode(node), STATS_GRAPH))
    return out


def _block_links(blocks: Groups, row) -> list[Quad]:
    """A fact's answer blocks counted in ``blocks``, and its links to them."""
    o = row["o"]
    triple = (row["s"].value, row["p"].value, o.value if isinstance(o, NamedNode) else o)
    blocks.blocks(triple, 1, int(row["n"].value))
    return [Quad(row["f"], _P["inBlock"], NamedNode(node), STATS_GRAPH) for node in fact_blocks(triple)]


def day_count_quads(store) -> Iterator[Quad]:
    """v4 -> v5: each day node's two counts in one text (``kg:dayCounts``), from the stats graph."""
    for row in store.query(DAY_NODES, prefixes=_PREFIXES):
        yield Quad(row["n"], _P["dayCounts"], day_counts(row["rows"].value, row["evidence"].value), STATS_GRAPH)


DAY_NODES = """
SELECT ?n ?rows ?evidence WHERE { GRAPH <%s> { ?n kg:rowCount ?rows ; kg:evidenceCount ?evidence . } }""" % STATS_GRAPH.value


def _extend_in_chunks(store, quads: Iterable[Quad], size: int = 100_000) -> None:
    iterator = iter(quads)
    while chunk := _islice(iterator, size):
        store.extend(chunk)


# What a stats graph of an older version lacks, and how each step adds it without a rebuild.
UPGRADES: dict[str, Upgrade] = {
    "2": Upgrade("3", article=lambda quads: key_quads(rows_from_quads(quads))),
    "3": Upgrade("4", stats=months_and_blocks),
    "4": Upgrade("5", stats=lambda store: _extend_in_chunks(store, day_count_quads(store))),
}


def stored_version(quads_for_pattern: Callable) -> str | None:
    """The stats graph's version mark, from a store's ``quads_for_pattern``."""
    found = next(iter(quads_for_pattern(STATS_GRAPH, _P["statsVersion"], None, STATS_GRAPH)), None)
    return None if found is None else found.object.value


def all_aggregates(graphs: Iterable[list[Quad]]) -> Iterator[Quad]:
    """The whole stats graph, from every article graph's quads (for a store written before it existed)."""
    facts = Facts()
    for quads in graphs:
        facts.add(rows_from_quads(quads))
    return facts_quads(facts)


def facts_quads(facts: Facts) -> Iterator[Quad]:
    """The whole stats graph of these aggregates (every stored article's rows folded in), as a
    stream: the aggregates' quads are made one fact at a time."""
    days: dict[str, list[int]] = {}
    groups = Groups()
    for (fact, date), agg in facts.dated.items():
        day = days.setdefault(date, [0, 0])
        day[0] += 1
        day[1] += agg.evidence
        for node, identity in dated_groups(facts.triple[fact], date).items():
            groups.shift(node, identity, 1, agg.evidence)
    for fact, agg in facts.facts.items():
        groups.blocks(facts.triple[fact], 1, agg.evidence)
    pairs = [(f, opposite_fact(f, t)) for f, t in facts.triple.items() if t[1] == SUPPORTS]
    marks = support_conflicts(facts, pairs)
    by_agreement: dict[str, dict[str, str]] = {}
    for fact, (s, p, o) in facts.triple.items():
        if p == SIGNED_ON:
            by_agreement.setdefault(s, {})[fact] = o.value
    for dates in by_agreement.values():
        for fact, mark in date_conflicts(dates).items():
            marks.setdefault(fact, set()).update(mark)
    subjects = {f: t[0] for f, t in facts.triple.items()}
    for fact, fact_marks in marks.items():
        groups.contested(fact, subjects[fact], set(), fact_marks, 0, facts.facts[fact].evidence)
    return chain([version_quad()], iter_aggregate_quads(facts, days), mark_quads(marks, subjects),
                 iter_group_quads(groups), dict.fromkeys(facts.keys))


def insert_data(quads: Iterable[Quad]) -> str:
    """``INSERT DATA { GRAPH <g> { ... } ... }`` for quads, each graph's triples as N-Triples."""
    import pyoxigraph as ox

    graphs: dict = {}
    for q in quads:
        graphs.setdefault(q.graph_name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    blocks = [f"GRAPH {g} {{\n{ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode('utf-8')}}}"
              for g, triples in graphs.items()]
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
