#!/usr/bin/env python3
"""Render the robustness suite's figures into the README's "Guarantees" section.

The figures come from tests/robustness/figures.json. A normal `pytest` run never writes
it: the suite writes its figures only to the file named by $KG_FIGURES, and only when the
whole suite ran and passed. This script writes the section to docs/guarantees.md and
between the markers of README.md:

    <!-- guarantees:start -->
    ...
    <!-- guarantees:end -->

Usage:
    python scripts/guarantees.py --run                  # run the suite, keep its figures, render
    python scripts/guarantees.py                        # render the kept figures
    python scripts/guarantees.py --check                # exit 1 if README/docs are out of date
    python scripts/guarantees.py --check --measured F   # also exit 1 if a fresh run's figures
                                                        # (F, from KG_FIGURES=F pytest) differ
    python scripts/guarantees.py --print                # print the section
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "tests" / "robustness" / "figures.json"
README = ROOT / "README.md"
DOC = ROOT / "docs" / "guarantees.md"
START, END = "<!-- guarantees:start -->", "<!-- guarantees:end -->"
# What must match a fresh run. How many facts and quads were compared is left out: it follows
# what extraction reads from the suite's articles, which other work changes on purpose.
COMPARED = ("inputs_tried", "bad_inputs_refused", "faults", "hostile_queries_refused", "hypothesis_examples",
            "facts_lost", "articles_lost", "duplicates_stored", "network_connections", "tests_passed")

TEXT = """\
## Guarantees

Analysts feed kg whatever they scraped and run it for months. What kg promises, each
promise checked by the robustness suite (`tests/robustness/`, part of `pytest`):

- **Input limits and errors.** A file over `--max-bytes` (default 20 MB) is refused
  before it is read; only regular files are read. Encodings are detected (UTF-8,
  UTF-8/16/32 with a byte-order mark, else Windows-1252 and the other single-byte
  code pages) and the choice is recorded on the article (`Article.encoding`). Empty,
  binary (NUL bytes, images, many control characters) and undecodable files are
  refused; stray control characters are read as spaces; a broken JSON line is
  reported by its line number while the other lines load. Each bad file gets one
  line on stderr naming it and the reason; the rest of the batch goes on (exit 1).
- **Duplicates.** An article's id is the hash of its normalised text (Unicode NFC,
  whitespace folded), so the same article under another file name, re-spaced, with
  CRLF line ends or in a JSON feed is stored once. Re-ingesting, in any order,
  changes nothing: the graph is the same quad for quad.
- **Retract.** `kg retract ARTICLE` drops the article's named graph: its evidence,
  and every fact only it stated; facts other articles state stay, with their
  evidence. The next `kg push sparql URL --prune` drops the article's graph on the
  endpoint too (without `--prune` a push only adds and replaces graphs); `kg push
  neo4j --prune` retracts them in Neo4j (its integration test needs a Neo4j server).
- **The store.** A store folder holds a `KG_STORE` file naming it a kg store, with its
  format version. Only writing commands (`ingest`, `load`, `retract`) create a store,
  and only in a new or empty folder: `--store` pointing at a folder of other files, or
  at a folder that does not exist for a reading command, is refused in one line. A
  damaged store (a missing `CURRENT` file, a truncated table file) is refused in one
  line and left exactly as it was, byte for byte; it is never reset. Reading commands
  open the store read-only, so they work on a read-only folder and change no file.
- **Crash safety.** Each article is written in one transaction. `kill -9` during
  `kg ingest` leaves a store that opens, passes `kg validate`, and holds every
  article either whole or not at all; running the same ingest again finishes with
  exactly the quads of an uninterrupted run. A full disk during `kg ingest` stops it
  with one line; running it again (with room) gives the uninterrupted run's quads. A
  second `kg ingest` on a store in use stops at once with "the store ... is in use by
  another kg process".
- **Exports.** A one-file export is written beside its target and renamed into place;
  a multi-file export (`csv`, `neo4j-admin`) is written whole to a temporary folder
  first and its files renamed into place only when all are written, so a full disk
  leaves the old files as they were, never a new `nodes.csv` beside an old `edges.csv`.
- **Server faults.** Connection errors and HTTP 5xx from a SPARQL endpoint are
  retried with exponential backoff. Every write replaces whole graphs (emptied and
  filled again in one update request; the summary graph last), so a retried or
  repeated request never doubles anything, and a push cut short by a dying server is
  finished by running it again. A push succeeds only when the endpoint confirms it:
  its answers must be SPARQL results (an HTML page with status 200 is an error naming
  the URL), and once per push kg asks whether every graph it wrote is there.
  `NEO4J_URI` must be a Bolt address (`neo4j://`, `bolt://`, with `+s`/`+ssc`): an
  `http://` one is refused in one line giving the Bolt address to use.
