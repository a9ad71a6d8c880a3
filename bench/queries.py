"""Canned-query latency on bench stores: every canned query for a hub and a rare argument,
the first page with kg's default paging (grouped and --evidence) and a deep page, as
p50/p95 milliseconds and as a ratio to a single-triple-pattern SPARQL lookup on the same
store in the same run; and `kg query` start-up on the example store against a bare
`python -c pass`.

    python bench/queries.py STORE [STORE ...] [--runs 20] [--write]

`--write` replaces the "Canned queries" section of bench/RESULTS.md (between its markers).
Wall-clock figures on a shared machine move with its load: the ratios, measured in the
same run, move less; CPU milliseconds are given too.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- queries:start -->", "<!-- queries:end -->"
STATS = "<https://w3id.org/newskg/id/graph/stats>"
SUMMARY = "<https://w3id.org/newskg/id/graph/summary>"
DEFAULT_LIMIT = 20
DEEP_OFFSET = 200
TARGET_P95, TARGET_FIRST = 100.0, 50.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def fact_table(store) -> tuple[list[tuple], dict[str, str]]:
    """Every fact of the stats graph as (subject, predicate name, object, articles), and entity labels."""
    rows = store.query(f"SELECT ?s ?p ?o ?n WHERE {{ GRAPH {STATS} {{ ?f rdf:subject ?s ; rdf:predicate ?p ; "
                       f"rdf:object ?o ; kg:articleCount ?n }} }}")
    labels = {r["e"]: r["l"] for r in store.query(
        f"SELECT ?e ?l WHERE {{ GRAPH {SUMMARY} {{ ?e kg:entityId ?id ; rdfs:label ?l }} }}")}
    return [(r["s"], r["p"].rsplit("#", 1)[-1], r["o"], int(r["n"])) for r in rows], labels


def ranked(facts: list[tuple], labels: dict, predicates: set | None, role: str) -> list[str]:
    """Entity labels by their number of facts (of these predicates, on this side), most first."""
    counts: dict[str, int] = {}
    for s, p, o, _n in facts:
        if predicates is None or p in predicates:
            for side, entity in (("subject", s), ("object", o)):
                if role in (side, "either") and entity in labels:
                    counts[labels[entity]] = counts.get(labels[entity], 0) + 1
    return sorted(counts, key=lambda label: (-counts[label], label))


def arguments(store) -> dict[str, dict[str, list[str]]]:
    """For each canned query a hub argument (the most facts) and a rare one (the fewest)."""
    facts, labels = fact_table(store)
    plan = {"supporters": ({"supports"}, "object"), "supported-by": ({"supports"}, "subject"),
            "opponents": ({"opposes", "attacked"}, "either"), "profile": (None, "either"),
            "agreements": ({"partyTo", "appliesTo"}, "either"),
            "agreement": ({"partyTo", "signedOn", "appliesTo"}, "either"),
            "at": ({"locatedIn"}, "object"), "leaders": ({"leaderOf", "officialOf"}, "object"),
            "timeline": (None, "either")}
    out = {}
    for name, (predicates, role) in plan.items():
        order = ranked(facts, labels, predicates, role)
        if name == "agreement":
            order = [label for label in order if label in {labels.get(s) for s, p, _o, _n in facts if p == "signedOn"}]
        out[name] = {"hub": [order[0]], "rare": [order[-1]]}
    every = ranked(facts, labels, None, "either")
    out["timeline"]["all"] = []
    out["contested"] = {"all": []}
    out["path"] = {"hub": [every[0], every[1]], "rare": [every[-1], every[-2]]}
    named = sorted((f for f in facts if f[2] in labels), key=lambda f: (-f[3], labels[f[0]], labels[f[2]]))
    top, bottom = named[0], named[-1]
    out["evidence"] = {"hub": [labels[top[0]], top[1], labels[top[2]]],
                       "rare": [labels[bottom[0]], bottom[1], labels[bottom[2]]]}
    return out


def timed(function, runs: int) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        result = function()
        walls.append((time.perf_counter() - w0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return walls, cpus, result


def bench_store(path: str, runs: int) -> dict:
    from kg.queries import catalogue
    from kg.queries.run import run_page
    from kg.stores.embedded import EmbeddedStore

    opened = time.perf_counter()
    store = EmbeddedStore(path, write=False)          # read-only: RocksDB writes nothing
    open_s = time.perf_counter() - opened
    articles = sum(1 for g in store._store.named_graphs() if "/article/" in g.value)
    cache = Path(tempfile.gettempdir()) / f"kg-bench-args-{Path(path).name}-{articles}.json"
    if cache.exists():
        plans = json.loads(cache.read_text(encoding="utf-8"))
    else:
        plans = arguments(store)
        cache.write_text(json.dumps(plans), encoding="utf-8")
    turkey = store.query(f"SELECT ?e WHERE {{ GRAPH {SUMMARY} {{ ?e kg:entityId ?id }} }} LIMIT 1")[0]["e"]
    lookup = f"SELECT ?l WHERE {{ GRAPH {SUMMARY} {{ <{turkey}> rdfs:label ?l }} }}"
    store.query(lookup)
    base_wall, base_cpu, _ = timed(lambda: store.query(lookup), runs * 10)
    baseline = statistics.median(base_wall)
    rows = []
    for name, query in catalogue().items():
        for kind, args in plans[name].items():
            for mode, evidence, offset in (("first page", False, 0), ("--evidence first page", True, 0),
                                           (f"page at offset {DEEP_OFFSET}", False, DEEP_OFFSET)):
                call = lambda: run_page(query, store, args, evidence=evidence, limit=DEFAULT_LIMIT, offset=offset)
                call()                                   # warm
                walls, cpus, page = timed(call, runs)
                print(f"  {name} {kind} {mode}: p95 {percentile(walls, 0.95):.1f} ms", file=sys.stderr, flush=True)
                rows.append({"query": name, "kind": kind, "args": args, "mode": mode, "total": page.total,
                             "shown": len(page.rows), "p50": percentile(walls, 0.5), "p95": percentile(walls, 0.95),
                             "cpu50": percentile(cpus, 0.5), "cpu95": percentile(cpus, 0.95)})
    store.close()
    return {"path": path, "articles": articles, "open_s": open_s, "baseline_ms": baseline,
            "baseline_cpu_ms": statistics.median(base_cpu), "rows": rows}


def startup(runs: int = 20) -> dict:
    """`kg query` on the example store (a fresh process each time, like hyperfine) against
    `python -c pass`: median and p95 wall, median CPU. Python's bytecode cache is on, as in an
    installed kg (PYTHONDONTWRITEBYTECODE, set on some machines, would recompile kg's modules
    on every start: measured too)."""
    kg = str(Path(sys.executable).parent / "kg")
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    uncached = {**cached, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory() as work:
        store = os.path.join(work, "store")
        subprocess.run([kg, "--store", store, "ingest", str(ROOT / "examples" / "articles")],
                       capture_output=True, check=True, env=cached)
        command = [kg, "--store", store, "query", "supporters", "Libyan National Army"]
        subprocess.run(command, capture_output=True, check=True, env=cached)   # bytecode and gazetteer caches

        def measure(cmd, env):
            walls, cpus = [], []
            for _ in range(runs):
                before = os.times()
                w0 = time.perf_counter()
                subprocess.run(cmd, capture_output=True, check=True, env=env)
                walls.append(time.perf_counter() - w0)
                after = os.times()
                cpus.append(after.children_user + after.children_system - before.children_user - before.children_system)
            return {"wall": statistics.median(walls), "wall95": percentile(walls, 0.95), "cpu": statistics.median(cpus)}

        return {"python": measure([sys.executable, "-c", "pass"], cached), "kg": measure(command, cached),
                "kg_no_bytecode": measure(command, uncached), "runs": runs}


def commit() -> str:
    found = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def markdown(results: list[dict], start: dict, runs: int, load_before: float) -> str:
    load = os.getloadavg()[0]
    out = [START, "## Canned queries (issue 15: counted at write time, paged)", "",
           f"`python bench/queries.py` on commit `{commit()}` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
           f"Python {platform.python_version()}, 1-minute load average {load_before:.1f} at the start and {load:.1f} at "
           "the end on the shared 2-core machine). "
           f"{runs} runs of each query in one process after a warm-up; default paging (`--limit {DEFAULT_LIMIT}`, "
           f"offset 0); hub = the argument with the most facts for that query, rare = the fewest. "
           "*ratio* = the figure / the p50 of a single-triple-pattern SPARQL lookup (one entity's label in the "
           "summary graph) on the same store in the same run. Targets (issue 15): p95 ≤ 100 ms for every page, "
           "and the first page ≤ 50 ms (its p50).", ""]
    for result in results:
        base = result["baseline_ms"]
        out += [f"### {result['articles']:,} articles (`{Path(result['path']).name}`)", "",
                f"Single-triple lookup: p50 {base:.2f} ms ({result['baseline_cpu_ms']:.2f} ms CPU). "
                f"Opening the store: {result['open_s'] * 1000:.0f} ms.", "",
                "| query | argument | page | rows (of total) | p50 ms | p95 ms | CPU p50 / p95 ms | p50 ratio | "
                "p95 ratio | targets |",
                "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
        for r in result["rows"]:
            ok = r["p95"] <= TARGET_P95 and ("first" not in r["mode"] or r["p50"] <= TARGET_FIRST)
            args = " / ".join(r["args"]) or "(none)"
            out.append(f"| {r['query']} | {r['kind']}: {args} | {r['mode']} | {r['shown']} ({r['total']:,}) | "
                       f"{r['p50']:.1f} | {r['p95']:.1f} | {r['cpu50']:.1f} / {r['cpu95']:.1f} | "
                       f"{r['p50'] / base:.0f}x | {r['p95'] / base:.0f}x | {'met' if ok else '**missed**'} |")
        missed = [r for r in result["rows"] if r["p95"] > TARGET_P95 or ("first" in r["mode"] and r["p50"] > TARGET_FIRST)]
        out += ["", f"Pages missing a target: {len(missed)} of {len(result['rows'])}."]
        worst = max(result["rows"], key=lambda r: r["p95"])
        out += ["", f"Slowest p95: `{worst['query']}` {worst['kind']} {worst['mode']}: {worst['p95']:.1f} ms.", ""]
    if len(results) > 1:
        small, large = results[0], results[-1]
        factor = large["articles"] / small["articles"]
        growth = []
        for a, b in zip(small["rows"], large["rows"]):
            if a["query"] == b["query"] and a["kind"] == b["kind"] and a["mode"] == b["mode"] and a["p50"] > 0:
                growth.append(b["p50"] / a["p50"])
        out += [f"Growth from {small['articles']:,} to {large['articles']:,} articles ({factor:.1f}x): "
                f"median p50 ratio {statistics.median(growth):.2f}x, largest {max(growth):.2f}x.", ""]
    if start:
        kg, bare, slow = start["kg"], start["python"], start["kg_no_bytecode"]
        out += [f"`kg query supporters \"Libyan National Army\"` on the example store, a fresh process each time "
                f"({start['runs']} runs): **median {kg['wall'] * 1000:.0f} ms wall** (p95 {kg['wall95'] * 1000:.0f}), "
                f"{kg['cpu'] * 1000:.0f} ms CPU (target ≤ 200 ms: {'met' if kg['wall'] <= 0.2 else '**missed**'}); "
                f"`python -c pass`: {bare['wall'] * 1000:.0f} ms wall, {bare['cpu'] * 1000:.0f} ms CPU. "
                f"With PYTHONDONTWRITEBYTECODE=1 (kg's modules compiled on every start): {slow['wall'] * 1000:.0f} ms "
                f"wall, {slow['cpu'] * 1000:.0f} ms CPU.", ""]
    out.append(END)
    return "\n".join(out) + "\n"


def write(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if START in text and END in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stores", nargs="+")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    options = parser.parse_args()
    load_before = os.getloadavg()[0]
    results = [bench_store(path, options.runs) for path in options.stores]
    results.sort(key=lambda r: r["articles"])
    start = {} if options.no_startup else startup()
    section = markdown(results, start, options.runs, load_before)
    print(section)
    if options.write:
        write(section)


if __name__ == "__main__":
    main()
