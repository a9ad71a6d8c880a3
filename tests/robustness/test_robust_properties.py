"""Property tests (hypothesis): cleaning offsets, article ids, export round-trips; and a
brief fuzz of the loaders (random bytes and JSON lines through read, clean and extract:
nothing may escape but LoadError)."""
from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.errors import LoadError
from kg.export import ontology_quads, render_rdf
from kg.ids import content_hash, entity_id
from kg.loaders.articles import make_article, read_articles
from kg.loaders.clean import clean
from kg.loaders.pipeline import extract
from kg.model import CleanText, Entity, Evidence, Extraction, Fact
from kg.stores.embedded import EmbeddedStore

pytestmark = [pytest.mark.filterwarnings("ignore:Dataset.*deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large])
_EXAMPLES: dict = {"n": 0, "seen": []}


@pytest.fixture(scope="module", autouse=True)
def _count_examples(figures):
    yield
    for example in _EXAMPLES["seen"]:
        figures.example(example)


def counted():
    """Record the calling test's example (its arguments) as one input tried."""
    import sys

    arguments = sys._getframe(1).f_locals
    _EXAMPLES["n"] += 1
    _EXAMPLES["seen"].append(repr(sorted((k, v) for k, v in arguments.items() if " at 0x" not in repr(v))))


# -- strategies -------------------------------------------------------------------------
SPECIAL = ['"', "'", "\\", "\n", "\r\n", "\t", "😀", "🇺🇦", "שלום", "مرحبا", "\u202e", "\u200f", '"""', "'''",
           "<", ">", "&", "{", "}", "#", "@", "\u00a0", "\u2028", "e\u0301", "Erdoğan", "ß", "İ"]
NAMES = st.lists(st.sampled_from(SPECIAL) | st.text(st.characters(exclude_categories=("Cs",)), max_size=6),
                 min_size=1, max_size=6).map("".join).filter(lambda s: s.strip())
PIECES = ["Turkey supports the National Liberation Front.", "Iran backs Hezbollah.", " ", "  ", "\n", "\n\n\n",
          "\t", "[ad_1]", "date 2021-03-04 ", "MARCH 14, 2021\n", "• ", "- ", "Comments\n", "user1\n",
          "Share this article", "😀", "שלום", "Erdoğan", "\u00a0", "word", ".", "Advertisement\n"]
RAW = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=25).map("".join)
WORD = st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=8)
SPACE = st.sampled_from([" ", "  ", "\n", "\t", "\r\n", "\n\n", "\u00a0", "\u2003", "\u3000", " \t \n"])


# -- cleaning -----------------------------------------------------------------------------
@FAST
@given(RAW)
def test_clean_offsets_map_back_into_the_raw_text(raw):
    counted()
    try:
        article = make_article("a.txt", raw, "txt")
    except LoadError:
        assume(False)
    result = clean(article)
    assert len(result.offsets) == len(result.text)
    assert all(0 <= o < len(article.raw) for o in result.offsets)
    assert list(result.offsets) == sorted(result.offsets)
    for i, char in enumerate(result.text):
        assert normalised(article.raw[result.offsets[i]]) == char or char == "\n" \
            or look_alikes().get(article.raw[result.offsets[i]]) == char \
            or unicodedata.combining(char) or unicodedata.normalize("NFD", char)[0] == article.raw[result.offsets[i]] \
            or char in unicodedata.normalize("NFD", article.raw[result.offsets[i]]), \
            (i, char)
    # every stretch kept from one raw line maps back to exactly that raw text, as normalised
    start = 0
    for end in range(1, len(result.text) + 1):
        if end == len(result.text) or result.offsets[end] != result.offsets[end - 1] + 1:
            a, b = result.raw_span(start, end)
            piece = result.text[start:end]
            assert normalised(article.raw[a:b]) == piece or piece.startswith("\n") or piece.endswith("\n") \
                or len(normalised(article.raw[a:b])) == len(piece) and result.flags
            start = end


def look_alikes() -> dict:
    from kg.loaders.normalise import look_alikes as table

    return table()


def normalised(raw: str) -> str:
    """Raw text as kg.loaders.normalise reads it: invisible characters out, fixed spaces as
    spaces, NFC."""
    from kg.loaders.normalise import INVISIBLE, SPACES

    text = "".join(" " if c in SPACES else c for c in raw if c not in INVISIBLE)
    return unicodedata.normalize("NFC", text)


# -- ids ----------------------------------------------------------------------------------
def test_content_hash_is_stable():
    assert content_hash("Iran backs Hezbollah.") == "50b2a1766733a669"      # never changes between versions
    assert content_hash("  Iran\tbacks\r\nHezbollah.\n") == "50b2a1766733a669"


@FAST
@given(st.lists(WORD, min_size=1, max_size=12), st.data())
def test_ids_ignore_whitespace_changes(words, data):
    counted()
    plain = " ".join(words)
    spaced = data.draw(SPACE) + "".join(w + data.draw(SPACE) for w in words)
    assert content_hash(spaced) == content_hash(plain) != content_hash(plain + " Tehran")
    assert content_hash(unicodedata.normalize("NFD", plain)) == content_hash(plain)
    try:
        one, two = make_article("a.txt", spaced, "txt"), make_article("b.json", plain, "json")
    except LoadError:
        return
    assert one.id == two.id


@FAST
@given(st.lists(WORD, min_size=1, max_size=8), st.lists(WORD, min_size=1, max_size=8))
def test_ids_differ_for_different_texts(first, second):
    counted()
    a, b = " ".join(first), " ".join(second)
    assume(" ".join(unicodedata.normalize("NFC", a).split()) != " ".join(unicodedata.normalize("NFC", b).split()))
    assert content_hash(a) != content_hash(b)


