"""`kg load`: extract records (``kg extract --format jsonl``) -> store, whole articles only.

Extraction is a pure function of an article, so it can run anywhere (a Spark, Dask or
Ray job over shards) and its JSON lines be loaded later. A record carries everything
the article's graph needs (kg/records.py), so loading gives the same quads as
``kg ingest`` for every article that yielded at least one fact; an article without
facts has no line in the extract output and so is not stored by ``kg load``.

Input: JSON-lines files and Parquet files (``kg extract --format parquet``, a Spark job's
part files; told apart by their first bytes), or folders of them. Records are grouped by
``article_id`` over all the files, whatever their order: an article split across files
or shuffled by a repartition loads whole (see ``groups``). Articles are written in
journalled bulk batches (``EmbeddedStore.add_prepared``): each article whole or not at
all, and an article already stored is skipped, so loading again changes nothing. Into an
empty store (a first load) the whole run is spooled and written by one journalled bulk
load at the end (``EmbeddedStore.start_first_load``): all of it or nothing. A
broken line is reported as FILE:LINE; the article it belongs to (when the line names
it, else the articles next to it) is not loaded, since it would be incomplete, and every
other article loads.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from kg.model import Article, CleanText, DateValue, Entity, Evidence, Extraction, Fact
from kg.records import RDF_ATTRS

REQUIRED = ("subject", "subject_type", "predicate", "object", "object_type", "source", "evidence",
            "confidence", "subject_id", "article_id", "start", "end", "rule")
ARTICLE_FIELDS = ("source", "article_title", "article_url", "article_date")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ARTICLE_ID = re.compile(r'"article_id"\s*:\s*"([^"\\]+)"')
Report = Callable[[str], None]


class RecordError(ValueError):
    """A line that is not a valid extract record."""


@dataclass
class Group:
    """The records of one article, in file order."""

    article_id: str
    where: str                                   # FILE:LINE of its first record
    records: list = field(default_factory=list)
    seen: set = field(default_factory=set)       # identical records (an article read twice) count once
    broken: list = field(default_factory=list)   # FILE:LINE of broken lines that may belong to it

    def add(self, record: dict) -> None:
        try:
            key = tuple(sorted(record.items()))
        except TypeError:   # a list or object in an extra field
            key = json.dumps(record, sort_keys=True, ensure_ascii=False)
        if key not in self.seen:
            self.seen.add(key)
            self.records.append(record)


def record_files(paths: Iterable[str]) -> Iterator[Path]:
    """Files named, and the files inside folders named (sorted; hidden and Spark's _SUCCESS-style
    files skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith((".", "_")) for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path


def _date(value, name: str) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str) or not DATE.match(value):
        raise RecordError(f"{name} {value!r} is not YYYY[-MM[-DD]]")
    return value


def _entity(record: dict, side: str) -> Entity:
    attrs = tuple(sorted((key, record[f"{side}_{key}"]) for key in RDF_ATTRS
                         if record.get(f"{side}_{key}") is not None))
    return Entity(str(record[f"{side}_id"]), str(record[side]), str(record[f"{side}_type"]), attrs)


