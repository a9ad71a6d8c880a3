"""Exports: every format written and read back, filters, atomic writes, awkward names."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import export, export_neo4j
from kg.export import ExportError, Selection, clean_text, export_graph, property_graph, render, render_files
from kg.model import DateValue
from kg.schema.namespaces import ONTOLOGY, RDFS
from small_graphs import A, B, C, D, E, G, entity, extraction, sample_store, store_of

RDF_PARSERS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}
DATASET_FORMATS = ("nquads", "trig", "jsonld")


def expected_dataset(store) -> set:
    """The store's quads plus the ontology graph, as rdflib terms."""
    quads = list(store.quads()) + export.ontology_quads()
    dataset = rdflib.Dataset()
    dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    return {(s, p, o, g) for s, p, o, g in dataset.quads()}


def parsed(text: str, fmt: str):
    if fmt in DATASET_FORMATS:
        dataset = rdflib.Dataset()
        dataset.parse(data=text, format=RDF_PARSERS[fmt])
        return {(s, p, o, g) for s, p, o, g in dataset.quads()}
    graph = rdflib.Graph()
    graph.parse(data=text, format=RDF_PARSERS[fmt])
    return graph


@pytest.fixture
def small():
    store = sample_store()
    yield store
    store.close()


@pytest.fixture
def examples_path(_examples_store_dir, tmp_path) -> Path:
    path = tmp_path / "examples-store"
    shutil.copytree(_examples_store_dir, path)
    return path


# -- RDF --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", list(RDF_PARSERS))
def test_rdf_reads_back_as_the_store(examples_store, fmt):
    expected = expected_dataset(examples_store)
    got = parsed(render(examples_store, fmt), fmt)
    if fmt in DATASET_FORMATS:
        assert got == expected                       # every article graph, named
    else:
        union = rdflib.Graph()
        for s, p, o, _ in expected:
            union.add((s, p, o))
        assert isomorphic(got, union)


@pytest.mark.parametrize("fmt", list(RDF_PARSERS))
def test_rdf_carries_classes_properties_and_evidence(small, fmt):
    text = render(small, fmt)
    graph = rdflib.Dataset(default_union=True) if fmt in DATASET_FORMATS else rdflib.Graph()
    graph.parse(data=text, format=RDF_PARSERS[fmt])
    kg = rdflib.Namespace(ONTOLOGY)
    assert (kg.Fact, rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert (kg.supports, rdflib.RDF.type, rdflib.OWL.ObjectProperty) in graph
    sentences = {str(o) for o in graph.objects(None, kg.sentence)}
    assert "A sentence that says so. (0)" in sentences


def test_jsonld_has_an_inline_context_and_named_graphs(small):
    data = json.loads(render(small, "jsonld"))
    assert isinstance(data["@context"], dict) and data["@context"]["kg"] == ONTOLOGY
    graphs = [item["@id"] for item in data["@graph"] if "@graph" in item]
    assert any(g.endswith("article/a1") for g in graphs)


# -- GraphML / GEXF ------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_formats_read_back_with_flat_typed_attributes(examples_store, tmp_path, fmt, reader):
    path = tmp_path / f"graph.{fmt}"
    export_graph(examples_store, fmt, str(path))
    graph = reader(path)
    model = property_graph(examples_store)
    assert graph.number_of_nodes() == len(model.nodes)
    assert graph.number_of_edges() == len(model.edges)
    for _, attrs in graph.nodes(data=True):
        assert isinstance(attrs["label"], str) and isinstance(attrs["type"], str)
    for _, _, attrs in graph.edges(data=True):
        assert isinstance(attrs["articles"], int) and attrs["articles"] >= 1
        assert isinstance(attrs["evidence_count"], int) and attrs["evidence_count"] >= attrs["articles"]
        assert isinstance(attrs["confidence"], float) and isinstance(attrs["evidence"], str) and attrs["evidence"]
        assert all(isinstance(v, (str, int, float, bool)) for v in attrs.values())


def test_graphml_counts_evidence_and_keeps_coordinates(small, tmp_path):
    path = tmp_path / "g.graphml"
    export_graph(small, "graphml", str(path))
    graph = nx.read_graphml(path)
    attacked = [a for _, _, a in graph.edges(data=True) if a["predicate"] == "attacked"][0]
    assert attacked["articles"] == 2 and attacked["evidence_count"] == 2
    assert attacked["confidence"] == 0.8 and attacked["evidence"] == "A sentence that says so. (0)"
    assert graph.nodes[D.id]["lat"] == -33.5 and graph.nodes[G.id]["signed_on"] == "2019-06-01"


# -- CSV and Neo4j ---------------------------------------------------------------------------
def test_csv_neutralises_formulas(tmp_path):
    names = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]
    facts = [(entity(n, "Organization"), "supports", A) for n in names]
    store = store_of(extraction("f1", facts))
    export_graph(store, "csv", str(tmp_path / "out"))
    rows = list(csv.DictReader((tmp_path / "out" / "nodes.csv").open(encoding="utf-8", newline="")))
    labels = {r["label"] for r in rows}
    assert {"'" + n for n in names} <= labels
    alpha = next(r for r in rows if r["id"] == A.id)
    assert alpha["lon"] == "-20.25"                       # numbers are not neutralised
    edges = list(csv.DictReader((tmp_path / "out" / "edges.csv").open(encoding="utf-8", newline="")))
    assert len(edges) == len(names) and all(e["predicate"] == "supports" for e in edges)


