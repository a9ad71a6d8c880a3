"""kg view: one self-contained HTML page, checked as text and in headless Chromium."""
from __future__ import annotations

import json
import re
import shutil
import socket
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from kg.export import Selection, property_graph
from kg.view import render_html, write_view
from small_graphs import A, entity, extraction, sample_store, store_of

CHROMIUM = Path("/usr/bin/chromium")
EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|url\(\s*["']?\s*(?:https?:)?//"""
                      r"""|@import|\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon""", re.I)


def page_without_data(page: str) -> str:
    return re.sub(r'<script type="application/json" id="kg-data">.*?</script>', "", page, flags=re.S)


def embedded_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, flags=re.S)
    return json.loads(match.group(1))


# -- the page as text ----------------------------------------------------------------------
def test_page_has_no_external_urls_and_inlines_everything():
    page = render_html(property_graph(sample_store()))
    code = page_without_data(page)
    assert not EXTERNAL.search(code)
    assert not re.search(r"https?://", code)
    assert "<script src" not in page and "<link" not in page
    assert "default-src 'none'" in page                  # the CSP forbids any request too


def test_names_cannot_break_out_of_the_data_block():
    evil = entity("</script><script>alert(1)</script> & \u2028 \"q\" 'a' \\", "Organization")
    store = store_of(extraction("v1", [(evil, "supports", A)], sentence="<b>bold</b> & http://example.org/x"))
    page = render_html(property_graph(store))
    assert page.count("</script>") == 2                    # the data block's and the code's
    data = embedded_data(page)
    assert evil.label in {n["label"] for n in data["nodes"]}
    assert data["edges"][0]["evidence"][0]["sentence"].startswith("<b>bold</b>")
    assert not EXTERNAL.search(page_without_data(page))


def test_view_data_has_facts_evidence_and_dates():
    data = embedded_data(render_html(property_graph(sample_store())))
    assert len(data["nodes"]) == 6 and len(data["edges"]) == 5
    attacked = next(e for e in data["edges"] if e["predicate"] == "attacked")
    assert attacked["articles"] == 2 and len(attacked["evidence"]) == 2
    accord = next(n for n in data["nodes"] if n["type"] == "Agreement")
    assert accord["dates"][0]["value"] == "2019-06-01" and accord["dates"][0]["evidence"]
    assert set(data["colors"]) >= {n["type"] for n in data["nodes"]}


def test_view_filters_and_writes_atomically(tmp_path):
    store = sample_store()
    out = tmp_path / "g.html"
    count = write_view(store, str(out), Selection(predicate="attacked"))
    assert count == 2 and len(embedded_data(out.read_text(encoding="utf-8"))["nodes"]) == 2


def test_cli_view(runner, _examples_store_dir, tmp_path):
    from kg.cli import cli

    store = tmp_path / "store"
    shutil.copytree(_examples_store_dir, store)
    out = tmp_path / "graph.html"
    result = runner.invoke(cli, ["--store", str(store), "view", "-o", str(out), "--title", "Examples"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and out.is_file() and "<title>Examples</title>" in out.read_text("utf-8")
    missing = runner.invoke(cli, ["--store", str(store), "view", "--entity", "Atlantis Liberation Front",
                                  "-o", str(out)])
    assert missing.exit_code == 1 and "no entity named" in missing.output


# -- the page in a real browser ----------------------------------------------------------------
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="headless Chromium not installed (apt-get install chromium)")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]            # closed again when the socket is


