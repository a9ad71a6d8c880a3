"""Article text -> CleanText: no reader comments, ads, video ids or page furniture.

Keeps a map from every character of the clean text back to the raw text, and
reads the article's own date from a ``date YYYY-MM-DD`` marker or a dateline.
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from kg.model import Article, CleanText
from kg.schema import read_text

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTH_RE = "|".join(MONTHS)
DATE_MARKER = re.compile(r"^\s*date:?\s+(\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)
DATELINE = re.compile(
    rf"^\s*(?:(?P<day1>\d{{1,2}})\s+)?(?P<month>{_MONTH_RE})\.?\s+(?:(?P<day2>\d{{1,2}}),?\s+)?(?P<year>\d{{4}})\s*$",
    re.IGNORECASE)
BULLET = re.compile(r"^\s*[•●▪◦·\-\*]\s+")
SENTENCE_END = re.compile(r"[.!?:;\"”»)]\s*$")


@lru_cache(maxsize=1)
def rules() -> dict:
    data = yaml.safe_load(read_text("cleaning.yaml"))
    return {key: [re.compile(p, re.IGNORECASE) for p in data.get(key, [])]
            for key in ("comment_start", "drop_lines", "drop_inline")}


def clean(article: Article) -> CleanText:
    """The article's own text, with offsets into ``article.raw`` and its date."""
    raw = article.raw
    lines = _lines(raw)
    date = article.published
    pieces: list[tuple[int, int]] = []          # kept raw spans, one per kept line
    end = _comment_section_start([raw[a:b] for a, b in lines])
    for index, (start, stop) in enumerate(lines[:end]):
        text = raw[start:stop]
        if not text.strip() or _is_furniture(text):
            continue
        marker = DATE_MARKER.match(text)
        if marker:
            date = date or marker.group(1)
            start += marker.end()
            if start >= stop:
                continue
        elif not pieces and DATELINE.match(text):
            date = date or _dateline_date(DATELINE.match(text))
            continue
        pieces.extend(_without_inline_junk(raw, start, stop))
    return _assemble(article, pieces, date)


def _lines(raw: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for match in re.finditer(r"\n", raw):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(raw)))
    return out


def _is_furniture(line: str) -> bool:
    return any(p.search(line) for p in rules()["drop_lines"])


def _looks_like_username(line: str) -> bool:
    words = BULLET.sub("", line).split()
    return 0 < len(words) <= 4 and not SENTENCE_END.search(line) and not _is_furniture(line)


def _comment_section_start(texts: list[str]) -> int:
    """Index of the first line of the reader-comment section (len(texts) when none)."""
    seen_body = 0
    blank_run = 0
    for index, text in enumerate(texts):
        if not text.strip():
            blank_run += 1
            continue
        if any(p.search(text) for p in rules()["comment_start"]):
            return index
        following = next((t for t in texts[index + 1:] if t.strip()), "")
        starts_thread = (blank_run >= 2 or BULLET.match(text)) and seen_body >= 1
        if starts_thread and _looks_like_username(text) and len(following.split()) >= 3:
            return index
        if not _is_furniture(text):
            seen_body += 1
        blank_run = 0
    return len(texts)


def _without_inline_junk(raw: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Sub-spans of a line with inline junk ([ad_1] ...) cut out, blank edges trimmed."""
    spans = [(start, stop)]
    for pattern in rules()["drop_inline"]:
        cut = []
        for a, b in spans:
            position = a
            for match in pattern.finditer(raw, a, b):
                cut.append((position, match.start()))
                position = match.end()
            cut.append((position, b))
        spans = cut
    trimmed = []
    for a, b in spans:
        while a < b and raw[a].isspace():
            a += 1
        while b > a and raw[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


def _dateline_date(match) -> str:
    month = MONTHS[match.group("month").lower()]
    day = match.group("day1") or match.group("day2")
    if day:
        return f"{match.group('year')}-{month:02d}-{int(day):02d}"
    return f"{match.group('year')}-{month:02d}"


def _assemble(article: Article, pieces, date) -> CleanText:
    parts, offsets = [], []
    for a, b in pieces:
        if parts:
            parts.append("\n")
            offsets.append(a - 1 if a > 0 else 0)
        parts.append(article.raw[a:b])
        offsets.extend(range(a, b))
    return CleanText(article=article, text="".join(parts), offsets=tuple(offsets), date=date)
