"""Neo4j as a kg store: the graph for Cypher, Neo4j Browser and Bloom.

Model (labels and relationship types come only from schema/vocabulary.yaml)::

    (:Article {id, title, source, url, date, published: date})
    (:Entity:Actor:Country {id, label, type, geonames_id, location: point})
        every entity has :Entity plus its type's labels; Locations with
        coordinates carry ``location: point({latitude, longitude})`` for maps;
        Agreements carry ``signed_on: date`` (full dates) and ``signed_on_text``
        (as precise as the text: 2018-09-17, 2018-09 or 2018).
    (:Article)-[:MENTIONS]->(:Entity)
    (s:Entity)-[:SUPPORTS {articles, confidence, evidence, sources, evidence_ids,
                           predicate}]->(o:Entity)
        one relationship per fact and predicate (types: SUPPORTS, PARTY_TO,
        LOCATED_IN, ...): ``articles`` = how many articles say so,
        ``confidence`` = the best evidence's, ``evidence`` = its sentence,
        ``sources`` = the article ids, ``evidence_ids`` = the Evidence nodes.
    (:Evidence {id, article_id, subject_id, predicate, relationship, object_id,
                object_value, sentence, start, end, rule, confidence, date})
    (:Evidence)-[:FROM_ARTICLE]->(:Article)
    (:Evidence)-[:SUBJECT]->(s:Entity), (:Evidence)-[:OBJECT]->(o:Entity)

A relationship cannot point at a node, so evidence is reached from the two
entities a fact joins: in Browser, expand either end, or run
``MATCH (ev:Evidence)-[:SUBJECT]->(s)-[r:SUPPORTS]->(o)<-[:OBJECT]-(ev)
WHERE ev.predicate = r.predicate RETURN ev`` (or ``WHERE ev.id IN r.evidence_ids``).

Writes: uniqueness constraints first (schema/constraints.cypher), then per
batch of articles one managed write transaction (``session.execute_write``) of
``UNWIND $rows AS row MERGE ...`` statements: never CREATE, every value a
parameter. Relationship properties are recomputed from the Evidence nodes of
the facts a batch touches, so pushing again changes nothing, an interrupted
push is finished by running it again, and retracting an article removes its
evidence and every relationship no other article supports.

Reads (``query``): a READ session, a transaction timeout and a row limit; the
text is refused unless ``EXPLAIN`` says the query only reads (query type "r").

A server to try it on (Neo4j 5.26 Community from Maven Central; scripts/test runs the
tests against its own copy)::

    scripts/neo4j-server start
    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=kg-password kg push neo4j
"""
from __future__ import annotations

import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pyoxigraph as ox

from kg.errors import QueryError, SchemaError, StoreError
from kg.model import Extraction
from kg.rdf import article_quads
from kg.schema.namespaces import DCTERMS, GEO, RDF, RDFS, RESOURCE, kg
from kg.schema.vocab import _vocabulary, neo4j_labels, predicate_by_iri, predicates

Progress = Callable[[int, int], None]

# -- the allow-list -------------------------------------------------------------------

_LABEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_REL_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_PROPERTY = re.compile(r"^[a-z][a-z0-9_]*$")


def checked(name: str, pattern: re.Pattern, kind: str) -> str:
    """``name`` if it is a plain identifier safe to paste into Cypher, else SchemaError."""
    if not pattern.match(name):
        raise SchemaError(f"schema/vocabulary.yaml: {kind} {name!r} is not a plain identifier")
    return name


def entity_types() -> list[str]:
    return list(_vocabulary()["entity_types"])


def label_expression(entity_type: str) -> str:
    """``Actor:Country`` for a Country: its labels from the vocabulary, validated."""
    return ":".join(checked(label, _LABEL, "Neo4j label") for label in neo4j_labels(entity_type))


def relationship_types() -> dict[str, str]:
    """Predicate name -> relationship type, for predicates between entities."""
    return {p.name: checked(p.neo4j, _REL_TYPE, "relationship type")
            for p in predicates().values() if p.range != ("Date",)}


def date_predicates() -> list[str]:
    """Predicates whose object is a date: stored as node properties, not relationships."""
    return [checked(p.name, _PROPERTY, "predicate") for p in predicates().values() if p.range == ("Date",)]


# -- statements -----------------------------------------------------------------------

BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
URI_OPTION_HINT = ", or --uri for kg push neo4j"


