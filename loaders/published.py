"""Publication dates given by a container (a feed's field, a page's metadata) -> ISO dates.

Read by python-dateutil: ISO 8601 ("2024-03-05", "2024-03-05T09:00:00Z"), RFC 2822
("Tue, 05 Mar 2024 09:00:00 GMT"), day/month forms ("March 5, 2024", "9 March 2024",
"5 Mar. 2024"), numeric forms ("05/03/2024", "06.03.2024", "2024/03/05") and Unix epochs
(9 to 11 digits: seconds; 12 or 13 digits: milliseconds), as numbers or strings.

Ambiguous numeric dates (both leading numbers 12 or under, "05/03/2024") are read day
first, as most of the world writes them and as dotted dates ("06.03.2024") always are;
``month_first=True`` (``kg ingest --month-first``) reads slashed ones month first, as in
US feeds. A date whose year lies outside 1900..next year is refused: the article keeps
no date rather than a wrong one, and the caller gets a one-line reason to report.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Optional

FIRST_YEAR = 1900
EPOCH_SECONDS = re.compile(r"^\d{9,11}(\.\d+)?$")
EPOCH_MILLISECONDS = re.compile(r"^\d{12,13}$")
PARTIAL_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?$")       # "2024" or "2024-03": as precise as given
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
YEAR_FIRST = re.compile(r"^\d{4}[/.]\d{1,2}[/.]\d{1,2}\b")
SLASHED = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}\b")


def last_year_allowed() -> int:
    return date.today().year + 1


def parse_published(value, month_first: bool = False) -> tuple[Optional[str], Optional[str]]:
    """(ISO date or None, reason it was refused or None) for a container's date value."""
    if value is None or value == "" or isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float)):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        return None, f"date {str(value)[:40]!r} is not a date (expected a string or a number)"
    text = value.strip()
    try:
        iso = _parse(text, month_first)
    except (ValueError, OverflowError):
        return None, f"date {text[:40]!r} could not be read; the article keeps no date"
    if iso is None:
        return None, f"date {text[:40]!r} could not be read; the article keeps no date"
    year = int(iso[:4])
    if not FIRST_YEAR <= year <= last_year_allowed():
        return None, (f"date {text[:40]!r} gives the year {year}, outside {FIRST_YEAR}..{last_year_allowed()}; "
                      "the article keeps no date")
    return iso, None


def _parse(text: str, month_first: bool) -> Optional[str]:
    if EPOCH_MILLISECONDS.match(text):
        return _from_epoch(int(text) / 1000)
    if EPOCH_SECONDS.match(text):
        return _from_epoch(float(text))
    partial = PARTIAL_ISO.match(text)
    if partial:
        return text
    from dateutil import parser

    if ISO_DAY.match(text):
        try:
            return _calendar_date(parser.isoparse(text))
        except ValueError:
            return parser.isoparse(text[:10]).date().isoformat()
    if YEAR_FIRST.match(text):    # "2024/03/05", "2024.03.05": year, month, day
        return _calendar_date(parser.parse(text, yearfirst=True, dayfirst=False))
    day_first = not (month_first and SLASHED.match(text))
    parsed = parser.parse(text, dayfirst=day_first, default=datetime(1, 1, 1))
    if parsed.year == 1:    # no year in the text: not a publication date we can trust
        return None
    other = parser.parse(text, dayfirst=day_first, default=datetime(1, 2, 2))
    if other.month != parsed.month:       # "2024": the year only
        return f"{parsed.year:04d}"
    if other.day != parsed.day:           # "March 2024": as precise as given
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return _calendar_date(parsed)


def _from_epoch(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat()


def _calendar_date(moment: datetime) -> str:
    """The calendar date as written, in the feed's own time zone (the date its readers saw)."""
    return moment.date().isoformat()