# -- export round-trips -----------------------------------------------------------------
def build(names: list[str], title: str, sentence: str) -> Extraction:
    raw = f"{sentence}\n{' '.join(names)}"
    article = make_article(names[0] + ".txt", raw, "txt", title=title, url="http://example.org/a?b=\"c\"")
    entities = [Entity(entity_id(t, n), n, t) for n, t in zip(names, ("Country", "ArmedGroup", "Person",
                                                                       "Organization", "Location", "Agreement"))]
    evidence = Evidence(article.id, article.source, sentence, 0, len(sentence), "test.rule", 0.9, "2021-03")
    facts = tuple(Fact(entities[0], "supports", e, evidence) for e in entities[1:]) or \
        (Fact(entities[0], "supports", entities[0], evidence),)
    return Extraction(article, CleanText(article, raw, tuple(range(len(raw)))), tuple(entities), facts)


def one_article_store(names, title, sentence) -> EmbeddedStore:
    """An in-memory store holding one generated article (inputs refused at reading are skipped)."""
    counted()
    try:
        extraction = build(names, title, sentence)
    except LoadError:
        assume(False)
    store = EmbeddedStore()
    store.add_article(extraction)
    return store


@FAST
@given(st.lists(NAMES, min_size=1, max_size=4), NAMES, NAMES)
def test_exports_reparse_to_the_same_quads(names, title, sentence):
    store = one_article_store(names, title, sentence)
    expected = {str(q) for q in store.quads()} | {str(q) for q in ontology_quads()}
    for fmt, rdf in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        text = render_rdf(store, fmt)
        assert {str(q) for q in ox.parse(text.encode("utf-8"), format=rdf)} == expected, fmt
    triples = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in list(store.quads()) + ontology_quads()}
    for fmt, rdf in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
        text = render_rdf(store, fmt)
        assert {str(t) for t in ox.parse(text.encode("utf-8"), format=rdf)} == triples, fmt
    labels = {q.object.value for q in store.quads() if q.predicate.value.endswith("#label")}
    assert {unicodedata.normalize("NFC", n) for n in names} <= {unicodedata.normalize("NFC", v) for v in labels} \
        or set(names) <= labels


# -- fuzz ---------------------------------------------------------------------------------
def run_loaders(paths) -> int:
    """read + clean + extract; only LoadError may come back. Returns how many articles went through."""
    count = 0
    for item in read_articles(paths, max_bytes=100_000):
        if isinstance(item, LoadError):
            assert str(item) and "\n" not in str(item)
            continue
        result = extract(item)
        assert result.clean.text is not None
        for fact in result.facts:
            assert 0 <= fact.evidence.start <= fact.evidence.end <= len(item.raw)
        count += 1
    return count


FRAGMENTS = st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x89PNG", b"<html>", b"<p>",
                             b"{", b"}", b'"text": "', b"\n", b"\r\n", b"\xe9", b"\x93", b"\xc3", b"\x1b[0m",
                             b"Turkey supports the National Liberation Front. ", b"<!DOCTYPE x [<!ENTITY e 'x'>]>"])
BYTES = st.one_of(st.binary(max_size=1500), st.lists(FRAGMENTS | st.binary(max_size=20), max_size=40).map(b"".join))
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                               st.sampled_from(["text", "title", "id", "url", "published", "date", "body", "x"]),
                               inner, max_size=5), max_leaves=12)


@FUZZ
@given(BYTES, st.sampled_from([".txt", ".html", ".json", ".jsonl", ".md", ".htm"]))
def test_fuzz_loaders_with_random_bytes(data, suffix):
    counted()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        run_loaders([path])


@FUZZ
@given(st.lists(JSON_VALUES, max_size=6), st.lists(st.text(max_size=120), max_size=3), st.integers(0, 2000))
def test_fuzz_loaders_with_random_json_lines(rows, texts, cut):
    counted()
    lines = [json.dumps(r, ensure_ascii=bool(cut % 2)) for r in rows]
    lines += [json.dumps({"id": f"t{i}", "text": t, "title": t[:10], "published": t[:10]}) for i, t in enumerate(texts)]
    text = "\n".join(lines)
    text = text[: max(len(text) - cut % 40, 0)] if cut % 3 == 0 else text     # sometimes truncated
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "feed.jsonl").write_text(text, encoding="utf-8")
        (Path(folder) / "doc.json").write_text(text, encoding="utf-8")
        run_loaders([folder])


@FUZZ
@given(st.lists(st.sampled_from(PIECES + ["Russia", "the rebels", "NLF", "Ankara", "President", "on Wednesday",
                                          "signed", "backed", "not", "may", "(", ")", ",", "’s", "Sudan’s"])
                | st.text(max_size=10), max_size=40).map(" ".join))
def test_fuzz_extract_with_random_text(text):
    counted()
    try:
        article = make_article("a.txt", text, "txt")
    except LoadError:
        return
    result = extract(article)
    for fact in result.facts:
        assert 0 <= fact.evidence.start <= fact.evidence.end <= len(article.raw)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAMES, min_size=1, max_size=3), NAMES, NAMES)
def test_jsonld_export_reparses_to_the_same_quads(names, title, sentence):
    """JSON-LD (inline @context) read back by rdflib gives the same quads as the store."""
    import rdflib

    store = one_article_store(names, title, sentence)
    dataset = rdflib.Dataset()
    dataset.parse(data=render_rdf(store, "jsonld"), format="json-ld")
    back = ox.parse(dataset.serialize(format="nquads").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    expected = {str(q) for q in store.quads()} | {str(q) for q in ontology_quads()}
    assert {str(q) for q in back if isinstance(q.graph_name, ox.NamedNode)} == expected
