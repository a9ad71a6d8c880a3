"""Duplicates are stored once; retracting an article keeps what other articles state,
on the embedded store and, with `kg push sparql --prune`, on the endpoint."""
from __future__ import annotations

import json
import unicodedata
import urllib.request

import pyoxigraph as ox
from robust_support import fact_ids, nquads, summary_of

from kg.cli import cli
from kg.ids import content_hash
from kg.rdf import article_iri
from kg.stores.embedded import EmbeddedStore

TEXT = ("date 2023-05-04\nTurkey supports the National Liberation Front.\n\n"
        "Russia backs the Syrian government. Erdoğan met Putin in Sochi.\n")


def invoke(runner, store, *args):
    return runner.invoke(cli, ["--store", str(store), *map(str, args)], catch_exceptions=False)


def variants(folder):
    """The same article under other names, re-spaced, with CRLF, decomposed accents, in JSON."""
    folder.mkdir()
    (folder / "original.txt").write_text(TEXT, encoding="utf-8")
    (folder / "copy_under_another_name.txt").write_text(TEXT, encoding="utf-8")
    (folder / "respaced.txt").write_text("  " + TEXT.replace(" ", "   ").replace("\n\n", "\n \t\n\n\n"), encoding="utf-8")
    (folder / "crlf.txt").write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    (folder / "nfd.txt").write_text(unicodedata.normalize("NFD", TEXT), encoding="utf-8")
    (folder / "latin.txt").write_bytes(TEXT.replace("ğ", "g").encode("cp1252"))   # a different text
    rows = [{"id": "wire-1", "text": TEXT}, {"id": "wire-2", "text": TEXT.replace("\n", " \n ")}]
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return 7, 2          # copies of the original, distinct articles


def test_same_article_under_other_names_or_respaced_is_stored_once(tmp_path, runner, figures):
    copies, distinct = variants(tmp_path / "in")
    store = tmp_path / "store"
    result = invoke(runner, store, "ingest", "--json", tmp_path / "in")
    summary = json.loads(result.output)
    assert summary["articles_new"] == distinct
    assert summary["articles_known"] == copies + 1 - distinct
    again = json.loads(invoke(runner, store, "ingest", "--json", tmp_path / "in", tmp_path / "in").output)
    assert again["articles_new"] == 0 and again["facts_new"] == 0
    opened = EmbeddedStore(store)
    try:
        ids = opened.article_ids()
        assert content_hash(TEXT) in ids and len(ids) == distinct
        rows = opened.query("SELECT ?a WHERE { GRAPH ?g { ?a a kg:Article } FILTER(?g != kgr:graph\\/summary) }")
        stored_articles = [r["a"] for r in rows]
    finally:
        opened.close()
    for path in sorted((tmp_path / "in").iterdir()):
        figures.input(path.read_bytes())
    expected = [article_iri(content_hash(t)).value for t in (TEXT, TEXT.replace("ğ", "g"))]
    missing, doubled = figures.compare("articles", expected, stored_articles)
    assert (missing, doubled) == (0, 0)


def test_retract_keeps_what_other_articles_state(tmp_path, runner, figures):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Iran backs Hezbollah. Turkey supports the National Liberation Front.", "utf-8")
    (folder / "b.txt").write_text("Iran supports Hezbollah, and Russia backs the Syrian government.", "utf-8")
    only_a, store = tmp_path / "only_a", tmp_path / "store"
    invoke(runner, only_a, "ingest", folder / "a.txt")
    invoke(runner, store, "ingest", folder)
    b_id = content_hash((folder / "b.txt").read_text("utf-8"))

    result = invoke(runner, store, "retract", b_id)
    assert result.exit_code == 0 and f"retracted {b_id}" in result.output
    missing = invoke(runner, store, "retract", b_id)
    assert missing.exit_code == 1 and "no article" in missing.output
    by_iri = invoke(runner, only_a, "retract", f"<https://w3id.org/newskg/id/article/{b_id}>")
    assert by_iri.exit_code == 1 and f"no article {b_id!r}" in by_iri.output     # IRIs are accepted too

    left, reference = EmbeddedStore(store), EmbeddedStore(only_a)
    try:
        assert nquads(left) == nquads(reference)          # exactly what a alone gives
        assert summary_of(left) == summary_of(reference)  # and the summary graph a alone implies
        ask = "ASK { <https://w3id.org/newskg/id/country/iran> kg:supports ?o }"
        assert left.query(ask) == [{"result": True}]    # stated by a too: stays
        assert left.query("ASK { ?s kg:supports <https://w3id.org/newskg/id/country/syria> }") in (
            [{"result": False}],)
        assert left.query(f"ASK {{ ?e prov:wasDerivedFrom <https://w3id.org/newskg/id/article/{b_id}> }}") == \
            [{"result": False}]
        figures.compare("facts", fact_ids(reference), fact_ids(left))
        figures.input((folder / "a.txt").read_bytes())
        figures.input((folder / "b.txt").read_bytes())
    finally:
        left.close()
        reference.close()


def endpoint_quads(server) -> list[str]:
    request = urllib.request.Request(server.store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return sorted(str(q) for q in ox.parse(response.read(), format=ox.RdfFormat.N_QUADS))


def test_push_prune_propagates_a_retraction_to_the_endpoint(tmp_path, runner, oxigraph_server, examples_dir,
                                                            figures):
    store = tmp_path / "store"
    invoke(runner, store, "ingest", examples_dir)
    push = lambda *extra: invoke(runner, store, "push", "sparql", oxigraph_server.query_url, *extra)
    assert push().exit_code == 0
    opened = EmbeddedStore(store)
    gone = opened.article_ids()[0]
    opened.close()
    assert invoke(runner, store, "retract", gone).exit_code == 0

    assert push().exit_code == 0                  # without --prune the endpoint keeps the old graph
    stale = endpoint_quads(oxigraph_server)
    result = push("--prune")
    assert result.exit_code == 0 and "1 graphs pruned" in result.output
    opened = EmbeddedStore(store)
    try:
        local = nquads(opened, summary=True)
        assert endpoint_quads(oxigraph_server) == local and len(stale) > len(local)
    finally:
        opened.close()
    assert push("--prune").exit_code == 0         # again: nothing changes
    assert endpoint_quads(oxigraph_server) == local
    figures.compare("quads", local, endpoint_quads(oxigraph_server))
