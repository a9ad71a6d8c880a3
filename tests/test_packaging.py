"""The installed package: one import root, data files shipped, no bare top-level imports."""
import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_setup_cfg():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    mapping = dict(line.split(" = ") for line in config["options"]["package_dir"].strip().splitlines())
    folders = {str(p.parent.relative_to(ROOT)) for p in ROOT.glob("*/**/__init__.py")
               if not any(part.startswith(".") or part in ("tests", "build") for part in p.relative_to(ROOT).parts)}
    expected = set()
    for folder in folders:
        top, *rest = folder.split("/")
        name = next((pkg for pkg, path in mapping.items() if path == top), top)
        expected.add(".".join([name, *rest]))
    assert expected == listed


def test_no_bare_imports_of_mapped_folders():
    pattern = re.compile(r"^\s*(?:from|import)\s+(schema|loaders|queries)\b", re.MULTILINE)
    offenders = [str(p) for p in ROOT.rglob("*.py")
                 if ".venv" not in p.parts and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_data_files_are_reachable_through_the_package():
    from importlib import resources

    schema = resources.files("kg.schema")
    for name in ("vocabulary.yaml", "rules.yaml", "lexicon.yaml", "cleaning.yaml", "ontology.ttl",
                 "gazetteer/countries.yaml"):
        assert schema.joinpath(name).is_file(), name
    assert resources.files("kg.queries").joinpath("manifest.yaml").is_file()


def test_ontology_declares_every_predicate():
    import rdflib

    from kg.schema.vocab import predicates

    graph = rdflib.Graph().parse(ROOT / "schema" / "ontology.ttl")
    declared = {str(s) for s in graph.subjects(rdflib.RDF.type, None)}
    assert {p.iri for p in predicates().values()} <= declared
