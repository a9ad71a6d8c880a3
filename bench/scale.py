"""Scale-out benchmark (issue 17): `kg ingest --jobs 2` against the Spark job (kg/spark.py,
local[2]) + `kg load` (bulk) at 10k articles, and `kg load` against the load of the commit
before the bulk path (BASELINE_COMMIT, installed from git into its own venv), all in one run.

    bench/run --scale            # only this section; replaces it in bench/RESULTS.md

Every store's sorted N-Quads SHA-256 (summary graph included) is compared.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

BASELINE_COMMIT = "7488fd1"   # main before kg load grouped over files and wrote in bulk
ROOT = Path(__file__).resolve().parent.parent
PARENT_CPU = """
import json, resource, sys, time
from kg.cli import cli
from kg.stores import embedded

# the writing: the store's bulk batches (or a first load's spooling and its bulk load at the end),
# the stats graph, flushes, the compaction when the store closes (outermost calls only)
spent = {"write_s": 0.0, "write_cpu": 0.0, "depth": 0}
def timed(method):
    def wrapper(*args, **kwargs):
        spent["depth"] += 1
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return method(*args, **kwargs)
        finally:
            spent["depth"] -= 1
            if not spent["depth"]:
                spent["write_s"] += time.perf_counter() - wall
                spent["write_cpu"] += time.process_time() - cpu
    return wrapper
for name in ("add_prepared", "finish_stats", "flush", "close"):
    setattr(embedded.EmbeddedStore, name, timed(getattr(embedded.EmbeddedStore, name)))
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"parent_cpu": usage.ru_utime + usage.ru_stime, "write_s": spent["write_s"],
                      "write_cpu": spent["write_cpu"], "helper_cpu": embedded.HELPER_CPU["seconds"]}), file=sys.stderr)
"""


def baseline_kg(work: Path) -> list[str]:
    """The command running `kg` of BASELINE_COMMIT: its tree from git, laid out as setup.cfg's
    package_dir maps it (kg.loaders = loaders/ ...), first on PYTHONPATH; same interpreter."""
    source = work / f"kg-{BASELINE_COMMIT}"
    if not (source / "kg" / "loaders").exists():
        shutil.rmtree(source, ignore_errors=True)
        source.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE_COMMIT], check=True,
                                 capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
        for package in ("loaders", "schema", "queries"):
            (source / "kg" / package).symlink_to(Path("..") / package)
    return ["env", f"PYTHONPATH={source}", sys.executable, "-c",
            f"import sys; sys.path.insert(0, {str(source)!r}); import kg; "
            f"assert kg.__file__.startswith({str(source)!r}), kg.__file__; from kg.cli import cli; cli()"]


def parquet_to_jsonl(folder: Path, out: Path) -> int:
    """Spark's Parquet records as one JSON-lines file (part files in order, rows in order:
    an article's records stay together, as `kg extract` writes them)."""
    import pyarrow.parquet as pq

    from kg.records import from_columns

    count = 0
    with open(out, "w", encoding="utf-8") as handle:
        for part in sorted(folder.glob("part-*.parquet")):
            for batch in pq.ParquetFile(part).iter_batches(batch_size=4096):
                for row in batch.to_pylist():
                    handle.write(json.dumps(from_columns(row), ensure_ascii=False) + "\n")
                    count += 1
    return count


def run(cmd: list[str], measured) -> dict:
    result = measured(cmd)
    if result["status"] != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed ({result['status']}):\n{result['stderr'][-2000:]}")
    return result


