"""Rows -> text: tables for a terminal (rich, long cells wrapped), JSON, JSON lines, CSV."""
from __future__ import annotations

import csv
import io
import json
import shutil


def render(rows: list[dict], fmt: str = "table", max_width: int | None = None) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    if fmt == "csv":
        return to_csv(rows)
    return table(rows, max_width)


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue()


def neutralise(value):
    """Keep spreadsheet programs from running a cell as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def merge_identical(rows: list[dict]) -> list[dict]:
    """Identical rows once, with a `count` column when any row was repeated (first order kept)."""
    counts: dict[tuple, int] = {}
    firsts: dict[tuple, dict] = {}
    for row in rows:
        key = tuple((k, _cell(v)) for k, v in row.items())
        counts[key] = counts.get(key, 0) + 1
        firsts.setdefault(key, row)
    if len(firsts) == len(rows):
        return rows
    return [{**row, "count": counts[key]} for key, row in firsts.items()]


def terminal_width() -> int:
    """The terminal's width (COLUMNS when set); 120 when the output is not a terminal."""
    return shutil.get_terminal_size((120, 20)).columns


# Columns holding prose: they share the room the short columns leave (evidence the most).
PROSE = {"evidence": 4, "sentence": 4, "description": 4, "title": 2, "url": 2, "sources": 1}
WHOLE = {"id", "date", "source", "article"}   # kept whole up to 28 characters
GAP = 2          # spaces between columns
LISTED = {"sources": 3}   # list columns ("a; b; c"): a table shows this many items, then how many more


def column_widths(rows: list[dict], columns: list[str], width: int) -> dict[str, int]:
    """Widths that fit ``width``: short columns their content (narrower on a narrow terminal),
    prose columns share what is left; room prose does not need goes back to the short ones."""
    natural = {c: max(len(c), *(len(_cell(r.get(c))) for r in rows)) for c in columns}
    prose = [c for c in columns if c in PROSE]
    usable = width - GAP * (len(columns) - 1)
    for cap in (24, 20, 16, 14, 12):
        out = {c: min(natural[c], max(cap if c not in WHOLE else 28, len(c))) for c in columns if c not in PROSE}
        room = usable - sum(out.values())
        if not prose or room >= 0.45 * usable:
            break
    while prose:
        share = room / sum(PROSE[c] for c in prose)
        fitting = [c for c in prose if natural[c] <= share * PROSE[c]]
        if not fitting:
            for c in prose:
                out[c] = max(len(c), int(share * PROSE[c]))
            room = 0
            break
        for c in fitting:
            out[c] = natural[c]
            room -= natural[c]
            prose.remove(c)
    while sum(out.values()) > usable:                      # a narrow terminal: the widest give way
        widest = max((c for c in out if out[c] > len(c)), key=lambda c: out[c], default=None)
        if widest is None:
            break
        out[widest] -= 1
    for c in sorted(out, key=lambda c: natural[c] - out[c]):   # the least cut first
        extra = min(max(room, 0), natural[c] - out[c])
        out[c] += extra
        room -= extra
    return out


def table(rows: list[dict], max_width: int | None = None) -> str:
    """An aligned table; long cells wrap inside their column, nothing is cut off (long lists of
    sources are shortened, see ``shorten_lists``)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not rows:
        return "(no rows)\n"
    rows = merge_identical([shorten_lists(row) for row in rows])
    columns = list(dict.fromkeys(c for row in rows for c in row))
    width = max_width or terminal_width()
    widths = column_widths(rows, columns, width)
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, GAP - 1, 0, 0),
                 header_style="bold")
    for column in columns:
        numeric = all(isinstance(r.get(column), (int, float)) or r.get(column) is None for r in rows)
        grid.add_column(column, overflow="fold", justify="right" if numeric else "left", width=widths[column])
    for row in rows:
        grid.add_row(*(Text(_cell(row.get(c))) for c in columns))
    out = io.StringIO()
    console = Console(file=out, width=sum(widths.values()) + (GAP + 1) * len(columns), color_system=None,
                      markup=False, emoji=False, highlight=False, force_terminal=False)
    console.print(grid)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


def shorten_lists(row: dict) -> dict:
    """A table's copy of ``row`` whose long list cells (LISTED) show their first items and how
    many more there are: a fact stated by thousands of files stays a readable row. JSON,
    JSON lines and CSV keep every item."""
    out = dict(row)
    for column, keep in LISTED.items():
        items = str(row.get(column) or "").split("; ")
        if len(items) > keep + 1:
            out[column] = "; ".join(items[:keep]) + f" … and {len(items) - keep} more"
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return " ".join(str(value).split())
