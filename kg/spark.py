"""Extraction on Spark: articles (a folder of files, or a Parquet table) -> Parquet facts.

    python -m kg.spark ARTICLES OUTPUT [--master local[4]] [--partitions N] [--gazetteer FILE]
    kg --store /data/kg load OUTPUT

or, on a cluster, ``spark-submit examples/spark/extract_job.py ARTICLES OUTPUT`` (see
README "Scale and speed"). The output is a folder of Parquet part files with the record
schema (``kg.records.spark_schema``), which ``kg load`` reads whatever the partitioning.

Input:
- a folder (or file) of articles, read by kg's own reader on the executors
  (``SparkContext.binaryFiles``, one record per file), so every article gets the same
  source and id as ``kg ingest`` gives it: the store ``kg load`` builds is identical;
- a Parquet table of articles (``--input-format parquet``) with a ``text`` column and
  optionally ``id``, ``title``, ``url``, ``published``: each row goes through
  ``kg.extract_records`` (``mapInPandas``); the source is ``id``, else the text's hash.

Extraction is the only distributed step: each executor process loads the gazetteer and
the parsers once (kg caches them per process) and extracts its partitions. An article
whose file cannot be read or whose extraction fails is counted and reported by the
driver (one line each, the first 20), never stops the job.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterable, Iterator

MAX_REPORTED = 20


def _errors_accumulator(spark):
    from pyspark.accumulators import AccumulatorParam

    class Messages(AccumulatorParam):
        def zero(self, value):
            return []

        def addInPlace(self, first, second):
            return (first + second)[:1000]

    return spark.sparkContext.accumulator([], Messages())


def _file_articles(name: str, data: bytes, max_bytes: int):
    """The articles of one file's bytes, read as ``kg ingest`` reads the file (its name, not
    its folder, is the article's source), and the LoadErrors."""
    import tempfile

    from kg.loaders.articles import read_file

    with tempfile.TemporaryDirectory(prefix="kg-spark-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            items = list(read_file(path, max_bytes))
        except Exception as error:  # noqa: BLE001 - a bad file is reported, the job goes on
            items = [error]
    return [str(item).replace(str(path), name) if isinstance(item, Exception) else item for item in items]


def _records_of_files(files: Iterable[tuple[str, bytes]], gazetteer: tuple, max_bytes: int, errors) -> Iterator[tuple]:
    from kg.ingest import extract_or_error
    from kg.records import fact_record, row_values

    for uri, data in files:
        for article in _file_articles(uri.rstrip("/").rsplit("/", 1)[-1], data, max_bytes):
            if isinstance(article, str):
                errors.add([article])
                continue
            extraction = extract_or_error(article, gazetteer)
            if isinstance(extraction, Exception):
                errors.add([str(extraction)])
                continue
            for fact in extraction.facts:
                yield row_values(fact_record(fact, extraction))


def _records_of_frames(frames, gazetteer: tuple, errors):
    """mapInPandas: frames of articles -> frames of records."""
    import pandas as pd

    from kg.api import extract_records
    from kg.records import column_names, to_columns

    def value(row, key):
        got = row.get(key)
        return None if got is None or (isinstance(got, float) and got != got) else str(got)

    for frame in frames:
        rows = []
        for row in frame.to_dict("records"):
            try:
                records = extract_records(row["text"], id=value(row, "id"), title=value(row, "title"),
                                          url=value(row, "url"), published=value(row, "published"),
                                          gazetteer=gazetteer)
            except Exception as error:  # noqa: BLE001 - one article never stops the job
                errors.add([f"{value(row, 'id') or 'an article'}: {type(error).__name__}: {error}"])
                continue
            rows.extend(to_columns(r) for r in records)
        yield pd.DataFrame(rows, columns=column_names())


def extract_to_parquet(spark, articles: str, output: str, *, input_format: str = "files",
                       gazetteer: Iterable = (), partitions: int | None = None,
                       max_bytes: int = 20 * 1024 * 1024) -> dict:
    """Extract every article under ``articles`` into Parquet record files in ``output``
    (overwritten); {"records": n, "failed": n, "errors": [first messages]}."""
    from kg.api import _gazetteer_files
    from kg.records import spark_schema

    gazetteer = _gazetteer_files(gazetteer)
    errors = _errors_accumulator(spark)
    if input_format == "files":
        files = spark.sparkContext.binaryFiles(_files_glob(articles), minPartitions=partitions or None)
        if partitions:
            files = files.repartition(partitions)
        rows = files.mapPartitions(lambda part: _records_of_files(part, gazetteer, max_bytes, errors))
        facts = spark.createDataFrame(rows, spark_schema())
    elif input_format == "parquet":
        frame = spark.read.parquet(articles)
        if partitions:
            frame = frame.repartition(partitions)
        facts = frame.mapInPandas(lambda frames: _records_of_frames(frames, gazetteer, errors), spark_schema())
    else:
        raise ValueError(f"input_format must be 'files' or 'parquet', not {input_format!r}")
    facts.write.mode("overwrite").parquet(output)
    written = spark.read.parquet(output).count()
    return {"records": written, "failed": len(errors.value), "errors": errors.value[:MAX_REPORTED]}


def _files_glob(articles: str) -> str:
    """A folder of article files as binaryFiles wants it (its supported files, recursively)."""
    from kg.loaders.articles import SUFFIXES

    local = Path(articles)
    if "://" not in articles and local.is_dir():
        return ",".join(str(p.resolve()) for p in _local_files(local, SUFFIXES))
    return articles


def _local_files(folder: Path, suffixes) -> list[Path]:
    from kg.loaders.articles import expand_paths

    return [p for p in expand_paths([folder]) if p.suffix.lower() in suffixes]


def session(master: str | None = None, **config):
    """A SparkSession; in local mode its Python workers run this interpreter (the one kg is
    installed in), unless PYSPARK_PYTHON says otherwise."""
    import os

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("kg extract")
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for key, value in config.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", help="folder or file(s) of articles, or a Parquet table with --input-format parquet")
    parser.add_argument("output", help="folder to write Parquet records to (then: kg load OUTPUT)")
    parser.add_argument("--input-format", choices=["files", "parquet"], default="files")
    parser.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    parser.add_argument("--partitions", type=int, help="partitions to extract in (default: Spark's)")
    parser.add_argument("--gazetteer", action="append", default=[], help="extra gazetteer YAML (repeatable)")
    args = parser.parse_args(argv)
    spark = session(args.master)
    try:
        result = extract_to_parquet(spark, args.articles, args.output, input_format=args.input_format,
                                    gazetteer=args.gazetteer, partitions=args.partitions)
    finally:
        spark.stop()
    for message in result["errors"]:
        print(f"kg: {message}", file=sys.stderr)
    print(f"records: {result['records']} written to {args.output}; {result['failed']} article(s) or file(s) failed")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
