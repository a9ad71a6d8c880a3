"""Neo4j Browser, the real one served by the Neo4j server scripts/test starts, in headless
Chromium: connect, load kg's style (schema/style.grass) and guide (`kg export --format
browser-guide`), run a canned query from the guide, and see kg's colours and captions on the
nodes of a graph. Every request off this machine is refused; a screenshot is left in the
test's temporary folder (neo4j-browser.png).
"""
from __future__ import annotations

import contextlib
import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from servers import neo4j_connection, required, unavailable

CHROMIUM = Path("/usr/bin/chromium")
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


class CorsHandler(SimpleHTTPRequestHandler):
    """Files of one folder, readable cross-origin (Browser fetches guides and styles so)."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    """A loopback HTTP server for a folder; yields (folder, base URL)."""
    folder = tmp_path / "site"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CorsHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def grass_colours(text: str) -> dict[str, str]:
    """node.LABEL -> its fill colour, from a .grass stylesheet."""
    return {label: colour.upper() for label, colour in
            re.findall(r"node\.(\w+)\s*\{[^}]*?(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", text)}


def guide_slide(text: str, name: str) -> tuple[dict, str]:
    """The parameters and the query of one canned query's slide of the guide."""
    import html

    start = text.index(f"<h3>{name}</h3>")
    slide = text[start:text.index("</slide>", start)]
    blocks = [html.unescape(b) for b in re.findall(r'<pre class="[^"]*runnable[^"]*">(.*?)</pre>', slide, re.S)]
    params = dict(re.findall(r'^:param (\w+) => "(.*)"$', "\n".join(b for b in blocks if b.startswith(":param")),
                             re.M))
    query = next(b for b in blocks if not b.startswith(":param"))
    return params, query


def caption_fits(caption: str, label: str) -> bool:
    """Browser wraps a caption into lines and cuts it short with an ellipsis: each piece
    shown must come from the label, in order."""
    pieces, position = [p.rstrip("…") for p in caption.split()], 0
    for piece in filter(None, pieces):
        position = label.find(piece, position)
        if position < 0:
            return False
        position += len(piece)
    return bool(pieces) and label.startswith(pieces[0])


def run_in_editor(page, text: str) -> None:
    page.get_by_test_id("activeEditor").click()
    page.keyboard.insert_text(text)
    page.get_by_test_id("editor-Run").first.click()


def run_until_allowed(page, command: str, shown: str, refused: str, attempts: int = 6):
    """Run a command that fetches from our loopback site, again while Browser refuses it: Browser
    reads the server's host allow-list only after connecting. The frame that showed ``shown``."""
    from playwright.sync_api import expect

    for _ in range(attempts):
        run_in_editor(page, command)
        frame = page.get_by_test_id("frame").first
        expect(frame.get_by_text(re.compile(f"{re.escape(shown)}|{re.escape(refused)}")).first).to_be_visible()
        if frame.get_by_text(refused).count() == 0:
            return frame
        page.wait_for_timeout(2000)
    raise AssertionError(f"Neo4j Browser kept refusing {command!r}")


def drawn_nodes(page) -> list[dict]:
    """Every node Browser drew in the newest frame: its id, fill colour and caption."""
    return page.get_by_test_id("frame").first.locator("g.node").evaluate_all("""nodes => nodes.map(n => ({
        id: Number(n.getAttribute('aria-label').replace('graph-node', '')),
        fill: n.querySelector('circle.b-outline').getAttribute('fill').toUpperCase(),
        caption: Array.from(n.querySelectorAll('text.caption')).map(t => t.textContent).join(' ')}))""")


