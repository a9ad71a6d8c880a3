"""The stats graph (article counts, best evidence, sources, dates, conflicts per fact) is
kept in step with the article graphs: written with each article, right after a retract,
and the same as a rebuild from scratch."""
from __future__ import annotations

import itertools

import pytest

import querydata
from kg.aggregates import STATS_GRAPH, all_aggregates
from kg.rdf import SUMMARY_GRAPH
from kg.stores.embedded import EmbeddedStore


def stats(store) -> list[str]:
    return sorted(str(q) for q in store._store.quads_for_pattern(None, None, None, STATS_GRAPH))


def rebuilt(store) -> list[str]:
    graphs = [list(store._store.quads_for_pattern(None, None, None, g)) for g in store._store.named_graphs()
              if g not in (SUMMARY_GRAPH, STATS_GRAPH)]
    scratch = EmbeddedStore()            # canonical literals, as the store writes them
    scratch._store.extend(all_aggregates(graphs))
    return sorted(str(q) for q in scratch._store.quads_for_pattern(None, None, None, STATS_GRAPH))


def conflicts(store) -> set[tuple[str, str]]:
    rows = store.query(f"SELECT ?c ?l WHERE {{ GRAPH {STATS_GRAPH} {{ ?f kg:conflict ?c ; rdf:subject ?s }} "
                       f"GRAPH {SUMMARY_GRAPH} {{ ?s rdfs:label ?l }} }}")
    return {(r["c"], r["l"]) for r in rows}


def build(store, ids):
    for article_id in ids:
        store.add_article(querydata.extraction(article_id))
    return store


def test_stats_written_article_by_article_equal_a_rebuild(examples_store):
    assert stats(examples_store) == rebuilt(examples_store) and stats(examples_store)


def test_counts_best_evidence_and_conflicts_of_the_small_graph(tmp_path):
    store = build(EmbeddedStore(tmp_path / "s"), querydata.ARTICLES)
    rows = store.query(f"""SELECT ?n ?b ?c WHERE {{ GRAPH {STATS_GRAPH} {{ ?f rdf:subject ?s ; rdf:predicate kg:supports ;
        rdf:object ?o ; kg:articleCount ?n ; kg:bestSentence ?b ; kg:bestConfidence ?c }}
        GRAPH {SUMMARY_GRAPH} {{ ?s rdfs:label "Turkey" }} }}""")
    assert [(r["n"], r["b"], r["c"]) for r in rows] == [(3, "Turkey backs the National Liberation Front.", 0.9)]
    assert conflicts(store) == {("supports vs opposes", "Russia"), ("signing date", "Sochi Memorandum")}
    assert stats(store) == rebuilt(store)


@pytest.mark.parametrize("gone", sorted(querydata.ARTICLES))
def test_retract_leaves_the_stats_of_a_store_that_never_had_the_article(tmp_path, gone):
    everything = build(EmbeddedStore(tmp_path / "all"), querydata.ARTICLES)
    assert everything.retract_article(gone)
    without = build(EmbeddedStore(tmp_path / "without"), [a for a in querydata.ARTICLES if a != gone])
    assert stats(everything) == stats(without) == rebuilt(without)


def test_stats_do_not_depend_on_the_order_articles_arrive_in(tmp_path):
    orders = list(itertools.permutations(sorted(querydata.ARTICLES)))[::2]
    seen = {tuple(stats(build(EmbeddedStore(tmp_path / f"o{n}"), order))) for n, order in enumerate(orders)}
    assert len(seen) == 1


def test_a_store_written_before_the_stats_graph_gets_it_when_opened(tmp_path):
    store = build(EmbeddedStore(tmp_path / "old"), querydata.ARTICLES)
    expected = stats(store)
    store._store.remove_graph(STATS_GRAPH)
    store.close()
    reopened = EmbeddedStore(tmp_path / "old")
    assert stats(reopened) == expected


def test_bulk_batches_keep_the_stats_graph_in_step(tmp_path):
    from kg.rdf import prepare

    bulk = EmbeddedStore(tmp_path / "bulk")
    bulk.add_prepared([prepare(querydata.extraction(a)) for a in ("a1", "a3")])   # one batch, two articles
    bulk.add_prepared([prepare(querydata.extraction("a2"))])
    one_by_one = build(EmbeddedStore(tmp_path / "single"), querydata.ARTICLES)
    assert stats(bulk) == stats(one_by_one) == rebuilt(bulk)


def test_group_counts_follow_random_adds_and_retracts():
    """The count groups the long answers are paged by (an entity's days, contested facts by
    conflict and subject) stay equal to a rebuild through adds and retracts in any order."""
    import random

    from test_query_rewrite import random_extraction

    store, rng, stored = EmbeddedStore(), random.Random(7), []
    for n in range(60):
        store.add_article(random_extraction(rng, n))
        stored.append(f"art{n:03d}")
        if n % 5 == 4:
            gone = rng.choice(stored)
            stored.remove(gone)
            assert store.retract_article(gone)
        if n % 20 == 19:
            assert stats(store) == rebuilt(store), n
    kinds = {q.split()[1] for q in stats(store)}
    assert {"<https://w3id.org/newskg/ontology#groupConflict>", "<https://w3id.org/newskg/ontology#groupEntity>",
            "<https://w3id.org/newskg/ontology#evidenceRow>"} <= kinds


def test_a_stats_graph_of_the_previous_version_is_upgraded_to_a_rebuild(tmp_path):
    """Opening a store whose stats graph lacks the evidence sort keys (version 2) adds them
    from the article graphs: the same stats graph as a rebuild, for writing and reading."""
    import pyoxigraph as ox

    from kg.aggregates import version_quad

    for write in (True, False):
        store = build(EmbeddedStore(tmp_path / f"v2-{write}"), querydata.ARTICLES)
        expected = stats(store)
        keys = list(store._store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/newskg/ontology#evidenceRow"),
                                                   None, STATS_GRAPH))
        assert keys
        for quad in keys + [version_quad()]:
            store._store.remove(quad)
        store._store.add(version_quad("2"))
        store.close()
        reopened = EmbeddedStore(tmp_path / f"v2-{write}", write=write)
        assert stats(reopened) == expected == rebuilt(reopened)
        reopened.close()
