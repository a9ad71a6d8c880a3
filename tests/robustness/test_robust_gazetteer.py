"""A user's --gazetteer file: checked whole before any article is read (one line per bad entry,
naming file, entry and field), read with YAML limits, ids that never collide, and a
documented rule for entries that repeat a bundled one."""
from __future__ import annotations

import json
import time

from test_robust_store import kg

ARTICLE = "date 2023-05-02\nIran backs e. Turkey supports the National Liberation Front.\n"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def error_lines(stderr: str) -> list[str]:
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr and lines and lines[0].startswith("Error: "), stderr
    return [lines[0].removeprefix("Error: "), *lines[1:]]


def test_a_string_of_aliases_is_refused_before_any_article_is_read(tmp_path, figures):
    gazetteer = write(tmp_path / "mine.yaml", "- label: Wagner Two\n  type: ArmedGroup\n  aliases: Wagner\n")
    article = write(tmp_path / "a.txt", ARTICLE)
    status, out, err = kg("--store", tmp_path / "store", "--gazetteer", gazetteer, "ingest", article)
    (line,) = error_lines(err)
    assert status == 1 and str(gazetteer) in line and "entry 1" in line and "field aliases" in line
    assert "Wagner Two" not in out and not (tmp_path / "store").exists()      # nothing read, nothing stored
    figures.refused(gazetteer.read_bytes())


def test_bad_entries_get_one_line_each_naming_file_entry_and_field(tmp_path, figures):
    gazetteer = write(tmp_path / "mine.yaml", "\n".join([
        "- label: ' '", "  type: Country",
        "- label: Turkey", "  type: Country", "  lat: 1.5", "  lon: 2.5",
        "- label: Velmora", "  type: Town",
        "- label: Oskar Halvorsen", "  type: Person", "  roles: [{title: President, of: Norway, from: yesterday}]",
        "- label: Tarvas Brigade", "  type: ArmedGroup", "  alias: [TB]", ""]))
    status, _out, err = kg("--gazetteer", gazetteer, "extract", write(tmp_path / "a.txt", ARTICLE))
    lines = error_lines(err)
    assert status == 1 and all(line.startswith(f"{gazetteer}: entry ") for line in lines), lines
    expected = {("entry 1", "field label"), ("entry 2", "field lat"), ("entry 2", "field lon"),
                ("entry 3", "field type"), ("entry 4", "field roles.0.from"), ("entry 5", "field alias")}
    assert all(any(f": {e} " in line and f": {f}:" in line for line in lines) for e, f in expected), lines
    assert len(lines) == len(expected)
    figures.refused(gazetteer.read_bytes())


def test_a_malformed_gazetteer_is_reported_once_not_once_per_article(tmp_path, examples_dir, figures):
    gazetteer = write(tmp_path / "broken.yaml", "- label: Velmora\n  type: Location\n  aliases: [a, b\n")
    status, _out, err = kg("--store", tmp_path / "store", "--gazetteer", gazetteer, "ingest", examples_dir)
    (line,) = error_lines(err)
    assert status == 1 and "not valid YAML" in line and "extraction failed" not in err
    figures.refused(gazetteer.read_bytes())


def test_a_billion_laughs_file_is_refused_at_once(tmp_path, figures):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    gazetteer = write(tmp_path / "laughs.yaml", "\n".join(levels) + "\n")
    started = time.monotonic()
    status, _out, err = kg("--gazetteer", gazetteer, "extract", write(tmp_path / "a.txt", ARTICLE), timeout=60)
    (line,) = error_lines(err)
    assert status == 1 and "aliases" in line and time.monotonic() - started < 20
    figures.refused(gazetteer.read_bytes())
    deep = write(tmp_path / "deep.yaml", "[" * 5000 + "]" * 5000 + "\n")
    status, _out, err = kg("--gazetteer", deep, "extract", tmp_path / "a.txt", timeout=60)
    assert status == 1 and "nested deeper" in error_lines(err)[0]
    figures.refused(deep.read_bytes())


def test_labels_in_other_scripts_get_distinct_transliterated_ids(tmp_path, figures):
    from kg.loaders.gazetteer import load

    gazetteer = write(tmp_path / "arabic.yaml", "- label: الجيش الوطني\n  type: ArmedGroup\n"
                                                "- label: الجيش الشعبي\n  type: ArmedGroup\n"
                                                "- label: Ансар\n  type: ArmedGroup\n")
    loaded = load((str(gazetteer),))
    ids = {label: loaded.get(label).entity.id for label in ("الجيش الوطني", "الجيش الشعبي", "Ансар")}
    assert len(set(ids.values())) == 3, ids
    assert ids["Ансар"] == "armedgroup/ansar" and all(i != "armedgroup/x" for i in ids.values())
    figures.input(gazetteer.read_bytes())


def test_labels_that_would_share_an_id_are_refused(tmp_path, figures):
    gazetteer = write(tmp_path / "twice.yaml", "- label: Tarvas Brigade\n  type: ArmedGroup\n"
                                               "- label: Tarvas-Brigade\n  type: ArmedGroup\n")
    status, _out, err = kg("--gazetteer", gazetteer, "extract", write(tmp_path / "a.txt", ARTICLE))
    (line,) = error_lines(err)
    assert status == 1 and "entry 2" in line and "entry 1" in line and "armedgroup/tarvas-brigade" in line
    figures.refused(gazetteer.read_bytes())


def test_an_entry_repeating_a_bundled_one_extends_it(tmp_path, figures):
    gazetteer = write(tmp_path / "more.yaml", "- label: Turkey\n  type: Country\n  aliases: [Anatolian Republic]\n")
    article = write(tmp_path / "a.txt", "date 2023-05-02\nThe Anatolian Republic supports the National "
                                         "Liberation Front. Turkey backs Azerbaijan.\n")
    status, out, err = kg("--gazetteer", gazetteer, "extract", article)
    assert status == 0, err
    subjects = {json.loads(line)["subject_id"] for line in out.splitlines()}
    assert subjects == {"country/turkey"}, out
    store = tmp_path / "store"
    assert kg("--store", store, "--gazetteer", gazetteer, "ingest", article)[0] == 0
    status, out, err = kg("--store", store, "validate")
    assert status == 0, out + err
    figures.input(gazetteer.read_bytes())
