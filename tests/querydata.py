"""A small hand-built graph with known answers for the canned-query tests.

Three articles about Idlib: Turkey backs the NLF in all three; Russia backs HTS in one
article and opposes it in another (contested); the Sochi memorandum is dated 2018-09-17
in one article and 2018-09-18 in another (contested; a bare "2018" contradicts neither);
Saraqib and Jisr al-Shughūr lie in Idlib, which lies in Syria.
"""
from __future__ import annotations

from kg.model import Article, CleanText, DateValue, Entity, Evidence, Extraction, Fact

E = {
    "nlf": Entity("armedgroup/national-liberation-front", "National Liberation Front", "ArmedGroup"),
    "hts": Entity("armedgroup/hayat-tahrir-al-sham", "Hayat Tahrir al-Sham", "ArmedGroup"),
    "turkey": Entity("country/turkey", "Turkey", "Country"),
    "russia": Entity("country/russia", "Russia", "Country"),
    "syria": Entity("country/syria", "Syria", "Country"),
    "idlib": Entity("location/idlib", "Idlib", "Location"),
    "saraqib": Entity("location/saraqib", "Saraqib", "Location"),
    "jisr": Entity("location/jisr-al-shughur", "Jisr al-Shughūr", "Location"),
    "erdogan": Entity("person/recep-tayyip-erdogan", "Recep Tayyip Erdogan", "Person"),
    "putin": Entity("person/vladimir-putin", "Vladimir Putin", "Person"),
    "fidan": Entity("person/hakan-fidan", "Hakan Fidan", "Person"),
    "sochi": Entity("agreement/sochi-memorandum", "Sochi Memorandum", "Agreement"),
}

# article id -> (date, [(subject, predicate, object, sentence, confidence, fact date)])
ARTICLES = {
    "a1": ("2018-09-18", [
        ("turkey", "supports", "nlf", "Turkey backs the National Liberation Front.", 0.9, None),
        ("russia", "supports", "hts", "Russia quietly supports HTS, a source said.", 0.6, None),
        ("erdogan", "leader_of", "turkey", "Turkish President Recep Tayyip Erdogan met Putin.", 0.75, None),
        ("erdogan", "talked_with", "putin", "Turkish President Recep Tayyip Erdogan met Putin.", 0.8, "2018-09-17"),
        ("turkey", "party_to", "sochi", "Turkey and Russia signed the Sochi memorandum.", 0.85, None),
        ("russia", "party_to", "sochi", "Turkey and Russia signed the Sochi memorandum.", 0.85, None),
        ("sochi", "signed_on", "2018-09-17", "The memorandum was signed on 17 September 2018.", 0.9, None),
        ("sochi", "applies_to", "idlib", "The memorandum creates a buffer zone in Idlib.", 0.8, None),
    ]),
    "a2": ("2019-05-06", [
        ("turkey", "supports", "nlf", "Ankara armed NLF fighters.", 0.7, None),
        ("russia", "attacked", "saraqib", "Russian jets struck Saraqib on Sunday.", 0.85, "2019-05-05"),
        ("saraqib", "located_in", "idlib", "Saraqib, in Idlib province, was hit.", 0.7, None),
        ("idlib", "located_in", "syria", "Idlib is the last rebel-held province of Syria.", 0.7, None),
        ("hts", "controls", "saraqib", "HTS controls Saraqib.", 0.8, None),
        ("sochi", "signed_on", "2018-09-18", "The deal signed on 18 September 2018 is collapsing.", 0.6, None),
        ("fidan", "official_of", "turkey", "Turkish Foreign Minister Hakan Fidan said so.", 0.75, None),
    ]),
    "a3": ("2020-02-01", [
        ("turkey", "supports", "nlf", "Turkey sent more weapons to the NLF.", 0.8, None),
        ("russia", "opposes", "hts", "Russia vowed to fight HTS.", 0.9, None),
        ("russia", "supports", "syria", "Russia backs Damascus.", 0.9, None),
        ("russia", "opposes", "syria", "Russia criticised Damascus.", 0.5, None),
        ("jisr", "located_in", "idlib", "Jisr al-Shughūr in Idlib fell.", 0.7, None),
        ("hts", "controls", "jisr", "HTS holds Jisr al-Shughūr.", 0.75, None),
        ("sochi", "signed_on", "2018", "The 2018 deal is dead.", 0.5, None),
    ]),
}


def _object(name: str):
    return E[name] if name in E else DateValue(name)


def extraction(article_id: str) -> Extraction:
    date, facts = ARTICLES[article_id]
    sentences = " ".join(dict.fromkeys(f[3] for f in facts))
    article = Article(id=article_id, source=f"{article_id}.txt", raw=sentences, title=f"Article {article_id}")
    clean = CleanText(article, sentences, tuple(range(len(sentences))), date)
    out = []
    for subject, predicate, obj, sentence, confidence, fact_date in facts:
        start = sentences.index(sentence)
        evidence = Evidence(article_id, article.source, sentence, start, start + len(sentence),
                            f"{predicate}.test", confidence, fact_date)
        out.append(Fact(E[subject], predicate, _object(obj), evidence))
    entities = tuple({f.subject for f in out} | {f.object for f in out if isinstance(f.object, Entity)})
    return Extraction(article, clean, entities, tuple(out))


def build(store):
    """Add the three articles to a store; return it."""
    for article_id in ARTICLES:
        store.add_article(extraction(article_id))
    return store
