"""Read files and folders of .txt, .html/.htm, .json/.jsonl into Articles.

Bad input never stops a batch: each problem comes back as a LoadError naming the
file (and line) and the reason, and the other files still load.

Limits: a file larger than ``max_bytes`` is refused before it is read (and never more
than ``max_bytes`` are read, even from a file that grows meanwhile); only regular files
are read (no FIFOs or devices); empty, binary (NUL bytes, many control characters) and
undecodable files are refused. The encoding is detected (UTF-8, UTF-8/16/32 with a BOM,
UTF-8 with a few stray single-byte characters, else the best single-byte guess,
Windows-1252 for the Latin family) and recorded on the Article (``Article.encoding``). Stray control characters other than tab and newline are
read as spaces (one for one, so offsets are unchanged).

Folders are walked without following symbolic links: a link inside a folder is reported
and skipped (a link named on the command line is read), and a subfolder that cannot be
listed is reported, never skipped silently. File names are shown escaped, on one line.
HTML, whether a file or a feed's ``text``/``content``, goes through :mod:`kg.loaders.html`;
feed dates through :mod:`kg.loaders.published`.
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from kg.errors import LoadError
from kg.ids import content_hash
from kg.loaders.html import DEFAULT_PAGE_BYTES, DEFAULT_PAGE_SECONDS, PageBudget, PageRefused, looks_like_html, read_html
from kg.loaders.published import parse_published
from kg.model import Article

SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "txt", ".html": "html", ".htm": "html",
            ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_KEYS = ("text", "content", "body", "article")
DATE_KEYS = ("published", "date", "published_at", "pubdate")
STRAY = re.compile("[\udc80-\udcff]+")   # bytes that are not UTF-8, as surrogateescape decodes them
MIXED_UTF8 = 3
LATIN_FAMILY = ("cp125", "latin", "iso8859", "mac_")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNSAFE_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\\\\]")
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass(frozen=True)
class ReadOptions:
    """How input is read: the size limit of a file, the budget of an HTML page, and the
    order of ambiguous numeric feed dates (day first unless ``month_first``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    page_bytes: int = DEFAULT_PAGE_BYTES
    page_seconds: float = DEFAULT_PAGE_SECONDS
    month_first: bool = False

    @property
    def page_budget(self) -> PageBudget:
        return PageBudget(self.page_bytes, self.page_seconds)


class Skipped(LoadError):
    """Something in a folder deliberately not read (a symbolic link): reported as a warning."""

    warning = True


def shown(path) -> str:
    """A file name safe to print on one line: undecodable bytes as \\xNN, control, line-break
    and bidi characters (and backslashes) escaped, so a name can never forge or split a line."""
    name = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    return "".join(_shown_char(c) for c in name) if UNSAFE_IN_NAMES.search(name) or _has_surrogates(name) \
        else name


def _shown_char(char: str) -> str:
    if "\udc80" <= char <= "\udcff":            # an undecodable byte, as os.fsdecode keeps it
        return f"\\x{ord(char) - 0xdc00:02x}"
    if "\ud800" <= char <= "\udfff":
        return f"\\u{ord(char):04x}"
    return char.encode("unicode_escape").decode("ascii") if UNSAFE_IN_NAMES.match(char) else char


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def expand_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Union[Path, LoadError]]:
    """Files named, and the supported files inside folders named (sorted, recursive), with a
    LoadError for each subfolder that cannot be listed and each symbolic link not followed."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(root: Path) -> Iterator[Union[Path, LoadError]]:
    found: list[Path] = []
    problems: list[LoadError] = []

    def unreadable(error: OSError) -> None:
        problems.append(LoadError(f"{shown(error.filename or root)}: folder cannot be read "
                                  f"({error.strerror or error}); its files were skipped"))

    for folder, subfolders, files in os.walk(root, onerror=unreadable, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        here = Path(folder)
        for name in subfolders:
            if (here / name).is_symlink():
                problems.append(Skipped(f"{shown(here / name)}: symbolic link to a folder inside a folder, "
                                        "not followed (name it on the command line to read it)"))
        for name in files:
            candidate = here / name
            if name.startswith(".") or candidate.suffix.lower() not in SUFFIXES:
                continue
            if candidate.is_symlink():
                problems.append(Skipped(f"{shown(candidate)}: symbolic link inside a folder, not followed "
                                        "(name it on the command line to read it)"))
                continue
            found.append(candidate)
    yield from sorted(found)
    yield from problems


def read_articles(paths, max_bytes: int = DEFAULT_MAX_BYTES,
                  options: ReadOptions | None = None) -> Iterator[Union[Article, LoadError]]:
    """Articles from every path, interleaved with LoadErrors for what could not be read."""
    options = options or ReadOptions(max_bytes=max_bytes)
    for path in expand_paths(paths):
        if isinstance(path, LoadError):
            yield path
            continue
        try:
            yield from read_file(path, options.max_bytes, options)
        except LoadError as error:
            yield error


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES,
              options: ReadOptions | None = None) -> Iterator[Union[Article, LoadError]]:
    options = options or ReadOptions(max_bytes=max_bytes)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise LoadError(f"{shown(path)}: unsupported file type {shown(path.suffix) or '(none)'!r}; "
                        f"use one of {', '.join(sorted(SUFFIXES))}")
    text, encoding = read_decoded(path, max_bytes)
    source = shown(path.name)
    if kind == "txt":
        yield make_article(source, text, "txt", encoding=encoding)
    elif kind == "html":
        yield html_article(source, text, encoding, budget=options.page_budget, label=shown(path))
    elif kind == "json":
        yield from json_articles(path, text, encoding, options)
    else:
        yield from jsonl_articles(path, text, encoding, options)


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode a file, refusing missing, oversized, empty and binary ones with a clear reason."""
    return read_decoded(path, max_bytes)[0]


