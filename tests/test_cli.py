"""The command line, through click's CliRunner: exit codes and output of every command."""
import json

from kg.cli import cli


def invoke(runner, store_path, *args):
    return runner.invoke(cli, ["--store", str(store_path), *args], catch_exceptions=False)


def test_cli_every_command_has_help_with_examples(runner):
    commands = [([name], command) for name, command in cli.commands.items()]
    while commands:                       # groups (kg push) and every command under them
        path, command = commands.pop()
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0 and result.output.startswith("Usage: "), path
        if hasattr(command, "commands"):
            assert command.commands, f"{path} has no commands"
            commands += [([*path, name], sub) for name, sub in command.commands.items()]
        else:
            assert "Example" in result.output, f"{' '.join(path)} --help shows no example"


def test_cli_ingest_twice_changes_nothing(runner, store_path, examples_dir):
    first = invoke(runner, store_path, "ingest", str(examples_dir), "--json")
    assert first.exit_code == 0
    summary = json.loads(first.output)
    assert summary["articles_new"] == 8 and summary["facts"] > 0
    stats_before = invoke(runner, store_path, "stats", "--json").output
    second = json.loads(invoke(runner, store_path, "ingest", str(examples_dir), "--json").output)
    assert second["articles_new"] == 0 and second["articles_known"] == 8
    assert second["facts_new"] == 0 and second["entities_new"] == 0
    assert invoke(runner, store_path, "stats", "--json").output == stats_before


def test_cli_ingest_summary_reads_well(runner, store_path, examples_dir):
    result = invoke(runner, store_path, "ingest", str(examples_dir))
    assert result.exit_code == 0
    assert result.output.startswith("articles: 8 new, 0 already stored, 0 failed\n")
    assert "entities:" in result.output and "facts:" in result.output


