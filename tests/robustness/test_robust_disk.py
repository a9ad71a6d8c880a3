"""A full disk: one clear line, old exports left whole, the store left as an uninterrupted run
would have it after the same command is run again.

The disk fills up for kg only: the child runs under a file-size limit (RLIMIT_FSIZE, with
SIGXFSZ ignored), so every write past the limit fails with EFBIG, as a full disk fails a
write with ENOSPC.
"""
from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from robust_support import KG, fact_ids, nquads, write_articles
from test_robust_store import one_line_error

from kg.stores.embedded import EmbeddedStore


def kg_on_a_full_disk(*args, room: int, timeout=180):
    """Run kg where it can write at most ``room`` bytes into any one file."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))

    done = subprocess.run([KG, *map(str, args)], capture_output=True, text=True, timeout=timeout, preexec_fn=limit)
    return done.returncode, done.stdout, done.stderr


def files_of(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def store(_examples_store_dir, tmp_path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(_examples_store_dir, path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "neo4j-admin"])
def test_a_full_disk_during_a_multi_file_export_leaves_the_old_files_whole(store, tmp_path, fmt, figures):
    out = tmp_path / "out"
    done = subprocess.run([KG, "--store", store, "export", "--format", fmt, "-o", out], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    old = files_of(out)
    assert len(old) >= 2
    (out / next(iter(old))).write_text("an older export\n", encoding="utf-8")    # so new and old differ
    old = files_of(out)
    smallest = min((out / name).stat().st_size for name in old)
    status, _out, err = kg_on_a_full_disk("--store", store, "export", "--format", fmt, "-o", out,
                                          room=max(smallest, 64))
    line = one_line_error(err)
    assert status == 1 and "disk is full" in line, err
    assert files_of(out) == old                        # not one new file beside old ones
    assert not [p for p in tmp_path.rglob(".kg-export.*")]
    figures.fault(f"disk full during kg export --format {fmt}")


def test_a_full_disk_during_ingest_gives_one_line_and_the_rerun_completes(tmp_path, figures):
    corpus = tmp_path / "corpus"
    write_articles(corpus, 30, seed=11)
    reference, store = tmp_path / "reference", tmp_path / "store"
    assert subprocess.run([KG, "--store", reference, "ingest", corpus], capture_output=True, timeout=180).returncode == 0
    status, _out, err = kg_on_a_full_disk("--store", store, "ingest", corpus, room=48 * 1024)
    line = one_line_error(err)
    assert status == 1 and "disk is full" in line and str(store) in line, err
    again = subprocess.run([KG, "--store", store, "ingest", corpus], capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr
    expected, got = EmbeddedStore(reference, write=False), EmbeddedStore(store, write=False)
    try:
        figures.compare("facts", fact_ids(expected), fact_ids(got))
        figures.compare("quads", nquads(expected), nquads(got))
        assert nquads(got) == nquads(expected)
    finally:
        expected.close()
        got.close()
    figures.fault("disk full during kg ingest")


def test_an_export_to_a_full_device_gives_one_line(store, figures):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    done = subprocess.run([KG, "--store", store, "export", "--format", "nquads", "-o", "/dev/full"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    figures.fault("export to /dev/full")
