"""Copy the embedded store to a server: a SPARQL endpoint or Neo4j.

The CLI's ``kg push`` is a thin layer over :func:`push`. Every target replaces
each article exactly and merges on stable ids, so pushing again changes nothing
and an interrupted push is finished by running it again.
"""
from __future__ import annotations

import time
from typing import Callable, TextIO

from kg.errors import StoreError

Progress = Callable[[int, int], None]


def open_target(kind: str, **config):
    """A target store by registry name ("sparql" or "neo4j") with its settings."""
    from kg.stores import get_store

    if kind not in ("sparql", "neo4j"):
        raise StoreError(f"cannot push to {kind!r}; targets: sparql, neo4j")
    return get_store(kind, **config)


def push(source_store, target, batch_size: int = 50, progress: Progress | None = None, **options) -> dict:
    """Write every article of ``source_store`` to ``target``; counts of what was written.

    The result holds at least ``articles`` (pushed), ``batches`` and ``seconds``,
    plus the target's own counts (quads for SPARQL; nodes and relationships for Neo4j).
    """
    if batch_size < 1:
        raise StoreError("the batch size must be at least 1")
    started = time.monotonic()
    summary = target.push_from(source_store, batch_size=batch_size, progress=progress, **options)
    summary["seconds"] = round(time.monotonic() - started, 2)
    return summary


def progress_printer(label: str, stream: TextIO | None = None) -> Progress:
    """A progress callback: a live bar on stderr when it is a terminal, nothing in pipes
    and logs (the summary line says what was pushed); with ``stream``, one line per
    batch there (``label: 40/120 articles``)."""
    if stream is not None:
        def show(done: int, total: int) -> None:
            print(f"{label}: {done}/{total} articles", file=stream, flush=True)

        return show
    from kg.progress import Progress as Bar

    bar = Bar(label).__enter__()

    def show_bar(done: int, total: int) -> None:
        bar.update(done, total)
        if done >= total:
            bar.__exit__(None, None, None)

    return show_bar


DESCRIBED = (("quads", "quads written"), ("pruned", "graphs pruned"),
             ("nodes_created", "nodes created"), ("relationships_created", "relationships created"),
             ("nodes_deleted", "nodes deleted"), ("relationships_deleted", "relationships deleted"),
             ("properties_set", "properties set"), ("nodes", "nodes in all"),
             ("relationships", "relationships in all"))


def describe(summary: dict) -> str:
    """One line saying what a push wrote."""
    parts = [f"pushed {summary['articles']} article(s) to {summary['target']}"]
    for key, label in DESCRIBED:
        if key in summary:
            parts.append(f"{summary[key]} {label}")
    parts.append(f"{summary['batches']} batch(es), {summary.get('seconds', 0)} s")
    return ", ".join(parts)
