"""The canned queries over the stats graph give the answers the evidence-row queries gave.

``tests/data/old_queries/`` keeps the earlier SPARQL texts (one row per piece of evidence,
grouped by kg): they are the reference here and nowhere else. Both run on generated stores
(random facts, shared sentences and sources for ties, conflicts, articles retracted) and on
the examples; every canned query is compared for every entity, grouped and as evidence,
whole and page by page.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg.model import Article, CleanText, DateValue, Entity, Evidence, Extraction, Fact
from kg.queries import auxiliary_text, catalogue
from kg.queries.path import explored_graph, hop_rows, shortest_chain
from kg.queries.rows import answer
from kg.queries.run import bind, entity_id, run, run_page
from kg.schema.namespaces import RESOURCE
from kg.sparql_safety import bind_constants
from kg.stores.embedded import EmbeddedStore

OLD = Path(__file__).parent / "data" / "old_queries"
ENTITIES = [Entity(f"{kind.lower()}/{name.lower().replace(' ', '-')}", name, kind) for kind, name in [
    ("Country", "Aland"), ("Country", "Borduria"), ("Country", "Carpania"), ("Country", "Syldavia"),
    ("ArmedGroup", "Red Brigade"), ("ArmedGroup", "Blue Front"), ("Organization", "Union"),
    ("Person", "Ana Ortiz"), ("Person", "Bo Lind"), ("Location", "Klow"), ("Location", "Szohod"),
    ("Location", "Niedzbrodz"), ("Agreement", "Klow Accord"), ("Agreement", "Szohod Pact")]]
BY_TYPE = lambda *types: [e for e in ENTITIES if e.type in types]
ACTORS = ("Country", "ArmedGroup", "Organization", "Person")
SHAPES = [  # predicate, subject types, object types (None: a date)
    ("supports", ACTORS, ACTORS), ("opposes", ACTORS, ACTORS), ("attacked", ACTORS, ACTORS + ("Location",)),
    ("leader_of", ("Person",), ("Country", "Organization", "ArmedGroup")), ("official_of", ("Person",), ("Country",)),
    ("party_to", ACTORS, ("Agreement",)), ("applies_to", ("Agreement",), ("Location", "Country")),
    ("signed_on", ("Agreement",), None), ("located_in", ("Location",), ("Location", "Country")),
    ("talked_with", ("Person",), ("Person",)), ("controls", ACTORS, ("Location",)),
]
SENTENCES = [f"Sentence number {n} says so." for n in range(12)]
DATES = ["2019", "2019-03", "2019-03-04", "2019-03-05", "2020-01-01", "2020-01", None]


def random_extraction(rng: random.Random, n: int) -> Extraction:
    article_id = f"art{n:03d}"
    source = rng.choice(["feed-a.jsonl", "feed-b.jsonl", f"page-{n}.html"])
    text = " ".join(SENTENCES)
    article = Article(id=article_id, source=source, raw=text, title=f"Article {n}")
    clean = CleanText(article, text, tuple(range(len(text))), rng.choice(DATES))
    facts = []
    for _ in range(rng.randint(1, 7)):
        predicate, subjects, objects = rng.choice(SHAPES)
        subject = rng.choice(BY_TYPE(*subjects))
        obj = DateValue(rng.choice([d for d in DATES if d])) if objects is None else rng.choice(BY_TYPE(*objects))
        if obj == subject:
            continue
        if predicate == "talked_with" and obj.id < subject.id:
            subject, obj = obj, subject
        sentence = rng.choice(SENTENCES)
        start = text.index(sentence)
        evidence = Evidence(article_id, source, sentence, start, start + len(sentence), f"{predicate}.test",
                            rng.choice([0.5, 0.7, 0.9]), rng.choice([None, None, "2019-03-04", "2020"]))
        facts.append(Fact(subject, predicate, obj, evidence))
    entities = tuple({f.subject for f in facts} | {f.object for f in facts if isinstance(f.object, Entity)})
    return Extraction(article, clean, entities, tuple(facts))


def old_rows(name: str, store, args: list[str], evidence: bool) -> list[dict]:
    """The answer the evidence-row SPARQL gave (the code kg ran before the stats graph)."""
    query = catalogue()[name]
    params = bind(query, args, store)
    text = (OLD / f"{name}.rq").read_text(encoding="utf-8")
    if name == "path":
        def neighbours(frontier):
            rows = store.query(auxiliary_text("neighbours", "sparql"), {"x": [RESOURCE + e for e in frontier]})
            return [(r["from"], r["to"]) for r in rows]
        source, target = entity_id(params["source"]), entity_id(params["target"])
        chain = shortest_chain(explored_graph(neighbours, source, target), source, target)
        rows = []
        for a, b in zip(chain, chain[1:]):
            rows += store.query(bind_constants(text, {"a": RESOURCE + a, "b": RESOURCE + b}))
        rows = hop_rows(rows, source, target)
    else:
        rows = store.query(bind_constants(text, params))
    return answer(rows, query.columns, query.order, evidence)


def arguments(name: str, labels: list[str]) -> list[list[str]]:
    if name == "contested":
        return [[]]
    if name == "timeline":
        return [[]] + [[label] for label in labels]
    if name == "path":
        return [[a, b] for a in labels[:4] for b in labels[-3:] if a != b]
    return [[label] for label in labels]


def stored_labels(store) -> list[str]:
    rows = store.query("SELECT DISTINCT ?l WHERE { GRAPH <https://w3id.org/newskg/id/graph/summary> "
                       "{ ?e kg:entityId ?id ; rdfs:label ?l } } ORDER BY ?l")
    return [r["l"] for r in rows]


def assert_same_answers(store) -> int:
    labels, compared = stored_labels(store), 0
    for name in catalogue():
        if name == "evidence":                   # unchanged: it was always about evidence rows
            continue
        for args in arguments(name, labels):
            for evidence in (False, True):
                expected = old_rows(name, store, args, evidence)
                assert run(catalogue()[name], store, args, evidence=evidence) == expected, (name, args, evidence)
                compared += len(expected)
    return compared


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("generated") / "store")
    rng = random.Random(20261204)
    for n in range(70):
        store.add_article(random_extraction(rng, n))
    for n in range(0, 70, 9):                   # retract some: the stats must follow
        assert store.retract_article(f"art{n:03d}")
    yield store
    store.close()


def test_generated_store_gives_the_old_answers(generated):
    assert assert_same_answers(generated) > 500


def test_examples_give_the_old_answers(examples_store):
    assert assert_same_answers(examples_store) > 100


@pytest.mark.parametrize("name, entity", [("profile", True), ("timeline", False), ("timeline", True),
                                          ("contested", False), ("at", True), ("opponents", True),
                                          ("agreements", True)])
def test_pages_put_together_give_the_whole_answer(generated, name, entity):
    query = catalogue()[name]
    args = max((a for a in arguments(name, stored_labels(generated)) if bool(a) == entity or name == "contested"),
               key=lambda a: len(run(query, generated, a)))
    for evidence in (False, True):
        whole = run(query, generated, args, evidence=evidence)
        pages, offset = [], 0
        while True:
            page = run_page(query, generated, args, evidence=evidence, limit=4, offset=offset)
            assert page.total == len(whole)
            if not page.rows:
                break
            pages += page.rows
            offset += 4
        assert pages == whole and len(whole) > 4, (name, evidence)


OLD_UNDATED = """SELECT (COUNT(DISTINCT ?fact) AS ?n) WHERE {
  GRAPH ?g { ?fact a kg:Fact ; rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o . }
  FILTER(?g != <https://w3id.org/newskg/id/graph/summary> && ?p != kg:signedOn)
  FILTER(!BOUND(?entity) || ?s = ?entity || ?o = ?entity)
  FILTER NOT EXISTS { GRAPH ?h { ?fact kg:evidence ?ev . { ?ev kg:factDate ?d } UNION { ?h dcterms:date ?d } } }
}"""


def test_undated_facts_the_timeline_leaves_out_are_counted_as_before(generated):
    import pyoxigraph as ox

    from kg.undated import timeline_undated

    entities = [r["e"] for r in generated.query(
        "SELECT DISTINCT ?e WHERE { GRAPH <https://w3id.org/newskg/id/graph/summary> { ?e kg:entityId ?id } }")]
    assert timeline_undated(generated) == int(generated.query(OLD_UNDATED)[0]["n"]) > 0
    for entity in entities:
        old = int(generated.query(OLD_UNDATED, {"entity": ox.NamedNode(entity)})[0]["n"])
        assert timeline_undated(generated, entity) == old, entity


def test_evidence_query_pages_put_together_give_the_rows_kg_sorts_itself(generated):
    """`evidence` is paged by the engine: its pages make the answer kg's own grouping gives."""
    fact = generated.query("""SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/newskg/id/graph/stats> {
        ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidenceCount ?n } }
        ORDER BY DESC(?n) ?f LIMIT 1""")[0]
    label = lambda iri: generated.query(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")[0]["l"]
    args = [label(fact["s"]), fact["p"].rsplit("#", 1)[-1], label(fact["o"]) if fact["o"].startswith("http") else fact["o"]]
    query = catalogue()["evidence"]
    params = bind(query, args, generated)
    text = (Path(__file__).parent.parent / "queries" / "sparql" / "evidence.rq").read_text(encoding="utf-8")
    expected = answer(generated.query(bind_constants(text, params)), query.columns, query.order, True)
    pages, offset = [], 0
    while page := run_page(query, generated, args, limit=3, offset=offset).rows:
        pages += page
        offset += 3
    assert pages == expected and len(expected) > 3


def test_evidence_query_gives_the_rows_of_its_file_for_every_fact(generated):
    """`evidence` on the embedded store reads the fact's evidence keys, then the sentences of
    the rows shown: every fact (talked_with either way round, signing dates as objects), whole
    and a middle page, gives the rows evidence.rq gives."""
    facts = generated.query("""SELECT DISTINCT ?s ?p ?o WHERE { GRAPH <https://w3id.org/newskg/id/graph/stats> {
        ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }""")
    labels = {r["e"]: r["l"] for r in generated.query(
        "SELECT ?e ?l WHERE { GRAPH <https://w3id.org/newskg/id/graph/summary> { ?e kg:entityId ?id ; rdfs:label ?l } }")}
    query = catalogue()["evidence"]
    text = (Path(__file__).parent.parent / "queries" / "sparql" / "evidence.rq").read_text(encoding="utf-8")
    kinds = set()
    asked = [[labels[f["s"]], f["p"].rsplit("#", 1)[-1], labels.get(f["o"], f["o"])] for f in facts]
    asked += [[o, p, s] for s, p, o in asked if p == "talkedWith"]          # the other way round
    for args in asked:
        expected = answer(generated.query(bind_constants(text, bind(query, args, generated))), query.columns,
                          query.order, True)
        whole = run_page(query, generated, args)
        middle = run_page(query, generated, args, limit=2, offset=1)
        assert (whole.rows, whole.total, middle.rows) == (expected, len(expected), expected[1:3]), args
        kinds.add(args[1])
    assert {"talkedWith", "signedOn", "supports"} <= kinds


KEYED_QUERIES = ("profile", "at", "opponents", "agreements")


def _pages(query, store, args: list[str], evidence: bool, size: int) -> tuple[list[dict], set[int]]:
    pages, totals, offset = [], set(), 0
    while page := run_page(query, store, args, evidence=evidence, limit=size, offset=offset):
        totals.add(page.total)
        if not page.rows:
            return pages, totals
        pages += page.rows
        offset += size
    return pages, totals


@pytest.mark.parametrize("name", KEYED_QUERIES)
def test_pages_of_every_entity_give_the_old_answers(generated, name):
    """A page reads only the answers the blocks counted at write time say it shows: put
    together, the pages of every entity (small pages, both kinds) are the old whole answer."""
    query = catalogue()[name]
    for args in arguments(name, stored_labels(generated)):
        for evidence in (False, True):
            expected = old_rows(name, generated, args, evidence)
            pages, totals = _pages(query, generated, args, evidence, 3)
            assert (pages, totals) == (expected, {len(expected)}), (name, args, evidence)


def test_an_entity_with_two_names_is_paged_right(tmp_path):
    """Two spellings with one id give an entity two labels and its facts two rows each, more
    than the blocks count: such pages are read whole, and still come out right."""
    store = EmbeddedStore(tmp_path / "store")
    rng = random.Random(7)
    for n in range(30):
        store.add_article(random_extraction(rng, n))
    renamed = Entity("armedgroup/red-brigade", "Red brigade", "ArmedGroup")
    other = next(e for e in ENTITIES if e.label == "Klow")
    text = SENTENCES[0]
    article = Article(id="renamed", source="feed-c.jsonl", raw=text, title="Renamed")
    evidence = Evidence("renamed", "feed-c.jsonl", text, 0, len(text), "attacked.test", 0.9, None)
    store.add_article(Extraction(article, CleanText(article, text, tuple(range(len(text))), "2021-05-05"),
                                 (renamed, other), (Fact(renamed, "attacked", other, evidence),)))
    try:
        assert {"Red Brigade", "Red brigade"} <= set(stored_labels(store))
        for name in ("profile", "at", "opponents"):
            query = catalogue()[name]
            for args in (["Red Brigade"], ["Klow"]):
                for evidence in (False, True):
                    expected = run(query, store, args, evidence=evidence)
                    assert _pages(query, store, args, evidence, 2) == (expected, {len(expected)}), (name, args)
    finally:
        store.close()
