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


# -- a real SPARQL server (the `oxigraph` PyPI package ships one) ------------------

class OxigraphServer:
    """``oxigraph serve`` on a free loopback port, data kept in ``location``.

    ``url`` is the base URL; ``query_url``, ``update_url`` and ``store_url`` are its
    SPARQL query, SPARQL Update and Graph Store Protocol endpoints. ``kill()`` sends
    SIGKILL (a crash); ``restart()`` starts it again on the same folder and port.
    """

    def __init__(self, executable: str, location: Path):
        import socket

        self.executable, self.location = executable, location
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url, self.update_url, self.store_url = (
            f"{self.url}/query", f"{self.url}/update", f"{self.url}/store")
        self.process = None

    def start(self, wait: float = 15.0) -> None:
        import subprocess
        import time
        import urllib.request

        self.log = open(self.location.parent / "oxigraph.log", "ab")
        self.process = subprocess.Popen(
            [self.executable, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}; "
                                   f"see {self.location.parent / 'oxigraph.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer on {self.url} within {wait} s")

    def kill(self) -> None:
        """SIGKILL: the server dies at once, as in a crash."""
        import signal

        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        if getattr(self, "log", None):
            self.log.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except Exception:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if getattr(self, "log", None):
            self.log.close()

    def restart(self) -> None:
        self.kill()
        self.start()


@pytest.fixture
def oxigraph_server(tmp_path):
    """A fresh Oxigraph SPARQL server for one test (skipped when `oxigraph` is not installed)."""
    import sys

    executable = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(executable).exists():
        pytest.skip("the `oxigraph` command is missing: pip install oxigraph")
    server = OxigraphServer(executable, tmp_path / "oxigraph-data")
    server.start()
    yield server
    server.stop()


# -- the Neo4j and Fuseki servers scripts/test starts (see tests/servers.py) -----------

@pytest.fixture
def neo4j_store():
    """kg's Neo4j store on the test server, without kg's nodes before and after the test."""
    from kg.stores.neo4j import Neo4jStore
    from servers import delete_kg_nodes, neo4j_connection

    store = Neo4jStore(**neo4j_connection(), max_rows=200_000)
    delete_kg_nodes(store)
    yield store
    delete_kg_nodes(store)
    store.close()


@pytest.fixture
def fuseki_server():
    """The Fuseki dataset at FUSEKI_URL, emptied before and after the test."""
    from servers import FusekiServer, required

    server = FusekiServer(required("FUSEKI_URL", "Fuseki server"))
    server.clear()
    yield server
    server.clear()


@pytest.fixture(params=["oxigraph", "fuseki"])
def sparql_server(request):
    """Each real SPARQL server in turn: Oxigraph (from PyPI) and Apache Jena Fuseki."""
    return request.getfixturevalue(f"{request.param}_server")
