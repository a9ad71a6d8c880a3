"""The `kg` command line: a thin click layer over the library.

Library errors (kg.errors.KGError) become one-line messages and exit status 1.
Heavy libraries are imported inside the commands that need them.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KGError, LoadError

DEFAULT_STORE = ".kg/store"


class Context:
    def __init__(self, store_path: str, gazetteer_files: tuple):
        self.store_path = store_path
        self.gazetteer_files = tuple(str(Path(p).resolve()) for p in gazetteer_files)
        self._store = None

    def store(self):
        if self._store is None:
            from kg.stores import get_store

            self._store = get_store("embedded", path=self.store_path)
        return self._store

    def gazetteer(self):
        from kg.loaders.gazetteer import load

        return load(self.gazetteer_files)

    def close(self):
        if self._store is not None:
            self._store.close()


def fail(message: str) -> None:
    raise click.ClickException(message)


class KGGroup(click.Group):
    """Turns kg's own errors into 'Error: ...' lines instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--store", "store_path", envvar="KG_STORE", default=DEFAULT_STORE, show_default=True,
              type=click.Path(file_okay=False), help="Folder of the embedded store (or set KG_STORE).")
@click.option("--gazetteer", "gazetteer_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra gazetteer YAML file(s) with your own entities (repeatable).")
@click.pass_context
def cli(ctx, store_path, gazetteer_files):
    """Build a knowledge graph of actors, agreements and locations from news.

    \b
    Examples:
      kg ingest examples/articles
      kg query supporters "National Liberation Front"
      kg stats
    """
    ctx.obj = Context(store_path, gazetteer_files)
    ctx.call_on_close(ctx.obj.close)


def _read(paths, max_bytes):
    """Articles from paths; bad files reported on stderr, one line each."""
    from kg.loaders.articles import read_articles

    failed = 0
    articles = []
    for item in read_articles(paths, max_bytes):
        if isinstance(item, LoadError):
            failed += 1
            click.echo(f"kg: {item}", err=True)
        else:
            articles.append(item)
    return articles, failed


MAX_BYTES = click.option("--max-bytes", default=20 * 1024 * 1024, show_default=True,
                         help="Refuse input files larger than this.")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@MAX_BYTES
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def ingest(obj: Context, paths, max_bytes, as_json):
    """Extract facts from articles and add them to the store.

    PATHS are files or folders of .txt, .html/.htm, .json/.jsonl articles.
    An article already stored (same normalised content) is skipped, so
    re-running changes nothing. Bad files are reported and skipped; the exit
    status is 1 if any file failed.

    \b
    Examples:
      kg ingest examples/articles
      kg --store /data/kg ingest news/*.jsonl
    """
    from kg.ingest import ingest_articles

    articles, failed = _read(paths, max_bytes)
    summary = ingest_articles(obj.store(), articles, obj.gazetteer_files,
                              progress=sys.stderr.isatty() and not as_json)
    summary["failed_files"] = failed
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(f"articles: {summary['articles_new']} new, {summary['articles_known']} already stored, "
                   f"{failed} failed")
        click.echo(f"entities: {summary['entities']} ({summary['entities_new']:+d})   "
                   f"facts: {summary['facts']} ({summary['facts_new']:+d})   store: {obj.store_path}")
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--min-confidence", default=0.0, show_default=True, help="Drop facts below this confidence.")
@MAX_BYTES
@click.pass_obj
def extract(obj: Context, paths, fmt, min_confidence, max_bytes):
    """Print the facts found in articles, without touching the store.

    The JSON lines follow the extraction contract: subject, subject_type,
    predicate, object, object_type, source, evidence, confidence, plus ids,
    offsets in the original text, the rule and the article date.

    \b
    Examples:
      kg extract examples/articles --format table
      kg extract news.jsonl > facts.jsonl
    """
    from kg.loaders.pipeline import extract as extract_article
    from kg.output import table
    from kg.records import fact_record

    articles, failed = _read(paths, max_bytes)
    rows = []
    for article in articles:
        extraction = extract_article(article, obj.gazetteer_files)
        for fact in extraction.facts:
            if fact.evidence.confidence >= min_confidence:
                record = fact_record(fact, extraction)
                if fmt == "jsonl":
                    click.echo(json.dumps(record, ensure_ascii=False))
                else:
                    rows.append({k: record[k] for k in ("subject", "predicate", "object", "confidence", "source")})
    if fmt == "table":
        click.echo(table(rows), nl=False)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("name", required=False)
