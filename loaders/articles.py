"""Read files and folders of .txt, .html/.htm, .json/.jsonl into Articles.

Bad input never stops a batch: each problem comes back as a LoadError naming the
file (and line) and the reason, and the other files still load.

Limits: a file larger than ``max_bytes`` is refused before it is read (and never more
than ``max_bytes`` are read, even from a file that grows meanwhile); only regular files
are read (no FIFOs or devices); empty, binary (NUL bytes, many control characters) and
undecodable files are refused. The encoding is detected (UTF-8, UTF-8/16/32 with a BOM,
else the best single-byte guess, Windows-1252 for the Latin family) and recorded on the
Article (``Article.encoding``). Stray control characters other than tab and newline are
read as spaces (one for one, so offsets are unchanged).
"""
from __future__ import annotations

import json
import os
import re
import stat
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
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


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
    text, encoding = read_decoded(path, max_bytes)
    if kind == "txt":
        yield make_article(path.name, text, "txt", encoding=encoding)
    elif kind == "html":
        try:
            yield html_article(path.name, text, encoding)
        except LoadError as error:   # name the file as given, like the other errors
            raise LoadError(str(path) + str(error)[len(path.name):]) from error
    elif kind == "json":
        yield from json_articles(path, text, encoding)
    else:
        yield from jsonl_articles(path, text, encoding)


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode a file, refusing missing, oversized, empty and binary ones with a clear reason."""
    return read_decoded(path, max_bytes)[0]


def read_decoded(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """(text, encoding used) of a file, refusing missing, oversized, empty, binary ones."""
    try:
        info = path.stat()
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from error
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(f"{path}: not a regular file")
    if info.st_size > max_bytes:
        raise LoadError(f"{path}: too large ({info.st_size:,} bytes > limit {max_bytes:,}); "
                        "raise it with --max-bytes")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)   # the file may have grown since stat()
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise LoadError(f"{path}: too large (more than the limit of {max_bytes:,} bytes); "
                        "raise it with --max-bytes")
    if not data.strip():
        raise LoadError(f"{path}: empty file")
    return decode_with_encoding(data, path)


def decode(data: bytes, path) -> str:
    """The text of a file's bytes (see :func:`decode_with_encoding`)."""
    return decode_with_encoding(data, path)[0]


def decode_with_encoding(data: bytes, path) -> tuple[str, str]:
    """(text, encoding): a BOM's encoding (UTF-8/16/32), else UTF-8, else the detected
    single-byte encoding (Windows-1252 for the Latin family). Binary data is refused."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise LoadError(f"{path}: starts with a {encoding} byte-order mark but is not "
                                f"{encoding} (byte {error.start})") from error
            return _check_text(text, path), encoding
    if b"\x00" in data:
        raise LoadError(f"{path}: binary file (NUL bytes), not text")
    if data.startswith(b"\x89PNG") or data.startswith((b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04")):
        raise LoadError(f"{path}: binary file (image, PDF or archive), not text")
    try:
        return _check_text(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(f"{path}: binary or undecodable file, not text")
    text, encoding = str(best), best.encoding
    if encoding.startswith(LATIN_FAMILY):
        try:   # Western news: among the Latin single-byte code pages, Windows-1252 is the usual one
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return _check_text(text, path), encoding


def _check_text(text: str, path) -> str:
    if not text.strip():
        raise LoadError(f"{path}: empty file")
    if "\x00" in text:
        raise LoadError(f"{path}: binary file (NUL characters), not text")
    control = len(CONTROL.findall(text))
    if control > len(text) * 0.01:
        raise LoadError(f"{path}: binary file (control characters), not text")
    return text


def make_article(source: str, text: str, fmt: str, title: str = "", url: str = "",
                 published: str | None = None, encoding: str = "") -> Article:
    text = CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise LoadError(f"{source}: no article text")
    return Article(id=content_hash(text), source=source, raw=text, title=CONTROL.sub(" ", title), url=url,
                   published=_iso_date(published), format=fmt, encoding=encoding)


def _iso_date(value) -> str | None:
    if not value:
        return None
    import re

    match = re.match(r"(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4})", str(value).strip())
    return match.group(1) if match else None


def html_article(source: str, html: str, encoding: str = "") -> Article:
    """Main text of an HTML page (no comments, navigation, ads) with its title and date.

    Nothing the page points at (images, stylesheets, scripts, DTDs) is fetched.
    """
    import trafilatura

    html = CONTROL.sub(" ", html)
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, fast=True,
                                   deduplicate=_fresh_dedup_cache())
        meta = trafilatura.extract_metadata(html) if text and text.strip() else None
    except Exception as error:  # a parser crash on hostile markup is a bad file, not a bad batch
        raise LoadError(f"{source}: cannot parse the HTML ({type(error).__name__})") from error
    if not text or not text.strip():
        raise LoadError(f"{source}: no article text found in the HTML")
    title = (meta.title if meta and meta.title else "") or ""
    date = meta.date if meta and meta.date else None
    return make_article(source, text, "html", title=title, published=date, encoding=encoding)


def _fresh_dedup_cache():
    """Repeated paragraphs are dropped within a page only: trafilatura's shared cache would
    also drop those seen in pages read earlier in the process, so the same page would read
    (and hash) differently the fourth time it is read."""
    try:
        from trafilatura.deduplication import LRUCache
    except ImportError:  # pragma: no cover - older trafilatura
        return False
    return LRUCache(maxsize=4096)


def jsonl_articles(path: Path, text: str, encoding: str = "") -> Iterator[Union[Article, LoadError]]:
    # split on newlines only: str.splitlines() also splits on U+2028, U+0085 ..., which JSON
    # strings may hold unescaped, and would shift the line numbers reported
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield LoadError(f"{path}:{number}: not valid JSON ({error.msg}); line skipped")
            continue
        except RecursionError:
            yield LoadError(f"{path}:{number}: not valid JSON (nested too deep); line skipped")
            continue
        try:
            yield json_article(row, f"{path.name}:{number}", encoding, label=f"{path}:{number}")
        except LoadError as error:
            yield error


def json_articles(path: Path, text: str, encoding: str = "") -> Iterator[Union[Article, LoadError]]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        if len(text.strip().split("\n")) > 1:  # JSON lines saved as .json
            yield from jsonl_articles(path, text, encoding)
            return
        where = f"{error.msg} at line {error.lineno}" if isinstance(error, json.JSONDecodeError) else "nested too deep"
        raise LoadError(f"{path}: not valid JSON ({where})") from error
    rows = data if isinstance(data, list) else [data]
    for number, row in enumerate(rows, 1):
        try:
            where = f"[{number}]" if len(rows) > 1 else ""
            yield json_article(row, path.name + where, encoding, label=f"{path}{where}")
        except LoadError as error:
            yield error


def json_article(row, where: str, encoding: str = "", label: str | None = None) -> Article:
    """An Article from a JSON object; ``where`` is its default source, ``label`` names it in errors."""
    label = label or where
    if not isinstance(row, dict):
        raise LoadError(f"{label}: expected a JSON object with a 'text' field")
    text = next((row[k] for k in TEXT_KEYS if isinstance(row.get(k), str) and row[k].strip()), None)
    if text is None:
        raise LoadError(f"{label}: no 'text' field with article text")
    source = str(row.get("id") or where)
    return make_article(source, text, "json", title=str(row.get("title") or ""),
                        url=str(row.get("url") or ""),
                        published=next((row[k] for k in DATE_KEYS if row.get(k)), None), encoding=encoding)
