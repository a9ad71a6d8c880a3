"""Feeds as scrapers write them (JSON lines): every date form, HTML in the text, empty
text, duplicates; read through the `kg` command as a user runs it."""
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

KG = str(Path(sys.executable).parent / "kg")
BODY = "Turkey supports the National Liberation Front. Russia backs the Syrian government."


def kg(*args):
    return subprocess.run([KG, *map(str, args)], capture_output=True, text=True, timeout=300)


def write_feed(path: Path, rows) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def texts(*args) -> tuple[dict, subprocess.CompletedProcess]:
    result = kg("text", "--format", "jsonl", *args)
    return {row["source"]: row for row in map(json.loads, result.stdout.splitlines())}, result


DATE_FORMS = {
    "iso": ("2024-03-05", "2024-03-05"),
    "iso-time": ("2024-03-05T23:30:00-05:00", "2024-03-05"),
    "rfc2822": ("Tue, 05 Mar 2024 09:00:00 GMT", "2024-03-05"),
    "month-day-year": ("March 5, 2024", "2024-03-05"),
    "day-month-year": ("9 March 2024", "2024-03-09"),
    "abbreviated": ("Jan. 15, 2025", "2025-01-15"),
    "slashed": ("05/03/2024", "2024-03-05"),          # ambiguous: day first by default
    "slashed-unambiguous": ("03/13/2024", "2024-03-13"),
    "dotted": ("06.03.2024", "2024-03-06"),
    "epoch-seconds": (1709640000, "2024-03-05"),
    "epoch-seconds-string": ("1709640000", "2024-03-05"),
    "epoch-milliseconds": (1709640000000, "2024-03-05"),
    "month": ("March 2024", "2024-03"),
}


def test_every_date_form_is_read(tmp_path):
    rows = [{"id": name, "published": value, "text": f"{BODY} Dispatch {name}."}
            for name, (value, _) in DATE_FORMS.items()]
    rows.append({"id": "date-key", "date": "2023-11-02", "text": BODY + " Under the date key."})
    read, result = texts(write_feed(tmp_path / "feed.jsonl", rows))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    for name, (_, expected) in DATE_FORMS.items():
        assert (read[name]["date"], read[name]["date_source"]) == (expected, "container"), name
    assert read["date-key"]["date"] == "2023-11-02"


def test_ambiguous_numeric_dates_follow_the_option(tmp_path):
    feed = write_feed(tmp_path / "feed.jsonl", [{"id": "a", "published": "05/03/2024", "text": BODY}])
    assert texts(feed)[0]["a"]["date"] == "2024-03-05"
    assert texts("--month-first", feed)[0]["a"]["date"] == "2024-05-03"


def test_a_year_outside_the_range_is_refused_with_a_warning_naming_file_and_line(tmp_path):
    rows = [{"id": "ok", "published": "2024-03-05", "text": BODY},
            {"id": "old", "published": "1709", "text": BODY + " Old."},
            {"id": "future", "published": f"{date.today().year + 3}-01-01", "text": BODY + " Future."},
            {"id": "garbage", "published": "the day after", "text": BODY + " Garbage."}]
    feed = write_feed(tmp_path / "feed.jsonl", rows)
    read, result = texts(feed)
    assert result.returncode == 0
    assert read["old"]["date"] is None and read["future"]["date"] is None and read["garbage"]["date"] is None
    warnings = result.stderr.splitlines()
    assert len(warnings) == 3, warnings
    assert warnings[0].startswith(f"kg: warning: {feed}:2: date '1709' gives the year 1709, outside 1900..")
    assert warnings[1].startswith(f"kg: warning: {feed}:3: ")
    assert warnings[2].startswith(f"kg: warning: {feed}:4: date 'the day after' could not be read")
    store = tmp_path / "store"
    kg("--store", store, "ingest", feed)
    before = kg("--store", store, "export", "--format", "csv", "--until", "2000")
    assert "1709" not in before.stdout


def test_html_in_a_feed_is_read_like_a_page(tmp_path):
    html = ("<div class='story'><p>Turkey <b>supports</b> the National Liberation Front &amp; its allies.</p>"
            "<script>var tracker = 'evil';</script><p>Russia backs the Syrian government.</p></div>")
    feed = write_feed(tmp_path / "feed.jsonl", [{"id": "h", "content": html, "published": "2024-03-05"}])
    read, _ = texts(feed)
    text = read["h"]["text"]
    assert "<" not in text and "tracker" not in text and "&amp;" not in text
    assert "Turkey supports the National Liberation Front & its allies." in text
    extracted = [json.loads(line) for line in kg("extract", feed).stdout.splitlines()]
    assert ("Turkey", "supports", "National Liberation Front") in {(r["subject"], r["predicate"], r["object"])
                                                                   for r in extracted}


def test_empty_text_and_duplicates(tmp_path):
    rows = [{"id": "a", "text": BODY}, {"id": "empty", "text": "   "}, {"id": "none", "title": "only a title"},
            {"id": "again", "text": BODY + "\n"}]
    feed = write_feed(tmp_path / "feed.jsonl", rows)
    result = kg("--store", tmp_path / "store", "ingest", feed)
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert errors == [f"kg: {feed}:2: the 'text' field is empty",
                      f"kg: {feed}:3: no 'text' field with article text (also read: 'content', 'body', 'article')"]
    assert "articles: 1 new, 1 already stored" in result.stdout