def parse_record(line: str) -> dict:
    """One JSON line -> a checked record (RecordError says what is wrong)."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as error:
        raise RecordError(f"not JSON ({error})") from None
    if not isinstance(record, dict):
        raise RecordError("not a JSON object")
    return check_record(record)


def check_record(record: dict) -> dict:
    """A record (from JSON or Parquet) with every field ``kg load`` needs, well typed."""
    missing = [k for k in REQUIRED if record.get(k) is None]
    if record.get("object_type") not in (None, "Date") and record.get("object_id") is None:
        missing.append("object_id")
    if missing:
        raise RecordError("missing " + ", ".join(missing))
    for key in ("start", "end"):
        if not isinstance(record[key], int) or isinstance(record[key], bool):
            raise RecordError(f"{key} {record[key]!r} is not an integer")
    if not isinstance(record["confidence"], (int, float)) or isinstance(record["confidence"], bool):
        raise RecordError(f"confidence {record['confidence']!r} is not a number")
    _date(record.get("article_date"), "article_date")
    _date(record.get("fact_date"), "fact_date")
    if record["object_type"] == "Date":
        _date(record["object"], "object")
    from kg.schema.vocab import neo4j_labels, predicate

    try:
        predicate(record["predicate"])
    except Exception:
        raise RecordError(f"unknown predicate {record['predicate']!r}") from None
    for side in ("subject", "object"):
        kind = record[f"{side}_type"]
        if side == "object" and kind == "Date":
            continue
        try:
            neo4j_labels(kind)
        except Exception:
            raise RecordError(f"unknown {side}_type {kind!r}") from None
    return record


def build_extraction(records: list[dict]) -> Extraction:
    """The Extraction that produced ``records`` (all of one article), as far as the RDF needs it."""
    first = records[0]
    for record in records[1:]:
        for key in ARTICLE_FIELDS:
            if record.get(key) != first.get(key):
                raise RecordError(f"the article's records disagree on {key} "
                                  f"({first.get(key)!r} vs {record.get(key)!r})")
    article = Article(id=first["article_id"], source=first["source"], raw="",
                      title=first.get("article_title") or "", url=first.get("article_url") or "")
    clean = CleanText(article, "", (), first.get("article_date"))
    facts, entities = [], set()
    for record in records:
        subject = _entity(record, "subject")
        obj = DateValue(record["object"]) if record["object_type"] == "Date" else _entity(record, "object")
        evidence = Evidence(article.id, record.get("evidence_source", article.source), record["evidence"],
                            record["start"], record["end"], record["rule"], record["confidence"],
                            record.get("fact_date"))
        facts.append(Fact(subject, record["predicate"], obj, evidence))
        entities.update(e for e in (subject, obj) if isinstance(e, Entity))
    return Extraction(article, clean, tuple(sorted(entities, key=lambda e: e.id)), tuple(facts))


PARQUET_MAGIC = b"PAR1"
Row = tuple   # (where, record or None, article id or None, error or None)


def is_parquet(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == PARQUET_MAGIC
    except OSError:
        return False


def _jsonl_rows(path: Path, parse: bool) -> Iterator[Row]:
    """Rows of a JSON-lines file; with ``parse`` False only the article id (cheap pre-scan)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                named = ARTICLE_ID.search(raw.decode("utf-8", "replace"))
                yield where, None, named.group(1) if named else None, RecordError("not UTF-8 text")
                continue
            if not parse:
                named = ARTICLE_ID.search(line)
                yield where, None, named.group(1) if named else None, None
                continue
            try:
                record = parse_record(line)
            except RecordError as error:
                named = ARTICLE_ID.search(line)
                yield where, None, named.group(1) if named else None, error
                continue
            yield where, record, record["article_id"], None


def _parquet_rows(path: Path, parse: bool) -> Iterator[Row]:
    """Rows of a Parquet file of records (kg.records.arrow_schema); row N is FILE:N."""
    import pyarrow.parquet as pq

    from kg.records import from_columns

    handle = pq.ParquetFile(path)
    number = 0
    for batch in handle.iter_batches(batch_size=4096, columns=None if parse else ["article_id"]):
        for row in batch.to_pylist():
            number += 1
            where = f"{path}:{number}"
            article_id = row.get("article_id")
            if not parse:
                yield where, None, article_id, None
                continue
            try:
                record = check_record(from_columns(row))
            except RecordError as error:
                yield where, None, article_id, error
                continue
            yield where, record, article_id, None


def rows(files: list[Path], report: Report, state: dict, parse: bool = True) -> Iterator[Row]:
    """Every row of every file, in order; unreadable files reported (when ``parse``) and skipped."""
    for path in files:
        reader = _parquet_rows if is_parquet(path) else _jsonl_rows
        try:
            yield from reader(path, parse)
        except Exception as error:  # noqa: BLE001 - unreadable or corrupt file: reported, others load
            if parse:
                report(f"{path}: cannot read ({getattr(error, 'strerror', None) or error})")
                state["failed_files"] += 1


def last_rows(files: list[Path]) -> dict[int, list[str]]:
    """Pre-scan (article ids only): row index -> the articles whose records end there.

    An article's group is complete after the last row naming it, or after a broken line
    naming no article that follows one of its records (it may be the article's end)."""
    last: dict[str, int] = {}
    previous = None
    for index, (_, _, article_id, _) in enumerate(rows(files, lambda _: None, {}, parse=False)):
        if article_id is None:
            if previous is not None:
                last[previous] = index
            continue
        last[article_id] = index
        previous = article_id
    ends: dict[int, list[str]] = {}
    for article_id, index in last.items():
        ends.setdefault(index, []).append(article_id)
    return ends


