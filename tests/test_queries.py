"""Canned queries: files, behaviour on small hand-built graphs, safety, and the CLI."""
from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql import prepareQuery

import querydata
from kg.cli import cli
from kg.errors import QueryError, ResolutionError
from kg.queries import LANGUAGES, catalogue, load
from kg.queries.path import edge_graph, explored_graph, shortest_chain
from kg.queries.rows import EVIDENCE, SUMMARY
from kg.queries.run import COUNTED
from kg.queries.run import run
from kg.schema.namespaces import PREFIXES, resource
from kg.sparql_safety import bind_constants, cap_rows, check_read_only
from kg.stores.embedded import EmbeddedStore

INJECTIONS = ["x'}) DETACH DELETE n //", 'x"} ; DROP ALL ;', "a\\b\\\"c", "line\nbreak } INSERT DATA { <a> <b> <c> }",
              "it's \"quoted\"", '"} ; DROP ALL ; SELECT * WHERE { "', "https://w3id.org/newskg/id/x> } ; DROP ALL ; <y"]
QUERY_FILES = resources.files("kg.queries")


def query_file_names(language: str) -> list[str]:
    folder, suffix = LANGUAGES[language]
    return sorted(p.name[:-len(suffix)] for p in QUERY_FILES.joinpath(folder).iterdir() if p.name.endswith(suffix))


@pytest.fixture
def small(tmp_path):
    store = querydata.build(EmbeddedStore(tmp_path / "small"))
    yield store
    store.close()


@pytest.fixture
def gazetteer():
    from kg.loaders.gazetteer import load as load_gazetteer

    return load_gazetteer()


def ask(store, name, *args, evidence=False, gazetteer=None):
    return run(load(name), store, list(args), gazetteer, evidence=evidence)


def pick(rows, **match):
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


# -- the files ------------------------------------------------------------------------

def test_every_query_has_a_file_per_language_and_the_manifest_lists_them_all():
    names = set(catalogue())
    assert {"supporters", "supported-by", "opponents", "profile", "agreements", "agreement", "at", "leaders",
            "path", "timeline", "evidence", "contested"} <= names
    assert set(query_file_names("sparql")) == names
    assert set(query_file_names("cypher")) == names
    for query in catalogue().values():
        assert query.description and query.columns and query.order, query.name


@pytest.mark.parametrize("name", query_file_names("sparql"))
def test_sparql_file_parses_as_sparql_11(name):
    text = load(name).text("sparql")
    prepareQuery(text, initNs=PREFIXES)          # rdflib's SPARQL 1.1 parser
    check_read_only(text)
    EmbeddedStore().query(text)                  # and Oxigraph's, on an empty store


@pytest.mark.parametrize("name", query_file_names("sparql"))
def test_query_returns_the_columns_the_manifest_declares(name):
    import re

    query = load(name)
    selected = re.search(r"SELECT(?:\s+DISTINCT)?(.*?)WHERE", query.text("sparql"), re.S).group(1).split()
    columns = ["?subject_id", "?subject", "?predicate", "?object_id", "?object"] if name == "path" \
        else ["?" + c for c in query.columns]
    counted = [] if query.evidence_always else ["?" + c for c in COUNTED] + (["?fact"] if name == "timeline" else [])
    assert selected == columns + (counted or ["?" + c for c in EVIDENCE])    # SPARQL: answer rows from the stats graph
    returned = re.findall(r"AS (\w+)", query.text("cypher")) + re.findall(r"RETURN (\w+),", query.text("cypher"))
    for column in columns + ["?" + c for c in EVIDENCE]:                     # Cypher: evidence rows
        assert column[1:] in returned, (name, column)


def test_cypher_files_pass_neo4j_linter():
    import cypher_lint
    from kg.lookup import CYPHER_LABELS_QUERY

    reason = cypher_lint.missing()
    if reason:
        pytest.skip(reason)
    texts = {name: load(name).text("cypher") for name in query_file_names("cypher")}
    texts["lookup"] = CYPHER_LABELS_QUERY
    diagnostics = dict(zip(texts, cypher_lint.lint(list(texts.values()))))
    assert {name: d for name, d in diagnostics.items() if d} == {}


# -- every canned query on the examples ----------------------------------------------