def bench_scale(folder: Path, count: int, work: Path, measured, nquads_hash) -> dict:
    """Figures for the scale-out section; ``measured`` and ``nquads_hash`` are bench/run's."""
    py = sys.executable
    kg = [str(ROOT / ".venv" / "bin" / "kg")] if (ROOT / ".venv" / "bin" / "kg").exists() else \
        [py, "-c", "from kg.cli import cli; cli()"]
    out: dict = {"count": count}
    stores = {name: work / f"scale-{name}" for name in ("ingest", "spark", "load", "baseline")}
    for path in stores.values():
        shutil.rmtree(path, ignore_errors=True)

    # 1. kg ingest --jobs 2, with the parent's own CPU (RUSAGE_SELF: without its workers)
    ingest = run([py, "-c", PARENT_CPU, "--store", str(stores["ingest"]), "ingest", "--jobs", "2", "--json",
                  str(folder)], measured)
    out["ingest_s"] = ingest["seconds"]
    out["ingest_cpu"] = ingest["cpu"]
    parent = json.loads(ingest["stderr"].strip().splitlines()[-1])
    out["parent_cpu"], out["write_s"], out["write_cpu"] = parent["parent_cpu"], parent["write_s"], parent["write_cpu"]
    out["helper_cpu"] = parent.get("helper_cpu", 0.0)
    out["articles"] = json.loads(ingest["stdout"])["articles_new"]

    # 2. the Spark job (local[2]) then kg load of its Parquet output
    facts = work / "scale-facts"
    shutil.rmtree(facts, ignore_errors=True)
    spark = run([py, "-m", "kg.spark", str(folder), str(facts), "--master", "local[2]"], measured)
    out["spark_s"], out["spark_cpu"] = spark["seconds"], spark["cpu"]
    load = run([*kg, "--store", str(stores["spark"]), "load", "--json", str(facts)], measured)
    out["spark_load_s"] = load["seconds"]

    # 3. kg load against the baseline's, same JSON-lines records, each into an empty store
    records = work / "scale-facts.jsonl"
    out["records"] = parquet_to_jsonl(facts, records)
    old = baseline_kg(work)
    baseline = run([*old, "--store", str(stores["baseline"]), "load", "--json", str(records)], measured)
    new = run([*kg, "--store", str(stores["load"]), "load", "--json", str(records)], measured)
    out["baseline_load_s"], out["load_s"] = baseline["seconds"], new["seconds"]
    out["baseline_load_cpu"], out["load_cpu"] = baseline["cpu"], new["cpu"]
    stores["load2"] = work / "scale-load2"
    shutil.rmtree(stores["load2"], ignore_errors=True)
    two = run([*kg, "--store", str(stores["load2"]), "load", "--jobs", "2", "--json", str(records)], measured)
    out["load2_s"], out["load2_cpu"] = two["seconds"], two["cpu"]

    for name, path in stores.items():
        out[f"{name}_hash"], out[f"{name}_quads"] = nquads_hash(path)
    for path in [*stores.values(), facts, records]:
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return out


def bench_load(records: Path, work: Path, measured, nquads_hash) -> dict:
    """Only the `kg load` comparison, on a records file already made (same keys as bench_scale)."""
    kg = [str(ROOT / ".venv" / "bin" / "kg")]
    out: dict = {}
    for name, cmd in (("baseline", baseline_kg(work)), ("load", kg), ("load2", kg)):
        store = work / f"scale-{name}"
        shutil.rmtree(store, ignore_errors=True)
        extra = ["--jobs", "2"] if name == "load2" else []
        result = run([*cmd, "--store", str(store), "load", *extra, "--json", str(records)], measured)
        key = "baseline_load" if name == "baseline" else name
        out[f"{key}_s"], out[f"{key}_cpu"] = result["seconds"], result["cpu"]
        out[f"{name}_hash"], out[f"{name}_quads"] = nquads_hash(store)
        if name == "load":
            floor_nquads(store, work / "scale-floor.nq")
        shutil.rmtree(store, ignore_errors=True)
    floor = run([sys.executable, "-c", FLOOR, str(work / "scale-floor.nq"), str(work / "scale-floor")], measured)
    out["floor_s"], out["floor_cpu"] = floor["seconds"], floor["cpu"]
    shutil.rmtree(work / "scale-floor", ignore_errors=True)
    (work / "scale-floor.nq").unlink(missing_ok=True)
    return out


# What the store's quads cost Oxigraph alone: one bulk load of the final N-Quads into an empty
# store, compacted as kg compacts it, no parsing of records, no stats built: a floor for `kg load`.
FLOOR = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS, lenient=True)
store.optimize()
store.flush()
"""


def floor_nquads(store: Path, out: Path) -> None:
    """The store's N-Quads into ``out`` (what FLOOR loads)."""
    import pyoxigraph as ox

    ox.Store.read_only(str(store)).dump(str(out), format=ox.RdfFormat.N_QUADS)