def check_bolt_uri(uri: str) -> None:
    """StoreError with the right address when ``uri`` is not a Bolt URI (an http:// one is
    Neo4j Browser's address, not the one drivers use)."""
    scheme, sep, rest = uri.partition("://")
    if sep and scheme.lower() in BOLT_SCHEMES:
        return
    host = rest.split("/")[0].rsplit(":", 1)[0] if sep else "localhost"
    raise StoreError(f"NEO4J_URI {uri!r} is not a Bolt address (kg talks to Neo4j over Bolt, not "
                     f"{scheme or 'a bare host'}); use neo4j://{host or 'localhost'}:7687 (set NEO4J_URI"
                     f"{URI_OPTION_HINT})")


MERGE_ARTICLES = """UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a = row.props,
    a.published = CASE WHEN size(row.props.date) = 10 THEN date(row.props.date) ELSE null END"""

DROP_STALE_MENTIONS = """UNWIND $rows AS row
MATCH (a:Article {id: row.id})-[m:MENTIONS]->(old:Entity)
WHERE NOT old.id IN row.entities
DELETE m
RETURN collect(DISTINCT old.id) AS dropped"""

MERGE_MENTIONS = """UNWIND $rows AS row
MATCH (a:Article {id: row.id})
UNWIND row.entities AS entity_id
MATCH (e:Entity {id: entity_id})
MERGE (a)-[:MENTIONS]->(e)"""

DROP_STALE_EVIDENCE = """UNWIND $rows AS row
MATCH (ev:Evidence {article_id: row.id})
WHERE NOT ev.id IN row.evidence
WITH ev, ev.subject_id AS subject_id, ev.predicate AS predicate, ev.object_id AS object_id
DETACH DELETE ev
RETURN DISTINCT subject_id, predicate, object_id"""

MERGE_EVIDENCE = """UNWIND $rows AS row
MERGE (ev:Evidence {id: row.id})
SET ev = row.props
WITH ev, row
MATCH (a:Article {id: row.props.article_id})
MERGE (ev)-[:FROM_ARTICLE]->(a)
WITH ev, row
MATCH (s:Entity {id: row.props.subject_id})
MERGE (ev)-[:SUBJECT]->(s)
WITH ev, row
OPTIONAL MATCH (o:Entity {id: row.props.object_id})
FOREACH (object IN CASE WHEN o IS NULL THEN [] ELSE [o] END | MERGE (ev)-[:OBJECT]->(object))"""

ARTICLE_ENTITIES = """MATCH (a:Article {id: $id})-[:MENTIONS]->(e:Entity)
RETURN collect(e.id) AS ids"""

DELETE_ARTICLE = """MATCH (a:Article {id: $id})
DETACH DELETE a"""

DELETE_ORPHANS = """UNWIND $ids AS entity_id
MATCH (e:Entity {id: entity_id})
WHERE NOT EXISTS { MATCH (e)<-[:MENTIONS]-(:Article) }
DETACH DELETE e"""

HAS_ARTICLE = """MATCH (a:Article {id: $id})
RETURN count(a) > 0 AS found"""

ARTICLE_IDS = "MATCH (a:Article) RETURN a.id AS id ORDER BY id"
COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"


def merge_entities_statement(entity_type: str) -> str:
    """MERGE entities of one type on :Entity(id), then add the type's labels."""
    return f"""UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
SET e:{label_expression(entity_type)},
    e.label = row.label, e.type = row.type, e.geonames_id = row.geonames_id,
    e.location = CASE WHEN row.lat IS NULL THEN null
                      ELSE point({{latitude: row.lat, longitude: row.lon}}) END"""


def drop_unsupported_statement(rel_type: str) -> str:
    """Delete relationships of this type no Evidence node supports any longer."""
    return f"""UNWIND $rows AS row
MATCH (s:Entity {{id: row.subject_id}})-[r:{checked(rel_type, _REL_TYPE, "relationship type")}]->(o:Entity {{id: row.object_id}})
WHERE NOT EXISTS {{
  MATCH (ev:Evidence {{subject_id: row.subject_id, predicate: row.predicate, object_id: row.object_id}})
}}
DELETE r"""


