"""kg validate: schema/shapes.ttl accepts well-formed graphs and reports broken ones."""
from __future__ import annotations

import shutil

from pyoxigraph import Literal, NamedNode, Quad

from kg.schema.namespaces import PROV, RDF, RESOURCE, XSD, kg
from kg.validate import validate_store
from small_graphs import sample_store

ARTICLE = NamedNode(RESOURCE + "article/a1")
FACT = NamedNode(RESOURCE + "fact/broken")
ENTITY = NamedNode(RESOURCE + "country/x")


def test_examples_conform(examples_store):
    conforms, problems = validate_store(examples_store)
    assert conforms, "\n".join(p.line() for p in problems)


def test_small_graph_conforms():
    assert validate_store(sample_store()) == (True, [])


def broken_store():
    """The sample graph plus hand-made errors (one per shape)."""
    store = sample_store()
    add = lambda s, p, o: store._store.add(Quad(s, NamedNode(p), o, ARTICLE))
    evidence = NamedNode(RESOURCE + "evidence/broken")
    add(ENTITY, RDF + "type", NamedNode(kg("Country")))
    add(ENTITY, kg("entityId"), Literal("country/x"))                       # no label
    add(FACT, RDF + "type", NamedNode(kg("Fact")))                          # no evidence
    add(FACT, RDF + "subject", ENTITY)
    add(FACT, RDF + "predicate", NamedNode(kg("supports")))
    add(FACT, RDF + "object", ENTITY)
    add(evidence, RDF + "type", NamedNode(kg("Evidence")))
    add(evidence, PROV + "wasDerivedFrom", ARTICLE)
    add(evidence, kg("sentence"), Literal("x"))
    add(evidence, kg("rule"), Literal("r"))
    add(evidence, kg("confidence"), Literal("1.5", datatype=NamedNode(XSD + "decimal")))
    add(evidence, kg("start"), Literal("9", datatype=NamedNode(XSD + "integer")))
    add(evidence, kg("end"), Literal("3", datatype=NamedNode(XSD + "integer")))
    add(NamedNode(RESOURCE + "agreement/y"), kg("signedOn"), Literal("June 2019"))
    return store


def test_broken_graph_is_reported():
    conforms, problems = validate_store(broken_store())
    assert not conforms
    by_focus = {}
    for problem in problems:
        by_focus.setdefault(problem.focus, []).append(problem)
    assert any(p.path == "kg:evidence" for p in by_focus["kgr:fact/broken"])
    assert any(p.path == "rdfs:label" for p in by_focus["kgr:country/x"])
    evidence = by_focus["kgr:evidence/broken"]
    assert any(p.path == "kg:confidence" and "[0, 1]" in p.message for p in evidence)
    assert any(p.path == "kg:start" and "after" in p.message for p in evidence)
    assert any(p.path == "kg:signedOn" for p in by_focus["kgr:agreement/y"])
    line = by_focus["kgr:fact/broken"][0].line()
    assert "\n" not in line and line.startswith("Violation: kgr:fact/broken  kg:evidence")


def test_cli_validate(runner, tmp_path, _examples_store_dir):
    from kg.cli import cli

    good = tmp_path / "good"
    shutil.copytree(_examples_store_dir, good)
    result = runner.invoke(cli, ["--store", str(good), "validate"])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output

    bad = tmp_path / "bad"
    broken_store_at(bad)
    result = runner.invoke(cli, ["--store", str(bad), "validate", "--max-errors", "2"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("Violation: ") and "more (use --max-errors)" in result.output
    assert "does not conform" in result.output


def broken_store_at(path):
    from kg.stores.embedded import EmbeddedStore

    source = broken_store()
    target = EmbeddedStore(path)
    target._store.extend(list(source.quads()))
    target.close()