BUSIEST = """SELECT ?label (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:Fact .
  { ?f rdf:subject ?e } UNION { ?f rdf:object ?e } ?e rdfs:label ?label } GROUP BY ?label ORDER BY DESC(?n) ?label"""
END_OF = """SELECT ?label WHERE { ?f rdf:predicate ?p ; rdf:%s ?e . ?e rdfs:label ?label } ORDER BY ?label LIMIT 1"""
OF_TYPE = """SELECT ?label WHERE { ?e a ?t ; rdfs:label ?label } ORDER BY ?label LIMIT 1"""


def _label(store, text: str, default: str, **params) -> str:
    rows = store.query(text, params)
    return rows[0]["label"] if rows else default


def _farthest(store, source: str) -> str:
    """The label of an entity as many hops from ``source`` as any (ties: the first id)."""
    from kg.queries.path import distances, edge_graph

    edges = store.query(load("path").text("sparql"))
    labels = {r["subject_id"]: r["subject"] for r in edges} | {r["object_id"]: r["object"] for r in edges}
    start = next(i for i, label in labels.items() if label == source)
    distance = distances(edge_graph(edges), start, cutoff=100)
    return labels[min(distance, key=lambda n: (-distance[n], n))]


def example_args(store) -> dict[str, list[str]]:
    """Arguments for every canned query, picked from what the examples store holds now."""
    kg = PREFIXES["kg"]
    busiest = _label(store, BUSIEST, "")
    fact = store.query("""SELECT ?sl ?p ?ol WHERE { ?f a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ;
        rdf:object ?o . ?s rdfs:label ?sl . ?o rdfs:label ?ol } ORDER BY ?sl ?p ?ol LIMIT 1""")[0]
    supported = _label(store, END_OF % "object", busiest, p=kg + "supports")
    return {"supporters": [supported], "supported-by": [_label(store, END_OF % "subject", busiest, p=kg + "supports")],
            "opponents": [_label(store, END_OF % "object", busiest, p=kg + "attacked")], "profile": [busiest],
            "agreements": [_label(store, END_OF % "subject", busiest, p=kg + "partyTo")],
            "agreement": [_label(store, OF_TYPE, busiest, t=kg + "Agreement")],
            "at": [_label(store, END_OF % "object", busiest, p=kg + "locatedIn")],
            "leaders": [_label(store, END_OF % "object", busiest, p=kg + "leaderOf")],
            "path": [busiest, _farthest(store, busiest)], "timeline": [busiest],
            "evidence": [fact["sl"], fact["p"].rsplit("#", 1)[1], fact["ol"]], "contested": []}


NO_ROWS_ON_THE_EXAMPLES = {"contested"}     # no two example articles disagree about a fact


def test_every_canned_query_runs_on_the_examples(examples_store, gazetteer):
    args = example_args(examples_store)
    for name, query in catalogue().items():
        for evidence in (False, True):
            rows = run(query, examples_store, args[name], gazetteer, evidence=evidence)
            assert isinstance(rows, list), name
            if name not in NO_ROWS_ON_THE_EXAMPLES:     # arguments taken from the data: something answers
                assert rows, (name, args[name], evidence)
            for row in rows:
                expected = query.columns + (EVIDENCE if evidence or query.evidence_always else SUMMARY)
                assert tuple(row) == expected, name
    assert run(load("evidence"), examples_store, args["evidence"], gazetteer)   # a stored fact has evidence
    assert run(load("path"), examples_store, args["path"], gazetteer)


# -- behaviour on a small graph with known answers --------------------------------------

def test_supporters_count_articles_and_give_the_best_sentence(small):
    rows = ask(small, "supporters", "National Liberation Front")
    assert rows == [{"supporter": "Turkey", "supporter_type": "Country", "articles": 3, "confidence": 0.9,
                     "evidence": "Turkey backs the National Liberation Front.", "sources": "a1.txt; a2.txt; a3.txt"}]
    evidence = ask(small, "supporters", "National Liberation Front", evidence=True)
    assert [r["article"] for r in evidence] == ["a1", "a3", "a2"]          # best first
    assert {r["sentence"] for r in evidence} == {"Turkey backs the National Liberation Front.",
                                                 "Ankara armed NLF fighters.", "Turkey sent more weapons to the NLF."}