def merge_supported_statement(rel_type: str) -> str:
    """MERGE one relationship per fact, its properties summarising its evidence."""
    return f"""UNWIND $rows AS row
MATCH (ev:Evidence {{subject_id: row.subject_id, predicate: row.predicate, object_id: row.object_id}})
WITH row, ev ORDER BY ev.confidence DESC, ev.article_id, ev.start
WITH row, collect(ev) AS evidence, collect(DISTINCT ev.article_id) AS sources
MATCH (s:Entity {{id: row.subject_id}})
MATCH (o:Entity {{id: row.object_id}})
MERGE (s)-[r:{checked(rel_type, _REL_TYPE, "relationship type")}]->(o)
SET r.predicate = row.predicate, r.articles = size(sources), r.sources = sources,
    r.confidence = evidence[0].confidence, r.evidence = evidence[0].sentence,
    r.evidence_ids = [item IN evidence | item.id]"""


def set_date_statement(name: str) -> str:
    """Set ``<name>`` (a Neo4j date) and ``<name>_text`` from the best dated evidence."""
    name = checked(name, _PROPERTY, "predicate")
    return f"""UNWIND $rows AS row
MATCH (e:Entity {{id: row.subject_id}})
OPTIONAL MATCH (ev:Evidence {{subject_id: row.subject_id, predicate: row.predicate}})
WITH e, ev ORDER BY ev.confidence DESC, ev.object_value
WITH e, collect(ev.object_value) AS found
SET e.{name}_text = found[0],
    e.{name} = CASE WHEN size(found[0]) = 10 THEN date(found[0]) ELSE null END"""


def constraint_statements() -> list[str]:
    """The statements of schema/constraints.cypher (comments dropped, split at ';')."""
    from kg.schema import read_text

    text = "\n".join(line for line in read_text("constraints.cypher").splitlines()
                     if not line.lstrip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]


def push_statements() -> list[str]:
    """Every statement a push, add or retract may send (for review and linting)."""
    out = [MERGE_ARTICLES]
    out += [merge_entities_statement(t) for t in entity_types()]
    out += [DROP_STALE_MENTIONS, MERGE_MENTIONS, DROP_STALE_EVIDENCE, MERGE_EVIDENCE]
    for rel_type in relationship_types().values():
        out += [drop_unsupported_statement(rel_type), merge_supported_statement(rel_type)]
    out += [set_date_statement(name) for name in date_predicates()]
    out += [ARTICLE_ENTITIES, DELETE_ARTICLE, DELETE_ORPHANS, HAS_ARTICLE, ARTICLE_IDS, COUNT_NODES,
            COUNT_RELATIONSHIPS]
    return out


STATEMENTS: list[str] = constraint_statements() + push_statements()


# -- RDF article graph -> rows --------------------------------------------------------

@dataclass
class ArticleRows:
    """One article's graph as parameter rows for the push statements."""

    article: dict
    entities: dict = field(default_factory=dict)    # entity id -> {id, label, type, ...}
    evidence: list = field(default_factory=list)    # {id, props}


def _local(iri: str) -> str:
    return iri[len(RESOURCE):] if iri.startswith(RESOURCE) else iri


def _by_subject(quads: Iterable[ox.Quad]) -> dict:
    """subject IRI -> predicate IRI -> list of object terms."""
    nodes: dict = defaultdict(lambda: defaultdict(list))
    for quad in quads:
        nodes[quad.subject.value][quad.predicate.value].append(quad.object)
    return nodes


def _one(node: dict, predicate: str, convert=lambda term: term.value):
    values = node.get(predicate)
    return convert(values[0]) if values else None


def article_rows(article_id: str, quads: Iterable[ox.Quad]) -> ArticleRows:
    """Parse one article graph (kg.rdf's layout) into rows: article, entities, evidence."""
    nodes = _by_subject(quads)
    article = next((n for n in nodes.values()
                    if any(t.value == kg("Article") for t in n.get(RDF + "type", []))), {})
    rows = ArticleRows({"id": article_id, "title": _one(article, DCTERMS + "title"),
                        "source": _one(article, DCTERMS + "source"), "url": _one(article, kg("url")),
                        "date": _one(article, DCTERMS + "date")})
    ids = {iri: _one(node, kg("entityId")) for iri, node in nodes.items() if kg("entityId") in node}
    for iri, entity_id in ids.items():
        rows.entities[entity_id] = _entity_row(entity_id, nodes[iri])
    for fact in (n for n in nodes.values() if any(t.value == kg("Fact") for t in n.get(RDF + "type", []))):
        for evidence in fact.get(kg("evidence"), []):
            rows.evidence.append(_evidence_row(article_id, fact, evidence.value, nodes[evidence.value], ids))
    rows.evidence.sort(key=lambda row: row["id"])
    return rows