def read_decoded(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """(text, encoding used) of a file, refusing missing, oversized, empty, binary ones."""
    try:
        info = path.stat()
    except OSError as error:
        raise LoadError(f"{shown(path)}: cannot read: {error.strerror or error}") from error
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(f"{shown(path)}: not a regular file")
    if info.st_size > max_bytes:
        raise LoadError(f"{shown(path)}: too large ({info.st_size:,} bytes > limit {max_bytes:,}); "
                        "raise it with --max-bytes")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)   # the file may have grown since stat()
    except OSError as error:
        raise LoadError(f"{shown(path)}: cannot read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise LoadError(f"{shown(path)}: too large (more than the limit of {max_bytes:,} bytes); "
                        "raise it with --max-bytes")
    if not data.strip():
        raise LoadError(f"{shown(path)}: empty file")
    return decode_with_encoding(data, shown(path))


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
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return _check_text(mixed, path), "utf-8+cp1252"
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


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 holding a few stray bytes of a single-byte code page (a page put together
    from two sources, a Latin-1 meta tag in a UTF-8 page): when its UTF-8 characters
    outnumber the stray bytes MIXED_UTF8 to one, it is read as UTF-8 and only the stray
    bytes as Windows-1252. (A page in a single-byte code page or in GBK holds few or no
    valid UTF-8 sequences.)"""
    text = data.decode("utf-8", "surrogateescape")
    stray = sum(map(len, STRAY.findall(text)))
    wide = sum(1 for c in text if ord(c) > 127) - stray
    if wide < MIXED_UTF8 * stray:
        return None
    return STRAY.sub(lambda m: "".join(_single_byte(ord(c) - 0xDC00) for c in m.group()), text)


def _single_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:   # the five bytes Windows-1252 leaves undefined
        return chr(byte)


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
                 published: str | None = None, encoding: str = "", notes: tuple = ()) -> Article:
    text = CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise LoadError(f"{source}: no article text")
    return Article(id=content_hash(text), source=source, raw=text, title=CONTROL.sub(" ", title), url=url,
                   published=_iso_date(published), format=fmt, encoding=encoding, notes=tuple(notes))


def _iso_date(value) -> str | None:
    """An ISO date already checked by the caller; anything else is read by kg.loaders.published."""
    if not value:
        return None
    iso, _refused = parse_published(value)
    return iso


def html_article(source: str, html: str, encoding: str = "", budget: PageBudget = PageBudget(),
                 label: str | None = None, fmt: str = "html", **fields) -> Article:
    """Main text of an HTML page (no comments, navigation, ads) with its title, date and URL
    (see kg.loaders.html); ``fields`` given by a feed win over the page's own."""
    try:
        page = read_html(CONTROL.sub(" ", html), budget)
    except PageRefused as error:
        raise LoadError(f"{label or source}: {error}") from error
    published, notes = fields.pop("published", None), list(fields.pop("notes", ()))
    if published is None and page.date:
        published, refused = parse_published(page.date)
        if refused:
            notes.append(f"{label or source}: page {refused}")
    title = fields.pop("title", "") or page.title
    url = fields.pop("url", "") or page.url
    return make_article(source, page.text, fmt, title=title, url=url, published=published, encoding=encoding,
                        notes=tuple(notes))