def test_supported_by_opponents_and_leaders(small):
    assert [(r["supported"], r["articles"]) for r in ask(small, "supported-by", "Russia")] == \
        [("Hayat Tahrir al-Sham", 1), ("Syria", 1)]
    opponents = {(r["relation"], r["opponent"]) for r in ask(small, "opponents", "Russia")}
    assert opponents == {("attacked", "Saraqib"), ("opposes", "Hayat Tahrir al-Sham"), ("opposes", "Syria")}
    assert [(r["relation"], r["opponent"]) for r in ask(small, "opponents", "Saraqib")] == [("attacked by", "Russia")]
    assert [(r["person"], r["role"]) for r in ask(small, "leaders", "Turkey")] == \
        [("Recep Tayyip Erdogan", "leader"), ("Hakan Fidan", "official")]


def test_names_resolve_like_the_extractor(small, gazetteer):
    assert ask(small, "supporters", "NLF", gazetteer=gazetteer)[0]["supporter"] == "Turkey"        # alias
    assert ask(small, "supporters", "national LIBERATION front")[0]["supporter"] == "Turkey"     # case
    assert ask(small, "at", "Jisr al-Shughur")[0]["place"] == "Jisr al-Shughūr"                   # diacritics
    assert ask(small, "leaders", "Turkish", gazetteer=gazetteer)                                  # demonym
    with pytest.raises(ResolutionError, match="closest known: .*National Liberation Front"):
        ask(small, "supporters", "National Liberation Frnt")


def test_profile_has_every_fact_about_the_entity_grouped_by_predicate(small):
    rows = ask(small, "profile", "Sochi Memorandum")
    assert [(r["predicate"], r["subject"], r["object"]) for r in rows] == [
        ("applies_to", "Sochi Memorandum", "Idlib"),
        ("party_to", "Russia", "Sochi Memorandum"), ("party_to", "Turkey", "Sochi Memorandum"),
        ("signed_on", "Sochi Memorandum", "2018"), ("signed_on", "Sochi Memorandum", "2018-09-17"),
        ("signed_on", "Sochi Memorandum", "2018-09-18")]


def test_agreements_and_agreement(small):
    rows = ask(small, "agreements", "Turkey")
    assert {(r["agreement"], r["relation"], r["signed_on"]) for r in rows} == {
        ("Sochi Memorandum", "party_to", d) for d in ("2018", "2018-09-17", "2018-09-18")}
    assert {r["relation"] for r in ask(small, "agreements", "Idlib")} == {"applies_to"}
    parts = {(r["role"], r["value"]): r for r in ask(small, "agreement", "Sochi Memorandum")}
    assert set(parts) == {("party", "Turkey"), ("party", "Russia"), ("applies_to", "Idlib"),
                          ("signed_on", "2018"), ("signed_on", "2018-09-17"), ("signed_on", "2018-09-18")}
    assert parts[("signed_on", "2018-09-18")]["sources"] == "a2.txt"


def test_at_is_transitive_over_located_in(small):
    syria = ask(small, "at", "Syria")
    assert pick(syria, place="Saraqib", predicate="attacked", subject="Russia")      # Saraqib -> Idlib -> Syria
    assert pick(syria, place="Jisr al-Shughūr", predicate="controls")
    assert pick(ask(small, "at", "Idlib"), place="Saraqib", predicate="controls", subject="Hayat Tahrir al-Sham")
    saraqib = ask(small, "at", "Saraqib")
    assert {r["place"] for r in saraqib} == {"Saraqib"}
    assert not pick(saraqib, object="Syria")


def test_path_is_the_shortest_chain_with_evidence_per_hop(small):
    rows = ask(small, "path", "Turkey", "Hayat Tahrir al-Sham")
    assert [(r["hop"], r["subject"], r["predicate"], r["object"]) for r in rows] == [
        (1, "Turkey", "party_to", "Sochi Memorandum"),
        (2, "Russia", "party_to", "Sochi Memorandum"),
        (3, "Russia", "opposes", "Hayat Tahrir al-Sham"),
        (3, "Russia", "supports", "Hayat Tahrir al-Sham")]
    assert all(r["evidence"] and r["articles"] >= 1 for r in rows)
    evidence = ask(small, "path", "Turkey", "Hayat Tahrir al-Sham", evidence=True)
    assert {(r["hop"], r["article"]) for r in evidence} == {(1, "a1"), (2, "a1"), (3, "a3"), (3, "a1")}
    assert ask(small, "path", "Vladimir Putin", "Hakan Fidan")[0]["predicate"] == "talked_with"  # either direction
    with pytest.raises(QueryError, match="two different"):
        ask(small, "path", "Turkey", "Turkey")


