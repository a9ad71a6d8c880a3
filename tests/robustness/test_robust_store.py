"""The store: kg writes only in its own stores, refuses a damaged one and leaves it as it was,
reads a read-only one, and says in one line what went wrong (never a traceback)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from robust_support import KG, ROOT

EXAMPLES = ROOT / "examples" / "articles"


def kg(*args, env=None, prefix=(), timeout=120):
    """Run the kg command (after ``prefix``, a wrapper command); (exit status, stdout, stderr)."""
    done = subprocess.run([*prefix, KG, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    return done.returncode, done.stdout, done.stderr


def read_only_prefix(folder: Path) -> tuple:
    """A wrapper that runs a command with ``folder`` read-only: file modes for a normal user;
    for root (whom modes do not stop) a read-only bind mount in a private mount namespace."""
    subprocess.run(["chmod", "-R", "a+rX,a-w", str(folder)], check=True)
    if os.geteuid() != 0:
        return ()
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    prefix = ("unshare", "-m", "sh", "-c", script, str(folder))
    probe = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True, text=True)
    if probe.returncode == 0 or "Read-only" not in probe.stderr:
        (folder / "probe").unlink(missing_ok=True)
        pytest.skip(f"running as root and cannot mount {folder} read-only here: {probe.stderr.strip()}")
    return prefix


def one_line_error(stderr: str) -> str:
    """The error on stderr: one line, the last (progress lines may come before it), no traceback."""
    lines = stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert "Traceback" not in stderr and len(errors) == 1 and lines[-1] == errors[0], stderr
    return errors[0]


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` with its content hash: what 'left exactly as it was' compares."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def store(_examples_store_dir, tmp_path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(_examples_store_dir, path)
    return path


def test_a_store_without_its_current_file_is_refused_and_left_as_it_was(store, figures):
    (store / "CURRENT").unlink()
    before = snapshot(store)
    for command in (["stats"], ["stats"], ["validate"], ["ingest", EXAMPLES]):
        status, out, err = kg("--store", store, *command)
        assert status == 1 and "damaged" in one_line_error(err) and str(store) in err, (command, out, err)
        assert snapshot(store) == before, command
    figures.fault("store: CURRENT deleted")


def test_a_truncated_table_file_is_refused_and_left_as_it_was(store, figures):
    tables = sorted(store.glob("*.sst"), key=lambda p: p.stat().st_size)
    assert tables, "the examples store has no .sst file to damage"
    data = tables[-1].read_bytes()
    tables[-1].write_bytes(data[: len(data) // 2])
    before = snapshot(store)
    for command in (["stats"], ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"], ["ingest", EXAMPLES]):
        status, out, err = kg("--store", store, *command)
        assert status == 1 and "damaged" in one_line_error(err), (command, out, err)
        assert snapshot(store) == before, command
    figures.fault("store: .sst file truncated")


def test_kg_never_creates_a_store_in_a_folder_of_other_files(tmp_path, figures):
    folder = tmp_path / "articles"
    shutil.copytree(EXAMPLES, folder)
    before = snapshot(folder)
    for command in (["ingest", EXAMPLES], ["stats"], ["load", EXAMPLES / "missing.jsonl"]):
        status, _out, err = kg("--store", folder, *command)
        assert status != 0 and "Traceback" not in err, (command, err)
        assert snapshot(folder) == before, command
    status, _out, err = kg("--store", folder, "ingest", EXAMPLES)
    assert "not a kg store" in one_line_error(err)
    figures.refused("store: --store names a folder of articles")


def test_reading_commands_never_create_a_store(tmp_path, figures):
    missing = tmp_path / "typo"
    for command in (["stats"], ["query", "supporters", "Turkey"], ["export", "--format", "nquads"],
                    ["sparql", "SELECT * WHERE { ?s ?p ?o }"], ["validate"]):
        status, _out, err = kg("--store", missing, *command)
        assert status == 1 and "no kg store" in one_line_error(err), (command, err)
        assert not missing.exists(), command
    figures.refused("store: --store names a folder that does not exist")


def test_a_store_is_marked_with_its_format_version(tmp_path, figures):
    store = tmp_path / "new"
    status, _out, err = kg("--store", store, "ingest", EXAMPLES / "a01_idlib.txt" if (EXAMPLES / "a01_idlib.txt").exists()
                           else sorted(EXAMPLES.iterdir())[0])
    assert status == 0, err
    marker = json.loads((store / "KG_STORE").read_text(encoding="utf-8"))
    assert marker["format_version"] == 1
    (store / "KG_STORE").write_text(json.dumps({**marker, "format_version": 99}), encoding="utf-8")
    before = snapshot(store)
    status, _out, err = kg("--store", store, "stats")
    assert status == 1 and "format version 99" in one_line_error(err)
    assert snapshot(store) == before
    figures.refused("store: a newer format version")


def test_reading_commands_work_on_a_read_only_store(store, figures):
    before = snapshot(store)
    try:
        prefix = read_only_prefix(store)
        for command in (["stats"], ["query", "supporters", "Turkey"], ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 3"],
                        ["export", "--format", "nquads"], ["validate"]):
            status, out, err = kg("--store", store, *command, prefix=prefix)
            assert status == 0 and out.strip(), (command, err)
        status, _out, err = kg("--store", store, "retract", "0000", prefix=prefix)
        assert status == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(store)], check=True)
    assert snapshot(store) == before
    figures.fault("store: read-only folder")


def test_a_store_whose_creation_was_cut_short_is_completed_by_a_writer(tmp_path, figures):
    """What `kill -9` leaves while RocksDB creates a store: its lock, log and a temporary file,
    no CURRENT, no table, no marker. A writer completes it; nothing is refused as damaged."""
    from kg.stores.embedded import MARKER, EmbeddedStore

    store = tmp_path / "store"
    store.mkdir()
    for name in ("LOCK", "LOG", "000000.dbtmp"):
        (store / name).write_bytes(b"")
    opened = EmbeddedStore(store)
    try:
        assert opened.article_ids() == []
    finally:
        opened.close()
    assert (store / MARKER).is_file() and (store / "CURRENT").is_file()
    figures.fault("kill -9 while the store was being created")
