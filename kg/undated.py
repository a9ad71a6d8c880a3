"""How many facts a date-bound answer leaves out because nothing dates them.

`kg query timeline` orders facts by the date their sentence gives, a signing date, else
the article's date; `--since/--until` (export, view) keep articles by their date. Facts
that have none of these are left out; the commands say how many.
"""
from __future__ import annotations

from kg.aggregates import STATS_GRAPH
from kg.rdf import SUMMARY_GRAPH
from kg.sparql_safety import CheckedQuery, bind_constants   # kg's own queries: no read-only check

# Facts (optionally about ?entity) that no evidence, signing date or article dates: the
# stats graph flags them (kg.aggregates), so this reads only the flagged facts.
TIMELINE_UNDATED = CheckedQuery(f"""SELECT (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
  GRAPH {STATS_GRAPH} {{ ?fact kg:undated true . }}
}}""")
TIMELINE_UNDATED_ABOUT = CheckedQuery(f"""SELECT (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
  {{ GRAPH {STATS_GRAPH} {{ ?fact rdf:subject ?entity ; kg:undated true . }} }}
  UNION {{ GRAPH {STATS_GRAPH} {{ ?fact rdf:object ?entity ; kg:undated true . }} }}
}}""")

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

    if entity_iri is None:
        return _count(store, TIMELINE_UNDATED)
    return _count(store, bind_constants(TIMELINE_UNDATED_ABOUT, {"entity": ox.NamedNode(entity_iri)}))


def articles_undated(store) -> int:
    return _count(store, ARTICLES_UNDATED)


def note(count: int, what: str) -> str | None:
    """'kg: 3 undated facts left out (...)' or None when there are none."""
    if not count:
        return None
    return f"kg: {count} undated fact{'s' if count != 1 else ''} left out ({what})"