def test_csv_prefix_and_missing_output(small, tmp_path):
    export_graph(small, "csv", str(tmp_path / "kg-"))
    assert (tmp_path / "kg-nodes.csv").is_file() and (tmp_path / "kg-edges.csv").is_file()
    with pytest.raises(ExportError, match="-o FOLDER"):
        export_graph(small, "csv")


def test_neo4j_admin_files_match_the_push_model(small, tmp_path):
    export_graph(small, "neo4j-admin", str(tmp_path / "import"))
    read = lambda name: list(csv.reader((tmp_path / "import" / name).open(encoding="utf-8", newline="")))
    entities, facts, evidence = read("entities.csv"), read("facts.csv"), read("evidence.csv")
    assert entities[0][:2] == ["id:ID(Entity)", ":LABEL"] and "location:point{crs:WGS-84}" in entities[0]
    assert facts[0][:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert "articles:long" in facts[0] and "sources:string[]" in facts[0]
    assert read("from_article.csv")[0] == [":START_ID(Evidence)", ":END_ID(Article)", ":TYPE"]
    alpha = next(r for r in entities[1:] if r[0] == A.id)
    assert alpha[1] == "Entity;Actor;Country" and alpha[5] == "{latitude:10.5, longitude:-20.25}"
    accord = dict(zip(entities[0], next(r for r in entities[1:] if r[0] == G.id)))
    assert accord["signed_on:date"] == "2019-06-01" and accord["signed_on_text"] == "2019-06-01"
    attacked = dict(zip(facts[0], next(r for r in facts[1:] if r[2] == "ATTACKED")))
    assert attacked["articles:long"] == "2" and attacked["sources:string[]"] == "a3;a2"   # best first
    assert attacked["confidence:double"] == "0.8" and len(attacked["evidence_ids:string[]"].split(";")) == 2
    assert len(evidence) - 1 == 7 and len(read("mentions.csv")) - 1 == 10
    for name in export_neo4j.ADMIN_FILES:
        header = read(name)[0]
        assert all(len(row) == len(header) for row in read(name))


def script_parts(script: str) -> list[tuple[str, str]]:
    """(':param', value) and ('cypher', statement) in order; statements end with ';'."""
    parts, pending = [], []
    for line in script.split("\n"):
        if line.startswith(":param rows => "):
            parts.append((":param", line[len(":param rows => "):]))
        elif line.startswith("//") or not line.strip():
            continue
        else:
            pending.append(line)
            if line.endswith(";"):
                parts.append(("cypher", "\n".join(pending)[:-1]))
                pending = []
    assert not pending
    return parts


def test_cypher_script_loads_the_push_model_with_parameters(small):
    from kg.stores import neo4j as model

    parts = script_parts(render(small, "cypher"))
    statements = [text for kind, text in parts if kind == "cypher"]
    assert statements[:len(model.constraint_statements())] == model.constraint_statements()
    after_params = [parts[n + 1] for n, (kind, _) in enumerate(parts) if kind == ":param"]
    assert all(kind == "cypher" and text.startswith("UNWIND $rows AS row") for kind, text in after_params)
    assert model.MERGE_ARTICLES in statements and model.MERGE_EVIDENCE in statements
    rows = [row for kind, value in parts if kind == ":param" for row in cypher_to_python(value)]
    assert {r["id"] for r in rows if r.get("type") == "Country"} == {A.id}
    facts = {(r["subject_id"], r["predicate"], r["object_id"]) for r in rows if set(r) == {"subject_id", "predicate", "object_id"}}
    assert (C.id, "attacked", D.id) in facts
    assert not any("DELETE" in s for s in statements)


def cypher_to_python(text: str):
    """Our Cypher literals are JSON with bare map keys: quote the keys outside strings."""
    return json.loads(_quote_keys(text))


def _quote_keys(text: str) -> str:
    """Quote bare map keys (outside strings) so the literal parses as JSON."""
    out, n, in_string = [], 0, False
    while n < len(text):
        ch = text[n]
        if in_string:
            out.append(ch)
            if ch == "\\":
                out.append(text[n + 1])
                n += 2
                continue
            in_string = ch != '"'
        elif ch == '"':
            in_string = True
            out.append(ch)
        else:
            match = re.match(r"([A-Za-z_]\w*):", text[n:])
            if match and _after_brace_or_comma(out):
                out.append(f'"{match.group(1)}":')
                n += len(match.group(0))
                continue
            out.append(ch)
        n += 1
    return "".join(out)


def _after_brace_or_comma(out: list) -> bool:
    for ch in reversed(out):
        if ch.strip():
            return ch in "{,"
    return False


def test_browser_guide_has_every_cypher_query_runnable(small):
    from kg.queries import catalogue

    guide = render(small, "browser-guide")
    assert guide.startswith('<article class="guide">') and "<carousel" in guide
    for query in catalogue().values():
        text = query.text("cypher")          # every canned query has a Cypher file (tests/test_queries.py)
        import html

        assert html.escape(text.strip()) in guide
    assert 'class="pre-scrollable code runnable"' in guide and ":param" in guide


# -- filters ------------------------------------------------------------------------------------
def edges_of(store, **kwargs) -> set:
    return {(s, p, t) for s, p, t in property_graph(store, Selection(**kwargs)).edges}


def test_no_filter_keeps_everything(small):
    assert len(edges_of(small)) == 5


def test_predicate_filter(small):
    assert edges_of(small, predicate="attacked") == {(C.id, "attacked", D.id)}


def test_date_filters_use_article_dates(small):
    assert edges_of(small, until="2018") == {(A.id, "supports", B.id), (E.id, "leader_of", A.id)}
    since = edges_of(small, since="2019-06-15")      # a2 is dated 2019-06: the month overlaps
    assert (B.id, "opposes", C.id) in since and (A.id, "supports", B.id) not in since
    assert edges_of(small, since="2020-01-01") == {(C.id, "attacked", D.id)}


def test_min_sources(small):
    assert edges_of(small, min_sources=2) == {(C.id, "attacked", D.id)}
    graph = property_graph(small, Selection(min_sources=2, until="2019-12"))
    assert not graph.edges                                   # only one source left in range


def test_entity_neighbourhood(small):
    iri = "https://w3id.org/newskg/id/" + A.id
    one = edges_of(small, entity=iri, depth=1)
    assert one == {(A.id, "supports", B.id), (E.id, "leader_of", A.id), (A.id, "party_to", G.id)}
    two = edges_of(small, entity=iri, depth=2)
    assert one | {(B.id, "opposes", C.id)} == two
    assert edges_of(small, entity=iri, depth=0) == set()


def test_filtered_rdf_holds_only_the_kept_facts(small):
    text = render(small, "nquads", Selection(predicate="attacked"))
    dataset = parsed(text, "nquads")
    graphs = {str(g) for *_, g in dataset if not str(g).startswith(ONTOLOGY.rstrip("#"))}
    assert graphs == {"https://w3id.org/newskg/id/article/a2", "https://w3id.org/newskg/id/article/a3"}
    predicates = {str(p) for _, p, _, _ in dataset}
    assert ONTOLOGY + "attacked" in predicates and ONTOLOGY + "opposes" not in predicates
    labels = {str(o) for _, p, o, _ in dataset if str(p) == RDFS + "label"}
    assert {"Gamma", "Delta"} <= labels and "Beta" not in labels


def test_bad_filters_say_what_to_do():
    with pytest.raises(ExportError, match="YYYY"):
        Selection(since="June 2019")
    with pytest.raises(ExportError, match="known"):
        Selection(predicate="likes")


# -- atomic writes ---------------------------------------------------------------------------------
def test_failed_render_leaves_the_previous_file(small, tmp_path, monkeypatch):
    path = tmp_path / "graph.graphml"
    path.write_text("previous", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(export, "render_graph_xml", broken)
    with pytest.raises(RuntimeError):
        export_graph(small, "graphml", str(path))
    assert path.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.graphml"]


def test_failed_write_leaves_the_previous_files(small, tmp_path, monkeypatch):
    folder = tmp_path / "csv"
    export_graph(small, "csv", str(folder))
    before = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(export.os, "replace", broken_replace)
    with pytest.raises(OSError):
        export_graph(small, "csv", str(folder), Selection(predicate="supports"))
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} == before


# -- awkward names ------------------------------------------------------------------------------------
AWKWARD = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40) | st.sampled_from([
    'He said "no"', "back\\slash", "line\nbreak", "emoji 🕊️🇺🇳", "עברית ועוד", "العربية", "'; DROP --",
    "</script><script>alert(1)</script>", "=1+1", "\u202eRLO", "tab\tand\rCR", "\x00nul",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=AWKWARD)
def test_awkward_names_round_trip(name, tmp_path):
    other = entity("Other")
    subject = entity(name, "Organization")
    store = store_of(extraction("h1", [(subject, "supports", other)], sentence=f"{name} backs Other."))
    try:
        check_rdf(store, name)
        check_graph_files(store, name, tmp_path)
        check_csv_and_cypher(store, name)
    finally:
        store.close()


def check_rdf(store, name):
    for fmt in RDF_PARSERS:
        got = parsed(render(store, fmt), fmt)
        triples = got if fmt not in DATASET_FORMATS else {(s, p, o) for s, p, o, _ in got}
        labels = {str(o) for s, p, o in triples if str(p) == RDFS + "label"}
        assert name in labels, fmt


def check_graph_files(store, name, tmp_path):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"h.{fmt}"
        export_graph(store, fmt, str(path))
        labels = {a["label"] for _, a in reader(path).nodes(data=True)}
        assert clean_text(name) in labels, fmt


def check_csv_and_cypher(store, name):
    from kg.output import neutralise

    files = render_files(store, "csv")
    labels = {r["label"] for r in csv.DictReader(io.StringIO(files["nodes.csv"], newline=""))}
    assert neutralise(name) in labels
    rows = [row for kind, value in script_parts(render(store, "cypher")) if kind == ":param"
            for row in cypher_to_python(value)]
    assert name in {row["label"] for row in rows if "label" in row}


# -- CLI ------------------------------------------------------------------------------------------------
def test_cli_export_every_format(runner, examples_path, tmp_path):
    from kg.cli import cli

    for fmt in export.FORMATS:
        out = tmp_path / f"out-{fmt}"
        result = runner.invoke(cli, ["--store", str(examples_path), "export", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, (fmt, result.output)
        assert_holds_the_graph(out, fmt)


def assert_holds_the_graph(out, fmt):
    """The written export reads back in its own format and holds the examples' facts."""
    import json as json_module
    import xml.etree.ElementTree as ElementTree

    if fmt in export.MULTI_FILE_FORMATS:
        files = sorted(out.iterdir())
        assert len(files) >= 2 and all(len(f.read_text("utf-8").splitlines()) > 1 for f in files), (fmt, files)
        return
    text = out.read_text("utf-8")
    if fmt == "jsonld":
        assert json_module.loads(text)["@graph"], fmt
    elif fmt in export.RDF_FORMATS:
        quads = list(ox.parse(text.encode("utf-8"), format=getattr(ox.RdfFormat, export.RDF_FORMATS[fmt])))
        assert any(q.predicate.value.endswith("#supports") for q in quads), fmt
    elif fmt in ("graphml", "gexf"):
        root = ElementTree.fromstring(text.encode("utf-8"))
        assert len([e for e in root.iter() if e.tag.endswith("edge")]) > 10, fmt
    elif fmt == "cypher":
        assert "UNWIND" in text and "SUPPORTS" in text, fmt
    else:
        assert text.startswith('<article class="guide">'), fmt


def test_cli_export_to_stdout_with_filters(runner, examples_path):
    from kg.cli import cli

    result = runner.invoke(cli, ["--store", str(examples_path), "export", "--format", "ntriples",
                                 "--predicate", "leader_of", "--min-sources", "1"])
    assert result.exit_code == 0, result.output
    predicates = {str(p) for _, p, _ in parsed(result.output, "ntriples")}
    assert ONTOLOGY + "leaderOf" in predicates and ONTOLOGY + "supports" not in predicates


def test_cli_export_errors(runner, examples_path):
    from kg.cli import cli

    base = ["--store", str(examples_path), "export"]
    unknown = runner.invoke(cli, base + ["--entity", "Atlantis Liberation Front"])
    assert unknown.exit_code == 1 and "no entity named" in unknown.output
    no_output = runner.invoke(cli, base + ["--format", "csv"])
    assert no_output.exit_code == 1 and "-o FOLDER" in no_output.output
    bad_date = runner.invoke(cli, base + ["--since", "last week"])
    assert bad_date.exit_code == 2 and "YYYY" in bad_date.output


# -- Neo4j's own parser, and the Browser style ------------------------------------------------------------
def test_cypher_script_passes_neo4j_linter():
    import cypher_lint

    reason = cypher_lint.missing()
    if reason:
        pytest.skip(reason)
    names = ["nel\x85 ls\u2028", 'quote " and \' both', "back\\slash\\", "line\nbreak\ttab", "emoji 🕊️", "עברית", "\x01ctl"]
    store = store_of(extraction("l1", [(entity(n, "Organization"), "opposes", A) for n in names]
                                + [(G, "signed_on", DateValue("2019"))]))
    statements = [text if kind == "cypher" else f"RETURN {text} AS value"
                  for kind, text in script_parts(render(store, "cypher"))]
    assert len(statements) > 10
    assert cypher_lint.errors(statements) == {}


def grass_rules(text: str) -> dict[str, dict[str, str]]:
    rules = {}
    for selector, body in re.findall(r"^([\w.]+) \{\n(.*?)\n\}$", text, flags=re.M | re.S):
        rules[selector] = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);", body))
    return rules


def test_style_grass_styles_every_label_and_relationship_type():
    from kg.schema import read_text
    from kg.schema.vocab import ENTITY_TYPES, neo4j_labels, predicates
    from kg.view import TYPE_COLORS

    rules = grass_rules(read_text("style.grass"))
    assert rules["relationship"]["caption"] == '"<type>"'
    for kind in ENTITY_TYPES:
        for label in neo4j_labels(kind):
            rule = rules[f"node.{label}"]
            assert rule["caption"] == '"{label}"' and rule["diameter"].endswith("px")
            assert rule["color"] == TYPE_COLORS[label]
    for pred in predicates().values():
        assert rules[f"relationship.{pred.neo4j}"]["caption"] == '"<type>"'
    assert {"node.Entity", "node.Article", "node.Evidence"} <= set(rules)


# -- against a real Neo4j (only when NEO4J_URI is set; deletes kg's nodes there) ------------------------
def _neo4j_connection() -> dict:
    return {"uri": os.environ["NEO4J_URI"], "user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD", ""), "database": os.environ.get("NEO4J_DATABASE")}


def _snapshot(session) -> tuple:
    nodes = session.run("MATCH (n) WHERE n:Entity OR n:Article OR n:Evidence "
                        "RETURN labels(n) AS labels, properties(n) AS props").data()
    rels = session.run("MATCH (a)-[r]->(b) WHERE a:Entity OR a:Article OR a:Evidence "
                       "RETURN a.id AS a, type(r) AS type, properties(r) AS props, b.id AS b").data()
    def key(row: dict) -> str:         # property maps compared by content, not by key order
        return repr(sorted((k, repr(sorted(v.items())) if isinstance(v, dict) else repr(v)) for k, v in row.items()))
    return sorted(map(key, nodes)), sorted(map(key, rels))


@pytest.mark.skipif(not os.environ.get("NEO4J_URI"),
                    reason="NEO4J_URI not set: no Neo4j server to load the cypher script into")
def test_cypher_script_builds_the_same_graph_as_push(examples_store):
    from neo4j import GraphDatabase

    from kg.stores.neo4j import Neo4jStore

    connection = _neo4j_connection()
    wipe = "MATCH (n) WHERE n:Entity OR n:Article OR n:Evidence DETACH DELETE n"
    pushed = Neo4jStore(**connection)
    driver = GraphDatabase.driver(connection["uri"], auth=(connection["user"], connection["password"]))
    try:
        with driver.session(database=connection["database"]) as session:
            session.run(wipe).consume()
            pushed.push_from(examples_store)
            expected = _snapshot(session)
            session.run(wipe).consume()
            params = {}
            for kind, text in script_parts(render(examples_store, "cypher")):
                if kind == ":param":
                    params = {"rows": cypher_to_python(text)}
                else:
                    session.run(text, params).consume()
            assert _snapshot(session) == expected
            session.run(wipe).consume()
    finally:
        driver.close()
        pushed.close()
