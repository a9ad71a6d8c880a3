"""Bad input: one clear line per bad file, the rest of the batch goes on; encodings recorded."""
from __future__ import annotations

import json
import os
import random
import subprocess
import zlib
from pathlib import Path

from robust_support import KG, ROOT, nquads, record_files

from kg.errors import LoadError
from kg.loaders import articles as articles_module
from kg.loaders.articles import read_articles

EXAMPLES = ROOT / "examples" / "articles"
GOOD = "Turkey supports the National Liberation Front. Russia backs the Syrian government."


def png() -> bytes:
    raw = b"\x00" + b"\xff\x00\x00" * 4
    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = (2).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw * 2)) + chunk(b"IEND", b"")


def bad_mix(folder: Path) -> tuple[dict, dict]:
    """Files that must load (name -> expected encoding) and files that must be refused
    (name -> words their error line must hold)."""
    folder.mkdir(parents=True, exist_ok=True)
    good = {
        "latin1.txt": ("Le président Erdoğan".replace("ğ", "g") + " a parlé à Genève. " + GOOD).encode("latin-1"),
        "cp1252.txt": ("“Quoted” – 5 € – " + GOOD).encode("cp1252"),
        "utf16.txt": ("Erdoğan spoke in Ankara. " + GOOD).encode("utf-16"),
        "utf16be.txt": b"\xfe\xff" + ("Erdoğan spoke. " + GOOD).encode("utf-16-be"),
        "utf8bom.txt": ("\ufeffPutin spoke in Moscow. " + GOOD).encode("utf-8"),
        "utf8.txt": ("Zelensky met Erdoğan 🇺🇦. " + GOOD).encode("utf-8"),
        "one_byte.txt": b"x",
        "crlf.txt": (GOOD.replace(". ", ".\r\n") + "\r\n").encode("utf-8"),
        "controls.html": ("<html><head><title>T\x07itle</title></head><body><article><p>" + (GOOD + "\x01\x1b ") * 3
                          + "</p><p>" + "More words here about the talks in the region. " * 20 + "</p></article>"
                          "</body></html>").encode("utf-8"),
        "rows.jsonl": (json.dumps({"id": "r1", "text": GOOD + " One."}) + "\n"
                       + json.dumps({"id": "r2", "text": "Line\u2028separator inside. " + GOOD}, ensure_ascii=False)
                       + "\n" + '{"id": "r3", "text": "Truncated ' + "\n").encode("utf-8"),
    }
    bad = {
        "image.txt": (png(), "binary"),
        "nul.txt": (b"Iran backs Hezbollah.\x00\x00 and more", "binary"),
        "late_nul.txt": (b"Iran backs Hezbollah. " * 400 + b"\x00", "binary"),
        "empty.txt": (b"", "empty"),
        "blank.txt": (b" \n\t\r\n", "empty"),
        "one_nul.txt": (b"\x00", "binary"),
        "controls.txt": (bytes(range(1, 32)) * 20, "binary"),
        "utf16_broken.txt": (b"\xff\xfe" + b"\x00\xd8", "not utf-16"),
        "over_limit.txt": (b"Iran backs Hezbollah. " * 3000, "too large"),
        "no_text.json": (b'{"title": "only a title"}', "no 'text' field"),
        "broken.json": (b'{"text": "unterminated', "not valid JSON"),
        "deep.json": (b"[" * 20000 + b"]" * 20000, "not valid JSON"),
        "no_article.html": (b"<html><head><script>var x = 1;</script></head><body><img src=a.png></body></html>",
                            "no article text"),
    }
    for name, data in good.items():
        (folder / name).write_bytes(data)
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    return ({name: None for name in good}, {name: words for name, (_, words) in bad.items()})