def test_cli_bad_files_get_one_line_each_and_the_rest_loads(runner, store_path, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Turkey supports Azerbaijan, officials said.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "binary.txt").write_bytes(b"abc\x00\x01\x02def")
    (tmp_path / "feed.jsonl").write_text('{"text": "Iran backs Hezbollah."}\n{"text": "broken\n', encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(store_path), "ingest", str(tmp_path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: ")]
    assert len(errors) == 3, result.stderr  # empty.txt, binary.txt, feed.jsonl:2 (png is not an article type)
    assert any("empty.txt: empty file" in e for e in errors)
    assert any("binary.txt: binary file" in e for e in errors)
    assert any("feed.jsonl:2: not valid JSON" in e for e in errors)
    assert "articles: 2 new" in result.output


def test_cli_unsupported_file_named_directly_is_an_error(runner, store_path, tmp_path):
    image = tmp_path / "x.png"
    image.write_bytes(b"\x89PNG")
    result = runner.invoke(cli, ["--store", str(store_path), "ingest", str(image)])
    assert result.exit_code == 1
    assert "x.png: unsupported file type '.png'" in result.stderr


def test_cli_missing_file_is_an_error(runner, store_path, tmp_path):
    result = runner.invoke(cli, ["--store", str(store_path), "ingest", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt: cannot read" in result.stderr


def test_cli_extract_prints_contract_lines(runner, store_path, examples_dir):
    result = invoke(runner, store_path, "extract", str(examples_dir))
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows
    required = {"subject", "subject_type", "predicate", "object", "object_type", "source", "evidence", "confidence"}
    for row in rows:
        assert required <= set(row)
        assert 0 < row["confidence"] <= 1
    assert not store_path.exists(), "extract must not touch the store"


def test_cli_extract_table(runner, store_path, examples_dir):
    result = invoke(runner, store_path, "extract", str(examples_dir), "--format", "table")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split() == ["subject", "predicate", "object", "confidence", "evidence", "source"]


def test_cli_query_lists_and_answers(runner, store_path, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Iran backs Hezbollah. Syria supports Hezbollah too.", encoding="utf-8")
    invoke(runner, store_path, "ingest", str(article))
    listing = invoke(runner, store_path, "query")
    assert "supporters" in listing.output
    result = invoke(runner, store_path, "query", "supporters", "hezbollah", "--format", "json")
    assert result.exit_code == 0
    names = {row["supporter"] for row in json.loads(result.output)}
    assert names == {"Iran", "Syria"}


def test_cli_query_unknown_entity_suggests(runner, store_path, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Iran backs Hezbollah.", encoding="utf-8")
    invoke(runner, store_path, "ingest", str(article))
    result = runner.invoke(cli, ["--store", str(store_path), "query", "supporters", "Hezbolah"])
    assert result.exit_code == 1
    assert "no entity named 'Hezbolah'" in result.stderr and "Hezbollah" in result.stderr


def test_cli_sparql_and_refusals(runner, store_path, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Iran backs Hezbollah.", encoding="utf-8")
    invoke(runner, store_path, "ingest", str(article))
    result = invoke(runner, store_path, "sparql", "SELECT DISTINCT ?o WHERE { ?s kg:supports ?o }", "--format", "json")
    assert json.loads(result.output) == [{"o": "https://w3id.org/newskg/id/armedgroup/hezbollah"}]
    for bad in ("DELETE WHERE { ?s ?p ?o }", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }"):
        refused = runner.invoke(cli, ["--store", str(store_path), "sparql", bad])
        assert refused.exit_code == 1 and "not allowed" in refused.stderr


def test_cli_export_turtle_and_graphml(runner, store_path, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Iran backs Hezbollah.", encoding="utf-8")
    invoke(runner, store_path, "ingest", str(article))
    import networkx as nx
    import rdflib

    ttl = tmp_path / "g.ttl"
    assert invoke(runner, store_path, "export", "--format", "turtle", "-o", str(ttl)).exit_code == 0
    graph = rdflib.Graph().parse(ttl)
    assert (None, rdflib.URIRef("https://w3id.org/newskg/ontology#supports"), None) in graph
    graphml = tmp_path / "g.graphml"
    assert invoke(runner, store_path, "export", "--format", "graphml", "-o", str(graphml)).exit_code == 0
    network = nx.read_graphml(graphml)
    assert network.number_of_edges() == 1


def test_cli_stats_and_retract(runner, store_path, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Iran backs Hezbollah.", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text("Iran supports Hezbollah, the ministry said. Russia backs Syria.", encoding="utf-8")
    invoke(runner, store_path, "ingest", str(article), str(other))
    stats = json.loads(invoke(runner, store_path, "stats", "--json").output)
    assert stats["articles"] == 2 and stats["predicates"]["supports"] == 2
    from kg.ids import content_hash

    result = invoke(runner, store_path, "retract", content_hash(other.read_text()))
    assert result.exit_code == 0
    stats = json.loads(invoke(runner, store_path, "stats", "--json").output)
    assert stats["articles"] == 1 and stats["predicates"] == {"supports": 1}
    missing = runner.invoke(cli, ["--store", str(store_path), "retract", "nope"])
    assert missing.exit_code == 1 and "no article 'nope'" in missing.stderr


def test_cli_eval_reports_per_predicate(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"entity": "Turkey", "type": "Country", "aliases": ["Ankara"]}\n'
                    '{"subject": "Turkey", "predicate": "supports", "object": "Azerbaijan"}\n', encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"subject": "Ankara", "predicate": "supports", "object": "azerbaijan"}\n'
                    '{"subject": "Iran", "predicate": "supports", "object": "Hezbollah"}\n', encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(pred), str(gold), "--json"])
    report = json.loads(result.output)
    assert report["overall"]["precision"] == 0.5 and report["overall"]["recall"] == 1.0


def test_an_article_whose_extraction_fails_is_reported_and_the_batch_goes_on(runner, store_path, tmp_path,
                                                                             monkeypatch):
    import kg.loaders.pipeline as pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Iran backs Hezbollah.", encoding="utf-8")
    (folder / "trips.txt").write_text("Russia backs Syria.", encoding="utf-8")
    real = pipeline.extract

    def tripping(article, *args):              # stands for a bug that one article triggers
        if article.source.endswith("trips.txt"):
            raise ValueError("substring not found")
        return real(article, *args)

    monkeypatch.setattr(pipeline, "extract", tripping)
    for command in (["ingest"], ["extract"]):
        result = runner.invoke(cli, ["--store", str(store_path), *command, str(folder)])
        assert result.exit_code == 1
        (line,) = [e for e in result.stderr.splitlines() if "trips.txt" in e]
        assert "extraction failed (ValueError: substring not found)" in line
    stored = invoke(runner, store_path, "query", "supporters", "Hezbollah", "--format", "json")
    assert [row["supporter"] for row in json.loads(stored.output)] == ["Iran"]