def report(r: dict, md) -> None:
    same = lambda a, b: "**yes**" if r[f"{a}_hash"] == r[f"{b}_hash"] else "**NO**"
    pipeline = r["spark_s"] + r["spark_load_s"]
    md("## Scale out: Spark extraction, bulk load, `kg load` (issue 17)")
    md()
    md(f"{r['count']:,} articles, one run. `kg ingest --jobs 2`; the Spark job `python -m kg.spark FOLDER OUT "
       f"--master local[2]` (JVM start-up included) then `kg load OUT` (Parquet); `kg load` of the same records "
       f"({r['records']:,} JSON lines) by this version and by commit `{BASELINE_COMMIT}` (before grouping over "
       "files and bulk writes), each into an empty store. Stores compared by the SHA-256 of their sorted "
       "N-Quads, summary graph included.")
    md()
    md("| step | seconds | CPU s (process + children) | store quads | same N-Quads as ingest |")
    md("|---|---:|---:|---:|---|")
    md(f"| `kg ingest --jobs 2` | {r['ingest_s']:.1f} | {r['ingest_cpu']:.0f} | {r['ingest_quads']:,} | — |")
    md(f"| Spark extract (local[2]) | {r['spark_s']:.1f} | not measured (JVM workers) | — | — |")
    md(f"| `kg load` of Spark's Parquet | {r['spark_load_s']:.1f} | — | {r['spark_quads']:,} | {same('spark', 'ingest')} |")
    md(f"| `kg load` (JSON lines), this version | {r['load_s']:.1f} | {r['load_cpu']:.0f} | {r['load_quads']:,} | "
       f"{same('load', 'ingest')} |")
    if "load2_s" in r:
        md(f"| `kg load --jobs 2` (JSON lines), this version | {r['load2_s']:.1f} | {r['load2_cpu']:.0f} | "
           f"{r['load2_quads']:,} | {same('load2', 'ingest')} |")
    md(f"| `kg load` (JSON lines), `{BASELINE_COMMIT}` | {r['baseline_load_s']:.1f} | {r['baseline_load_cpu']:.0f} | "
       f"{r['baseline_quads']:,} | {same('baseline', 'ingest')} |")
    md()
    ratio = r["baseline_load_s"] / r["load_s"]
    md(f"- **Spark extract + `kg load` / `kg ingest --jobs 2` (time): {pipeline / r['ingest_s']:.2f}** "
       f"({pipeline:.0f} s vs {r['ingest_s']:.0f} s on the same 2 cores; a cluster divides the extract part by "
       "its executors, the load part stays).")
    md(f"- **`kg load` speed-up over `{BASELINE_COMMIT}`: {ratio:.2f}x** (target ≥ 3x: "
       f"{'met' if ratio >= 3 else 'NOT met'}), same N-Quads: {same('load', 'baseline')}.")
    if "load2_s" in r:
        ratio2 = r["baseline_load_s"] / r["load2_s"]
        md(f"- **`kg load --jobs 2` speed-up over `{BASELINE_COMMIT}`: {ratio2:.2f}x** (target ≥ 3x: "
           f"{'met' if ratio2 >= 3 else 'NOT met'}), same N-Quads: {same('load2', 'baseline')}.")
    md(f"- **Parent's serial CPU in `kg ingest --jobs 2`: {1000 * r['parent_cpu'] / r['count']:.1f} ms/article** "
       f"(target ≤ 3 ms: {'met' if 1000 * r['parent_cpu'] / r['count'] <= 3 else 'NOT met'}): reading the "
       "input, feeding the workers, and handing their N-Quads to the store's bulk loader; start-up "
       "(imports, gazetteer) included.")
    md(f"- **Extraction and writing apart** (`kg ingest --jobs 2`, {r['count']:,} articles): "
       + apart(r["count"], r["ingest_s"], r["ingest_cpu"], r["parent_cpu"], r["write_s"], r["write_cpu"],
               r.get("helper_cpu", 0.0)))
    md()


def apart(count: int, wall: float, cpu: float, parent_cpu: float, write_s: float, write_cpu: float,
          helper_cpu: float = 0.0) -> str:
    """One sentence: what the workers (extraction) and the parent (reading, writing) cost."""
    per = lambda seconds: 1000 * seconds / count
    workers = cpu - parent_cpu - helper_cpu
    helper = (f"; the helper process that builds the summary and stats graphs while the parent bulk-loads the "
              f"articles {helper_cpu:,.0f} s CPU ({per(helper_cpu):.1f} ms/article)") if helper_cpu else ""
    return (f"the workers (extraction, and serialising each article's quads) {workers:,.0f} s CPU "
            f"({per(workers):.1f} ms/article, in parallel); the parent {parent_cpu:,.0f} s CPU "
            f"({per(parent_cpu):.1f} ms/article), of which writing the store (for a first load: spooling the "
            f"N-Quads, the one bulk load at the end and the compaction when the store closes; bulk loads run on "
            f"RocksDB's threads, counted in the parent) {write_cpu:,.0f} s CPU ({per(write_cpu):.1f} ms/article, "
            f"{write_s:,.0f} s of the {wall:,.0f} s wall) and the rest, {parent_cpu - write_cpu:,.0f} s CPU "
            f"({per(parent_cpu - write_cpu):.1f} ms/article): the spool chunks bulk-loaded by a background thread "
            f"while the workers extract (a first load), reading the input, feeding the workers and taking "
            f"their results, start-up (imports, spaCy and the gazetteer loaded once before the workers fork) and "
            f"the final counts{helper}.")


