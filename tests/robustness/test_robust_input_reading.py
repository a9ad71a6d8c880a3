"""Input as scrapers and adversaries write it: invisible and look-alike characters, odd file
names, folders kg may not read, symbolic links, pages too big to read. Each case reads real
files through the `kg` command (or the reading path it uses) and checks what a user relies on:
no invented entity, no lost fact, one safe line per problem, the rest of the batch stored."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from robust_support import KG, ROOT

from kg.loaders.articles import make_article
from kg.loaders.pipeline import extract

EXAMPLES = sorted((ROOT / "examples" / "articles").glob("*.txt"))
PLAIN = ("Russian President Vladimir Putin met Turkish President Recep Tayyip Erdoğan in Sochi on Tuesday. "
         "Saudi Arabia opposes the Houthis. Iran backs Hezbollah.")


def kg(*args, cwd=None, timeout=300, prefix=()):
    return subprocess.run([*prefix, KG, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def entities(text: str) -> set[str]:
    return {e.id for e in extract(make_article("a.txt", text, "txt")).entities}


def facts(text: str) -> set[tuple]:
    return {(f.subject.id, f.predicate, getattr(f.object, "id", None)) for f in extract(make_article("a.txt", text, "txt")).facts}


@pytest.mark.parametrize("variant", [
    PLAIN.replace("Erdoğan", "Erdo\u200bğan"),                       # zero-width space inside a name
    PLAIN.replace("Erdoğan", "Erdo\u00adğan"),                       # soft hyphen
    PLAIN.replace("Erdoğan", "Erdog\u0306an"),                       # decomposed ğ (g + combining breve)
    PLAIN.replace("Putin", "\u2067Putin\u2069"),                     # right-to-left isolate around a name
    PLAIN.replace("Putin", "Pu\u200fti\u200en"),                     # bidi marks inside a name
    PLAIN.replace("Saudi Arabia", "Saudi\u00a0Arabia"),              # non-breaking space inside a name
    PLAIN.replace("Recep Tayyip", "Recep\u202fTayyip"),              # narrow no-break space
], ids=["zero-width", "soft-hyphen", "decomposed", "rtl-isolate", "bidi-marks", "nbsp", "narrow-nbsp"])
def test_invisible_characters_change_nothing_kg_reads(variant, figures):
    figures.input(variant)
    assert entities(variant) == entities(PLAIN)
    assert facts(variant) == facts(PLAIN)


def test_a_look_alike_letter_makes_no_new_entity_and_is_flagged(tmp_path, figures):
    variant = PLAIN.replace("Putin", "Pu\u0442in")     # a Cyrillic "т" inside a Latin name
    figures.input(variant)
    figures.input(PLAIN.replace("Putin", "Pu\u0436in"))
    assert entities(variant) <= entities(PLAIN)
    assert not any("pu" in e and "tin" in e for e in entities(variant) - entities(PLAIN))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(variant, encoding="utf-8")
    result = kg("--store", tmp_path / "store", "ingest", tmp_path / "in")
    assert result.returncode == 0, result.stderr
    assert "flagged: a.txt: 'Pu\u0442in' mixes scripts; read as 'Putin'" in result.stdout
    (tmp_path / "in" / "a.txt").write_text(PLAIN.replace("Putin", "Pu\u0436in"), encoding="utf-8")   # no look-alike
    assert entities(PLAIN.replace("Putin", "Pu\u0436in")) <= entities(PLAIN)
    result = kg("--store", tmp_path / "store2", "ingest", tmp_path / "in")
    assert "flagged: a.txt: 'Pu\u0436in' mixes scripts; not read as a name" in result.stdout


def test_offsets_of_normalised_text_point_into_the_raw_text(tmp_path, figures):
    raw = PLAIN.replace("Erdoğan", "Erdog\u0306an").replace("Saudi Arabia", "Saudi\u00a0Ara\u200bbia")
    figures.input(raw)
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    rows = [json.loads(line) for line in kg("extract", tmp_path / "a.txt").stdout.splitlines()]
    assert rows, "no fact read"
    for row in rows:
        start, end = row["start"], row["end"]
        assert raw[start:end].replace("\u200b", "").replace("\u00a0", " ").replace("g\u0306", "ğ") == row["evidence"]


def test_file_names_are_reported_escaped_on_one_line_and_never_stop_the_batch(tmp_path, figures):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"a{i:02d}.txt").write_text(f"Dispatch {i}. Iran backs Hezbollah. Egypt mediated.", encoding="utf-8")
    forged = "x.txt\nkg: all 41 files stored.txt"
    (folder / forged).write_bytes(b"")                                 # empty: refused, so reported
    with open(os.path.join(os.fsencode(folder), b"caf\xe9-\xff.txt"), "wb") as handle:   # not UTF-8
        handle.write(b"Qatar hosted talks with the Taliban in Doha.")
    figures.refused(("file name", forged))
    figures.input(("file name", "caf\xe9-\xff.txt"))
    result = kg("--store", tmp_path / "store", "ingest", folder)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("kg: ") and "\\n" in lines[0] and "empty file" in lines[0]
    assert "articles: 41 new" in result.stdout
    listed = kg("--store", tmp_path / "store", "sparql",
                "SELECT ?s WHERE { GRAPH ?g { ?a <http://purl.org/dc/terms/source> ?s } }", "--format", "json")
    assert "caf\\\\xe9-\\\\xff.txt" in listed.stdout, listed.stdout[-400:]


def _without_read_override():
    """A command prefix under which permissions bind (root reads any folder otherwise)."""
    if os.geteuid() != 0:
        return ()
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a folder unreadable")
    return ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")


def test_an_unreadable_subfolder_is_reported(tmp_path, figures):
    prefix = _without_read_override()
    figures.refused(("unreadable folder", "locked"))
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "ok.txt").write_text("Iran backs Hezbollah.", encoding="utf-8")
    (folder / "locked" / "hidden.txt").write_text("Qatar hosted talks with the Taliban.", encoding="utf-8")
    (folder / "locked").chmod(0)
    try:
        result = kg("--store", tmp_path / "store", "ingest", folder, prefix=prefix)
    finally:
        (folder / "locked").chmod(0o755)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"^kg: .*locked: folder cannot be read .*skipped$", result.stderr, re.M), result.stderr
    assert "articles: 1 new" in result.stdout


def test_symbolic_links_are_followed_only_when_named(tmp_path, figures):
    for link in ("/etc/passwd", "/etc/shadow", "a file outside the folder", "a folder outside it"):
        figures.refused(("symbolic link in a folder", link))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("Iran backs Hezbollah.", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("Qatar hosted talks with the Taliban.", encoding="utf-8")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "shadow.txt").symlink_to("/etc/shadow")
    (folder / "linked.txt").symlink_to(outside)
    (folder / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    result = kg("--store", tmp_path / "store", "ingest", folder)
    assert result.returncode == 0, result.stderr
    assert "articles: 1 new" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "symbolic link" in line]
    assert len(warnings) == 4 and all(line.startswith("kg: warning: ") for line in warnings), result.stderr
    text = kg("text", "--format", "jsonl", folder).stdout
    assert "root:" not in text and "Qatar" not in text
    named = kg("--store", tmp_path / "store", "ingest", folder / "linked.txt")
    assert "articles: 1 new" in named.stdout, named.stdout + named.stderr


def test_a_huge_one_line_page_is_refused_at_once_and_the_rest_loads(tmp_path, figures):
    figures.refused(("page", "19 MB on one line"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("Iran backs Hezbollah.", encoding="utf-8")
    cell = "<div><span>Turkey supports Azerbaijan.</span></div>"
    (folder / "huge.html").write_text("<html><body>" + cell * (19_000_000 // len(cell)) + "</body></html>",
                                      encoding="utf-8")
    result = kg("--store", tmp_path / "store", "ingest", folder, timeout=120)
    assert result.returncode == 1
    assert re.search(r"^kg: .*huge\.html: HTML page too large to read .*--page-bytes$", result.stderr, re.M), \
        result.stderr
    assert "articles: 1 new" in result.stdout


def test_a_page_that_takes_too_long_is_stopped_with_a_clear_message(tmp_path, figures):
    figures.refused(("page", "over its time budget"))
    cell = "<div><span>Turkey supports Azerbaijan.</span></div>"
    page = tmp_path / "slow.html"
    page.write_text("<html><body>" + cell * 40_000 + "</body></html>", encoding="utf-8")
    result = kg("text", "--page-seconds", "0.5", page, timeout=120)
    assert result.returncode == 1
    assert re.search(r"^kg: .*slow\.html: reading the HTML took over 0.5 s \(page budget\)", result.stderr, re.M), \
        result.stderr


# -- random Unicode variants of the examples ---------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
BIDI = "\u200e\u200f\u061c"
ISOLATES = [("\u2066", "\u2069"), ("\u2067", "\u2069"), ("\u2068", "\u2069"), ("\u202a", "\u202c"), ("\u202b", "\u202c")]
LOOK_ALIKE = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445", "y": "\u0443",
              "i": "\u0456", "T": "\u0422", "A": "\u0391", "B": "\u0392", "E": "\u0395", "H": "\u041d", "K": "\u039a",
              "M": "\u041c", "O": "\u039f", "P": "\u0420"}
WORD = re.compile(r"[A-Z][\w'’-]+")


@lru_cache(maxsize=None)
def paragraphs() -> tuple[str, ...]:
    out = []
    for path in EXAMPLES:
        blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n")]
        out.extend(b for b in blocks if len(WORD.findall(b)) >= 3 and len(b) < 1200)
    return tuple(out)


@lru_cache(maxsize=None)
def plain_entities(text: str) -> frozenset:
    return frozenset(entities(text))


def mutate(text: str, draw) -> str:
    """One variant: zero-width characters, bidi controls or isolates, a decomposition or a
    look-alike letter in some capitalised words."""
    words = list(WORD.finditer(text))
    chosen = draw(st.lists(st.integers(0, len(words) - 1), min_size=1, max_size=4, unique=True))
    pieces, last = [], 0
    for index in sorted(chosen):
        match = words[index]
        word = match.group(0)
        kind = draw(st.sampled_from(["zero-width", "bidi", "isolate", "combining", "homoglyph"]))
        if kind == "zero-width" or kind == "bidi":
            at = draw(st.integers(1, len(word) - 1))
            word = word[:at] + draw(st.sampled_from(ZERO_WIDTH if kind == "zero-width" else BIDI)) + word[at:]
        elif kind == "isolate":
            opening, closing = draw(st.sampled_from(ISOLATES))
            word = opening + word + closing
        elif kind == "combining":
            import unicodedata
            word = unicodedata.normalize("NFD", word)
        else:
            spots = [i for i, c in enumerate(word) if c in LOOK_ALIKE and i > 0]
            if spots:
                at = draw(st.sampled_from(spots))
                word = word[:at] + LOOK_ALIKE[word[at]] + word[at + 1:]
        pieces.append(text[last:match.start()] + word)
        last = match.end()
    return "".join(pieces) + text[last:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_unicode_variants_of_the_examples_show_no_entity_the_plain_text_does_not(data, figures):
    text = data.draw(st.sampled_from(paragraphs()))
    variant = mutate(text, data.draw)
    figures.example(variant)
    invented = entities(variant) - plain_entities(text)
    assert not invented, (invented, variant)
