"""Facts as JSON records: the `kg extract --format jsonl` contract (see VOCABULARY.md).

Besides the contract's fields, a record carries what `kg load` needs to rebuild the
article's graph exactly as `kg ingest` writes it (see kg/rdf.py): the article's title,
url and source, and the subject's/object's place attributes (lat, lon, geonames_id).
These extra fields are optional: a record without them loads, with less metadata.
"""
from __future__ import annotations

from kg.model import DateValue, Entity, Extraction, Fact

# entity attributes that reach the RDF (kg/rdf.py entity_quads)
RDF_ATTRS = ("lat", "lon", "geonames_id")


def fact_record(fact: Fact, extraction: Extraction) -> dict:
    obj = fact.object
    evidence = fact.evidence
    article = extraction.article
    record = {
        "subject": fact.subject.label,
        "subject_type": fact.subject.type,
        "predicate": fact.predicate,
        "object": obj.iso if isinstance(obj, DateValue) else obj.label,
        "object_type": "Date" if isinstance(obj, DateValue) else obj.type,
        "source": article.source,
        "evidence": evidence.sentence,
        "confidence": evidence.confidence,
        "subject_id": fact.subject.id,
        "object_id": None if isinstance(obj, DateValue) else obj.id,
        "article_id": article.id,
        "article_date": extraction.clean.date,
        "start": evidence.start,
        "end": evidence.end,
        "rule": evidence.rule,
    }
    if evidence.date:
        record["fact_date"] = evidence.date
    if article.title:
        record["article_title"] = article.title
    if article.url:
        record["article_url"] = article.url
    if evidence.source != article.source:
        record["evidence_source"] = evidence.source
    for side, entity in (("subject", fact.subject), ("object", obj)):
        if isinstance(entity, Entity):
            attrs = dict(entity.attrs)
            for key in RDF_ATTRS:
                if attrs.get(key) is not None:
                    record[f"{side}_{key}"] = attrs[key]
    return record


# -- the published record schema (schema/records.schema.json) as Arrow and Spark schemas ----------
SCHEMA_FILE = "records.schema.json"


def json_schema() -> dict:
    """The JSON Schema of a record (schema/records.schema.json)."""
    import json
    from importlib.resources import files

    return json.loads(files("kg.schema").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def _columns() -> list[tuple[str, str, bool]]:
    """(name, kind, required) per field, in the schema's order; kind is string, integer or number."""
    schema = json_schema()
    required = set(schema["required"])
    out = []
    for name, spec in schema["properties"].items():
        kinds = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        kind = "string" if "string" in kinds else next(k for k in kinds if k != "null")
        out.append((name, kind, name in required))
    return out


def arrow_schema():
    """The record schema as a ``pyarrow.Schema`` (what ``kg extract --format parquet`` writes)."""
    import pyarrow as pa

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64()}
    return pa.schema([pa.field(name, types[kind], nullable=not required) for name, kind, required in _columns()])


def spark_schema():
    """The record schema as a ``pyspark.sql.types.StructType`` (same fields as ``arrow_schema``)."""
    from pyspark.sql import types as T

    kinds = {"string": T.StringType(), "integer": T.LongType(), "number": T.DoubleType()}
    return T.StructType([T.StructField(name, kinds[kind], nullable=not required)
                         for name, kind, required in _columns()])


def to_columns(record: dict) -> dict:
    """A record with exactly the schema's columns (missing ones None), ready for Arrow/Spark."""
    row = {name: record.get(name) for name, _, _ in _columns_cached()}
    for side in ("subject", "object"):
        key = f"{side}_geonames_id"
        if row[key] is not None:
            row[key] = str(row[key])
    return row


def column_names() -> list[str]:
    return [name for name, _, _ in _columns_cached()]


def row_values(record: dict) -> tuple:
    """A record as a tuple in the schema's column order (a Spark Row's values)."""
    return tuple(to_columns(record).values())


def from_columns(row: dict) -> dict:
    """A Parquet/Spark row back to a record as JSON lines carry it (null columns left out,
    except object_id and article_date, which the JSON record always has)."""
    return {k: v for k, v in row.items() if v is not None or k in ("object_id", "article_date")}


_CACHE: list = []


def _columns_cached() -> list:
    if not _CACHE:
        _CACHE.extend(_columns())
    return _CACHE


class RecordSink:
    """Writes records as JSON lines (to a file or stdout) or Parquet (to a file, in row groups
    of ``batch`` records); ``fmt`` "none" writes nothing. Use as a context manager."""

    def __init__(self, fmt: str, path=None, batch: int = 10_000):
        self.fmt, self.path, self.batch = fmt, path, batch
        self.pending: list = []
        self.handle = self.writer = None

    def __enter__(self):
        import sys

        if self.fmt == "jsonl":
            self.handle = open(self.path, "w", encoding="utf-8") if self.path else sys.stdout
        elif self.fmt == "parquet":
            import pyarrow.parquet as pq

            self.writer = pq.ParquetWriter(str(self.path), arrow_schema())
        return self

    def write(self, record: dict) -> None:
        import json

        if self.fmt == "jsonl":
            self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.fmt == "parquet":
            self.pending.append(to_columns(record))
            if len(self.pending) >= self.batch:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.pending:
            self.writer.write_table(pa.Table.from_pylist(self.pending, schema=arrow_schema()))
            self.pending = []

    def __exit__(self, *exc) -> None:
        if self.writer is not None:
            self._flush()
            self.writer.close()
        if self.handle is not None and self.path:
            self.handle.close()
        elif self.handle is not None:
            self.handle.flush()
