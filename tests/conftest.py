"""Shared fixtures: the bundled examples, a store built from them, a CLI runner."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
GOLD = ROOT / "examples" / "gold.jsonl"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def example_articles():
    from kg.loaders.articles import read_articles

    return [a for a in read_articles([EXAMPLES]) if not isinstance(a, Exception)]


@pytest.fixture(scope="session")
def example_extractions(example_articles):
    from kg.loaders.pipeline import extract

    return [extract(a) for a in example_articles]


@pytest.fixture(scope="session")
def _examples_store_dir(tmp_path_factory, example_extractions) -> Path:
    from kg.stores.embedded import EmbeddedStore

    path = tmp_path_factory.mktemp("examples-store") / "store"
    store = EmbeddedStore(path)
    for extraction in example_extractions:
        store.add_article(extraction)
    store.close()
    return path


@pytest.fixture
def examples_store(_examples_store_dir, tmp_path):
    """A private copy of an embedded store holding the example articles."""
    from kg.stores.embedded import EmbeddedStore

    path = tmp_path / "store"
    shutil.copytree(_examples_store_dir, path)
    store = EmbeddedStore(path)
    yield store
    store.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "store"
