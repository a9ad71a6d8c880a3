"""Helpers shared by the robustness tests (imported by name: this folder has no __init__.py)."""
from __future__ import annotations

import random
import socket
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
KG = str(Path(sys.executable).parent / "kg")


# -- articles written for these tests ---------------------------------------------------

SENTENCES = [
    "Turkey supports the National Liberation Front.",
    "Russia backs the Syrian government.",
    "Iran backs Hezbollah.",
    "The United Arab Emirates supports the Rapid Support Forces.",
    "Egypt mediated talks between Israel and Hamas.",
    "Qatar hosted talks with the Taliban.",
    "Wagner Group fighters were deployed in Mali.",
    "Azerbaijan fights against Armenia.",
    "Erdogan met Putin in Sochi.",
    "Saudi Arabia opposes the Houthis.",
    "France withdrew its troops from Niger.",
    "The United States sanctioned Iran.",
]


def write_articles(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` small distinct articles (a dated dispatch of three sentences each)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        body = " ".join(rng.sample(SENTENCES, 3))
        path = folder / f"a{i:03d}.txt"
        path.write_text(f"date 2023-{1 + i % 12:02d}-{1 + i % 28:02d}\nDispatch {i}. {body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def nquads(store, summary: bool = False) -> list[str]:
    """Every quad of a store's article graphs (and its summary graph with ``summary``),
    as sorted N-Quads lines."""
    return sorted(str(q) for q in store.quads(summary=summary))


def summary_of(store) -> set[str]:
    """The quads of a store's summary graph, as N-Quads lines."""
    from kg.rdf import SUMMARY_GRAPH

    return {str(q) for q in store._store.quads_for_pattern(None, None, None, SUMMARY_GRAPH)}


def count_facts(store) -> int:
    rows = store.query("SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:Fact }")
    return int(rows[0]["n"])


def fact_ids(store) -> list[str]:
    """The IRIs of every kg:Fact node, one row per article graph stating it (so a fact
    doubled inside one graph shows twice)."""
    rows = store.query("SELECT ?f WHERE { GRAPH ?g { ?f a kg:Fact } FILTER(?g != kgr:graph\\/summary) }")
    return sorted(r["f"] for r in rows)


def record_files(figures, folders, bad_names=()) -> None:
    """Each file under ``folders`` as an input tried (by its bytes: the same content twice counts
    once); those named in ``bad_names`` as bad inputs refused. Special files count by name."""
    for folder in folders:
        folder = Path(folder)
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.is_dir():
                continue
            data = path.read_bytes() if path.is_file() and path.stat().st_size < 50_000_000 else str(path.name)
            (figures.refused if path.name in bad_names else figures.input)(data)


def stats_of(store) -> list[str]:
    """The quads of a store's stats graph (counts, best evidence, dates, conflicts), sorted."""
    from kg.aggregates import STATS_GRAPH

    return sorted(str(q) for q in store._store.quads_for_pattern(None, None, None, STATS_GRAPH))


def rebuilt_stats(store) -> list[str]:
    """The stats graph the store's article graphs imply, built from scratch."""
    from kg.aggregates import STATS_GRAPH, all_aggregates
    from kg.stores.embedded import EmbeddedStore

    graphs = [store.graph_quads(a) for a in store.article_ids()]
    if not graphs:
        return []         # no article yet: the store writes its stats graph with the first one
    scratch = EmbeddedStore()
    scratch._store.extend(all_aggregates(graphs))
    return sorted(str(q) for q in scratch._store.quads_for_pattern(None, None, None, STATS_GRAPH))


class Listener:
    """Accepts connections on 127.0.0.1 and records each one (and what it sent)."""

    def __init__(self, path: str = ""):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}{path}"
        self.received: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                connection, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            with connection:
                connection.settimeout(0.5)
                try:
                    self.received.append(connection.recv(4096) or b"<connected>")
                except OSError:
                    self.received.append(b"<connected>")

    @property
    def connections(self) -> int:
        return len(self.received)

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()
