"""Rows -> text: aligned tables for a terminal, JSON lines, CSV."""
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


def table(rows: list[dict], max_width: int | None = None) -> str:
    if not rows:
        return "(no rows)\n"
    columns = list(rows[0])
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    limit = max_width or shutil.get_terminal_size((120, 20)).columns
    while sum(widths) + 2 * len(widths) > limit and max(widths) > 20:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    lines = ["  ".join(c.ljust(w)[:w] for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(_fit(v, w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return " ".join(str(value).split())


def _fit(value: str, width: int) -> str:
    return value.ljust(width) if len(value) <= width else value[:width - 1] + "…"
