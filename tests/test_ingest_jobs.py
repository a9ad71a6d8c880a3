"""`kg ingest --jobs N` writes the same store whatever N (workers send back slim extractions)."""
from __future__ import annotations

from kg.cli import cli


def nquads(store_path) -> list[str]:
    import pyoxigraph as ox

    from kg.stores.embedded import EmbeddedStore

    store = EmbeddedStore(store_path)
    try:
        return sorted(line for line in store.dump(ox.RdfFormat.N_QUADS).decode().splitlines() if line.strip())
    finally:
        store.close()


def test_jobs_give_the_same_store(runner, examples_dir, tmp_path):
    stores = {}
    for jobs in (1, 2, 3):
        path = tmp_path / f"store-{jobs}"
        result = runner.invoke(cli, ["--store", str(path), "ingest", "--jobs", str(jobs), str(examples_dir)])
        assert result.exit_code == 0, result.output
        stores[jobs] = nquads(path)
    assert stores[1] and stores[1] == stores[2] == stores[3]