@settings(max_examples=200, deadline=None)
@given(edges=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=40),
       ends=st.tuples(st.integers(0, 14), st.integers(0, 14)))
def test_path_search_from_both_ends_finds_the_chain_the_whole_graph_gives(edges, ends):
    """The layer-by-layer search the SPARQL path runs sees only part of the graph, yet picks
    the same chain (the same tie-break) as a search of the whole graph."""
    rows = [{"subject_id": f"e{a:02d}", "object_id": f"e{b:02d}"} for a, b in edges]
    whole = edge_graph(rows)
    source, target = (f"e{n:02d}" for n in ends)
    assume(source != target)                       # kg refuses a path from an entity to itself

    def neighbours(frontier):
        return [(e, n) for e in frontier if e in whole for n in whole[e]]

    assert shortest_chain(explored_graph(neighbours, source, target), source, target) == \
        shortest_chain(whole, source, target)


def test_path_breaks_ties_by_entity_id():
    edges = [{"subject_id": a, "object_id": b} for a, b in (("a", "c"), ("c", "d"), ("a", "b"), ("b", "d"), ("x", "y"))]
    graph = edge_graph(edges)
    assert shortest_chain(graph, "a", "d") == ["a", "b", "d"]
    assert shortest_chain(graph, "d", "a") == ["d", "b", "a"]
    assert shortest_chain(graph, "a", "x") == []
    assert shortest_chain(graph, "a", "nowhere") == []


def test_timeline_is_in_date_order(small):
    rows = ask(small, "timeline")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates) and dates[0] == "2018" and dates[-1] == "2020-02-01"
    assert pick(rows, date="2019-05-05", predicate="attacked")             # the evidence's own date wins
    assert pick(rows, date="2018-09-17", predicate="signed_on")            # a signing date is its own date
    russia = ask(small, "timeline", "Russia")
    assert {r["subject"] for r in russia} == {"Russia"}
    assert [r["date"] for r in russia] == sorted(r["date"] for r in russia)


def test_evidence_lists_every_article_behind_a_fact(small):
    rows = ask(small, "evidence", "Turkey", "supports", "National Liberation Front")
    assert [r["article"] for r in rows] == ["a1", "a2", "a3"]
    assert [r["published"] for r in rows] == ["2018-09-18", "2019-05-06", "2020-02-01"]
    assert ask(small, "evidence", "Vladimir Putin", "talked with", "Recep Tayyip Erdogan")   # symmetric
    assert [r["article"] for r in ask(small, "evidence", "Sochi Memorandum", "signed_on", "2018-09-18")] == ["a2"]
    assert ask(small, "evidence", "Turkey", "opposes", "National Liberation Front") == []
    with pytest.raises(QueryError, match="unknown predicate"):
        ask(small, "evidence", "Turkey", "likes", "Russia")
    with pytest.raises(QueryError, match="not a date"):
        ask(small, "evidence", "Sochi Memorandum", "signed_on", "yesterday")


def test_contested_shows_both_sides(small):
    rows = ask(small, "contested")
    assert [(r["conflict"], r["subject"], r["claim"], r["object"], r["evidence"]) for r in rows] == [
        ("signing date", "Sochi Memorandum", "signed_on", "2018-09-17", "The memorandum was signed on 17 September 2018."),
        ("signing date", "Sochi Memorandum", "signed_on", "2018-09-18", "The deal signed on 18 September 2018 is collapsing."),
        ("supports vs opposes", "Russia", "opposes", "Hayat Tahrir al-Sham", "Russia vowed to fight HTS."),
        ("supports vs opposes", "Russia", "supports", "Hayat Tahrir al-Sham", "Russia quietly supports HTS, a source said."),
    ]   # Russia on Syria: both in one article; "2018" agrees with both dates


def test_wrong_number_of_arguments_says_the_usage(small):
    with pytest.raises(QueryError, match="usage: kg query path SOURCE TARGET"):
        ask(small, "path", "Turkey")
    with pytest.raises(QueryError, match="did you mean supporters"):
        load("supporter")