def chromium(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on a page with every request sent to a closed local proxy."""
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{closed_port()}",
            "--enable-logging=stderr", "--v=0", "--window-size=1280,800", *extra, url]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def page_requests(net_log: Path) -> list[str]:
    """http(s) requests the page made (Chromium's own background requests have no page origin)."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [e["params"]["url"] for e in log["events"]
            if e["type"] == start and e.get("params", {}).get("url", "").startswith(("http:", "https:"))
            and e["params"].get("initiator") != "not an origin"]


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit PNG (enough to tell blank from drawn)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * step, [], bytearray(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - step] if x >= step else 0
            b, c = previous[x], previous[x - step] if x >= step else 0
            line[x] = (line[x] + [0, a, b, (a + b) // 2, _paeth(a, b, c)][kind]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r[i:i + 3]) for r in rows for i in range(0, stride, step)]


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


@pytest.fixture
def examples_page(examples_store, tmp_path) -> tuple[Path, int, str]:
    out = tmp_path / "graph.html"
    count = write_view(examples_store, str(out))
    first = sorted(property_graph(examples_store).edges)[0][0]
    return out, count, first


@needs_chromium
def test_page_renders_in_chromium_offline_without_errors(examples_page, tmp_path):
    page, count, _ = examples_page
    net_log = tmp_path / "net.json"
    run = chromium(page.as_uri(), tmp_path, "--dump-dom", f"--log-net-log={net_log}")
    assert run.returncode == 0, run.stderr[-2000:]
    body = re.search(r"<body[^>]*>", run.stdout).group(0)
    assert 'data-ready="1"' in body and f'data-nodes="{count}"' in body and count > 0
    assert f"{count} entities" in run.stdout
    assert page_requests(net_log) == []
    assert console_lines(run.stderr) == []


@needs_chromium
def test_screenshot_is_not_blank(examples_page, tmp_path):
    page, _, _ = examples_page
    shot = tmp_path / "shot.png"
    run = chromium(page.as_uri(), tmp_path, f"--screenshot={shot}")
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (1280, 800)
    coloured = [p for p in pixels if max(p) - min(p) > 60]          # node fills, not grey text or white
    assert len(coloured) > 500 and len(set(coloured)) > 3


@needs_chromium
def test_click_target_shows_facts_and_evidence(examples_page, tmp_path, examples_store):
    page, _, node = examples_page
    run = chromium(page.as_uri() + "#select=" + node, tmp_path, "--dump-dom")
    details = run.stdout[run.stdout.index('id="details"'):]
    graph = property_graph(examples_store)
    sentence = next(e.best["sentence"] for (s, _, t), e in graph.edges.items() if node in (s, t))
    import html

    assert graph.nodes[node]["label"] in details.split("</h3>")[0]
    assert html.escape(sentence, quote=False) in details
    assert console_lines(run.stderr) == []


@needs_chromium
def test_the_browser_checks_do_catch_requests_and_errors(tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text('<img src="http://example.invalid/x.png"><script>console.error("boom")</script>')
    net_log = tmp_path / "net.json"
    run = chromium(probe.as_uri(), tmp_path, "--dump-dom", f"--log-net-log={net_log}")
    assert page_requests(net_log) == ["http://example.invalid/x.png"]
    assert any("boom" in line for line in console_lines(run.stderr))
    assert EXTERNAL.search(probe.read_text())


# -- a big graph stays readable -------------------------------------------------------------
def clustered_graph(clusters: int = 12, size: int = 50, seed: int = 3):
    """``clusters`` groups of ``size`` entities around a hub each, a few facts across groups."""
    import random

    from kg.export import Edge, PropertyGraph

    rng, graph = random.Random(seed), PropertyGraph()
    types = ["Country", "Person", "ArmedGroup", "Organization", "Location"]
    evidence = lambda i: [{"article": f"a{i}", "date": "2024-01-01", "sentence": f"Sentence number {i} says so.",
                           "rule": "test", "confidence": 0.9}]
    for c in range(clusters):
        ids = [f"{types[(c + i) % 5].lower()}/c{c}-{i}" for i in range(size)]
        for i, key in enumerate(ids):
            graph.nodes[key] = {"id": key, "label": f"Group {c} entity {i} with a long name", "type": types[(c + i) % 5]}
        for i, key in enumerate(ids[1:], 1):
            other = ids[0] if i < 20 or rng.random() < 0.5 else ids[rng.randrange(1, i)]
            predicate = ["supports", "attacked", "member_of", "present_in"][i % 4]
            graph.edges[(key, predicate, other)] = Edge(key, other, predicate, evidence(i))
    hubs = [f"{types[c % 5].lower()}/c{c}-0" for c in range(clusters)]
    for a, b in zip(hubs, hubs[1:]):
        graph.edges[(a, "talked_with", b)] = Edge(a, b, "talked_with", evidence(999))
    return graph


def label_boxes(dom: str) -> list[list[int]]:
    import html

    body = re.search(r"<body[^>]*>", dom).group(0)
    return json.loads(html.unescape(re.search(r'data-boxes="([^"]*)"', body).group(1)))


def overlapping(boxes) -> list:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]]


def attribute(dom: str, name: str) -> int:
    return int(re.search(rf'{name}="(\d+)"', re.search(r"<body[^>]*>", dom).group(0)).group(1))


@needs_chromium
def test_a_600_entity_graph_is_readable(tmp_path):
    """Clusters apart, a few names (never overlapping) until zoomed in, filters by type and
    relation, click for evidence. The screenshots stay in the test's tmp folder."""
    graph = clustered_graph()
    page = tmp_path / "big.html"
    page.write_text(render_html(graph, "600 entities"), encoding="utf-8")
    whole = chromium(page.as_uri(), tmp_path, "--dump-dom")
    assert attribute(whole.stdout, "data-nodes") == 600 and console_lines(whole.stderr) == []
    overview = label_boxes(whole.stdout)
    assert 12 <= len(overview) <= 80 and overlapping(overview) == []     # hubs named, not every entity
    hub = "country/c0-0"
    zoomed = chromium(page.as_uri() + f"#select={hub}&zoom=6", tmp_path, "--dump-dom")
    assert len(label_boxes(zoomed.stdout)) > 0 and overlapping(label_boxes(zoomed.stdout)) == []
    details = zoomed.stdout[zoomed.stdout.index('id="details"'):]
    assert "Group 0 entity 0 with a long name" in details and "Sentence number 1 says so." in details
    only = chromium(page.as_uri() + "#types=Country", tmp_path, "--dump-dom")
    assert attribute(only.stdout, "data-shown") == sum(n["type"] == "Country" for n in graph.nodes.values())
    relation = chromium(page.as_uri() + "#predicates=talked_with", tmp_path, "--dump-dom")
    assert attribute(relation.stdout, "data-shown") == 12                 # the hubs the relation links
    shot = tmp_path / "big.png"
    chromium(page.as_uri(), tmp_path, f"--screenshot={shot}")
    _, _, pixels = png_pixels(shot)
    assert len({p for p in pixels if max(p) - min(p) > 60}) > 4           # coloured clusters drawn


def test_layout_keeps_clusters_apart():
    from kg.layout import layout

    graph = clustered_graph(clusters=6, size=30)
    positions = layout(list(graph.nodes), [(s, t) for s, _, t in graph.edges])
    groups: dict = {}
    for key, place in positions.items():
        groups.setdefault(place["group"], []).append((place["x"], place["y"]))
    assert len(groups) >= 6
    centres = {g: (sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)) for g, pts in groups.items()}
    spread = {g: max(((x - centres[g][0]) ** 2 + (y - centres[g][1]) ** 2) ** 0.5 for x, y in pts)
              for g, pts in groups.items()}
    big = [g for g in groups if len(groups[g]) >= 10]
    for a in big:                                        # no two large clusters' discs overlap
        for b in big:
            if a < b:
                gap = ((centres[a][0] - centres[b][0]) ** 2 + (centres[a][1] - centres[b][1]) ** 2) ** 0.5
                assert gap >= 0.9 * (spread[a] + spread[b])
    assert sorted(p["rank"] for p in positions.values()) == list(range(len(positions)))


def test_a_fact_with_many_sentences_carries_the_best_and_counts_the_rest():
    from kg.export import Edge, PropertyGraph
    from kg.view import EVIDENCE_SHOWN, view_data

    graph = PropertyGraph()
    for key in ("country/a", "country/b"):
        graph.nodes[key] = {"id": key, "label": key[8:].upper(), "type": "Country"}
    evidence = [{"article": f"a{i}", "date": "", "sentence": f"S{i}.", "rule": "r", "confidence": 0.5 + i / 1000}
                for i in range(EVIDENCE_SHOWN + 7)]
    graph.edges[("country/a", "supports", "country/b")] = Edge("country/a", "country/b", "supports",
                                                               sorted(evidence, key=lambda e: -e["confidence"]))
    edge = view_data(graph)["edges"][0]
    assert edge["articles"] == EVIDENCE_SHOWN + 7 and edge["more"] == 7
    assert [e["sentence"] for e in edge["evidence"]][0] == f"S{EVIDENCE_SHOWN + 6}."