def groups(paths: Iterable[str], report: Report, state: dict) -> Iterator[Group]:
    """One Group per article, however its records are ordered or spread over files.

    A pre-scan finds where each article's last record is; the records are then read once
    and each article is handed on as soon as its last record is read. Records of one
    article next to each other (``kg extract`` output) keep one group in memory; shuffled
    records keep the unfinished articles' records in memory. Broken lines are reported and
    attached to the article they name, else to the articles before and after them."""
    files = list(record_files(paths))
    ends = last_rows(files)
    open_groups: dict[str, Group] = {}
    orphans: list[str] = []        # broken lines naming no article, waiting for the next record
    previous: Optional[str] = None

    def group_of(article_id: str, where: str) -> Group:
        if article_id not in open_groups:
            open_groups[article_id] = Group(article_id, where)
        return open_groups[article_id]

    for index, (where, record, article_id, error) in enumerate(rows(files, report, state)):
        if error is not None:
            state["bad_lines"] += 1
            if article_id is not None:
                report(f"{where}: {error} (article {article_id} is not loaded)")
                group_of(article_id, where).broken.append(where)
            else:
                report(f"{where}: {error}")
                orphans.append(where)
                if previous is not None and previous in open_groups:   # it may be the end of that article
                    open_groups[previous].broken.append(where)
        else:
            group = group_of(article_id, where)
            group.broken.extend(orphans)                             # ... or the start of this one
            orphans = []
            group.add(record)
            previous = article_id
        for done in ends.get(index, ()):
            if done in open_groups:
                yield open_groups.pop(done)
    yield from open_groups.values()    # only when a file changed between the two passes


def prepare_records(records: list[dict]):
    """One article's records -> its PreparedArticle (kg.rdf.prepare), or the RecordError
    saying why it cannot be built. Runs in a worker with ``jobs > 1``."""
    from kg.rdf import prepare

    try:
        return prepare(build_extraction(records))
    except (RecordError, KeyError, ValueError) as error:
        return RecordError(str(error))


def _prepared(work: Iterator, jobs: int) -> Iterator:
    """(group, prepared or RecordError) in input order, built in ``jobs`` processes."""
    if jobs <= 1:
        for group in work:
            yield group, prepare_records(group.records)
        return
    import multiprocessing
    from collections import deque

    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    pending: deque = deque()
    with context.Pool(jobs) as pool:
        for group in work:
            pending.append((group, pool.apply_async(prepare_records, (group.records,))))
            while len(pending) > 8 * jobs or (pending and pending[0][1].ready()):
                first, result = pending.popleft()
                yield first, result.get()
        while pending:
            first, result = pending.popleft()
            yield first, result.get()


def load_records(store, paths: Iterable[str], report: Report | None = None, progress: bool = False,
                 jobs: int = 1) -> dict:
    """Load extract records into ``store``; counts of what happened.

    Each complete article is serialised (kg.rdf.prepare; in ``jobs`` processes) and
    written with the store's journalled bulk loader, up to 1,000 articles a batch, or,
    into an empty store, spooled and bulk-loaded once at the end (kg.ingest.StoreWriter)."""
    from kg.ingest import StoreWriter

    report = report or (lambda message: print(f"kg: {message}", file=sys.stderr))
    writer = StoreWriter(store, "loaded", progress, every=1000, batch=1000)
    state = {"articles_new": 0, "articles_known": 0, "articles_refused": 0, "records": 0,
             "bad_lines": 0, "failed_files": 0}

    def to_build():
        for group in groups(paths, report, state):
            if group.broken:
                state["articles_refused"] += 1
                report(f"{group.where}: article {group.article_id} not loaded: broken line(s) "
                       f"{', '.join(group.broken)} may belong to it; fix or re-extract, then load again")
            elif group.records and store.has_article(group.article_id):
                state["articles_known"] += 1
            elif group.records:
                yield group

    for group, prepared in _prepared(to_build(), jobs):
        if isinstance(prepared, RecordError):
            state["articles_refused"] += 1
            report(f"{group.where}: article {group.article_id} not loaded: {prepared}")
            continue
        state["records"] += len(group.records)
        writer.write(prepared)
    totals = writer.totals()
    state["articles_new"] = writer.new
    state["articles_known"] += writer.known
    state.update(totals)
    return state