def jsonl_articles(path: Path, text: str, encoding: str = "",
                   options: ReadOptions | None = None) -> Iterator[Union[Article, LoadError]]:
    # split on newlines only: str.splitlines() also splits on U+2028, U+0085 ..., which JSON
    # strings may hold unescaped, and would shift the line numbers reported
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield LoadError(f"{shown(path)}:{number}: not valid JSON ({error.msg}); line skipped")
            continue
        except RecursionError:
            yield LoadError(f"{shown(path)}:{number}: not valid JSON (nested too deep); line skipped")
            continue
        try:
            yield json_article(row, f"{shown(path.name)}:{number}", encoding, label=f"{shown(path)}:{number}",
                               options=options)
        except LoadError as error:
            yield error


def json_articles(path: Path, text: str, encoding: str = "",
                  options: ReadOptions | None = None) -> Iterator[Union[Article, LoadError]]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        if len(text.strip().split("\n")) > 1:  # JSON lines saved as .json
            yield from jsonl_articles(path, text, encoding, options)
            return
        where = f"{error.msg} at line {error.lineno}" if isinstance(error, json.JSONDecodeError) else "nested too deep"
        raise LoadError(f"{shown(path)}: not valid JSON ({where})") from error
    rows = data if isinstance(data, list) else [data]
    for number, row in enumerate(rows, 1):
        try:
            where = f"[{number}]" if len(rows) > 1 else ""
            yield json_article(row, shown(path.name) + where, encoding, label=f"{shown(path)}{where}",
                               options=options)
        except LoadError as error:
            yield error


def json_article(row, where: str, encoding: str = "", label: str | None = None,
                 options: ReadOptions | None = None) -> Article:
    """An Article from a JSON object; ``where`` is its default source, ``label`` names it in errors.

    The text is the first of ``text``, ``content``, ``body``, ``article`` that holds a string;
    HTML in it is read like an HTML page. The date is the first of ``published``, ``date``,
    ``published_at``, ``pubdate`` (see kg.loaders.published); a date that cannot be read or
    lies outside 1900..next year leaves the article without a date and a warning."""
    label = label or where
    options = options or ReadOptions()
    if not isinstance(row, dict):
        raise LoadError(f"{label}: expected a JSON object with a 'text' field")
    key = next((k for k in TEXT_KEYS if isinstance(row.get(k), str)), None)
    if key is None:
        raise LoadError(f"{label}: no 'text' field with article text (also read: "
                        f"{', '.join(repr(k) for k in TEXT_KEYS[1:])})")
    text = row[key]
    if not text.strip():
        raise LoadError(f"{label}: the {key!r} field is empty")
    source = _json_source(row.get("id"), where)
    published, refused = parse_published(next((row[k] for k in DATE_KEYS if row.get(k) not in (None, "")), None),
                                          month_first=options.month_first)
    notes = (f"{label}: {refused}",) if refused else ()
    fields = dict(title=str(row.get("title") or ""), url=str(row.get("url") or ""), encoding=encoding)
    if looks_like_html(text):
        return html_article(source, text, budget=options.page_budget, label=label,
                            published=published, notes=notes, **fields)
    return make_article(source, text, "json", published=published, notes=notes, **fields)


def _json_source(value, where: str) -> str:
    """The article's source: its JSON id (shown safely, at most 200 characters) or where it was."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or value == "":
        return where
    if isinstance(value, int) and value.bit_length() > 600:     # str() refuses integers this long
        return where
    return shown(str(value))[:200] or where
