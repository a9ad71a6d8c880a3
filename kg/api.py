"""The stable Python API: article text in, records or quads out.

    import kg
    records = kg.extract_records(text, id="reuters-2021-03-11-001", title="...", published="2021-03-11")
    quads = kg.extract_quads(text, id="reuters-2021-03-11-001")

Both are pure functions of their arguments (the same text, metadata and gazetteer files
always give the same result, whatever process, machine or shard runs them), picklable
(plain module-level functions: Spark, Dask, Ray and multiprocessing ship them by name),
and cheap in a loop: the gazetteer and the sentence splitter are loaded once per process
and cached (per set of gazetteer files).

Identity does not depend on sharding: the article id (``article_id`` of every record,
the article's graph IRI) is the hash of the normalised text, and the article's
``source`` is ``id`` when given, else that hash (never a file name or line number).
To reproduce what ``kg ingest FILE`` stores for an article, pass the ``id`` ingest sees:
the JSON ``id`` field, or the file name of a .txt/.html file.

These are a thin layer over the pipeline's one public entry point
(``kg.loaders.pipeline.extract``) and the record and RDF writers; nothing here knows how
extraction works inside.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

__all__ = ["extract_records", "extract_quads", "extract_article", "record_schema"]


def _gazetteer_files(gazetteer: Iterable) -> tuple[str, ...]:
    """Gazetteer paths as the CLI passes them (absolute), so both share one cached gazetteer."""
    if isinstance(gazetteer, (str, Path)):
        gazetteer = (gazetteer,)
    return tuple(str(Path(p).resolve()) for p in gazetteer)


def extract_article(text: str, *, id: Optional[str] = None, title: Optional[str] = None,
                    url: Optional[str] = None, published: Optional[str] = None, gazetteer: Iterable = ()):
    """The article's ``kg.model.Extraction`` (entities and facts with evidence).

    Raises ``kg.errors.LoadError`` when ``text`` holds no article text."""
    from kg.ids import content_hash
    from kg.loaders.articles import make_article
    from kg.loaders.pipeline import extract

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    source = str(id) if id not in (None, "") else content_hash(text)
    article = make_article(source, text, "json", title=title or "", url=url or "", published=published)
    return extract(article, _gazetteer_files(gazetteer))


def extract_records(text: str, *, id: Optional[str] = None, title: Optional[str] = None,
                    url: Optional[str] = None, published: Optional[str] = None,
                    gazetteer: Iterable = ()) -> list[dict]:
    """The article's facts as extract records (the contract of ``kg extract --format jsonl``,
    schema/records.schema.json), in the order ``kg extract`` prints them."""
    from kg.records import fact_record

    extraction = extract_article(text, id=id, title=title, url=url, published=published, gazetteer=gazetteer)
    return [fact_record(fact, extraction) for fact in extraction.facts]


def extract_quads(text: str, *, id: Optional[str] = None, title: Optional[str] = None,
                  url: Optional[str] = None, published: Optional[str] = None,
                  gazetteer: Iterable = ()) -> list:
    """The quads (``pyoxigraph.Quad``) of the article's named graph, exactly as ``kg ingest``
    stores them (the store's summary graph is derived from them)."""
    from kg.rdf import article_quads

    return article_quads(extract_article(text, id=id, title=title, url=url, published=published,
                                         gazetteer=gazetteer))


def record_schema() -> dict:
    """The JSON Schema of a record (``kg.records.arrow_schema()`` and ``kg.records.spark_schema()``
    give the same fields as Arrow and Spark schemas)."""
    from kg.records import json_schema

    return json_schema()