def _entity_row(entity_id: str, node: dict) -> dict:
    lat, lon = _one(node, GEO + "lat", lambda t: float(t.value)), _one(node, GEO + "long", lambda t: float(t.value))
    entity_type = _one(node, RDF + "type", lambda t: t.value.rsplit("#", 1)[-1])
    if entity_type not in entity_types():
        raise SchemaError(f"entity {entity_id!r} has type {entity_type!r}, not in schema/vocabulary.yaml")
    return {"id": entity_id, "label": _one(node, RDFS + "label"), "type": entity_type,
            "geonames_id": _one(node, kg("geonamesId")),
            "lat": lat if lon is not None else None, "lon": lon if lat is not None else None}


def _evidence_row(article_id: str, fact: dict, evidence_iri: str, node: dict, ids: dict) -> dict:
    pred = predicate_by_iri().get(_one(fact, RDF + "predicate"))
    if pred is None:
        raise SchemaError(f"unknown predicate {_one(fact, RDF + 'predicate')} in article {article_id}")
    subject, obj = fact[RDF + "subject"][0], fact[RDF + "object"][0]
    is_entity = isinstance(obj, ox.NamedNode)
    props = {
        "id": _local(evidence_iri), "article_id": article_id,
        "subject_id": ids.get(subject.value, _local(subject.value)), "predicate": pred.name,
        "relationship": pred.neo4j,
        "object_id": ids.get(obj.value, _local(obj.value)) if is_entity else None,
        "object_value": None if is_entity else obj.value,
        "sentence": _one(node, kg("sentence")), "start": _one(node, kg("start"), lambda t: int(t.value)),
        "end": _one(node, kg("end"), lambda t: int(t.value)), "rule": _one(node, kg("rule")),
        "confidence": _one(node, kg("confidence"), lambda t: float(t.value)),
        "date": _one(node, kg("factDate")),
    }
    return {"id": props["id"], "props": props}


# -- a batch: rows of several articles, and the facts to recompute ----------------------

@dataclass
class Batch:
    """Rows of the articles written in one transaction."""

    articles: list = field(default_factory=list)
    entities: dict = field(default_factory=lambda: defaultdict(dict))  # type -> id -> row
    evidence: list = field(default_factory=list)

    def add(self, rows: ArticleRows) -> None:
        self.articles.append({"id": rows.article["id"], "props": rows.article,
                              "entities": sorted(rows.entities), "evidence": [e["id"] for e in rows.evidence]})
        for entity in rows.entities.values():
            self.entities[entity["type"]][entity["id"]] = entity
        self.evidence.extend(rows.evidence)

    def fact_keys(self) -> set[tuple]:
        return {(e["props"]["subject_id"], e["props"]["predicate"], e["props"]["object_id"])
                for e in self.evidence}


def recompute_rows(keys: Iterable[tuple]) -> list[tuple[str, list[dict]]]:
    """(statement, rows) pairs that bring relationships and date properties up to date."""
    relationships, dates = relationship_types(), set(date_predicates())
    by_type: dict = defaultdict(list)
    by_date: dict = defaultdict(list)
    for subject_id, predicate, object_id in sorted(keys, key=lambda k: tuple(str(x) for x in k)):
        if predicate in relationships and object_id is not None:
            by_type[relationships[predicate]].append(
                {"subject_id": subject_id, "predicate": predicate, "object_id": object_id})
        elif predicate in dates:
            row = {"subject_id": subject_id, "predicate": predicate}
            if row not in by_date[predicate]:
                by_date[predicate].append(row)
    out = []
    for rel_type, rows in by_type.items():
        out += [(drop_unsupported_statement(rel_type), rows), (merge_supported_statement(rel_type), rows)]
    out += [(set_date_statement(name), rows) for name, rows in by_date.items()]
    return out


COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
            "properties_set", "labels_added")


def _run(tx, text: str, params: dict, counters: dict) -> list[dict]:
    """Run one statement in a transaction; its records, its counters added to ``counters``."""
    result = tx.run(text, params)
    records = [record.data() for record in result]
    summary = result.consume().counters
    for name in COUNTERS:
        counters[name] = counters.get(name, 0) + getattr(summary, name)
    return records