def test_neo4j_browser_shows_kg_style_guide_and_canned_query(neo4j_store, examples_store, runner, site, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from kg.cli import cli
    from kg.schema import read_text

    browser_url = required("NEO4J_HTTP_URL", "Neo4j server") + "/browser/"
    if not CHROMIUM.exists():
        unavailable("headless Chromium not installed (apt-get install chromium; scripts/test does)")
    connection = neo4j_connection()
    neo4j_store.push_from(examples_store)
    folder, base = site
    path = examples_store.path
    examples_store.close()
    guide = runner.invoke(cli, ["--store", str(path), "export", "--format", "browser-guide",
                                "-o", str(folder / "kg-guide.html")])
    examples_store.__init__(path)
    assert guide.exit_code == 0, guide.output
    style = read_text("style.grass")
    (folder / "style.grass").write_text(style, encoding="utf-8")
    params, query = guide_slide((folder / "kg-guide.html").read_text(encoding="utf-8"), "supported-by")
    expected = neo4j_store.query(query, params)
    assert expected, "the guide's supported-by example answers nothing: the test would prove nothing"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(60_000)            # generous: CI machines are shared
        expect.set_options(timeout=60_000)
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort())
        try:
            page.goto(browser_url)
            page.get_by_test_id("boltaddress").fill(connection["uri"])
            page.get_by_test_id("username").fill(connection["user"])
            page.get_by_test_id("password").fill(connection["password"])
            page.get_by_test_id("connect").click()
            expect(page.get_by_text("You are connected as user")).to_be_visible()

            run_until_allowed(page, f":play {base}/kg-guide.html", "kg: canned queries", "No guide by that name")
            run_until_allowed(page, f":style {base}/style.grass", "node.Country", "InvalidGrassError")
            slides = run_until_allowed(page, f":play {base}/kg-guide.html", "kg: canned queries", "No guide")
            guide_text = (folder / "kg-guide.html").read_text(encoding="utf-8")
            count, wanted = guide_text.count("<slide"), guide_text[:guide_text.index("<h3>supported-by")].count("<slide")
            for number in range(2, wanted + 1):     # one slide at a time, each shown before the next click
                slides.get_by_test_id("nextSlide").click()
                expect(slides.get_by_text(f"{number} / {count}", exact=True)).to_be_visible()
            expect(slides.get_by_text("supported-by", exact=True)).to_be_visible()
            blocks = slides.locator("pre.runnable")
            for index in range(blocks.count()):     # each block, clicked, goes into the editor
                blocks.nth(index).click()
                page.get_by_test_id("editor-Run").first.click()
                page.wait_for_timeout(500)
                blocks = page.get_by_test_id("frame").nth(index + 1).locator("pre.runnable")
            table = page.get_by_test_id("frame").first
            expect(table.get_by_text(expected[0]["supported"]).first).to_be_visible()
            shown = table.inner_text()
            assert all(row["supported"] in shown and row["article"] in shown for row in expected)

            run_in_editor(page, "MATCH (s:Entity)-[r:SUPPORTS]->(o:Entity) RETURN s, r, o")
            expect(page.get_by_test_id("frame").first.locator("g.node").first).to_be_visible()
            page.wait_for_timeout(1500)             # let the layout settle for the screenshot
            nodes = drawn_nodes(page)
            page.screenshot(path=str(tmp_path / "neo4j-browser.png"), timeout=120_000)
        except Exception:
            with contextlib.suppress(Exception):    # what the page showed when it went wrong
                page.screenshot(path=str(tmp_path / "neo4j-browser.png"), timeout=30_000)
            raise
        finally:
            browser.close()

    entities = {row["id"]: row for row in neo4j_store.query(
        "MATCH (e:Entity) WHERE (e)-[:SUPPORTS]-() RETURN id(e) AS id, e.label AS label, e.type AS type")}
    colours = grass_colours(style)
    assert nodes and {n["id"] for n in nodes} == set(entities)
    assert len({n["fill"] for n in nodes}) >= 3               # countries, armed groups, organisations ...
    for node in nodes:
        entity = entities[node["id"]]
        assert node["fill"] == colours[entity["type"]], (entity, node)
        assert caption_fits(node["caption"], entity["label"]), (entity, node)
