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


KG, ID = "https://w3id.org/newskg/ontology#", "https://w3id.org/newskg/id/"


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
    """The count groups the long answers are paged by (an entity's months, its answer blocks by
    predicate and direction, contested facts by conflict and subject) stay equal to a rebuild through adds and retracts in any order."""
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
    assert {f"<{KG}{name}>" for name in ("groupConflict", "groupEntity", "groupDate", "groupPredicate",
                                         "groupDirection", "inBlock", "inGroup", "evidenceRow")} <= kinds


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


def as_version_3(store) -> None:
    """Make a store's stats graph the one stats v3 wrote: no answer blocks (nor links to
    them), and an entity's timeline counted per day (``<eday/...>``, linked from its dated
    nodes) instead of per month."""
    import pyoxigraph as ox

    from kg.aggregates import version_quad
    from kg.ids import digest

    oxi = store._store
    for q in list(oxi.quads_for_pattern(None, None, None, STATS_GRAPH)):
        if q.subject.value.startswith((ID + "emonth/", ID + "eblock/")) or q.predicate.value == KG + "inBlock" or \
                (q.predicate.value == KG + "inGroup" and q.object.value.startswith(ID + "emonth/")):
            oxi.remove(q)
    days: dict = {}
    rows = store.query(f"""SELECT ?d ?e ?date ?n WHERE {{ GRAPH {STATS_GRAPH} {{
        ?d kg:fact ?f ; kg:date ?date ; kg:evidenceCount ?n . {{ ?f rdf:subject ?e }} UNION {{ ?f rdf:object ?e }}
        FILTER(isIRI(?e)) }} }}""")
    assert rows
    for r in rows:
        node = ID + "eday/" + digest(r["e"], r["date"])
        day = days.setdefault(node, [r["e"], r["date"], 0, 0])
        day[2], day[3] = day[2] + 1, day[3] + r["n"]
        oxi.add(ox.Quad(ox.NamedNode(r["d"]), ox.NamedNode(KG + "inGroup"), ox.NamedNode(node), STATS_GRAPH))
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    for node, (entity, date, n, evidence) in days.items():
        for name, term in (("groupEntity", ox.NamedNode(entity)), ("groupDate", ox.Literal(date)),
                           ("groupRows", ox.Literal(str(n), datatype=integer)),
                           ("groupEvidence", ox.Literal(str(evidence), datatype=integer))):
            oxi.add(ox.Quad(ox.NamedNode(node), ox.NamedNode(KG + name), term, STATS_GRAPH))
    oxi.remove(version_quad())
    oxi.add(version_quad("3"))


def random_store(path, articles: int = 40):
    import random

    from test_query_rewrite import random_extraction

    rng, store = random.Random(11), EmbeddedStore(path)
    for n in range(articles):
        store.add_article(random_extraction(rng, n))
    return store


def test_a_stats_graph_of_version_3_is_upgraded_from_itself_to_a_rebuild(tmp_path):
    """Opening a store of stats v3 (entity days, no answer blocks) replaces the days by
    months and adds the blocks from the stats graph alone: the same stats graph as a
    rebuild, for writing and reading; no entity-day node is left."""
    for write in (True, False):
        store = random_store(tmp_path / f"v3-{write}")
        expected = stats(store)
        as_version_3(store)
        assert stats(store) != expected and any("/eday/" in q for q in stats(store))
        store.close()
        reopened = EmbeddedStore(tmp_path / f"v3-{write}", write=write)
        assert stats(reopened) == expected == rebuilt(reopened)
        reopened.close()


@pytest.mark.parametrize("survives", [0, 1, 3])
def test_a_killed_upgrade_keeps_the_old_mark_and_is_redone_without_duplicates(tmp_path, monkeypatch, survives):
    """A v3 -> v4 upgrade killed after some of its writes leaves the v3 mark; the next open
    completes it to the same stats graph as a rebuild (no count twice, no stale group)."""
    from kg import aggregates

    store = random_store(tmp_path / "s")
    expected = stats(store)
    as_version_3(store)
    real, calls = aggregates._extend_in_chunks, []

    def killed_after_some(oxi, quads, *args):
        if len(calls) == survives:
            raise KeyboardInterrupt
        calls.append(1)
        real(oxi, quads, *args)

    monkeypatch.setattr(aggregates, "_extend_in_chunks", killed_after_some)
    with pytest.raises(KeyboardInterrupt):
        store._upgrade_stats()
    monkeypatch.undo()
    assert aggregates.stored_version(store._store.quads_for_pattern) == "3"
    store.close()
    reopened = EmbeddedStore(tmp_path / "s")
    assert stats(reopened) == expected == rebuilt(reopened)


def test_a_sparql_server_store_keeps_the_same_stats_graph(oxigraph_server):
    """A SPARQL server written article by article (and retracted from) holds the stats graph
    an embedded store holds after the same writes (blocks and months included)."""
    import random

    from servers import canonical, server_quads
    from test_query_rewrite import random_extraction

    from kg.stores.sparql import SparqlEndpointStore

    server = SparqlEndpointStore(oxigraph_server.query_url, timeout=10)
    local, rng = EmbeddedStore(), random.Random(5)
    for n in range(12):
        extraction = random_extraction(rng, n)
        for store in (server, local):
            store.add_article(extraction)
        if n % 4 == 3:
            for store in (server, local):
                assert store.retract_article(f"art{n - 2:03d}")
    on_server = {q for q in server_quads(oxigraph_server) if str(STATS_GRAPH) in q}
    expected = {canonical(q) for q in local._store.quads_for_pattern(None, None, None, STATS_GRAPH)
                if q.predicate.value != KG + "statsVersion"}
    assert on_server == expected and any("/eblock/" in q for q in on_server)