- **Your queries.** `kg sparql` reads a query with a SPARQL parser (rdflib's) before
  anything runs it: `\\u` escapes are decoded and line ends normalised first, and the
  text checked is the text run, so comments, strings and escapes cannot hide a
  `SERVICE`, `FROM`, `LOAD` or update (the check is fuzzed with hypothesis over
  comment, escape and whitespace forms against a live listener). Every query has a
  time limit (`--timeout`, 30 s), a row cap (`--limit`, 1000) and, on the embedded
  store, a memory cap (`--max-memory`, 2048 MB): past one, it is stopped with one line.
- **Your gazetteer.** A `--gazetteer` file is checked whole before any article is read,
  against `schema/gazetteer.schema.json` (JSON Schema): one line per problem naming
  the file, the entry and the field (a string where a list belongs, such as
  `aliases: Wagner`, a blank label, an unknown type or field). YAML is read with
  limits (10 MB, nesting depth 20, a million nodes once aliases are expanded: a
  "billion laughs" file is refused at once). Labels in other scripts get ids
  transliterated with anyascii, and two labels whose ids would be equal are refused.
  An entry with the label and type of a bundled entry extends it: its lists (aliases,
  roles, ...) are added; a single value (coordinates, capital, ...) that differs from
  the bundled one is refused.
- **No network from data.** Reading, extracting, storing, exporting, validating and
  querying fetch nothing: HTML images, stylesheets, scripts and DTDs are never
  loaded, the JSON-LD export carries its `@context` inline, rdflib is never given a
  URL, RDF/XML is not read at all, and user SPARQL with `SERVICE`, `LOAD`, `FROM`
  or an update is refused before it reaches the embedded store or an endpoint.
- **Errors and exit codes.** No traceback reaches a user: each error is one line
  (`Error: ...`, or `kg: FILE: reason` per bad input file) naming the file or store,
  the cause and what to do. Exit status 0: done; 1: something was refused or failed
  (a bad input file, a damaged store, a refused query, a server error, a graph that
  does not conform); 2: the command line itself is wrong (unknown option, missing
  argument); 3: an unexpected error (one line; `KG_DEBUG=1` shows the traceback).

{figures}
"""


def figures_text(figures: dict) -> str:
    f = lambda key: f"{figures.get(key, 0):,}"
    faults = figures.get("faults", [])
    return (
        f"Last run of the suite ({figures.get('tests_passed', 0)} tests): "
        f"**{f('inputs_tried')} distinct inputs tried** ({f('bad_inputs_refused')} bad ones refused with one line "
        f"each, {f('hypothesis_examples')} of them generated by hypothesis, {f('hostile_queries_refused')} hostile "
        f"queries refused); **{f('faults_injected')} distinct faults injected** ({'; '.join(faults)}); "
        f"against uninterrupted reference runs, {f('facts_checked')} distinct facts, {f('quads_checked')} quads "
        f"and {f('articles_checked')} articles compared afterwards: **facts lost: {f('facts_lost')}**, "
        f"articles lost: {f('articles_lost')}, **duplicates: {f('duplicates_stored')}**, "
        f"network connections: {f('network_connections')}.\n"
        f"(Inputs count once however often they were tried, by their content; losses are what the reference "
        f"had and the faulted run did not. `scripts/guarantees.py --run` runs the suite and writes "
        f"`tests/robustness/figures.json`; `.ci/run` fails when a fresh run's figures differ.)"
    )


def section(figures: dict) -> str:
    return f"{START}\n{TEXT.format(figures=figures_text(figures)).rstrip()}\n{END}\n"


def replace_between_markers(text: str, block: str) -> str | None:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
    if not pattern.search(text):
        return None
    return pattern.sub(lambda _m: block, text, count=1)


def run_suite(target: Path) -> int:
    """The robustness suite, its figures written to ``target``."""
    env = {**os.environ, "KG_FIGURES": str(target)}
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/robustness"],
                           cwd=ROOT, env=env)


def differences(tracked: dict, measured: dict) -> list[str]:
    return [f"{key}: {tracked.get(key)!r} kept, {measured.get(key)!r} measured"
            for key in COMPARED if tracked.get(key) != measured.get(key)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run tests/robustness and keep its figures first")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/README are out of date")
    parser.add_argument("--measured", type=Path, help="with --check: figures of a fresh run to compare")
    parser.add_argument("--print", dest="print_only", action="store_true", help="print the section only")
    parser.add_argument("--figures", type=Path, default=FIGURES)
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--doc", type=Path, default=DOC)
    args = parser.parse_args(argv)
    if args.run:
        status = run_suite(args.figures)
        if status:
            print(f"the robustness suite failed (exit {status}); figures not updated", file=sys.stderr)
            return status
    if not args.figures.is_file():
        print(f"{args.figures} is missing: run scripts/guarantees.py --run", file=sys.stderr)
        return 1
    kept = json.loads(args.figures.read_text(encoding="utf-8"))
    if args.check and args.measured is not None:
        if not args.measured.is_file():
            print(f"{args.measured} is missing: the robustness suite did not run whole and pass", file=sys.stderr)
            return 1
        stale = differences(kept, json.loads(args.measured.read_text(encoding="utf-8")))
        if stale:
            print("the Guarantees figures are stale (" + "; ".join(stale) + "); run scripts/guarantees.py --run "
                  "and commit", file=sys.stderr)
            return 1
    block = section(kept)
    if args.print_only:
        print(block, end="")
        return 0
    stale = []
    targets = [(args.doc, block)]
    if args.readme.is_file():
        updated = replace_between_markers(args.readme.read_text(encoding="utf-8"), block)
        if updated is not None:
            targets.append((args.readme, updated))
    for path, text in targets:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("out of date: " + ", ".join(str(p) for p in stale) + "; run scripts/guarantees.py", file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
