"""The stored articles: a listing (id, title, date, source, facts) and finding one by what a user knows of it."""
from __future__ import annotations

from pathlib import PurePath

from kg.errors import KGError
from kg.rdf import SUMMARY_GRAPH, article_iri

ARTICLES = f"""SELECT ?id ?title ?date ?source ?url (COUNT(DISTINCT ?fact) AS ?facts) WHERE {{
  GRAPH ?g {{
    ?g a kg:Article ; kg:contentHash ?id ; dcterms:source ?source .
    OPTIONAL {{ ?g dcterms:title ?title }}
    OPTIONAL {{ ?g dcterms:date ?date }}
    OPTIONAL {{ ?g kg:url ?url }}
    OPTIONAL {{ ?fact a kg:Fact }}
  }}
  FILTER(?g != {SUMMARY_GRAPH})
}} GROUP BY ?id ?title ?date ?source ?url ORDER BY ?date ?source ?id"""


def list_articles(store) -> list[dict]:
    """One row per stored article, by date (undated first), then source."""
    rows = store.query(ARTICLES)
    return [{"id": r["id"], "title": r.get("title") or "", "date": str(r["date"]) if r.get("date") else "",
             "source": r["source"], **({"url": r["url"]} if r.get("url") else {}), "facts": int(r["facts"])}
            for r in rows]


def describe(row: dict) -> str:
    """'3f2a9c0d1e4b5a67 (01_libya_backers.txt, 2021-03-11, "Title")'."""
    parts = [row["source"]] + [row[k] for k in ("date",) if row.get(k)]
    if row.get("title"):
        parts.append(f"\"{row['title']}\"")
    return f"{row['id']} ({', '.join(parts)})"


def find_article(store, reference: str) -> dict:
    """The one stored article ``reference`` names: its id or an id prefix (4+ characters),
    its IRI, its source (a file name, with or without folders) or its URL.
    KGError when none or several match."""
    reference = reference.strip().strip("<>")
    prefix = article_iri("").value
    if reference.startswith(prefix):
        reference = reference[len(prefix):]
    rows = list_articles(store)
    for test in (lambda r: r["id"] == reference,
                 lambda r: len(reference) >= 4 and r["id"].startswith(reference.lower()),
                 lambda r: reference in (r["source"], r.get("url")),
                 lambda r: PurePath(reference).name == PurePath(r["source"]).name
                 and "://" not in reference):
        found = [r for r in rows if test(r)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(describe(r) for r in found[:5])
            more = f" and {len(found) - 5} more" if len(found) > 5 else ""
            raise KGError(f"{reference!r} matches {len(found)} articles: {listed}{more}; "
                          "give more of the id (see `kg articles`)")
    if not rows:
        raise KGError("the store holds no articles")
    raise KGError(f"no article {reference!r} in the store: give an id (or its first characters), "
                  "a source file name or a URL, as `kg articles` lists them")