def bench_ingest(folder: Path, count: int, store: Path, measured, jobs: int = 2) -> dict:
    """`kg ingest --jobs N` of ``folder`` into ``store`` (must not exist): wall, CPU of the
    whole tree and of the parent alone, the parent's time writing, and checks of the result
    read back from the store (read-only): every article stored, no half-written batch, the
    stats graph's mark, quads and size on disk."""
    import pyoxigraph as ox

    from kg.aggregates import version_quad
    from kg.rdf import SUMMARY_GRAPH, article_iri
    from kg.stores.embedded import JOURNAL_GRAPH

    if store.exists():
        raise SystemExit(f"{store} exists: give a new folder")
    kg_commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                               text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    cmd = [sys.executable, "-c", PARENT_CPU, "--store", str(store), "ingest", "--jobs", str(jobs), "--json", str(folder)]
    result = run(cmd, measured)
    parent = json.loads(result["stderr"].strip().splitlines()[-1])
    summary = json.loads(result["stdout"])
    check = ox.Store.read_only(str(store))
    try:
        prefix = article_iri("").value
        articles = sum(1 for g in check.named_graphs() if g.value.startswith(prefix))
        out = {"count": count, "jobs": jobs, "seconds": result["seconds"], "cpu": result["cpu"],
               "tree_rss": result["tree_rss"], "commit": kg_commit + (" (uncommitted changes)" if dirty else ""),
               **parent, "summary": summary, "stored_articles": articles, "quads": len(check),
               "journal_left": check.contains_named_graph(JOURNAL_GRAPH),
               "stats_mark": next(check.quads_for_pattern(*version_quad()), None) is not None,
               "summary_graph": check.contains_named_graph(SUMMARY_GRAPH)}
    finally:
        del check
    out["bytes"] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    out["ok"] = (out["stored_articles"] == summary["articles_new"] == count and not out["journal_left"]
                 and out["stats_mark"] and out["summary_graph"] and summary["articles_failed"] == 0)
    return out


def report_ingest(r: dict, md, command: str) -> None:
    s = r["summary"]
    md(f"## `kg ingest --jobs {r['jobs']}` of {r['count']:,} articles, extraction and writing apart (issue 17)")
    md()
    md(f"`{command}`, one run, commit `{r['commit']}`, into a new store; the parent's CPU from "
       "`getrusage(RUSAGE_SELF)` (without its workers), its writing timed around the store's writes (a first "
       "load: spooling, the bulk load at the end, the stats graph, the compaction on close); the whole tree's CPU "
       "from `wait4`.")
    md()
    helper = r.get("helper_cpu", 0.0)
    md("| articles | wall s | CPU s (tree) | parent CPU s | writing wall s | writing CPU s | stats helper CPU s | "
       "workers CPU s | facts | entities | quads | store on disk | peak RSS (tree) |")
    md("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    md(f"| {r['count']:,} | {r['seconds']:,.0f} | {r['cpu']:,.0f} | {r['parent_cpu']:,.0f} | {r['write_s']:,.0f} | "
       f"{r['write_cpu']:,.0f} | {helper:,.0f} | {r['cpu'] - r['parent_cpu'] - helper:,.0f} | {s['facts']:,} | {s['entities']:,} | "
       f"{r['quads']:,} | {r['bytes'] / 2**30:.1f} GB | {r['tree_rss'] / 2**30:.1f} GB |")
    md()
    md(f"- {r['count'] / r['seconds']:.0f} articles/s ({r['seconds'] / 60:.1f} min); " +
       apart(r["count"], r["seconds"], r["cpu"], r["parent_cpu"], r["write_s"], r["write_cpu"], r.get("helper_cpu", 0.0)))
    md(f"- **Parent's CPU per article: {1000 * r['parent_cpu'] / r['count']:.1f} ms** (target ≤ 3 ms: "
       f"{'met' if 1000 * r['parent_cpu'] / r['count'] <= 3 else 'NOT met'}; start-up included).")
    md(f"- Checked on the store read back: {r['stored_articles']:,} article graphs "
       f"({'all' if r['stored_articles'] == r['count'] else 'NOT all'} of them), no half-written batch: "
       f"{'yes' if not r['journal_left'] else 'NO'}, stats graph marked: {'yes' if r['stats_mark'] else 'NO'}, "
       f"{s['articles_failed']} article(s) failed.")
    md()

