"""Article text -> CleanText: no reader comments, ads or page furniture, normalised.

Keeps a map from every character of the clean text back to the raw text, says what
it left out (and how much), and reads the article's own date. The date is the first of:
the container's (a feed's field, the page's metadata); a ``date YYYY-MM-DD`` marker; a
dateline ("MARCH 14, 2021" as the first line, "ANKARA, October 17 (Reuters) -"); a photo
caption or byline near the top holding a full date ("Jan. 15, 2025"); a date in the
article's URL (".../2019/10/17/..."). Each is refused outside 1900..next year.

Reader comments: HTML pages lose them by the page's structure (kg.loaders.html); in
plain text only an explicit comment heading or a thread (see schema/cleaning.yaml)
starts them. Then the text gets the one normalisation of kg.loaders.normalise.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date as calendar_date
from functools import lru_cache
from typing import Optional

import yaml

from kg.loaders.dates import opening_date
from kg.loaders.normalise import normalise, read_look_alikes
from kg.loaders.published import FIRST_YEAR, last_year_allowed
from kg.model import Article, CleanText
from kg.schema import read_text

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
               "oct": 10, "nov": 11, "dec": 12})
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_MARKER = re.compile(r"^\s*date:?\s+(\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)
DATELINE = re.compile(
    rf"^\s*(?:(?P<day1>\d{{1,2}})\s+)?(?P<month>{_MONTH_RE})\.?\s+(?:(?P<day2>\d{{1,2}}),?\s+)?(?P<year>\d{{4}})\s*$",
    re.IGNORECASE)
# "ANKARA, October 17 (Reuters) -", "WASHINGTON, Jan. 15, 2025 (AP) —", "MOSCOW, 17 October 2019 /TASS/ -"
PLACE_DATELINE = re.compile(
    rf"^\s*[A-Z][\w.'’ -]{{1,40}},\s+(?:(?P<day1>\d{{1,2}})\s+)?(?P<month>{_MONTH_RE})\.?\s+(?:(?P<day2>\d{{1,2}})\b,?\s*)?"
    rf"(?P<year>(?:19|20)\d\d)?\s*(?:\(|/|-|–|—)", re.IGNORECASE)
# "DOHA / KINSHASA, 20.07.2025 -": a dotted numeric date is day first
NUMERIC_DATELINE = re.compile(
    r"^\s*[A-Z][\w.'’ /-]{1,40},\s+(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d\d)\s*(?:\(|/|-|–|—)")
FULL_DATE = re.compile(
    rf"\b(?:(?P<month>{_MONTH_RE})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+|(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?P<month2>{_MONTH_RE})\.?,?\s+)(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>0?[1-9]|1[0-2])(?:[/-](?P<day>0?[1-9]|[12]\d|3[01]))?(?=/|\b)")
BULLET = re.compile(r"^\s*[•●▪◦·\-\*]\s+")
SENTENCE_END = re.compile(r"[.!?:;\"”»)]\s*$")
TOP_LINES = 20            # captions, bylines and datelines are looked for in the first lines only
THREAD_NAMES = 4          # a comment thread has at least this many different posters ...
NAME_WORDS = 4            # ... each named on a line of at most this many words


@lru_cache(maxsize=1)
def rules() -> dict:
    data = yaml.safe_load(read_text("cleaning.yaml"))
    return {key: [re.compile(p, re.IGNORECASE) for p in data.get(key, [])]
            for key in ("comment_start", "drop_lines", "drop_inline", "date_lines")}


def clean(article: Article) -> CleanText:
    """The article's own text, with offsets into ``article.raw``, what was cut, and its date."""
    raw = article.raw
    lines = _lines(raw)
    texts = [raw[a:b] for a, b in lines]
    cut: Counter = Counter()
    date, date_source = (article.published, "container") if article.published else (None, "")
    end = len(lines) if article.format == "html" else _comment_section_start(texts)
    cut["reader comments"] += sum(_chars(t) for t in texts[end:])
    pieces: list[tuple[int, int]] = []          # kept raw spans, one per kept line
    for index, (start, stop) in enumerate(lines[:end]):
        text = texts[index]
        if not text.strip():
            continue
        if _is_furniture(text):
            cut["page furniture"] += _chars(text)
            continue
        marker = DATE_MARKER.match(text)
        if marker:
            if not date:
                date, date_source = _valid(marker.group(1)), "marker"
            start += marker.end()
            if start >= stop:
                continue
        elif not pieces and DATELINE.match(text):
            if not date:
                date, date_source = _valid(_match_date(DATELINE.match(text))), "dateline"
            continue
        kept = _without_inline_junk(raw, start, stop)
        cut["page furniture"] += _chars(text) - sum(_chars(raw[a:b]) for a, b in kept)
        pieces.extend(kept)
    text, offsets = _assemble(raw, pieces)
    text, offsets = normalise(text, offsets)
    text, flags = read_look_alikes(text)
    if not date:
        date, date_source = _date_in_text(text, article.url)
    removed = tuple((reason, n) for reason, n in sorted(cut.items()) if n > 0)
    total = sum(1 for c in raw if not c.isspace())
    return CleanText(article=article, text=text, offsets=offsets, date=date,
                     date_source=date_source if date else "", cut=removed,
                     cut_share=(sum(n for _r, n in removed) / total) if total else 0.0,
                     flags=flags)


def _chars(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _lines(raw: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for match in re.finditer(r"\n", raw):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(raw)))
    return out


