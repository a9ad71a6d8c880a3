"""Neo4j exports: a cypher-shell / Browser script, neo4j-admin import files, a Browser guide.

Both loaders build exactly the graph `kg push neo4j` writes (kg.stores.neo4j), so the
canned Cypher queries, the Browser guide and schema/style.grass work on either::

    (:Entity:Actor:Country {id, label, type, geonames_id, location: point})
        Agreements also carry signed_on (date, full dates only) and signed_on_text.
    (:Article {id, title, source, url, date, published: date})-[:MENTIONS]->(:Entity)
    (s:Entity)-[:SUPPORTS {predicate, articles, sources, confidence, evidence, evidence_ids}]->(o:Entity)
    (:Evidence {id, article_id, subject_id, predicate, relationship, object_id, object_value,
                sentence, start, end, rule, confidence, date})
    (:Evidence)-[:FROM_ARTICLE]->(:Article), -[:SUBJECT]->(:Entity), -[:OBJECT]->(:Entity)

``articles`` is the number of articles stating the fact, ``confidence`` and ``evidence``
the best evidence's confidence and sentence.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
import shlex
from collections import defaultdict

from kg.errors import KGError

CYPHER_HEADER = """// kg graph for Neo4j 5, the model `kg push neo4j` writes (see docs/neo4j-browser.md).
// Load into a database with cypher-shell:
//   cypher-shell -u neo4j -p PASSWORD -f graph.cypher
// or paste into Neo4j Browser with the multi-statement editor enabled.
// Each batch sets $rows with :param, then UNWIND $rows AS row MERGE ...; running the
// script again changes nothing.
"""


# Characters some readers take for line ends (NEL, LS, PS) or that are invisible (C1, DEL):
# escaped, so every :param stays on one line.
LINE_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029]")


# -- literals -----------------------------------------------------------------------------
def cypher_literal(value) -> str:
    """A Cypher literal. JSON strings are Cypher strings (\\", \\\\, \\n, \\uXXXX escapes)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{k}`: {cypher_literal(v)}" if not str(k).isidentifier()
                               else f"{k}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise KGError(f"cannot write a {type(value).__name__} as a Cypher literal")


def _chunks(rows: list, size: int):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _statement(text: str, rows: list, size: int) -> list[str]:
    """`:param rows => [...]` then the statement, once per chunk of rows."""
    out = []
    for chunk in _chunks(rows, size):
        out += [f":param rows => {cypher_literal(chunk)}", text.strip() + ";"]
    return out


# -- cypher script -----------------------------------------------------------------------------
def render_cypher(article_rows: list, articles_per_batch: int = 200, rows_per_param: int = 500) -> str:
    """The script: constraints, then per batch of articles articles/entities/mentions/evidence,
    then the fact relationships and date properties computed from all the evidence."""
    from kg.stores import neo4j as model

    lines = [CYPHER_HEADER] + [s + ";" for s in model.constraint_statements()]
    keys: set = set()
    for chunk in _chunks(article_rows, articles_per_batch):
        batch = model.Batch()
        for rows in chunk:
            batch.add(rows)
        lines += _statement(model.MERGE_ARTICLES, batch.articles, rows_per_param)
        for entity_type, entities in sorted(batch.entities.items()):
            lines += _statement(model.merge_entities_statement(entity_type), list(entities.values()),
                                rows_per_param)
        lines += _statement(model.MERGE_MENTIONS, batch.articles, rows_per_param)
        lines += _statement(model.MERGE_EVIDENCE, batch.evidence, rows_per_param)
        keys |= batch.fact_keys()
    for text, rows in model.recompute_rows(keys):
        if "DELETE" not in text:                 # an empty database has nothing stale to drop
            lines += _statement(text, rows, rows_per_param)
    return "\n".join(lines) + "\n"


# -- neo4j-admin ---------------------------------------------------------------------------------
def graph_rows(article_rows: list) -> dict:
    """Nodes and relationships of the Neo4j model, computed as `kg push neo4j` computes them."""
    from kg.stores.neo4j import date_predicates, relationship_types

    entities, evidence, mentions = {}, [], []
    for rows in article_rows:
        entities.update(rows.entities)
        evidence += [e["props"] for e in rows.evidence]
        mentions += [(rows.article["id"], entity_id) for entity_id in sorted(rows.entities)]
    facts, dates = defaultdict(list), defaultdict(list)
    for ev in evidence:
        if ev["object_id"] is not None and ev["predicate"] in relationship_types():
            facts[(ev["subject_id"], ev["predicate"], ev["object_id"])].append(ev)
        elif ev["predicate"] in date_predicates():
            dates[(ev["subject_id"], ev["predicate"])].append(ev)
    entities = {k: dict(v) for k, v in entities.items()}
    for (subject, name), found in dates.items():
        best = sorted(found, key=lambda e: (-e["confidence"], e["object_value"]))[0]["object_value"]
        entities[subject][f"{name}_text"] = best
        entities[subject][name] = best if len(best) == 10 else None
    return {"articles": [r.article for r in article_rows], "entities": entities, "evidence": evidence,
            "mentions": mentions, "facts": {k: _fact(k, v) for k, v in sorted(facts.items())}}


def _fact(key: tuple, evidence: list) -> dict:
    from kg.stores.neo4j import relationship_types

    ordered = sorted(evidence, key=lambda e: (-e["confidence"], e["article_id"], e["start"]))
    sources = list(dict.fromkeys(e["article_id"] for e in ordered))
    return {"type": relationship_types()[key[1]], "predicate": key[1], "articles": len(sources),
            "sources": sources, "confidence": ordered[0]["confidence"], "evidence": ordered[0]["sentence"],
            "evidence_ids": [e["id"] for e in ordered]}


ADMIN_FILES = {
    "entities.csv": ["id:ID(Entity)", ":LABEL", "label", "type", "geonames_id", "location:point{crs:WGS-84}",
                     "signed_on:date", "signed_on_text"],
    "articles.csv": ["id:ID(Article)", ":LABEL", "title", "source", "url", "date", "published:date"],
    "evidence.csv": ["id:ID(Evidence)", ":LABEL", "article_id", "subject_id", "predicate", "relationship",
                     "object_id", "object_value", "sentence", "start:long", "end:long", "rule",
                     "confidence:double", "date"],
    "facts.csv": [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "predicate", "articles:long",
                  "sources:string[]", "confidence:double", "evidence", "evidence_ids:string[]"],
    "mentions.csv": [":START_ID(Article)", ":END_ID(Entity)", ":TYPE"],
    "from_article.csv": [":START_ID(Evidence)", ":END_ID(Article)", ":TYPE"],
    "evidence_entities.csv": [":START_ID(Evidence)", ":END_ID(Entity)", ":TYPE"],
}

ADMIN_README = """Files for `neo4j-admin database import full` (Neo4j 5), the model `kg push neo4j` writes.
Stop Neo4j, then from this folder:

  neo4j-admin database import full neo4j --overwrite-destination --array-delimiter=';' \\
      --nodes=entities.csv --nodes=articles.csv --nodes=evidence.csv \\
      --relationships=facts.csv --relationships=mentions.csv \\
      --relationships=from_article.csv --relationships=evidence_entities.csv

Start Neo4j and create the constraints and indexes (the CREATE lines at the top of
`kg export --format cypher`, or schema/constraints.cypher) before writing to it.
Text cells have control characters replaced by spaces (one record per line).
"""


def _entity_labels(entity_type: str) -> str:
    from kg.stores.neo4j import label_expression

    return ";".join(["Entity"] + label_expression(entity_type).split(":"))


def _point(entity: dict) -> str:
    if entity.get("lat") is None or entity.get("lon") is None:
        return ""
    return f"{{latitude:{entity['lat']!r}, longitude:{entity['lon']!r}}}"


def render_neo4j_admin(article_rows: list) -> dict[str, str]:
    """Header-annotated CSV files (ID groups Entity, Article, Evidence; arrays split on ';')."""
    g = graph_rows(article_rows)
    rows = {
        "entities.csv": [[e["id"], _entity_labels(e["type"]), e["label"], e["type"], e.get("geonames_id"),
                          _point(e), e.get("signed_on"), e.get("signed_on_text")]
                         for _, e in sorted(g["entities"].items())],
        "articles.csv": [[a["id"], "Article", a.get("title"), a.get("source"), a.get("url"), a.get("date"),
                          a["date"] if a.get("date") and len(a["date"]) == 10 else None] for a in g["articles"]],
        "evidence.csv": [[e["id"], "Evidence"] + [e[k] for k in ("article_id", "subject_id", "predicate",
                          "relationship", "object_id", "object_value", "sentence", "start", "end", "rule",
                          "confidence", "date")] for e in g["evidence"]],
        "facts.csv": [[s, o, f["type"], f["predicate"], f["articles"], ";".join(f["sources"]), f["confidence"],
                       f["evidence"], ";".join(f["evidence_ids"])] for (s, _, o), f in g["facts"].items()],
        "mentions.csv": [[a, e, "MENTIONS"] for a, e in g["mentions"]],
        "from_article.csv": [[e["id"], e["article_id"], "FROM_ARTICLE"] for e in g["evidence"]],
        "evidence_entities.csv": [[e["id"], e["subject_id"], "SUBJECT"] for e in g["evidence"]]
        + [[e["id"], e["object_id"], "OBJECT"] for e in g["evidence"] if e["object_id"] in g["entities"]],
    }
    files = {name: _admin_csv(ADMIN_FILES[name], body) for name, body in rows.items()}
    files["README.txt"] = ADMIN_README
    return files


def _admin_csv(header: list, rows: list) -> str:
    from kg.export import clean_text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else clean_text(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


# -- Neo4j Browser guide ------------------------------------------------------------------------------
def render_browser_guide(store=None) -> str:
    """A Neo4j Browser guide (classic HTML slides: :play URL or :guide URL), one slide per query."""
    from kg.queries import catalogue

    slides = [_slide("kg: canned queries", "Click a block to copy it into the editor, then run it.",
                     "        <p>Each query slide starts with the <code>:param</code> lines its "
                     "parameters need: run them first, then the query. Entities are given by their "
                     "kg id (the <code>id</code> property, e.g. <code>country/turkey</code>). "
                     "Load the graph with <code>kg push neo4j</code>, <code>kg export --format cypher</code> "
                     "or <code>kg export --format neo4j-admin</code>.</p>\n")]
    for query in catalogue().values():
        try:
            text = query.text("cypher")
        except KGError:
            continue
        body = "".join(_runnable(line) for line in _guide_params(query, store)) + _runnable(text.strip())
        slides.append(_slide(query.name, query.description, body))
    deck = "\n".join(slides)
    return (f'<article class="guide">\n  <carousel class="deck container-fluid">\n{deck}\n'
            "  </carousel>\n</article>\n")


def _slide(title: str, lead: str, body: str) -> str:
    return (f'    <slide class="row-fluid">\n      <div class="col-sm-3">\n        <h3>{html.escape(title)}</h3>\n'
            f'        <p class="lead">{html.escape(lead)}</p>\n      </div>\n'
            f'      <div class="col-sm-9">\n{body}      </div>\n    </slide>')


def _runnable(code: str) -> str:
    return f'        <figure><pre class="pre-scrollable code runnable">{html.escape(code)}</pre></figure>\n'


GUIDE_DEFAULTS = {"entity": "country/turkey", "predicate": "SUPPORTS", "object": "country/turkey",
                  "date": "2020-01-01", "text": ""}


def _guide_params(query, store) -> list[str]:
    """:param lines from the manifest's example (entities resolved in the store when possible)."""
    try:
        example = shlex.split(query.example)[3:]
    except ValueError:
        example = []
    lines = []
    for n, param in enumerate(query.params):
        value = _guide_value(param, example[n] if n < len(example) else None, store)
        if value is None and param.optional:
            value = None
        elif value is None:
            value = GUIDE_DEFAULTS.get(param.kind, "")
        lines.append(f":param {param.name} => {cypher_literal(value)}")
    return lines


def _guide_value(param, given: str | None, store):
    if given is None or given.startswith("-"):
        return None
    if param.kind in ("entity", "object") and store is not None:
        from kg.lookup import resolve_name

        try:
            return resolve_name(given, store)[2]
        except KGError:
            return given if param.kind == "object" and given[:4].isdigit() else None
    if param.kind == "predicate":
        from kg.schema.vocab import predicates

        found = {p.name: p.neo4j for p in predicates().values()}
        key = given.replace(" ", "_").lower()
        return found.get(key, given.upper() if given.upper() in found.values() else None)
    return given if param.kind not in ("entity", "object") else None