# -- safety ---------------------------------------------------------------------------

def nquads(store) -> list[str]:
    return sorted(str(q) for q in store.quads())


@pytest.mark.parametrize("name", sorted(n for n, q in catalogue().items() if q.params))
def test_injection_strings_in_every_parameter_change_nothing(small, name):
    query, before = load(name), nquads(small)
    for param in query.params:
        for hostile in INJECTIONS:
            params = {p.name: resource("country/turkey") for p in query.params if p.kind in ("entity", "object")}
            params.update({p.name: PREFIXES["kg"] + "supports" for p in query.params if p.kind == "predicate"})
            params[param.name] = hostile
            text = query.text("sparql")
            for ask_store in (lambda: small.query(text, params), lambda: small.query(bind_constants(text, params))):
                try:                                   # bound as a value or a constant: no rows, or a refused IRI
                    rows = ask_store()
                except (ValueError, QueryError):
                    pass                               # refused: a bad IRI, or a literal where a predicate goes
                else:
                    assert rows == [], (name, hostile, rows)
            with pytest.raises((ResolutionError, QueryError)):   # and through name resolution
                args = ["Turkey", "supports", "Russia"][:len(query.params)]
                args[query.params.index(param)] = hostile
                run(query, small, args)
    assert nquads(small) == before


