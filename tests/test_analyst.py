"""What an analyst reads: tables that wrap instead of cutting, each fact once in `kg sparql`,
errors at the user's own line and column, articles listed and retracted by what one knows
of them, names read as the extractor reads them, undated facts counted when left out."""
from __future__ import annotations

import json
import shutil

import pytest

from kg.cli import cli
from kg.output import render


@pytest.fixture
def store(_examples_store_dir, tmp_path) -> str:
    path = tmp_path / "store"
    shutil.copytree(_examples_store_dir, path)
    return str(path)


def kg(runner, store, *args):
    return runner.invoke(cli, ["--store", store, *args], terminal_width=100)


def test_tables_wrap_long_cells_to_the_width_and_keep_every_word():
    sentence = " ".join(f"word{i}" for i in range(60))
    rows = [{"subject": "Turkey", "predicate": "supports", "evidence": sentence, "articles": 2}] * 2
    text = render(rows, "table", max_width=70)
    assert max(len(line) for line in text.splitlines()) <= 70
    assert " ".join(text.split()).count("word59") == 1                # merged, nothing cut
    assert all(f"word{i}" in text.split() for i in range(60))
    assert text.splitlines()[0].split()[-1] == "count"                # identical rows merged, counted
    assert json.loads(render(rows, "json")) == rows                   # JSON untouched


def test_a_fact_from_many_files_lists_a_few_sources_in_a_table_and_all_in_json():
    sources = "; ".join(f"feed-{i:03}.jsonl:{i}" for i in range(40))
    rows = [{"subject": "Turkey", "predicate": "supports", "sources": sources},
            {"subject": "Russia", "predicate": "supports", "sources": "a.txt; b.txt; c.txt; d.txt"}]
    words = render(rows, "table", max_width=100).split()
    assert "feed-000.jsonl:0;" in words and "feed-003.jsonl:3" not in " ".join(words)
    assert "37 more" in " ".join(words)
    assert "d.txt" in words                        # four sources are shown whole: no "1 more"
    assert json.loads(render(rows, "json")) == rows and "feed-039.jsonl:39" in render(rows, "csv")


def test_sparql_answers_each_fact_once_and_reaches_article_graphs(runner, store):
    once = kg(runner, store, "sparql", "SELECT ?s ?o WHERE { ?s kg:supports ?o }", "--format", "json")
    rows = json.loads(once.output)
    assert rows and len(rows) == len({(r["s"], r["o"]) for r in rows})
    per_article = kg(runner, store, "sparql", "SELECT ?g ?sentence WHERE { GRAPH ?g { ?f rdf:predicate "
                     "kg:supports ; kg:evidence/kg:sentence ?sentence } }", "--format", "json")
    assert len(json.loads(per_article.output)) >= len(rows)
    table = kg(runner, store, "sparql", "SELECT ?s ?o WHERE { ?s kg:supports ?o }").output
    assert "kgr:country/turkey" in table and "https://" not in table        # tables: short IRIs
    assert all(r["s"].startswith("https://w3id.org/newskg/id/") for r in rows)   # JSON: whole ones


def test_sparql_syntax_errors_point_into_the_users_text(runner, store):
    one_line = kg(runner, store, "sparql", "SELECT ?s WHERE { ?s kg:supports ?o } ORDER")
    assert one_line.exit_code == 1 and "at column 39" in one_line.stderr and "line 2" not in one_line.stderr
    lines = kg(runner, store, "sparql", "SELECT ?s\nWHERE {\n  ?s nope:x ?o\n}")
    assert "line 3, column" in lines.stderr and "unknown prefix nope:" in lines.stderr
    assert "  ?s nope:x ?o" in lines.stderr


def test_articles_listing_and_retract_by_prefix_file_or_url(runner, store):
    listed = json.loads(kg(runner, store, "articles", "--format", "json").output)
    assert len(listed) == 8 and all(set(r) >= {"id", "title", "date", "source", "facts"} for r in listed)
    assert sum(r["facts"] for r in listed) > 0
    table = kg(runner, store, "articles").output
    assert "01_libya_backers.txt" in table and "Israel and Hamas agree Gaza" in " ".join(table.split())
    by_file = kg(runner, store, "retract", "03_yemen_houthis.txt")
    assert by_file.exit_code == 0 and "03_yemen_houthis.txt" in by_file.stdout and by_file.stderr == ""
    wire = next(r for r in listed if r.get("url"))
    by_url = kg(runner, store, "retract", wire["url"])
    assert by_url.exit_code == 0 and wire["id"] in by_url.stdout
    libya = next(r for r in listed if r["source"] == "01_libya_backers.txt")
    assert kg(runner, store, "retract", libya["id"][:6]).exit_code == 0
    left = json.loads(kg(runner, store, "articles", "--format", "json").output)
    assert len(left) == 5
    ambiguous = kg(runner, store, "retract", "0")        # too short to be a prefix
    assert ambiguous.exit_code == 1 and "no article '0'" in ambiguous.stderr


