"""Helpers shared by the robustness tests (imported by name: this folder has no __init__.py)."""
from __future__ import annotations

import random
import sys
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
