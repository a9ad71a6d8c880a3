"""Reading input files: formats, encodings, and one clear error per bad file."""
import json

from kg.errors import LoadError
from kg.loaders.articles import read_articles


def read(*paths):
    items = list(read_articles(paths))
    return [i for i in items if not isinstance(i, LoadError)], [str(i) for i in items if isinstance(i, LoadError)]


def test_reads_text_html_and_json_lines(tmp_path):
    (tmp_path / "a.txt").write_text("Iran backs Hezbollah.", encoding="utf-8")
    (tmp_path / "b.html").write_text(
        "<html><head><title>T</title><meta property='article:published_time' content='2024-02-03'></head>"
        "<body><nav>Home | World</nav><article><h1>Talks</h1><p>" + "Turkey supports Azerbaijan. " * 20 +
        "</p></article><section class='comments'><p>reader: Russia backs Armenia!</p></section></body></html>",
        encoding="utf-8")
    rows = [{"id": "x1", "title": "One", "published": "2023-01-05", "text": "Qatar hosted talks."},
            {"id": "x2", "text": "Egypt mediated."}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    articles, errors = read(tmp_path)
    assert errors == []
    by_source = {a.source: a for a in articles}
    assert set(by_source) == {"a.txt", "b.html", "x1", "x2"}
    assert by_source["x1"].published == "2023-01-05" and by_source["x1"].title == "One"
    assert "Home | World" not in by_source["b.html"].raw
    assert "Turkey supports Azerbaijan" in by_source["b.html"].raw
    assert "Russia backs Armenia" not in by_source["b.html"].raw      # the reader comment, by the page's structure
    assert by_source["b.html"].published == "2024-02-03" and by_source["b.html"].title == "Talks"


def test_encodings_are_detected(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Le président a parlé à Genève.".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes("Erdoğan spoke in Ankara.".encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes("\ufeffPutin spoke in Moscow.".encode("utf-8"))
    (tmp_path / "mixed.html").write_bytes(   # a UTF-8 page with one Latin-1 meta tag pasted in
        b"<html><head><meta name='keywords' content='Caf\xe9'></head><body><article><p>"
        + "Erdoğan und Selenskyj sprachen in İstanbul über „Getreide“ und Häfen. ".encode("utf-8") * 12
        + b"</p></article></body></html>")
    articles, errors = read(tmp_path)
    assert errors == []
    texts = {a.source: a.raw for a in articles}
    assert texts["latin1.txt"] == "Le président a parlé à Genève."
    assert texts["utf16.txt"] == "Erdoğan spoke in Ankara."
    assert texts["bom.txt"] == "Putin spoke in Moscow."
    assert "Erdoğan und Selenskyj sprachen in İstanbul über „Getreide“ und Häfen." in texts["mixed.html"]


def test_bad_files_are_reported_and_others_load(tmp_path):
    (tmp_path / "ok.txt").write_text("Iran backs Hezbollah.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "nul.txt").write_bytes(b"text\x00with nul")
    (tmp_path / "big.txt").write_text("x" * 2000, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text('{"text": "Fine."}\n{"text": \n{"title": "no text"}\n', encoding="utf-8")
    items = list(read_articles([tmp_path], max_bytes=1000))
    errors = sorted(str(i) for i in items if isinstance(i, LoadError))
    loaded = sorted(i.source for i in items if not isinstance(i, LoadError))
    assert loaded == ["feed.jsonl:1", "ok.txt"]
    assert any("big.txt: too large" in e for e in errors)
    assert any("blank.txt: empty file" in e for e in errors)
    assert any("empty.txt: empty file" in e for e in errors)
    assert any("nul.txt: binary file" in e for e in errors)
    assert any("feed.jsonl:2: not valid JSON" in e for e in errors)
    assert any("feed.jsonl:3: no 'text' field" in e for e in errors)
    assert all("\n" not in e for e in errors)
