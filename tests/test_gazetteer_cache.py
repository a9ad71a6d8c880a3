"""The parsed gazetteer is cached on disk, keyed by the files' bytes; a cache problem is never an error."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.loaders import gazetteer_cache
from kg.loaders.gazetteer import _parse, default_files

EXTRA = Path(__file__).parent / "data" / "extra_gazetteer.yaml"


def labels(gazetteer) -> set[str]:
    return set(gazetteer.entries)


def counting_parse(calls: list, extra: tuple = ()):
    def parse(paths):
        calls.append(list(paths))
        return _parse(extra)
    return parse


def test_second_load_reads_the_cache_and_an_edited_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    extra = tmp_path / "mine.yaml"
    extra.write_text(EXTRA.read_text(encoding="utf-8"), encoding="utf-8")
    calls: list = []
    files = [*default_files(), extra]
    first = gazetteer_cache.cached(files, counting_parse(calls, (extra,)))
    again = gazetteer_cache.cached(files, counting_parse(calls, (extra,)))
    assert len(calls) == 1 and labels(again) == labels(first) == labels(_parse((extra,)))
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1

    extra.write_text("- {label: Cache Test Militia, type: ArmedGroup}\n", encoding="utf-8")
    edited = gazetteer_cache.cached(files, counting_parse(calls, (extra,)))
    assert len(calls) == 2 and "Cache Test Militia" in labels(edited)


def test_an_unwritable_or_damaged_cache_falls_back_to_parsing(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocked / "kg"))
    files = default_files()
    assert labels(gazetteer_cache.cached(files, lambda _: _parse())) == labels(_parse())

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    gazetteer_cache.cached(files, lambda _: _parse())
    (damaged,) = (tmp_path / "cache").glob("gazetteer-*.pickle")
    damaged.write_bytes(b"not a pickle")
    assert labels(gazetteer_cache.cached(files, lambda _: _parse())) == labels(_parse())


def test_processes_filling_the_cache_at_once_all_get_the_gazetteer(tmp_path):
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    code = "from kg.loaders.gazetteer import load; print(len(load().entries))"
    runs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(3)]
    counts = {run.communicate(timeout=120)[0].strip() for run in runs}
    assert counts == {str(len(_parse().entries))}
    assert not list((tmp_path / "cache").glob(".gazetteer-*"))      # no temporary file left behind