@click.argument("args", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_obj
def query(obj: Context, name, args, fmt):
    """Run a canned relationship query (no NAME: list them).

    \b
    Examples:
      kg query
      kg query supporters NLF
      kg query supporters "Syrian government" --format json
    """
    from kg.output import render
    from kg.queries import catalogue, load
    from kg.queries.run import run

    if name is None:
        rows = [{"query": q.name, "parameters": " ".join(p.name.upper() for p in q.params),
                 "description": q.description} for q in catalogue().values()]
        click.echo(render(rows, fmt), nl=False)
        return
    rows = run(load(name), obj.store(), list(args), obj.gazetteer())
    click.echo(render(rows, fmt), nl=False)


@cli.command()
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_obj
def sparql(obj: Context, text, fmt):
    """Run a read-only SPARQL query on the store (QUERY or @file.rq).

    Prefixes kg:, kgr:, rdf:, rdfs:, xsd:, prov:, dcterms:, geo: are predefined;
    the default graph is the union of all article graphs. Updates, SERVICE,
    LOAD and FROM are refused.

    \b
    Example:
      kg sparql 'SELECT ?s ?o WHERE { ?s kg:supports ?o } LIMIT 5'
    """
    from kg.output import render

    if text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    click.echo(render(obj.store().query(text), fmt), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig", "graphml"]),
              default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.pass_obj
def export(obj: Context, fmt, output):
    """Export the graph (RDF formats keep the evidence; GraphML for Gephi/Cytoscape).

    \b
    Examples:
      kg export --format turtle -o graph.ttl
      kg export --format graphml -o graph.graphml
    """
    from kg.export import export_graph

    data = export_graph(obj.store(), fmt, output)
    if output is None:
        click.echo(data, nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


@cli.command()
@click.option("--top", default=0, help="Also list the N most central actors.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def stats(obj: Context, top, as_json):
    """Counts of articles, entities by type and facts by predicate.

    \b
    Examples:
      kg stats
      kg stats --top 10 --json
    """
    from kg.stats import store_stats

    result = store_stats(obj.store(), top)
    result["store"] = os.path.abspath(obj.store_path)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"store: {result['store']}")
    click.echo(f"articles: {result['articles']}   entities: {result['entities']}   facts: {result['facts']}")
    for title, key in (("entities by type", "entity_types"), ("facts by predicate", "predicates")):
        click.echo(f"{title}:")
        for k, v in result[key].items():
            click.echo(f"  {k:<14} {v}")
    if top:
        click.echo("most central actors:")
        for row in result["top"]:
            click.echo(f"  {row['label']:<32} degree {row['degree']:<4} betweenness {row['betweenness']}")


@cli.command()
@click.argument("article_id")
@click.pass_obj
def retract(obj: Context, article_id):
    """Remove an article and every fact only it supported.

    ARTICLE_ID is the id shown by `kg sparql` / exports (content hash).

    \b
    Example:
      kg retract 3f2a9c0d1e4b5a67
    """
    if not obj.store().retract_article(article_id):
        fail(f"no article {article_id!r} in the store")
    click.echo(f"retracted {article_id}")


@cli.command(name="eval")
@click.argument("predictions", type=click.Path(exists=True, dir_okay=False))
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
def eval_command(predictions, gold, as_json):
    """Precision, recall and F1 per predicate of extracted facts against a gold file.

    \b
    Example:
      kg extract examples/articles > pred.jsonl && kg eval pred.jsonl examples/gold.jsonl
    """
    from kg.evaluate import evaluate, format_report

    report = evaluate(predictions, gold)
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


# Commands defined in their own modules (one job per module).