def _is_furniture(line: str) -> bool:
    return any(p.search(line) for p in rules()["drop_lines"])


def _name_like(line: str) -> bool:
    """A short line that could name a person: no sentence punctuation, a letter, not furniture."""
    words = BULLET.sub("", line).split()
    return 0 < len(words) <= NAME_WORDS and not SENTENCE_END.search(line) and any(c.isalpha() for c in line) \
        and not _is_furniture(line)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _next_text(texts: list[str], index: int) -> Optional[int]:
    return next((j for j in range(index + 1, len(texts)) if texts[j].strip()), None)


def _post_header(texts: list[str], index: int) -> bool:
    """A poster's name: a name-like line on its own (after a blank line, or bulleted),
    followed by text of at least three words that is not itself a list item or a name."""
    line = texts[index]
    if not _name_like(line) or not (index == 0 or not texts[index - 1].strip() or BULLET.match(line)):
        return False
    following = _next_text(texts, index)
    if following is None:
        return False
    after = texts[following]
    return len(after.split()) >= 3 and not _name_like(after) and \
        (not BULLET.match(after) or _indent(after) > _indent(line))


def _indented_post(texts: list[str], index: int) -> bool:
    """A bulleted name with its text indented under it (a nested comment list)."""
    following = _next_text(texts, index)
    return bool(BULLET.match(texts[index])) and following is not None \
        and _indent(texts[following]) > _indent(texts[index])


def _comment_section_start(texts: list[str]) -> int:
    """Index of the first line of the reader-comment section (len(texts) when none)."""
    seen_body = False
    for index, text in enumerate(texts):
        if seen_body and any(p.search(text) for p in rules()["comment_start"]):
            return index
        seen_body = seen_body or len(text.split()) >= 8
    return _thread_start(texts)


def _thread_start(texts: list[str]) -> int:
    """Start of a reader-comment thread, on strong evidence only: at least THREAD_NAMES
    different posters from there to the end, one of whom posts twice. The thread starts at
    the first post of a repeated poster, or, in a nested comment list, at the first of the
    bulleted posts before it."""
    headers = [i for i in range(len(texts)) if _post_header(texts, i)]
    names = Counter(_poster(texts[i]) for i in headers)
    repeated = [i for i in headers if names[_poster(texts[i])] >= 2]
    if not repeated:
        return len(texts)
    first = repeated[0]
    if len({_poster(texts[i]) for i in headers if i >= first}) < THREAD_NAMES:
        return len(texts)
    start = first
    if _indented_post(texts, first):
        for previous in reversed([i for i in headers if i < first]):
            between = [t for t in texts[previous + 1:start] if t.strip()]
            if not _indented_post(texts, previous) or \
                    any(_indent(t) <= _indent(texts[previous]) and not BULLET.match(t) for t in between):
                break
            start = previous
    body_before = sum(len(t.split()) for t in texts[:start])
    return start if body_before >= 8 else len(texts)


def _poster(line: str) -> str:
    return " ".join(BULLET.sub("", line).split()).casefold()


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


def _match_date(match, year: Optional[str] = None) -> Optional[str]:
    """ISO date (or year-month) of a matched date; ``year`` when the match has none."""
    groups = match.groupdict()
    month = MONTHS[(groups.get("month") or groups.get("month2")).lower()]
    day = groups.get("day1") or groups.get("day2")
    year = groups.get("year") or year
    if not year:
        return None
    if day:
        return f"{year}-{month:02d}-{int(day):02d}"
    return f"{year}-{month:02d}"


def _valid(iso: Optional[str]) -> Optional[str]:
    """The date when it is a real calendar date within FIRST_YEAR..next year, else None."""
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")]
    if not FIRST_YEAR <= parts[0] <= last_year_allowed():
        return None
    try:
        calendar_date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return iso


def _date_in_text(text: str, url: str) -> tuple[Optional[str], str]:
    """(date, where it came from) from a dateline, a caption or byline near the top, the URL,
    or a date line in the opening (``dates.opening_date``: '22 October 2019 - 20:41')."""
    from_url = _url_date(url)
    top = [line for line in text.split("\n")[:TOP_LINES]]
    for line in top[:5]:
        match = PLACE_DATELINE.match(line)
        if match:
            found = _valid(_match_date(match, (from_url or "")[:4] or None))
            if found:
                return found, "dateline"
        match = NUMERIC_DATELINE.match(line)
        if match:
            found = _valid(f"{match.group('year')}-{int(match.group('month')):02d}-{int(match.group('day')):02d}")
            if found:
                return found, "dateline"
    for line in top:
        match = FULL_DATE.search(line)
        if match and len(line.split()) <= 60 and any(p.search(line) for p in rules()["date_lines"]):
            found = _valid(_match_date(match))
            if found:
                return found, "caption"
    if from_url:
        return from_url, "url"
    opening = opening_date(text)
    return (opening, "byline") if opening else (None, "")


def _url_date(url: str) -> Optional[str]:
    match = URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = match.group("year"), int(match.group("month")), match.group("day")
    return _valid(f"{year}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}")


def _assemble(raw: str, pieces) -> tuple[str, list[int]]:
    parts, offsets = [], []
    for a, b in pieces:
        if parts:
            parts.append("\n")
            offsets.append(a - 1 if a > 0 else 0)
        parts.append(raw[a:b])
        offsets.extend(range(a, b))
    return "".join(parts), offsets