def write_batch(tx, batch: Batch) -> dict:
    """All writes of one batch of articles, in one transaction function (retry-safe)."""
    counters: dict = {}
    articles = {"rows": batch.articles}
    _run(tx, MERGE_ARTICLES, articles, counters)
    for entity_type, rows in sorted(batch.entities.items()):
        _run(tx, merge_entities_statement(entity_type), {"rows": list(rows.values())}, counters)
    dropped = _run(tx, DROP_STALE_MENTIONS, articles, counters)[0]["dropped"]
    _run(tx, MERGE_MENTIONS, articles, counters)
    stale = _run(tx, DROP_STALE_EVIDENCE, articles, counters)
    _run(tx, MERGE_EVIDENCE, {"rows": batch.evidence}, counters)
    keys = batch.fact_keys() | {(r["subject_id"], r["predicate"], r["object_id"]) for r in stale}
    for text, rows in recompute_rows(keys):
        _run(tx, text, {"rows": rows}, counters)
    if dropped:
        _run(tx, DELETE_ORPHANS, {"ids": dropped}, counters)
    return counters


def retract_in(tx, article_id: str) -> dict:
    """Remove an article, its evidence, and whatever only it supported."""
    counters: dict = {}
    entity_ids = _run(tx, ARTICLE_ENTITIES, {"id": article_id}, counters)[0]["ids"]
    stale = _run(tx, DROP_STALE_EVIDENCE, {"rows": [{"id": article_id, "evidence": []}]}, counters)
    for text, rows in recompute_rows((r["subject_id"], r["predicate"], r["object_id"]) for r in stale):
        _run(tx, text, {"rows": rows}, counters)
    _run(tx, DELETE_ARTICLE, {"id": article_id}, counters)
    _run(tx, DELETE_ORPHANS, {"ids": entity_ids}, counters)
    return counters


# -- values back to Python ------------------------------------------------------------