def test_an_ambiguous_prefix_is_refused(runner, store):
    ids = [r["id"] for r in json.loads(kg(runner, store, "articles", "--format", "json").output)]
    shared = next((a[:4] for a in ids for b in ids if a != b and a[:4] == b[:4]), None)
    if shared is None:                                  # the example ids share no 4-character prefix
        from kg.articles import find_article

        class Two:
            def query(self, _text, _params=None):
                return [{"id": "abcd1234", "source": "a.txt", "facts": 1},
                        {"id": "abcd9876", "source": "b.txt", "facts": 2}]

        with pytest.raises(Exception, match="matches 2 articles"):
            find_article(Two(), "abcd")
        return
    refused = kg(runner, store, "retract", shared)
    assert refused.exit_code == 1 and "matches" in refused.stderr


def test_names_resolve_as_the_extractor_reads_them(runner, store):
    for name in ("Ankara", "Turkish", "the Kremlin", "Moscow"):
        out = json.loads(kg(runner, store, "query", "profile", name, "--format", "json").output)
        subjects = {r["subject"] for r in out} | {r["object"] for r in out}
        assert ("Turkey" if name in ("Ankara", "Turkish") else "Russia") in subjects, name


def test_undated_facts_left_out_are_counted(runner, store, tmp_path):
    undated = tmp_path / "undated.txt"                   # no date line, no dateline, no published field
    undated.write_text("Iran backs the Houthis. Oman supports the Houthis.", encoding="utf-8")
    assert kg(runner, store, "ingest", str(undated)).exit_code == 0
    since = kg(runner, store, "export", "--since", "2020", "--format", "csv", "-o", store + "-csv")
    assert since.exit_code == 0 and "undated fact" in since.stderr and "left out" in since.stderr
    everything = kg(runner, store, "export", "--format", "csv", "-o", store + "-all")
    assert "left out" not in everything.stderr
    timeline = kg(runner, store, "query", "timeline", "Oman")
    assert timeline.exit_code == 0 and "1 undated fact left out" in timeline.stderr
    dated = kg(runner, store, "query", "timeline", "Sergey Lavrov")
    assert dated.exit_code == 0 and "left out" not in dated.stderr


def test_stats_and_help_read_well(runner, store):
    stats = kg(runner, store, "stats", "--top", "3").output
    figures = [line.split("betweenness")[1].strip() for line in stats.splitlines() if "betweenness" in line]
    assert len(figures) == 3 and all(len(f.split(".")[1]) == 4 for f in figures)
    assert "Print the report as JSON" in runner.invoke(cli, ["eval", "--help"]).output
    listing = runner.invoke(cli, ["query"], terminal_width=80).output
    assert "…" not in listing and "opponent" in listing
    commands = runner.invoke(cli, ["--help"], terminal_width=80).output.split("Commands:")[1]
    assert "..." not in commands and "articles" in commands


def test_progress_is_quiet_when_not_a_terminal(runner, tmp_path, examples_dir):
    result = runner.invoke(cli, ["--store", str(tmp_path / "s"), "ingest", str(examples_dir)])
    assert result.exit_code == 0 and result.stderr == ""


def test_push_is_quiet_in_pipes_and_retract_reminds_only_after_a_push(runner, store, oxigraph_server):
    listed = json.loads(kg(runner, store, "articles", "--format", "json").output)
    first = kg(runner, store, "retract", listed[0]["id"])
    assert first.exit_code == 0 and first.stderr == ""                     # never pushed: no reminder
    pushed = kg(runner, store, "push", "sparql", oxigraph_server.query_url)
    assert pushed.exit_code == 0 and "pushed 7 article(s)" in pushed.stdout and pushed.stderr == ""
    second = kg(runner, store, "retract", listed[1]["source"])
    assert second.exit_code == 0 and oxigraph_server.query_url in second.stderr and "--prune" in second.stderr


def test_endpoint_syntax_errors_point_into_the_users_text(runner, store, oxigraph_server):
    result = kg(runner, store, "sparql", "SELECT ?s WHERE { ?s kg:supports ?o } ORDER",
                "--endpoint", oxigraph_server.query_url)
    assert result.exit_code == 1 and "syntax error at column" in result.stderr and "line 2" not in result.stderr
    assert "  SELECT ?s WHERE { ?s kg:supports ?o } ORDER\n" in result.stderr     # the user's line, a caret
