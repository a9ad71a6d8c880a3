"""The README's tour and every example of `kg --help` and each command's --help, run as a
new user would: in a folder holding the bundled examples, with the real `kg` command, a
real Oxigraph server standing for the SPARQL endpoint (Neo4j lines run when NEO4J_URI
is set)."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENDPOINTS = re.compile(r"http://(?:127\.0\.0\.1|localhost):(?:7878|3030)/[\w/]*query")
NEEDS_NEO4J = re.compile(r"\bneo4j\b|\bcypher\b|NEO4J_")
NEO4J_ADDRESS = re.compile(r"\b(?:neo4j|bolt)://(?:127\.0\.0\.1|localhost):7687\b")


def tour_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A short tour\n.*?```bash\n(.*?)```", readme, flags=re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def help_examples() -> list[tuple[str, list[str]]]:
    """(command, its example lines) for `kg` and every command, from their --help."""
    from click.testing import CliRunner

    from kg.cli import cli

    def examples(args):
        text = CliRunner().invoke(cli, [*args, "--help"], terminal_width=200).output
        block = re.search(r"Examples?:\n((?:\s{2,}\S.*\n?)+)", text)
        return [line.strip() for line in block.group(1).splitlines()] if block else []

    out = [("kg", examples([]))]
    for name, command in sorted(cli.commands.items()):
        out.append((name, examples([name])))
        for sub in sorted(getattr(command, "commands", {})):
            out.append((f"{name} {sub}", examples([name, sub])))
    return out


@pytest.fixture
def workdir(tmp_path, oxigraph_server, monkeypatch):
    """A folder holding the bundled examples; kg on PATH; the endpoint of the examples is live."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "examples", work / "examples")
    env = {k: v for k, v in os.environ.items() if k not in ("KG_STORE", "COLUMNS")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return work, env, oxigraph_server


def run_line(line: str, work: Path, env: dict, server) -> subprocess.CompletedProcess:
    command = ENDPOINTS.sub(server.query_url, line)
    if os.environ.get("NEO4J_URI"):                 # the test run's Neo4j, not the example's
        command = NEO4J_ADDRESS.sub(os.environ["NEO4J_URI"], command)
        command = re.sub(r"\bNEO4J_PASSWORD=\S+", "NEO4J_PASSWORD=" + shlex.quote(env.get("NEO4J_PASSWORD", "")),
                         command)
    done = subprocess.run(["bash", "-c", "set -o pipefail; " + command], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, f"{line}\n{done.stderr}"
    assert done.returncode == 0, f"`{line}` failed ({done.returncode}):\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
    return done


def runnable(line: str) -> bool:
    """Lines a test can run here: Neo4j ones only with NEO4J_URI; starting a server is the fixture's job."""
    if line.startswith("oxigraph serve"):
        return False
    return bool(os.environ.get("NEO4J_URI")) or not NEEDS_NEO4J.search(line.split("#")[0])


def test_the_readme_tour_runs_line_by_line(workdir):
    work, env, server = workdir
    lines = tour_lines()
    assert len(lines) >= 15 and all(line.startswith("kg ") for line in lines)
    outputs = {}
    for line in filter(runnable, lines):
        outputs[line] = run_line(line, work, env, server)
    said = lambda prefix: next(o for line, o in outputs.items() if line.startswith(prefix))
    assert "Turkey" in said("kg query supporters SNA").stdout
    assert "Turkey" in said("kg query profile Ankara").stdout
    assert "retracted" in said("kg retract").stdout and "03_yemen_houthis.txt" in said("kg retract").stdout
    assert "pushed" in said("kg push sparql").stdout
    assert (work / "graph.html").is_file() and (work / "graph.ttl").is_file()
    for line, done in outputs.items():               # every command answered something
        assert done.stdout.strip() or done.stderr.strip() or ">" in line, line


def test_every_help_example_runs_on_the_bundled_examples(workdir):
    work, env, server = workdir
    run_line("kg ingest examples/articles", work, env, server)
    run_line("kg push sparql http://127.0.0.1:7878/query", work, env, server)   # for --backend sparql
    ran = 0
    for command, lines in help_examples():
        for line in filter(runnable, lines):
            run_line(line, work, env, server)
            ran += 1
        if command == "retract":                     # its examples remove articles: put them back
            run_line("kg ingest examples/articles", work, env, server)
    assert ran >= 30


def test_every_command_shows_examples():
    missing = [name for name, lines in help_examples() if not lines and name != "push"]
    assert missing == []