@pytest.mark.parametrize("text", [
    "INSERT DATA { <a> <b> <c> }", "DELETE WHERE { ?s ?p ?o }", "DROP ALL", "LOAD <http://example.org/x>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "CLEAR DEFAULT"])
def test_user_sparql_refuses_writes_and_remote_reads(runner, small, text):
    path = small.path
    small.close()
    result = runner.invoke(cli, ["--store", str(path), "sparql", text])
    assert result.exit_code == 1 and "not allowed" in result.output


def test_row_cap_lowers_or_adds_the_outer_limit():
    assert cap_rows("SELECT * WHERE { ?s ?p ?o } LIMIT 5000", 100).endswith("LIMIT 100")
    assert cap_rows("SELECT * WHERE { ?s ?p ?o } LIMIT 5", 100).endswith("LIMIT 5")
    assert "LIMIT 100" in cap_rows("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", 100)
    capped = cap_rows("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <x> }", 7)
    assert capped.index("LIMIT 7") < capped.index("VALUES")
    assert cap_rows("ASK { ?s ?p ?o }", 3) == "ASK { ?s ?p ?o }"
    prepareQuery(capped)
    store = EmbeddedStore()
    assert store.query(cap_rows('SELECT ?x WHERE { VALUES ?x { 1 2 3 4 } } # } LIMIT 9', 2)) == [{"x": 1}, {"x": 2}]


# -- the command line -----------------------------------------------------------------

@pytest.fixture
def small_path(tmp_path):
    path = tmp_path / "small-cli"
    querydata.build(EmbeddedStore(path)).close()
    return str(path)


def test_cli_lists_the_queries(runner, small_path):
    result = runner.invoke(cli, ["--store", small_path, "query"])
    assert result.exit_code == 0
    for name in catalogue():
        assert name in result.output
    assert "path SOURCE TARGET" in result.output and "timeline [ENTITY]" in result.output


def test_cli_runs_a_query_as_json_and_csv(runner, small_path):
    result = runner.invoke(cli, ["--store", small_path, "query", "supporters", "NLF", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["supporter"] == "Turkey" and rows[0]["articles"] == 3
    result = runner.invoke(cli, ["--store", small_path, "query", "supporters", "NLF", "--format", "csv", "--evidence"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "supporter,supporter_type,article,source,sentence,confidence" and len(lines) == 4
    table = runner.invoke(cli, ["--store", small_path, "query", "path", "Turkey", "HTS"])
    assert table.exit_code == 0 and "party_to" in table.output


def test_cli_unknown_query_and_unknown_entity(runner, small_path):
    result = runner.invoke(cli, ["--store", small_path, "query", "supportrs", "NLF"])
    assert result.exit_code == 1 and "no canned query 'supportrs'" in result.output and "supporters" in result.output
    result = runner.invoke(cli, ["--store", small_path, "query", "supporters", "Nat Liberation Front"])
    assert result.exit_code == 1
    assert "no entity named 'Nat Liberation Front'" in result.output and "National Liberation Front" in result.output
    result = runner.invoke(cli, ["--store", small_path, "query", "supporters"])
    assert result.exit_code == 1 and "usage: kg query supporters ENTITY" in result.output


def test_cli_backend_errors_say_what_to_do(runner, small_path, monkeypatch):
    monkeypatch.delenv("KG_SPARQL_ENDPOINT", raising=False)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    result = runner.invoke(cli, ["--store", small_path, "query", "supporters", "NLF", "--backend", "sparql"])
    assert result.exit_code == 1 and "--endpoint" in result.output
    result = runner.invoke(cli, ["--store", small_path, "query", "supporters", "NLF", "--backend", "neo4j"])
    assert result.exit_code == 1 and "NEO4J_PASSWORD" in result.output
    result = runner.invoke(cli, ["--store", small_path, "query", "supporters", "NLF", "--backend", "oracle"])
    assert result.exit_code == 1 and "unknown backend" in result.output


def test_cli_sparql_with_params_file_and_limit(runner, small_path, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?e WHERE { ?e rdfs:label ?name }")
    result = runner.invoke(cli, ["--store", small_path, "sparql", f"@{query}", "-p", "name=Turkey", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"e": resource("country/turkey")}]   # the default graph: the summary
    result = runner.invoke(cli, ["--store", small_path, "sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--limit", "2",
                                 "--format", "csv"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 3
    assert "showing the first 2 rows" in result.stderr
    hostile = runner.invoke(cli, ["--store", small_path, "sparql", "SELECT ?e WHERE { ?e rdfs:label ?name }",
                                  "-p", f"name={INJECTIONS[1]}"])
    assert hostile.exit_code == 0 and "(no rows)" in hostile.output
    missing = runner.invoke(cli, ["--store", small_path, "sparql", "@nope.rq"])
    assert missing.exit_code == 1 and "no query file" in missing.output


def test_cli_cypher_needs_neo4j_settings(runner, monkeypatch):
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    result = runner.invoke(cli, ["cypher", "MATCH (n) RETURN n LIMIT 1"])
    assert result.exit_code == 1 and "NEO4J_PASSWORD" in result.output


class FakeCypherStore:
    """Answers the Cypher label lookup and records every other query and its parameters."""

    language = "cypher"

    def __init__(self, rows=()):
        self.calls, self.rows = [], list(rows)

    def query(self, text, params=None):
        from kg.lookup import CYPHER_LABELS_QUERY

        if text == CYPHER_LABELS_QUERY:
            return [{"id": e.id, "label": e.label} for e in querydata.E.values()]
        self.calls.append((text, params))
        return self.rows


def test_cypher_backend_gets_ids_types_and_nulls_as_parameters(gazetteer):
    store = FakeCypherStore()
    ask(store, "supporters", "NLF", gazetteer=gazetteer)
    assert store.calls[-1] == (load("supporters").text("cypher"), {"entity": "armedgroup/national-liberation-front"})
    ask(store, "timeline")
    assert store.calls[-1][1] == {"entity": None}
    ask(store, "evidence", "Turkey", "supports", "NLF", gazetteer=gazetteer)
    assert store.calls[-1][1] == {"subject": "country/turkey", "predicate": "SUPPORTS",
                                  "object": "armedgroup/national-liberation-front"}


def test_cypher_path_rows_become_one_chain():
    row = lambda s, p, o, article: {"subject_id": s, "subject": s, "predicate": p, "object_id": o, "object": o,
                                    "article": article, "source": article, "sentence": "s", "confidence": 0.5}
    store = FakeCypherStore([row("country/turkey", "SUPPORTS", "country/b", "a1"),
                             row("country/b", "SUPPORTS", "country/russia", "a1"),
                             row("country/turkey", "SUPPORTS", "country/c", "a2"),
                             row("country/c", "ATTACKED", "country/russia", "a2")])
    rows = ask(store, "path", "Turkey", "Russia")
    assert [(r["hop"], r["subject"], r["predicate"], r["object"]) for r in rows] == [
        (1, "country/turkey", "supports", "country/b"), (2, "country/b", "supports", "country/russia")]
    assert store.calls[-1][1] == {"source": "country/turkey", "target": "country/russia"}