def named_directly(folder: Path) -> list[Path]:
    """Files a folder scan skips (other suffixes, not regular files) but that can be named."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.pdf").write_bytes(b"%PDF-1.4 ...")
    os.mkfifo(folder / "fifo.txt")       # would block a naive reader forever
    return [folder / "page.pdf", folder / "fifo.txt", folder / "missing.txt"]


DIRECT = {"page.pdf": "unsupported file type", "fifo.txt": "not a regular file", "missing.txt": "cannot read"}


def test_bad_input_mix_one_line_each_and_the_rest_loads(tmp_path, figures):
    good, bad = bad_mix(tmp_path / "in")
    items = list(read_articles([tmp_path / "in", *named_directly(tmp_path / "direct")], max_bytes=50_000))
    bad = {**bad, **DIRECT}
    errors = [str(i) for i in items if isinstance(i, LoadError)]
    loaded = {a.source: a for a in items if not isinstance(a, LoadError)}
    assert all(isinstance(i, LoadError) or i.raw.strip() for i in items)
    for name, words in bad.items():
        lines = [e for e in errors if e.split(":")[0] == str(tmp_path / ("direct" if name in DIRECT else "in") / name)]
        assert len(lines) == 1 and words in lines[0], (name, lines)
    truncated = [e for e in errors if "rows.jsonl:3" in e]
    assert len(truncated) == 1 and "not valid JSON" in truncated[0]
    assert all("\n" not in e for e in errors)
    assert len(errors) == len(bad) + 1
    expected = {name for name in good if name != "rows.jsonl"} | {"r1", "r2"}
    assert set(loaded) == expected
    encodings = {name: loaded[name].encoding for name in expected}
    assert encodings["latin1.txt"] == encodings["cp1252.txt"] == "cp1252"
    assert encodings["utf16.txt"] == encodings["utf16be.txt"] == "utf-16"
    assert encodings["utf8bom.txt"] == "utf-8-sig"
    assert encodings["utf8.txt"] == encodings["r1"] == encodings["controls.html"] == "utf-8"
    assert "Genève" in loaded["latin1.txt"].raw and "“Quoted” – 5 €" in loaded["cp1252.txt"].raw
    assert loaded["utf16.txt"].raw.startswith("Erdoğan") and not loaded["utf8bom.txt"].raw.startswith("\ufeff")
    assert "\r" not in loaded["crlf.txt"].raw
    assert "\u2028" in loaded["r2"].raw
    for article in loaded.values():
        assert not any(ord(c) < 32 and c not in "\n\t" for c in article.raw + article.title), article.source
    record_files(figures, [tmp_path / "in", tmp_path / "direct"], set(bad) | {"rows.jsonl:3"})


def test_cli_ingest_bad_mix_reports_each_file_and_stores_the_rest(tmp_path, figures):
    good, bad = bad_mix(tmp_path / "in")
    bad = {**bad, **DIRECT}
    inputs = [str(tmp_path / "in"), *map(str, named_directly(tmp_path / "direct"))]
    store = tmp_path / "store"
    done = subprocess.run([KG, "--store", str(store), "ingest", "--max-bytes", "50000", *inputs],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    assert len(lines) == len(bad) + 1 and all(line.startswith("kg: ") for line in lines)
    assert f"articles: 11 new, 0 already stored, {len(lines)} failed" in done.stdout
    extract = subprocess.run([KG, "extract", "--max-bytes", "50000", *inputs],
                             capture_output=True, text=True, timeout=120)
    assert extract.returncode == 1 and extract.stderr.strip().splitlines() == lines
    assert all(json.loads(line)["predicate"] for line in extract.stdout.splitlines())
    record_files(figures, [tmp_path / "in", tmp_path / "direct"], set(bad))


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch, figures):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:          # sparse: 30 MB over the default 20 MB limit
        handle.truncate(30 * 1024 * 1024)
    opened = []
    real_open = open
    monkeypatch.setattr(articles_module, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k),
                        raising=False)
    (item,) = list(read_articles([big]))
    assert isinstance(item, LoadError) and "too large (31,457,280 bytes > limit 20,971,520)" in str(item)
    assert opened == []
    (small,) = list(read_articles([big], max_bytes=40 * 1024 * 1024))
    assert isinstance(small, LoadError) and "binary" in str(small)     # read only when under the limit
    figures.refused("a sparse 30 MB file (over --max-bytes, then binary)")


def test_truncated_json_lines_are_reported_by_line_number(tmp_path, figures):
    rows = [json.dumps({"id": f"n{i}", "text": f"Dispatch {i}. {GOOD}"}) for i in range(1, 8)]
    rows[2] = rows[2][: len(rows[2]) // 2]            # line 3 cut in the middle
    rows[5] = rows[5][:-1]                           # line 6 lost its closing brace
    text = "\n".join(rows)[:-7]                      # the last line cut short (a partial download)
    path = tmp_path / "feed.jsonl"
    path.write_text(text, encoding="utf-8")
    items = list(read_articles([path]))
    errors = [str(i) for i in items if isinstance(i, LoadError)]
    assert [e.split(": ")[0] for e in errors] == [f"{path}:3", f"{path}:6", f"{path}:7"]
    assert [i.source for i in items if not isinstance(i, LoadError)] == ["n1", "n2", "n4", "n5"]
    for number, line in enumerate(text.split("\n"), 1):
        (figures.refused if number in (3, 6, 7) else figures.input)(line)


def test_reingest_examples_twice_and_shuffled_gives_the_same_graph(tmp_path, runner, figures):
    from kg.cli import cli

    first, second = tmp_path / "first", tmp_path / "second"
    run = lambda store, *paths: runner.invoke(cli, ["--store", str(store), "ingest", "--json", *map(str, paths)])
    one = run(first, EXAMPLES)
    assert one.exit_code == 0, one.output
    again = run(first, EXAMPLES)
    summary, repeat = json.loads(one.output), json.loads(again.output)
    assert repeat["articles_new"] == 0 and repeat["articles_known"] == summary["articles_new"]
    assert (repeat["entities_new"], repeat["facts_new"]) == (0, 0)
    files = sorted(p for p in EXAMPLES.iterdir() if p.is_file())
    random.Random(5).shuffle(files)
    assert run(second, *files).exit_code == 0
    random.Random(6).shuffle(files)
    assert json.loads(run(second, *files).output)["articles_new"] == 0
    from kg.stores.embedded import EmbeddedStore

    a, b = EmbeddedStore(first), EmbeddedStore(second)
    try:
        assert nquads(a) == nquads(b)      # no blank nodes: equal quads = isomorphic graphs
        assert len(a.article_ids()) == summary["articles_new"]
    finally:
        a.close()
        b.close()
    record_files(figures, files)
