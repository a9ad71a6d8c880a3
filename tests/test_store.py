"""The embedded store: whole articles, idempotent writes, exact retraction, read-only queries."""
import pytest

from kg.errors import QueryError, StoreError
from kg.loaders.articles import make_article
from kg.loaders.pipeline import extract
from kg.stores.embedded import EmbeddedStore


def extraction(text, name="a.txt"):
    return extract(make_article(name, text, "txt"))


def quads(store):
    return sorted(str(q) for q in store.quads())


def test_store_add_is_idempotent(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    item = extraction("Iran backs Hezbollah. Russia supports Syria.")
    assert store.add_article(item) is True
    before = quads(store)
    assert store.add_article(item) is False
    assert quads(store) == before
    store.close()


def test_store_survives_reopen(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    item = extraction("Iran backs Hezbollah.")
    store.add_article(item)
    before = quads(store)
    store.close()
    reopened = EmbeddedStore(tmp_path / "s")
    assert reopened.has_article(item.article.id)
    assert quads(reopened) == before
    reopened.close()


def test_store_second_writer_gets_a_clear_error(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    with pytest.raises(StoreError, match="in use by another kg process"):
        EmbeddedStore(tmp_path / "s")
    store.close()


def overlapping_articles():
    """Two articles that share one fact (Iran supports Hezbollah); only the second states another."""
    return (extraction("Iran backs Hezbollah.", "a.txt"),
            extraction("Iran supports Hezbollah, and Russia backs Syria.", "b.txt"))


def test_store_retract_keeps_facts_other_articles_state(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    first, second = overlapping_articles()
    store.add_article(first)
    only_first = quads(store)
    store.add_article(second)
    assert store.retract_article(second.article.id) is True
    assert quads(store) == only_first
    assert store.retract_article(second.article.id) is False
    store.close()


def summary(store):
    from kg.rdf import SUMMARY_GRAPH

    return sorted(str(q.triple) for q in store._store.quads_for_pattern(None, None, None, SUMMARY_GRAPH))


def test_summary_graph_holds_each_fact_once_while_any_article_states_it(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    first, second = overlapping_articles()
    store.add_article(first)
    only_first = summary(store)
    supports = "<https://w3id.org/newskg/ontology#supports>"
    assert [t for t in only_first if supports in t] == [
        f"<https://w3id.org/newskg/id/country/iran> {supports} <https://w3id.org/newskg/id/armedgroup/hezbollah>"]
    store.add_article(second)
    assert len([t for t in summary(store) if supports in t]) == 2          # Iran->Hezbollah once, Russia->Syria
    store.retract_article(second.article.id)
    assert summary(store) == only_first                                   # what only b stated is gone
    store.retract_article(first.article.id)
    assert summary(store) == []
    store.close()


def test_a_store_written_without_a_summary_graph_gets_one_when_opened(tmp_path):
    from kg.rdf import SUMMARY_GRAPH

    store = EmbeddedStore(tmp_path / "s")
    store.add_article(extraction("Iran backs Hezbollah.", "a.txt"))
    store.add_article(extraction("Russia backs Syria.", "b.txt"))
    expected = summary(store)
    store._store.remove_graph(SUMMARY_GRAPH)                  # as kg wrote stores before it kept one
    store.close()
    reopened = EmbeddedStore(tmp_path / "s")
    assert summary(reopened) == expected and len(expected) > 4
    reopened.close()


def test_store_whitespace_variant_is_the_same_article(tmp_path):
    a = extraction("Iran backs Hezbollah.\n\nRussia supports Syria.")
    b = extraction("Iran  backs Hezbollah.\nRussia supports   Syria.\n")
    assert a.article.id == b.article.id


def test_store_evidence_points_into_the_raw_text(tmp_path):
    text = "[ad_1]\nAnalysts said Iran backs Hezbollah.\n\n\nuser1\n\nRussia backs everyone."
    item = extraction(text)
    (fact,) = item.facts
    assert text[fact.evidence.start:fact.evidence.end] == "Analysts said Iran backs Hezbollah."


def test_store_queries_bind_parameters_as_values(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    store.add_article(extraction("Iran backs Hezbollah."))
    before = quads(store)
    query = "SELECT DISTINCT ?s WHERE { ?s rdfs:label ?name }"
    assert store.query(query, {"name": "Iran"}) == [{"s": "https://w3id.org/newskg/id/country/iran"}]
    for hostile in ["x'}) DETACH DELETE n //", 'a" } ; DROP ALL ; #', "back\\slash\nnew line"]:
        assert store.query(query, {"name": hostile}) == []
    assert quads(store) == before
    with pytest.raises(QueryError):
        store.query("DROP ALL")
    store.close()
