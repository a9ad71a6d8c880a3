"""`kg load`: extract records (``kg extract --format jsonl``) -> store, whole articles only.

Extraction is a pure function of an article, so it can run anywhere (a Spark, Dask or
Ray job over shards) and its JSON lines be loaded later. A record carries everything
the article's graph needs (kg/records.py), so loading gives the same quads as
``kg ingest`` for every article that yielded at least one fact; an article without
facts has no line in the extract output and so is not stored by ``kg load``.

Records are streamed and grouped by ``article_id`` (``kg extract`` writes an article's
records together). Each article is written with ``EmbeddedStore.add_article``: whole or
not at all, and an article already stored is skipped, so loading again changes nothing.
A broken line is reported as FILE:LINE; the article it belongs to (when the line names
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
    except ValueError as error:
        raise RecordError(f"not JSON ({error})") from None
    if not isinstance(record, dict):
        raise RecordError("not a JSON object")
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


def groups(paths: Iterable[str], report: Report, state: dict) -> Iterator[Group]:
    """Groups of records, one per run of an article's lines; broken lines reported and
    attached to the group(s) they may belong to."""
    for path in record_files(paths):
        try:
            handle = open(path, encoding="utf-8", errors="strict")
        except OSError as error:
            report(f"{path}: cannot read ({error.strerror or error})")
            state["failed_files"] += 1
            continue
        group: Optional[Group] = None
        orphan: list[str] = []        # broken lines naming no article, waiting for the next record
        tainted: dict[str, list] = {}  # article id -> broken lines naming it
        with handle:
            number = 0
            try:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    where = f"{path}:{number}"
                    try:
                        record = parse_record(line)
                    except RecordError as error:
                        state["bad_lines"] += 1
                        named = ARTICLE_ID.search(line)
                        if named:
                            report(f"{where}: {error} (article {named.group(1)} is not loaded)")
                            if group is not None and group.article_id == named.group(1):
                                group.broken.append(where)
                            else:
                                tainted.setdefault(named.group(1), []).append(where)
                        else:
                            report(f"{where}: {error}")
                            orphan.append(where)
                            if group is not None:      # it may be the end of the current article
                                group.broken.append(where)
                        continue
                    article_id = record["article_id"]
                    if group is None or group.article_id != article_id:
                        if group is not None:
                            yield group
                        group = Group(article_id, where, broken=tainted.pop(article_id, []))
                        group.broken.extend(orphan)    # ... or the start of this one
                    orphan = []
                    group.add(record)
            except UnicodeDecodeError:
                report(f"{path}:{number + 1}: not UTF-8 text; the rest of the file is skipped")
                state["bad_lines"] += 1
                if group is not None:
                    group.broken.append(f"{path}:{number + 1}")
        if group is not None:
            yield group


def load_records(store, paths: Iterable[str], report: Report | None = None, progress: bool = False) -> dict:
    """Load extract records into ``store``; counts of what happened."""
    from kg.ingest import StoreWriter

    report = report or (lambda message: print(f"kg: {message}", file=sys.stderr))
    writer = StoreWriter(store, "loaded", progress, every=100)
    state = {"articles_new": 0, "articles_known": 0, "articles_refused": 0, "records": 0,
             "bad_lines": 0, "failed_files": 0}
    done: set[str] = set()
    for group in groups(paths, report, state):
        if group.broken:
            state["articles_refused"] += 1
            report(f"{group.where}: article {group.article_id} not loaded: broken line(s) "
                   f"{', '.join(group.broken)} may belong to it; fix or re-extract, then load again")
            continue
        if group.article_id in done or store.has_article(group.article_id):
            state["articles_known"] += 1
            continue
        try:
            extraction = build_extraction(group.records)
        except (RecordError, KeyError, ValueError) as error:
            state["articles_refused"] += 1
            report(f"{group.where}: article {group.article_id} not loaded: {error}")
            continue
        done.add(group.article_id)
        state["records"] += len(group.records)
        writer.write(extraction)
    state["articles_new"] = writer.new
    state["articles_known"] += writer.known
    state.update(writer.totals())
    return state