def plain(value):
    """A value from the driver as plain Python: dates as ISO text, points as dicts."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not hasattr(value, "srid"):
        return [plain(v) for v in value]
    if hasattr(value, "srid"):                       # neo4j.spatial.Point
        if hasattr(value, "latitude"):
            return {"latitude": value.latitude, "longitude": value.longitude}
        return list(value)
    if hasattr(value, "iso_format"):                 # neo4j.time Date, DateTime, Duration
        return value.iso_format()
    return value


_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


# -- the store ------------------------------------------------------------------------

class Neo4jStore:
    """kg's graph in a Neo4j database (see the module docstring for the model).

    Args:
        uri: ``neo4j://host:7687`` or ``bolt://host:7687`` (``+s`` for TLS).
        user, password: credentials.
        database: database name (default: the server's default database).
        timeout: seconds a read query may run.
        max_rows: a read query returning more rows is refused (add a LIMIT).
    """

    name = "neo4j"
    language = "cypher"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None,
                 timeout: float = 30, max_rows: int = 10_000):
        import neo4j

        self.uri, self.database, self.timeout, self.max_rows = uri, database, timeout, max_rows
        self._constraints_ready = False
        check_bolt_uri(uri)
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
        except (ValueError, neo4j.exceptions.ConfigurationError) as error:
            raise StoreError(f"bad Neo4j URI {uri!r}: {error}; use neo4j://HOST:7687 or bolt://HOST:7687") from error
        try:
            self._driver.verify_connectivity()
        except neo4j.exceptions.AuthError as error:
            self._driver.close()
            raise StoreError(f"Neo4j at {uri} refused user {user!r}; check --user/--password "
                             "(or NEO4J_USER/NEO4J_PASSWORD)") from error
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.DriverError, OSError) as error:
            self._driver.close()
            reason = " ".join(str(error).split())
            raise StoreError(f"cannot connect to Neo4j at {uri}: {reason}; is the server running? "
                             f"(set NEO4J_URI{URI_OPTION_HINT})") from error

    @contextmanager
    def _session(self, read: bool = False):
        import neo4j

        config = {"default_access_mode": neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS}
        if self.database:
            config["database"] = self.database
        try:
            with self._driver.session(**config) as session:
                yield session
        except neo4j.exceptions.ClientError as error:
            if isinstance(error, neo4j.exceptions.CypherSyntaxError):
                raise QueryError(f"Cypher syntax error: {error.message}") from error
            raise StoreError(f"Neo4j at {self.uri} refused: {error.message}") from error
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as error:
            raise StoreError(f"lost the connection to Neo4j at {self.uri}: {error}; run again") from error

    # -- writes -----------------------------------------------------------------------
    def ensure_constraints(self) -> None:
        """Create the uniqueness constraints and indexes (schema/constraints.cypher)."""
        with self._session() as session:
            for statement in constraint_statements():
                session.execute_write(lambda tx, text: tx.run(text).consume(), statement)
        self._constraints_ready = True

    def _write(self, function, *args) -> dict:
        if not self._constraints_ready:
            self.ensure_constraints()
        with self._session() as session:
            return session.execute_write(function, *args)

    def add_article(self, extraction: Extraction) -> bool:
        article_id = extraction.article.id
        if self.has_article(article_id):
            return False
        batch = Batch()
        batch.add(article_rows(article_id, article_quads(extraction)))
        self._write(write_batch, batch)
        return True

    def retract_article(self, article_id: str) -> bool:
        if not self.has_article(article_id):
            return False
        self._write(retract_in, article_id)
        return True

    def push_from(self, source_store, batch_size: int = 50, progress: Progress | None = None,
                  prune: bool = False) -> dict:
        """Merge every article of an EmbeddedStore into Neo4j; counts of what changed.

        With ``prune``, articles Neo4j holds that the source no longer has (retracted
        locally) are retracted there too, with every fact only they supported.
        """
        if batch_size < 1:
            raise StoreError("--batch-size must be at least 1")
        self.ensure_constraints()
        ids = source_store.article_ids()
        totals: dict = dict.fromkeys(COUNTERS, 0)
        batches = 0
        for start in range(0, len(ids), batch_size):
            batch = Batch()
            for article_id in ids[start:start + batch_size]:
                batch.add(article_rows(article_id, source_store.graph_quads(article_id)))
            for name, value in self._write(write_batch, batch).items():
                totals[name] += value
            batches += 1
            if progress:
                progress(min(start + batch_size, len(ids)), len(ids))
        summary = {"target": self.uri, "articles": len(ids), "batches": batches, **totals}
        if prune:
            keep = set(ids)
            stale = [row["id"] for row in self._read(ARTICLE_IDS) if row["id"] not in keep]
            for article_id in stale:
                self._write(retract_in, article_id)
            summary["pruned"] = len(stale)
        return {**summary, **self.counts()}

    # -- reads ------------------------------------------------------------------------
    def _read(self, text: str, params: dict | None = None) -> list[dict]:
        """Run one of kg's own read statements."""
        with self._session(read=True) as session:
            return session.execute_read(lambda tx: [r.data() for r in tx.run(text, params or {})])

    def has_article(self, article_id: str) -> bool:
        return bool(self._read(HAS_ARTICLE, {"id": article_id})[0]["found"])

    def counts(self) -> dict:
        """Nodes and relationships in the database."""
        return {"nodes": self._read(COUNT_NODES)[0]["n"],
                "relationships": self._read(COUNT_RELATIONSHIPS)[0]["n"]}

    def query(self, text: str, params: dict | None = None) -> list[dict]:
        """Run a read-only Cypher query with parameters; refused unless it only reads."""
        import neo4j
        from neo4j import unit_of_work

        if _LOAD_CSV.search(_STRINGS.sub("''", text)):
            raise QueryError("LOAD CSV is not allowed: kg runs read-only queries on its own data only")
        params = params or {}
        text = text.strip().rstrip(";").strip()

        @unit_of_work(timeout=self.timeout)
        def query_type(tx):
            return tx.run("EXPLAIN " + text, params).consume().query_type

        @unit_of_work(timeout=self.timeout)
        def rows(tx):
            out = []
            for record in tx.run(text, params):
                if len(out) == self.max_rows:
                    raise QueryError(f"the query returns more than {self.max_rows} rows; add a LIMIT")
                out.append(plain(record.data()))
            return out

        try:
            with self._session(read=True) as session:
                kind = session.execute_read(query_type)
                if kind != "r":
                    raise QueryError(f"only read queries are allowed (Neo4j says this one is {kind!r})")
                return session.execute_read(rows)
        except StoreError as error:
            if isinstance(error.__cause__, neo4j.exceptions.ClientError):
                raise QueryError(f"Neo4j refused the query: {error.__cause__.message}") from error.__cause__
            raise

    def close(self) -> None:
        if getattr(self, "_driver", None) is not None:
            self._driver.close()
            self._driver = None
