"""Read files and folders of .txt, .html/.htm, .json/.jsonl into Articles.

Bad input never stops a batch: each problem comes back as a LoadError naming the
file (and line) and the reason, and the other files still load.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Iterator, Union

from kg.errors import LoadError
from kg.ids import content_hash
from kg.model import Article

SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "txt", ".html": "html", ".htm": "html",
            ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_KEYS = ("text", "content", "body", "article")
DATE_KEYS = ("published", "date", "published_at", "pubdate")
LATIN_FAMILY = ("cp125", "latin", "iso8859", "mac_")


def expand_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files named, and the supported files inside folders named (sorted, recursive)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            yield path


def read_articles(paths, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, LoadError]]:
    """Articles from every path, interleaved with LoadErrors for what could not be read."""
    for path in expand_paths(paths):
        try:
            yield from read_file(path, max_bytes)
        except LoadError as error:
            yield error


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, LoadError]]:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise LoadError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                        f"use one of {', '.join(sorted(SUFFIXES))}")
    text = read_text(path, max_bytes)
    if kind == "txt":
        yield make_article(path.name, text, "txt")
    elif kind == "html":
        yield html_article(path.name, text)
    elif kind == "json":
        yield from json_articles(path, text)
    else:
        yield from jsonl_articles(path, text)


def read_text(path: Path, max_bytes: int) -> str:
    """Decode a file, refusing missing, oversized, empty and binary ones with a clear reason."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from error
    if size > max_bytes:
        raise LoadError(f"{path}: too large ({size:,} bytes > limit {max_bytes:,}); "
                        "raise it with --max-bytes")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from error
    if not data.strip():
        raise LoadError(f"{path}: empty file")
    return decode(data, path)


def decode(data: bytes, path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the detected single-byte encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise LoadError(f"{path}: binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(f"{path}: binary or undecodable file, not text")
    text = str(best)
    if best.encoding.startswith(LATIN_FAMILY):
        try:   # Western news: among the Latin single-byte code pages, Windows-1252 is the usual one
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    control = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if control > len(text) * 0.01:
        raise LoadError(f"{path}: binary file (control characters), not text")
    return text


def make_article(source: str, text: str, fmt: str, title: str = "", url: str = "",
                 published: str | None = None) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError(f"{source}: no article text")
    return Article(id=content_hash(text), source=source, raw=text, title=title, url=url,
                   published=_iso_date(published), format=fmt)


def _iso_date(value) -> str | None:
    if not value:
        return None
    import re

    match = re.match(r"(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4})", str(value).strip())
    return match.group(1) if match else None


def html_article(source: str, html: str) -> Article:
    """Main text of an HTML page (no comments, navigation, ads) with its title and date."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, fast=True,
                               deduplicate=True)
    if not text or not text.strip():
        raise LoadError(f"{source}: no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta and meta.title else "") or ""
    date = meta.date if meta and meta.date else None
    return make_article(source, text, "html", title=title, published=date)


def jsonl_articles(path: Path, text: str) -> Iterator[Union[Article, LoadError]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield LoadError(f"{path}:{number}: not valid JSON ({error.msg}); line skipped")
            continue
        try:
            yield json_article(row, f"{path.name}:{number}")
        except LoadError as error:
            yield error


def json_articles(path: Path, text: str) -> Iterator[Union[Article, LoadError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if len(text.strip().splitlines()) > 1:  # JSON lines saved as .json
            yield from jsonl_articles(path, text)
            return
        raise LoadError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from error
    rows = data if isinstance(data, list) else [data]
    for number, row in enumerate(rows, 1):
        try:
            yield json_article(row, f"{path.name}[{number}]" if len(rows) > 1 else path.name)
        except LoadError as error:
            yield error


def json_article(row, where: str) -> Article:
    if not isinstance(row, dict):
        raise LoadError(f"{where}: expected a JSON object with a 'text' field")
    text = next((row[k] for k in TEXT_KEYS if isinstance(row.get(k), str) and row[k].strip()), None)
    if text is None:
        raise LoadError(f"{where}: no 'text' field with article text")
    source = str(row.get("id") or where)
    return make_article(source, text, "json", title=str(row.get("title") or ""),
                        url=str(row.get("url") or ""),
                        published=next((row[k] for k in DATE_KEYS if row.get(k)), None))
