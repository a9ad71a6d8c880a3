"""No network from data: hostile inputs and queries make kg fetch nothing.

A loopback listener (127.0.0.1, random port) is what every hostile input points at:
HTML images, stylesheets, scripts, frames, DTDs and entities; a JSON-LD @context;
SPARQL SERVICE / FROM / LOAD; URLs in article text. While kg reads, extracts,
stores, exports, validates and queries them, the listener must receive nothing, and
a Python audit hook must see no outgoing connection at all (to any address).
"""
from __future__ import annotations

import json
import sys

import pytest
from robust_support import Listener

from kg.cli import cli

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*deprecated:DeprecationWarning")
_AUDIT = {"on": False, "events": []}


def _audit(event, args):
    if _AUDIT["on"] and event in ("socket.connect", "socket.getaddrinfo", "urllib.Request", "http.client.connect"):
        _AUDIT["events"].append((event, repr(args)[:200]))


sys.addaudithook(_audit)


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def hostile_inputs(folder, url):
    folder.mkdir()
    body = "Turkey supports the National Liberation Front. Russia backs the Syrian government. " * 3
    html = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "{url}/dtd">
<!DOCTYPE x [ <!ENTITY ext SYSTEM "{url}/entity"> ]>
<?xml-stylesheet href="{url}/xsl"?>
<html><head><title>Hostile &ext;</title>
<link rel="stylesheet" href="{url}/css"><link rel="preload" href="{url}/preload">
<script src="{url}/js"></script><style>@import url({url}/import); body {{ background: url({url}/bg) }}</style>
<meta http-equiv="refresh" content="0; url={url}/refresh"><base href="{url}/base/">
</head><body><article><p>{body}</p><img src="{url}/x" srcset="{url}/y 2x">
<iframe src="{url}/frame"></iframe><object data="{url}/object"></object><video poster="{url}/poster"></video>
<svg><image href="{url}/svg"/></svg><p>Read more at {url}/more and &ext;.</p></article></body></html>"""
    (folder / "hostile.html").write_text(html, encoding="utf-8")
    (folder / "xxe.html").write_text(f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{url}/xxe">]>'
                                     f"<html><body><p>{body} &x;</p></body></html>", encoding="utf-8")
    jsonld = {"@context": f"{url}/context.jsonld", "@id": f"{url}/id", "@type": "NewsArticle",
              "text": body + f" Source: {url}/source", "url": f"{url}/article", "title": f"{url}/title"}
    (folder / "article.json").write_text(json.dumps(jsonld), encoding="utf-8")
    (folder / "feed.jsonl").write_text(json.dumps({**jsonld, "text": "Iran backs Hezbollah. " + url}) + "\n",
                                       encoding="utf-8")
    (folder / "urls.txt").write_text(f"{body}\nSee {url}/a, <{url}/b>, [link]({url}/c) and ![img]({url}/d).\n",
                                     encoding="utf-8")
    (folder / "data.rdf").write_text(f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{url}/rdfxml">]>'
                                     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
                                     encoding="utf-8")
    return [folder / name for name in ("hostile.html", "xxe.html", "article.json", "feed.jsonl", "urls.txt",
                                       "data.rdf")]


def hostile_queries(url):
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/graph> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/graph> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{url}/data>",
        f"SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{url}/data>",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{\n# """\nSERVICE <{url}/sparql> {{ ?s ?p ?o }}\n# """\n}}',
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ex:a\\# SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o }} SERVICE <{url}/sparql> {{ }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"DESCRIBE <{url}/x> FROM <{url}/graph>",
        f"INSERT DATA {{ <{url}/a> <{url}/b> <{url}/c> }}",
    ]


def test_hostile_inputs_and_queries_reach_no_network(tmp_path, runner, listener, figures):
    inputs = hostile_inputs(tmp_path / "in", listener.url)
    store = tmp_path / "store"
    run = lambda *args: runner.invoke(cli, ["--store", str(store), *map(str, args)])
    _AUDIT["events"].clear()
    _AUDIT["on"] = True
    try:
        ingested = run("ingest", *inputs)
        extracted = run("extract", *inputs)
        exports = {fmt: run("export", "--format", fmt) for fmt in ("turtle", "nquads", "trig", "jsonld", "graphml")}
        validated = run("validate")
        refused = [run("sparql", q) for q in hostile_queries(listener.url)]
        remote = [run("sparql", "--endpoint", listener.url + "/query", q) for q in hostile_queries(listener.url)]
        params = run("sparql", "SELECT ?s WHERE { ?s rdfs:label ?name }", "-p", f"name=<{listener.url}/p>")
        canned = run("query", "supporters", f"{listener.url}/entity")
        view = run("view", "-o", tmp_path / "graph.html")
    finally:
        _AUDIT["on"] = False
    assert ingested.exit_code == 1 and "data.rdf: unsupported file type" in ingested.output   # RDF/XML: not read
    assert "articles: 4 new" in ingested.output and "xxe.html: no article text" in ingested.output
    assert extracted.exit_code == 1
    assert all(r.exit_code == 0 for r in exports.values()), {k: r.output[-300:] for k, r in exports.items()}
    context = json.loads(exports["jsonld"].output)["@context"]
    assert isinstance(context, dict), "the JSON-LD export's @context must be inline"
    assert validated.exit_code == 0, validated.output[-500:]
    for result in refused + remote:
        assert result.exit_code == 1 and ("not allowed" in result.output or "SPARQL syntax error" in result.output), \
            result.output
    assert params.exit_code == 0 and canned.exit_code == 1 and view.exit_code == 0
    assert listener.received == []
    assert _AUDIT["events"] == []
    for path in inputs:      # by name: their text holds the listener's port, which changes from run to run
        (figures.refused if path.name == "data.rdf" else figures.input)(("hostile input", path.name))
    for query in hostile_queries("URL"):
        figures.hostile(query)
    figures.add("network_connections", len(listener.received) + len(_AUDIT["events"]))


def test_the_listener_and_audit_hook_do_see_a_real_request(listener):
    """The detector works: a real request is received and audited."""
    import urllib.request

    _AUDIT["events"].clear()
    _AUDIT["on"] = True
    try:
        with pytest.raises(OSError):
            urllib.request.urlopen(listener.url + "/probe", timeout=1)
    finally:
        _AUDIT["on"] = False
    deadline = __import__("time").monotonic() + 2
    while not listener.received and __import__("time").monotonic() < deadline:
        __import__("time").sleep(0.01)
    assert listener.received and b"/probe" in listener.received[0]
    assert any(event == "socket.connect" for event, _ in _AUDIT["events"])


def test_rdflib_is_never_asked_to_fetch(tmp_path, listener, monkeypatch, examples_store):
    """kg's own rdflib uses (JSON-LD export, SHACL validation) with rdflib's URL opener disabled."""
    import rdflib.parser

    def refuse(*args, **kwargs):
        raise AssertionError(f"rdflib tried to open a URL: {args!r}")

    monkeypatch.setattr(rdflib.parser, "URLInputSource", refuse)
    from kg.export import render_rdf
    from kg.validate import validate_store

    data = json.loads(render_rdf(examples_store, "jsonld"))
    assert isinstance(data["@context"], dict)
    conforms, _ = validate_store(examples_store)
    assert conforms
    assert listener.received == []
