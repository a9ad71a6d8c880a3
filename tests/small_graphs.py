"""Small graphs built directly from kg.model objects, for tests that need exact answers."""
from __future__ import annotations

from kg.ids import digest
from kg.model import Article, CleanText, DateValue, Entity, Evidence, Extraction, Fact
from kg.stores.embedded import EmbeddedStore


def entity(label: str, kind: str = "Country", lat=None, lon=None) -> Entity:
    attrs = (("lat", lat), ("lon", lon)) if lat is not None else ()
    return Entity(f"{kind.lower()}/{digest(label, length=10)}", label, kind, attrs)


def extraction(article_id: str, facts: list[tuple], date: str | None = "2020-01-15",
               sentence: str = "A sentence that says so.") -> Extraction:
    """facts: (subject Entity, predicate, object Entity or DateValue[, confidence])."""
    article = Article(id=article_id, source=f"{article_id}.txt", raw=sentence, title=f"Article {article_id}")
    clean = CleanText(article, sentence, tuple(range(len(sentence))), date)
    built = []
    for n, spec in enumerate(facts):
        subject, predicate, obj = spec[:3]
        confidence = spec[3] if len(spec) > 3 else 0.9
        evidence = Evidence(article_id, article.source, f"{sentence} ({n})", 0, len(sentence),
                            f"{predicate}.test", confidence, date)
        built.append(Fact(subject, predicate, obj, evidence))
    return Extraction(article, clean, (), tuple(built))


def store_of(*extractions: Extraction, path=None) -> EmbeddedStore:
    store = EmbeddedStore(path)
    for item in extractions:
        store.add_article(item)
    return store


# A five-entity graph with dates and repeated facts:
#   a1 (2018-01-10): A supports B; E leader_of A
#   a2 (2019-06):    B opposes C; C attacked D; G signed_on 2019-06-01; A party_to G
#   a3 (2020):       C attacked D
A = entity("Alpha", "Country", 10.5, -20.25)
B = entity("Beta", "ArmedGroup")
C = entity("Gamma", "Organization")
D = entity("Delta", "Location", -33.5, 151.25)
E = entity("Epsilon", "Person")
G = entity("Accord", "Agreement")


def sample_extractions() -> list[Extraction]:
    return [
        extraction("a1", [(A, "supports", B), (E, "leader_of", A)], date="2018-01-10"),
        extraction("a2", [(B, "opposes", C), (C, "attacked", D, 0.7), (G, "signed_on", DateValue("2019-06-01")),
                          (A, "party_to", G)], date="2019-06"),
        extraction("a3", [(C, "attacked", D, 0.8)], date="2020"),
    ]


def sample_store(path=None) -> EmbeddedStore:
    return store_of(*sample_extractions(), path=path)
