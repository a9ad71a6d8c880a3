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

    def store(self, write: bool = False):
        """The embedded store: read-only unless the command writes (only then is one created)."""
        if self._store is None:
            from kg.stores import get_store

            self._store = get_store("embedded", path=self.store_path, write=write)
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
    """Turns every error into one 'Error: ...' line instead of a traceback (exit codes: README).

    kg's own errors and operating-system errors (disk full, permission denied) exit 1; an
    unexpected error exits 3 with one line (KG_DEBUG=1 shows the traceback).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KGError as error:
            message = str(error) if getattr(error, "multiline", False) else one_line(str(error))
            raise click.ClickException(message) from error
        except BrokenPipeError:                  # `kg ... | head`: the reader has gone
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except OSError as error:
            from kg.errors import os_error_line

            where = getattr(error, "filename", None) or "kg"
            raise click.ClickException(one_line(os_error_line(error, str(where)))) from error
        except ImportError as error:
            missing = getattr(error, "name", None) or str(error)
            raise click.ClickException(f"this needs the Python package {missing!r}, which is not installed: "
                                       f"pip install {missing} (or kg's extra that names it)") from error
        except Exception as error:
            if os.environ.get("KG_DEBUG"):
                raise
            click.echo(f"Error: unexpected {type(error).__name__}: {one_line(str(error))[:300]}; "
                       "run again with KG_DEBUG=1 for the details and please report them", err=True)
            ctx.exit(3)


def one_line(text: str) -> str:
    """A message as one line: line breaks and other control characters shown escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


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
      kg query supporters "Syrian National Army"
      kg stats
    """
    ctx.obj = Context(store_path, gazetteer_files)
    if gazetteer_files and ctx.invoked_subcommand is not None:
        ctx.obj.gazetteer()          # checked whole before any article is read: one line per problem
    ctx.call_on_close(ctx.obj.close)


class ArticleStream:
    """Articles from paths, read lazily; bad files reported on stderr, one line each
    (warnings, such as a feed date refused or a symbolic link not followed, too)."""

    def __init__(self, paths, options):
        self.paths, self.options, self.failed = paths, options, 0

    def __iter__(self):
        from kg.loaders.articles import read_articles

        for item in read_articles(self.paths, options=self.options):
            if isinstance(item, LoadError):
                if getattr(item, "warning", False):
                    click.echo(f"kg: warning: {item}", err=True)
                    continue
                self.failed += 1
                click.echo(f"kg: {item}", err=True)
            else:
                for note in item.notes:
                    click.echo(f"kg: warning: {note}", err=True)
                yield item


def _read(paths, options):
    stream = ArticleStream(paths, options)
    articles = list(stream)
    return articles, stream.failed


def read_options(function):
    """--max-bytes, --page-bytes, --page-seconds and --month-first, passed as ``options``."""
    from kg.loaders.html import DEFAULT_PAGE_BYTES, DEFAULT_PAGE_SECONDS

    options = [
        click.option("--max-bytes", default=20 * 1024 * 1024, show_default=True,
                     help="Refuse input files larger than this."),
        click.option("--page-bytes", default=DEFAULT_PAGE_BYTES, show_default=True,
                     help="Refuse an HTML page (a file or a feed's text) larger than this."),
        click.option("--page-seconds", default=DEFAULT_PAGE_SECONDS, show_default=True,
                     help="Stop reading an HTML page after this many seconds."),
        click.option("--month-first", is_flag=True,
                     help="Read ambiguous numeric feed dates (05/03/2024) month first; default: day first."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _options(max_bytes, page_bytes, page_seconds, month_first):
    from kg.loaders.articles import ReadOptions

    return ReadOptions(max_bytes=max_bytes, page_bytes=page_bytes, page_seconds=page_seconds,
                       month_first=month_first)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@read_options
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Extract in this many processes (the store is the same whatever the number).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def ingest(obj: Context, paths, max_bytes, page_bytes, page_seconds, month_first, jobs, as_json):
    """Extract facts from articles and add them to the store.

    PATHS are files or folders of .txt, .html/.htm, .json/.jsonl articles.
    An article already stored (same normalised content) is skipped, so
    re-running changes nothing. Bad files are reported and skipped; the exit
    status is 1 if any file failed.

    \b
    Examples:
      kg ingest examples/articles
      kg --store wire-store ingest --jobs 2 examples/articles/*.jsonl
    """
    from kg.ingest import ingest_articles

    stream = ArticleStream(paths, _options(max_bytes, page_bytes, page_seconds, month_first))
    summary = ingest_articles(obj.store(write=True), stream, obj.gazetteer_files,
                              progress=sys.stderr.isatty() and not as_json, jobs=jobs)
    summary["failed_files"] = stream.failed
    failed = stream.failed + summary["articles_failed"]
    _print_summary(summary, obj.store_path, f"{failed} failed", as_json)
    if failed:
        sys.exit(1)


def _print_summary(summary: dict, store_path: str, problems: str, as_json: bool) -> None:
    """What an ingest or load did: as JSON, or two lines for a terminal."""
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(f"articles: {summary['articles_new']} new, {summary['articles_known']} already stored, {problems}")
    click.echo(f"entities: {summary['entities']} ({summary['entities_new']:+d})   "
               f"facts: {summary['facts']} ({summary['facts_new']:+d})   store: {store_path}")
    for row in summary.get("cut", ()):
        click.echo(f"cut: {row['source']}: {row['share']:.0%} of its text left out as "
                   f"{' and '.join(row['as'])} (see `kg text` for what kg read)")
    for row in summary.get("flagged", ()):
        if row["flag"] == "language":
            click.echo(f"flagged: {row['source']}: {row['word']}; no facts read (kg's rules read English)")
            continue
        reading = f"read as {row['read_as']!r}" if row["read_as"] else "not read as a name"
        click.echo(f"flagged: {row['source']}: {row['word']!r} mixes scripts; {reading}")


TABLE_COLUMNS = ("subject", "predicate", "object", "confidence", "evidence", "source")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table", "parquet"]), default="jsonl", show_default=True,
              help="jsonl: the extraction contract, one fact per line; table: for reading (a fact "
                   "stated twice in the same words is one row with a count); parquet: the same records as columns.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout; "
              "required for parquet).")
@click.option("--min-confidence", default=0.0, show_default=True, help="Drop facts below this confidence.")
@read_options
@click.pass_obj
def extract(obj: Context, paths, fmt, output, min_confidence, max_bytes, page_bytes, page_seconds, month_first):
    """Print the facts found in articles, without touching the store.

    The JSON lines follow the extraction contract: subject, subject_type,
    predicate, object, object_type, source, evidence, confidence, plus ids,
    offsets in the original text, the rule and the article date
    (schema/records.schema.json). Parquet has the same fields as columns
    (kg.records.arrow_schema); `kg load` reads both.

    \b
    Examples:
      kg extract examples/articles --format table
      kg extract examples/articles/07_wire.jsonl > facts.jsonl
      kg extract examples/articles --format parquet -o facts.parquet
    """
    from kg.ingest import extract_or_error
    from kg.output import table
    from kg.records import RecordSink, fact_record

    if fmt == "parquet" and not output:
        fail("--format parquet needs -o FILE")
    articles, failed = _read(paths, _options(max_bytes, page_bytes, page_seconds, month_first))
    rows = []
    with RecordSink(fmt if fmt != "table" else "none", output) as sink:
        for article in articles:
            extraction = extract_or_error(article, obj.gazetteer_files)
            if isinstance(extraction, LoadError):
                failed += 1
                click.echo(f"kg: {extraction}", err=True)
                continue
            for fact in extraction.facts:
                if fact.evidence.confidence >= min_confidence:
                    record = fact_record(fact, extraction)
                    if fmt == "table":
                        rows.append({k: record[k] for k in TABLE_COLUMNS})
                    else:
                        sink.write(record)
    if fmt == "table":
        click.echo(table(rows), nl=False)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["plain", "jsonl"]), default="plain", show_default=True)
@read_options
def text(paths, fmt, max_bytes, page_bytes, page_seconds, month_first):
    """Print the text kg reads for each article, to check what it read.

    Each article's clean text (reader comments, ads and page furniture left out,
    normalised) with its source, id, title, date and where the date came from,
    and what was cut. JSONL keys: source, id, title, date, date_source, text, cut
    (reason -> characters left out), cut_share, flags.

    \b
    Examples:
      kg text examples/articles/06_sudan.html
      kg text --format jsonl examples/articles > texts.jsonl
    """
    from kg.loaders.clean import clean

    articles, failed = _read(paths, _options(max_bytes, page_bytes, page_seconds, month_first))
    for article in articles:
        cleaned = clean(article)
        record = {"source": article.source, "id": article.id, "title": article.title, "date": cleaned.date,
                  "date_source": cleaned.date_source or None, "text": cleaned.text, "cut": dict(cleaned.cut),
                  "cut_share": round(cleaned.cut_share, 3), "flags": [f"{kind}: {word} -> {reading}" if reading else f"{kind}: {word}"
                            for kind, word, reading in cleaned.flags]}
        if fmt == "jsonl":
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        cut = ", ".join(f"{reason} {n:,} characters" for reason, n in cleaned.cut) or "nothing"
        click.echo(f"== {article.source}  id {article.id}  date {cleaned.date or '-'}"
                   f"{f' (from the {cleaned.date_source})' if cleaned.date else ''}  cut: {cut}")
        if article.title:
            click.echo(f"title: {article.title}")
        click.echo(cleaned.text + "\n")
    if failed:
        sys.exit(1)


BACKEND = click.option("--backend", default="embedded", show_default=True, metavar="embedded|sparql|neo4j|URL",
                       help="Where to run: the embedded store, a SPARQL endpoint (--endpoint URL, or the URL "
                            "itself) or Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE).")
ENDPOINT = click.option("--endpoint", envvar="KG_SPARQL_ENDPOINT", metavar="URL",
                        help="SPARQL query endpoint, e.g. http://127.0.0.1:7878/query (or set KG_SPARQL_ENDPOINT).")
FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                      show_default=True)
LIMIT = click.option("--limit", default=1000, show_default=True, type=click.IntRange(1),
                     help="Show at most this many rows (the query is cut off there).")
PARAM = click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                     help="Bind $NAME (Cypher) or ?NAME (SPARQL) to VALUE, as a value, never as query text.")


def _query_text(text: str) -> str:
    """QUERY as given, or the contents of @FILE."""
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    if not path.is_file():
        fail(f"no query file {path}")
    return path.read_text(encoding="utf-8")


def _user_params(pairs) -> dict:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.isidentifier():
            fail(f"--param {pair!r}: write NAME=VALUE")
        out[name] = value
    return out


CANNED_MAX_ROWS = 200_000   # evidence rows a canned query may fetch from Neo4j
QUERY_LIMIT = 20            # rows a canned query shows unless --limit says otherwise


def _capped(rows: list, limit: int) -> list:
    if len(rows) > limit:
        click.echo(f"kg: showing the first {limit} rows; raise --limit to see more", err=True)
    return rows[:limit]


@cli.command()
@click.argument("name", required=False)
@click.argument("args", nargs=-1)
@BACKEND
@ENDPOINT
@FORMAT
@click.option("--evidence", is_flag=True, help="One row per piece of evidence (article, sentence) instead of per answer.")
@click.option("--limit", default=QUERY_LIMIT, show_default=True, type=click.IntRange(1),
              help="Show at most this many rows (answers, or evidence rows with --evidence).")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0), help="Skip this many rows first.")
@click.pass_obj
def query(obj: Context, name, args, backend, endpoint, fmt, evidence, limit, offset):
    """Run a canned relationship query (no NAME: list them).

    Names resolve like the extractor resolves them (aliases, case, accents).
    Each answer row says how many articles support it and gives the best
    evidence sentence; --evidence lists every article and sentence.

    \b
    Examples:
      kg query
      kg query supporters SNA
      kg query profile Ankara
      kg query path Iran "United Kingdom" --evidence
      kg query timeline Russia --format csv
      kg query supporters Mali --backend sparql --endpoint http://127.0.0.1:7878/query
    """
    from kg.output import render
    from kg.queries import catalogue, load
    from kg.queries.backend import open_store
    from kg.queries.run import run_page

    if name is None:
        rows = [{"query": q.usage(), "description": q.description} for q in catalogue().values()]
        click.echo(render(rows, fmt), nl=False)
        return
    canned = load(name)
    store = open_store(backend, endpoint, obj.store, max_rows=CANNED_MAX_ROWS)
    try:
        page = run_page(canned, store, list(args), obj.gazetteer, evidence=evidence, limit=limit, offset=offset)
        if canned.name == "timeline":
            _say_undated_timeline(store, args, obj)
    finally:
        if store is not obj._store:
            store.close()
    click.echo(render(page.rows, fmt), nl=False)
    if fmt == "table":
        click.echo(_totals(page, limit))
    elif page.offset or len(page.rows) < page.total:      # JSON and CSV stay parseable on stdout
        click.echo(_totals(page, limit), err=True)


def _totals(page, limit: int) -> str:
    """'kg: rows 21-40 of 143; --offset 40 for more'."""
    if not page.rows:
        return f"kg: no rows at offset {page.offset} of {page.total}" if page.total else "kg: 0 rows"
    shown = f"rows {page.offset + 1}-{page.offset + len(page.rows)} of {page.total}"
    more = page.offset + len(page.rows) < page.total
    return f"kg: {shown}" + (f"; --offset {page.offset + limit} for more" if more else "")


def _say_undated_timeline(store, args, obj: Context) -> None:
    """How many facts (about the entity) the timeline leaves out for want of a date."""
    from kg.lookup import resolve_name
    from kg.undated import note, timeline_undated

    entity = resolve_name(args[0], store, obj.gazetteer)[0] if args else None
    message = note(timeline_undated(store, entity), "no date in the sentence and an undated article")
    if message:
        click.echo(message, err=True)


@cli.command(short_help="Run a read-only SPARQL query (store or endpoint).")
@click.argument("text", metavar="QUERY|@FILE")
@ENDPOINT
@FORMAT
@LIMIT
@PARAM
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds the query may run (on the embedded store or an endpoint).")
@click.option("--max-memory", default=2048, show_default=True, type=click.IntRange(64), metavar="MB",
              help="Memory the query may use on the embedded store.")
@click.pass_obj
def sparql(obj: Context, text, endpoint, fmt, limit, params, timeout, max_memory):
    """Run a read-only SPARQL query on the store or an endpoint (QUERY or @file.rq).

    Prefixes kg:, kgr:, rdf:, rdfs:, xsd:, prov:, dcterms:, geo:, skos: are
    predefined. On the embedded store the default graph is the summary graph:
    every fact and entity once. Articles, facts' evidence and sentences live in
    one named graph per article: reach them with GRAPH ?article { ... }. On an
    endpoint the default graph is the server's (kg pushes the same graphs).
    Tables write IRIs with those prefixes (kgr:country/turkey); --format json
    and csv give them whole. Updates, SERVICE, LOAD and FROM are refused (the
    query is read by a SPARQL parser first). Every query has a time limit
    (--timeout), a row cap (--limit: the outer LIMIT is lowered to it) and, on
    the embedded store, a memory cap (--max-memory); a query past one of them
    is stopped with one line.

    \b
    Examples:
      kg sparql 'SELECT ?s ?o WHERE { ?s kg:supports ?o } LIMIT 5'
      kg sparql 'SELECT ?s WHERE { ?s rdfs:label ?name }' -p name=Turkey
      kg sparql 'SELECT ?who ?said WHERE { GRAPH ?article { ?f rdf:predicate kg:supports ; rdf:subject/rdfs:label ?who ; kg:evidence/kg:sentence ?said } }'
      kg sparql @examples/supporters.rq --endpoint http://127.0.0.1:7878/query
    """
    from kg.output import render
    from kg.queries.backend import open_store
    from kg.query_limits import run_limited
    from kg.sparql_safety import cap_rows, check_read_only, syntax_error

    text = check_read_only(_query_text(text))          # refuses SERVICE, FROM, LOAD, updates
    if syntax_error(text):                             # in the user's lines, before kg adds any
        fail(syntax_error(text))
    text = check_read_only(cap_rows(text, limit + 1))
    user_params = _user_params(params) or None
    if endpoint:
        store = open_store("sparql", endpoint, obj.store, timeout)
        try:
            rows = store.query(text, user_params)
        finally:
            store.close()
    else:
        rows = run_limited(obj.store_path, text, user_params, limit, timeout, max_memory)
    rows = _capped(rows, limit)
    click.echo(render(_short_iris(rows) if fmt == "table" else rows, fmt), nl=False)


def _short_iris(rows: list[dict]) -> list[dict]:
    """IRIs under a predefined prefix written kgr:country/turkey, for reading (JSON and CSV keep them whole)."""
    from kg.schema.namespaces import PREFIXES

    spaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    def short(value):
        if isinstance(value, str) and value.startswith("http"):
            for prefix, iri in spaces:
                if value.startswith(iri) and len(value) > len(iri):
                    return f"{prefix}:{value[len(iri):]}"
        return value

    return [{k: short(v) for k, v in row.items()} for row in rows]


def _date_option(ctx, param, value):
    import re

    if value is not None and not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _selection(obj: Context, entity, depth, predicate, since, until, min_sources):
    """Export filters -> kg.export.Selection (NAME resolved like `kg query` resolves it)."""
    from kg.export import Selection
    from kg.lookup import resolve_name

    iri = resolve_name(entity, obj.store(), obj.gazetteer())[0] if entity else None
    return Selection(entity=iri, depth=depth, predicate=predicate, since=since, until=until,
                     min_sources=min_sources)


def selection_options(function):
    """--entity/--depth/--predicate/--since/--until/--min-sources, shared by export and view."""
    from kg.schema.vocab import predicates

    options = [
        click.option("--entity", metavar="NAME", help="Only the neighbourhood of this entity."),
        click.option("--depth", default=1, show_default=True, type=click.IntRange(0),
                     help="Hops around --entity."),
        click.option("--predicate", type=click.Choice(list(predicates())), help="Only facts of this relation."),
        click.option("--since", metavar="DATE", callback=_date_option,
                     help="Only articles dated on/after DATE (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="DATE", callback=_date_option,
                     help="Only articles dated on/before DATE."),
        click.option("--min-sources", default=1, show_default=True, type=click.IntRange(1),
                     help="Only facts stated by at least N articles."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


EXPORT_FORMATS = ["turtle", "ntriples", "nquads", "trig", "jsonld", "graphml", "gexf", "csv", "cypher",
                  "neo4j-admin", "browser-guide"]


@cli.command(short_help="Export the graph: RDF, GraphML, GEXF, CSV, Cypher.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout); "
              "csv and neo4j-admin write a FOLDER (or files named PREFIX-nodes.csv ... for -o PREFIX-).")
@selection_options
@click.pass_obj
def export(obj: Context, fmt, output, entity, depth, predicate, since, until, min_sources):
    """Export the graph (RDF keeps the evidence; graph formats for Gephi, Cytoscape, Neo4j).

    \b
    RDF: turtle, ntriples (union of the article graphs), nquads, trig, jsonld
         (one named graph per article); all include the ontology.
    graphml, gexf: Gephi / Cytoscape;  csv: nodes.csv + edges.csv;
    cypher: a :param/UNWIND script for cypher-shell or Neo4j Browser;
    neo4j-admin: CSV files for `neo4j-admin database import full`;
    browser-guide: a Neo4j Browser guide with the canned queries.
    Files are written atomically: a failed export leaves the old file.

    \b
    Examples:
      kg export --format turtle -o graph.ttl
      kg export --format graphml --entity "Turkey" --depth 2 -o turkey.graphml
      kg export --format csv --since 2018-01 --min-sources 2 -o csv/
      kg export --format cypher -o graph.cypher    # then: cypher-shell -f graph.cypher
    """
    from kg.export import export_graph
    from kg.progress import Progress

    selection = _selection(obj, entity, depth, predicate, since, until, min_sources)
    with Progress(f"export {fmt}", unit=None):
        data = export_graph(obj.store(), fmt, output, selection)
    _say_undated_articles(obj, since, until)
    if output is None:
        click.echo(data, nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


def _say_undated_articles(obj: Context, since, until) -> None:
    """How many facts a --since/--until filter left out because only undated articles state them."""
    from kg.undated import articles_undated, note

    if since or until:
        message = note(articles_undated(obj.store()), "only undated articles state them")
        if message:
            click.echo(message, err=True)


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
            click.echo(f"  {row['label']:<32} degree {row['degree']:>4}   betweenness {row['betweenness']:.4f}")


@cli.command(short_help="The stored articles: id, title, date, source, facts.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table",
              show_default=True)
@click.pass_obj
def articles(obj: Context, fmt):
    """List the stored articles: id, title, date, source and number of facts.

    The id (or its first few characters), the source file name or the URL is
    what `kg retract` takes.

    \b
    Examples:
      kg articles
      kg articles --format json
    """
    from kg.articles import list_articles
    from kg.output import render

    click.echo(render(list_articles(obj.store()), fmt), nl=False)


PUSHED_SUFFIX = ".pushed.json"   # next to the store: the endpoints it was pushed to


def _pushed_file(obj: Context) -> Path:
    store = Path(obj.store_path)
    return store.with_name(store.name + PUSHED_SUFFIX)


def _remember_push(obj: Context, target: str) -> None:
    path = _pushed_file(obj)
    try:
        known = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
        if target not in known:
            path.write_text(json.dumps(sorted({*known, target}), indent=1), encoding="utf-8")
    except (OSError, ValueError):
        pass                                            # only a reminder is at stake


def _pushed_targets(obj: Context) -> list[str]:
    try:
        return json.loads(_pushed_file(obj).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


@cli.command()
@click.argument("article")
@click.pass_obj
def retract(obj: Context, article):
    """Remove an article and every fact only it supported.

    ARTICLE is the article's id as `kg articles` lists it (or its first few
    characters, when no other id starts with them), its source file name, its
    URL or its IRI. Facts other articles also state stay, with their evidence.
    Endpoints you pushed to keep the article until the next push with --prune.

    \b
    Examples:
      kg retract 03_yemen_houthis.txt
      kg retract bdada0e3
      kg push sparql http://127.0.0.1:7878/query --prune
    """
    from kg.articles import describe, find_article

    from kg.ingest import COUNT_FACTS, count

    store = obj.store(write=True)
    found = find_article(store, article)
    before = count(store, COUNT_FACTS)
    if not store.retract_article(found["id"]):
        fail(f"no article {found['id']!r} in the store")
    gone = before - count(store, COUNT_FACTS)
    kept = found["facts"] - gone
    click.echo(f"retracted {describe(found)} and its evidence: {gone} fact(s) gone"
               + (f", {kept} kept (other articles state them)" if kept else ""))
    for target in _pushed_targets(obj):
        click.echo(f"kg: {target} still holds it until `kg push {target.split(' ', 1)[0]} ... --prune`",
                   err=True)


@cli.command(name="eval", short_help="Precision, recall and F1 against a gold file.")
@click.argument("predictions", type=click.Path(exists=True, dir_okay=False))
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="Print the report as JSON (per predicate and overall: precision, recall, f1, counts).")
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


@cli.group()
def push():
    """Copy the store to a server: a SPARQL endpoint or Neo4j.

    Each article is replaced exactly and nodes are merged on stable ids, so
    pushing again changes nothing, and an interrupted push is finished by
    running the same command again.
    """


BATCH_SIZE = click.option("--batch-size", default=50, show_default=True, type=click.IntRange(min=1),
                          help="Articles per request (SPARQL) or per transaction (Neo4j).")


def _push(obj: Context, kind: str, batch_size: int, config: dict, options: dict | None = None) -> None:
    """Push the embedded store to a target, progress on stderr, a summary on stdout."""
    from kg.push import describe, open_target, progress_printer
    from kg.push import push as push_store

    source = obj.store()
    if not source.article_ids():
        fail(f"the store {obj.store_path} holds no articles; run `kg ingest PATHS` first")
    target = open_target(kind, **config)
    try:
        summary = push_store(source, target, batch_size, progress_printer(f"push {kind}"), **(options or {}))
    finally:
        target.close()
    _remember_push(obj, f"{kind} {config.get('url') or config.get('uri')}")
    click.echo(describe(summary))


@push.command(name="sparql")
@click.argument("url")
@click.option("--update-url", help="SPARQL Update endpoint (default: URL's sibling .../update, else URL).")
@click.option("--store-url", help="Graph Store Protocol endpoint; when given, graphs are written with PUT.")
@click.option("--graph-prefix", metavar="IRI", help="Name article graphs IRI+<article id> (default: kg's article IRIs).")
@click.option("--user", envvar="SPARQL_USER", help="HTTP Basic user (or set SPARQL_USER).")
@click.option("--password", envvar="SPARQL_PASSWORD", help="HTTP Basic password (or set SPARQL_PASSWORD).")
@click.option("--prune", is_flag=True, help="Also drop article graphs the local store no longer holds.")
@BATCH_SIZE
@click.pass_obj
def push_sparql(obj: Context, url, update_url, store_url, graph_prefix, user, password, prune, batch_size):
    """Push every article graph to a SPARQL 1.1 endpoint (URL = its query endpoint).

    One named graph per article, replaced exactly (per batch one SPARQL Update
    that empties the graphs and inserts them again, or Graph Store Protocol PUT
    with --store-url), then the summary graph (each fact and entity once), replaced
    whole; it keeps its IRI whatever --graph-prefix says, as kg's queries name it.

    \b
    Examples:
      oxigraph serve --location /data/oxigraph --bind 127.0.0.1:7878 &
      kg push sparql http://127.0.0.1:7878/query
      kg push sparql http://localhost:3030/news/query --user admin --password secret
    """
    config = {"url": url, "update_url": update_url, "store_url": store_url, "graph_prefix": graph_prefix,
              "user": user, "password": password}
    _push(obj, "sparql", batch_size, config, {"prune": prune})


@push.command(name="neo4j")
@click.option("--uri", envvar="NEO4J_URI", default="neo4j://localhost:7687", show_default=True,
              help="Bolt/neo4j URI (or set NEO4J_URI).")
@click.option("--user", envvar="NEO4J_USER", default="neo4j", show_default=True, help="User (or set NEO4J_USER).")
@click.option("--password", envvar="NEO4J_PASSWORD", help="Password (or set NEO4J_PASSWORD).")
@click.option("--database", envvar="NEO4J_DATABASE", help="Database name (or set NEO4J_DATABASE; default: the server's).")
@click.option("--prune", is_flag=True, help="Also retract articles Neo4j holds that the local store no longer has.")
@BATCH_SIZE
@click.pass_obj
def push_neo4j(obj: Context, uri, user, password, database, prune, batch_size):
    """Push the graph to Neo4j: entities, facts as relationships, evidence as nodes.

    Uniqueness constraints are created first; everything is merged on ids in
    batched write transactions, so re-running changes nothing.

    \b
    Example:
      NEO4J_PASSWORD=secret kg push neo4j --uri neo4j://localhost:7687
    """
    if password is None:
        fail("no Neo4j password: pass --password or set NEO4J_PASSWORD")
    _push(obj, "neo4j", batch_size, {"uri": uri, "user": user, "password": password, "database": database},
          {"prune": prune})


@cli.command(short_help="Write the graph as one offline HTML page.")
@click.option("-o", "--output", default="graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="HTML file to write.")
@click.option("--title", default="kg graph", show_default=True, help="Page title.")
@selection_options
@click.pass_obj
def view(obj: Context, output, title, entity, depth, predicate, since, until, min_sources):
    """Write the graph as one self-contained HTML page (works offline, no server).

    Clusters of closely linked entities are laid out apart, each with its
    central entities in the middle; the most central are named, and more names
    (and the relations) appear as you zoom in. The legend filters by entity type
    and by relation; the search box finds an entity; a click on a node or an
    edge shows its facts and every evidence sentence. The options select what
    goes in, as for `kg export`.

    \b
    Examples:
      kg view -o graph.html
      kg view --entity "Turkey" --depth 2 -o turkey.html
      kg view --predicate supports -o support.html
    """
    from kg.progress import Progress
    from kg.view import write_view

    selection = _selection(obj, entity, depth, predicate, since, until, min_sources)
    with Progress("view", unit=None):
        count = write_view(obj.store(), output, selection, title)
    _say_undated_articles(obj, since, until)
    megabytes = os.path.getsize(output) / 1e6
    click.echo(f"wrote {output} ({count} entities, {megabytes:.1f} MB); open it in a browser", err=True)
    if megabytes > 50:
        click.echo("kg: the page carries every evidence sentence and opens slowly at this size; "
                   "narrow it with --entity/--depth, --predicate, --since or --min-sources", err=True)


@cli.command()
@click.option("--max-errors", default=50, show_default=True, help="Print at most N violations.")
@click.pass_obj
def validate(obj: Context, max_errors):
    """Check the stored graph against schema/shapes.ttl (SHACL).

    Prints one line per violation (focus node, property path, message) and exits
    with status 1 when the graph does not conform.

    \b
    Example:
      kg validate
    """
    from kg.validate import validate_store

    conforms, problems = validate_store(obj.store())
    for problem in problems[:max_errors]:
        click.echo(problem.line())
    if len(problems) > max_errors:
        click.echo(f"... and {len(problems) - max_errors} more (use --max-errors)")
    if conforms:
        click.echo("the graph conforms to schema/shapes.ttl")
        return
    click.echo(f"the graph does not conform: {len(problems)} violation(s)", err=True)
    sys.exit(1)


@cli.command()
@click.argument("text", metavar="QUERY|@FILE")
@FORMAT
@click.option("--limit", default=1000, show_default=True, type=click.IntRange(1),
              help="Refuse an answer longer than this many rows (add a LIMIT to the query).")
@PARAM
@click.option("--timeout", default=30.0, show_default=True, help="Seconds the query may run.")
@click.pass_obj
def cypher(obj: Context, text, fmt, limit, params, timeout):
    """Run a read-only Cypher query on Neo4j (QUERY or @file.cypher).

    Connects with NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE.
    The query runs in a read transaction and is refused unless Neo4j's EXPLAIN
    says it only reads; it is stopped after --timeout seconds and refused when
    it returns more than --limit rows (add a LIMIT).

    \b
    Examples:
      kg cypher 'MATCH (s)-[:SUPPORTS]->(o) RETURN s.label, o.label LIMIT 5'
      kg cypher 'MATCH (e:Entity {label: $name}) RETURN e.id' -p name=Turkey
      kg cypher @examples/supporters.cypher --format csv
    """
    from kg.output import render
    from kg.queries.backend import open_store

    text = _query_text(text)
    store = open_store("neo4j", timeout=timeout, max_rows=limit)
    try:
        rows = store.query(text, _user_params(params))
    finally:
        store.close()
    click.echo(render(rows, fmt), nl=False)


@cli.command(short_help="Load `kg extract` output (JSON lines or Parquet).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Build the articles' quads in this many processes (the store is the same whatever the number).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def load(obj: Context, paths, jobs, as_json):
    """Load the output of `kg extract` (JSON lines or Parquet) into the store.

    PATHS are files of extract records (JSON lines, or Parquet as written by
    `kg extract --format parquet` or `python -m kg.spark`), or folders of them
    (every file inside, e.g. a Spark job's part files; _SUCCESS and hidden
    files skipped). Records are grouped by article_id over all the files, in
    any order, so an article split across part files or scattered by a
    repartition loads whole: give one `kg load` every part of a job. Each
    article is written whole or not at all (journalled bulk batches; into an
    empty store, the whole run in one bulk load at the end); an
    article already stored is skipped, so loading again changes nothing. The
    store then holds the same quads as `kg ingest` of the same articles, with
    one difference: an article that yielded no fact has no record, so `kg
    load` does not store it (`kg ingest` stores its title and date). Records
    filtered with `kg extract --min-confidence` are missing too.

    A broken line is reported as FILE:LINE and the article it belongs to is
    not loaded (it would be incomplete); the others load and the exit status
    is 1.

    \b
    Examples:
      mkdir -p facts && kg extract examples/articles/07_wire.jsonl > facts/0001.jsonl
      kg load facts/
      kg --store wire-store load facts/*.jsonl
    """
    from kg.load import load_records

    summary = load_records(obj.store(write=True), paths, report=lambda m: click.echo(f"kg: {m}", err=True),
                           progress=sys.stderr.isatty() and not as_json, jobs=jobs)
    _print_summary(summary, obj.store_path, f"{summary['articles_refused']} not loaded; "
                   f"{summary['bad_lines']} broken line(s)", as_json)
    if summary["bad_lines"] or summary["articles_refused"] or summary["failed_files"]:
        sys.exit(1)
