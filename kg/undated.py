"""How many facts a date-bound answer leaves out because nothing dates them.

`kg query timeline` orders facts by the date their sentence gives, a signing date, else
the article's date; `--since/--until` (export, view) keep articles by their date. Facts
that have none of these are left out; the commands say how many.
"""
from __future__ import annotations

from kg.rdf import SUMMARY_GRAPH

# Facts (optionally about ?entity) that no evidence, signing date or article dates.
TIMELINE_UNDATED = f"""SELECT (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
  GRAPH ?g {{ ?fact a kg:Fact ; rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o . }}
  FILTER(?g != {SUMMARY_GRAPH} && ?p != kg:signedOn)
  FILTER(!BOUND(?entity) || ?s = ?entity || ?o = ?entity)
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?fact kg:evidence ?ev . {{ ?ev kg:factDate ?d }} UNION {{ ?h dcterms:date ?d }} }} }}
}}"""

# Facts stated only by undated articles (a date filter on articles drops them all).
ARTICLES_UNDATED = f"""SELECT (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
  GRAPH ?g {{ ?fact a kg:Fact . FILTER NOT EXISTS {{ ?g dcterms:date ?d }} }}
  FILTER(?g != {SUMMARY_GRAPH})
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?fact a kg:Fact . ?h dcterms:date ?d2 }} }}
}}"""


def _count(store, text: str, params: dict | None = None) -> int:
    if getattr(store, "language", "sparql") != "sparql":
        return 0
    rows = store.query(text, params)
    return int(rows[0]["n"]) if rows else 0


def timeline_undated(store, entity_iri: str | None = None) -> int:
    import pyoxigraph as ox

    return _count(store, TIMELINE_UNDATED, {"entity": ox.NamedNode(entity_iri)} if entity_iri else None)


def articles_undated(store) -> int:
    return _count(store, ARTICLES_UNDATED)


def note(count: int, what: str) -> str | None:
    """'kg: 3 undated facts left out (...)' or None when there are none."""
    if not count:
        return None
    return f"kg: {count} undated fact{'s' if count != 1 else ''} left out ({what})"
