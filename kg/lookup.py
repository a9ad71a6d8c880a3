"""Names typed by a user -> entities in the store, the way the extractor resolves them."""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

from rapidfuzz import fuzz, process

from kg.errors import ResolutionError
from kg.rdf import SUMMARY_GRAPH
from kg.schema.namespaces import resource
from kg.sparql_safety import CheckedQuery

# Entities are read from the summary graph, which describes each entity once (the article
# graphs repeat them: thousands of copies of a country's label in a large store).
SUMMARY = str(SUMMARY_GRAPH)
LABELS_QUERY = CheckedQuery(f"SELECT ?e ?label ?id WHERE {{ GRAPH {SUMMARY} {{ ?e kg:entityId ?id ; rdfs:label ?label . }} }}")   # kg's own: no read-only check
CYPHER_LABELS_QUERY = "MATCH (e:Entity) RETURN DISTINCT e.id AS id, e.label AS label"


def fold(text: str) -> str:
    """Case, accents, punctuation and a leading 'the' folded away: 'the Erdoğan' -> 'erdogan'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(text.split())
    return re.sub(r"^the ", "", text)


def known_entities(store) -> dict[str, tuple[str, str]]:
    """IRI -> (label, id) of every entity in the store (SPARQL or Cypher)."""
    if getattr(store, "language", "sparql") == "cypher":
        return {resource(r["id"]): (r["label"] or r["id"], r["id"]) for r in store.query(CYPHER_LABELS_QUERY)}
    return {row["e"]: (row["label"], row["id"]) for row in store.query(LABELS_QUERY)}


@lru_cache(maxsize=8)
def _gazetteer_names(gazetteer) -> dict[str, set[str]]:
    """Folded surface form -> entity ids, from the gazetteer's names, aliases, demonyms, capitals,
    seats of government and surnames."""
    out: dict[str, set[str]] = {}
    add = lambda surface, entity_id: out.setdefault(fold(surface), set()).add(entity_id)
    for surface, entries in list(gazetteer.names.items()) + list(gazetteer.generic.items()):
        for entry in entries:
            add(surface, entry.entity.id)
    # As the extractor reads them: "Turkish", "Ankara", "the Kremlin" -> the country's government.
    for table in (gazetteer.demonyms, gazetteer.capitals, gazetteer.seats):
        for surface, entry in table.items():
            add(surface, gazetteer.government(entry).entity.id)
    for surname, labels in getattr(gazetteer, "surnames", {}).items():
        for label in labels:
            entry = gazetteer.get(label)
            if entry is not None:
                add(surname, entry.entity.id)
    return out


def name_index(entities: dict, gazetteer=None) -> dict[str, set[str]]:
    """Folded name -> IRIs of stored entities it may mean (labels first, then gazetteer names)."""
    by_id = {entity_id: iri for iri, (_label, entity_id) in entities.items()}
    index: dict[str, set[str]] = {}
    for iri, (label, _id) in entities.items():
        index.setdefault(fold(label), set()).add(iri)
    if gazetteer is not None:
        for surface, ids in _gazetteer_names(gazetteer).items():
            iris = {by_id[i] for i in ids if i in by_id}
            if iris and surface not in index:
                index[surface] = iris
    return index


EXACT_LABEL = CheckedQuery(f"SELECT ?e ?id WHERE {{ GRAPH {SUMMARY} {{ ?e rdfs:label ?label ; kg:entityId ?id . }} }}")
STORED_ID = CheckedQuery(f"SELECT ?label WHERE {{ GRAPH {SUMMARY} {{ ?e kg:entityId ?id ; rdfs:label ?label . }} }}")


def _exact_label(name: str, store) -> list[dict]:
    if getattr(store, "language", "sparql") != "sparql":
        return []
    import pyoxigraph

    return store.query(EXACT_LABEL, {"label": pyoxigraph.Literal(name)})


def _direct_match(name: str, store, gazetteer=None):
    """The entity a name means, found with indexed lookups (its exact label, or the one
    gazetteer entity it spells) instead of a scan of every entity; None when unsure."""
    if getattr(store, "language", "sparql") != "sparql":
        return None
    import pyoxigraph

    rows = _exact_label(name, store)
    if len({r["e"] for r in rows}) == 1:
        return rows[0]["e"], name, rows[0]["id"]
    if rows or gazetteer is None:
        return None
    ids = _gazetteer_names(gazetteer).get(fold(name), set())
    found = []
    for entity_id in sorted(ids):
        hit = store.query(STORED_ID, {"e": resource(entity_id), "id": pyoxigraph.Literal(entity_id)})
        if hit:
            found.append((resource(entity_id), hit[0]["label"], entity_id))
    return found[0] if len(found) == 1 else None


def resolve_name(name: str, store, gazetteer=None) -> tuple[str, str, str]:
    """(IRI, label, id) of the stored entity a name means; ResolutionError with suggestions if none.

    ``gazetteer`` may be a function returning it: it is then loaded only when the name is
    not a stored label."""
    rows = _exact_label(name, store)
    if len({r["e"] for r in rows}) == 1:
        return rows[0]["e"], name, rows[0]["id"]
    gazetteer = gazetteer() if callable(gazetteer) else gazetteer
    direct = _direct_match(name, store, gazetteer)
    if direct is not None:
        return direct
    entities = known_entities(store)
    matches = name_index(entities, gazetteer).get(fold(name), set())
    if not matches and name in {i for _l, i in entities.values()}:
        matches = {resource(name)}
    if len(matches) == 1:
        iri = next(iter(matches))
        return iri, entities[iri][0], entities[iri][1]
    if len(matches) > 1:
        options = sorted(entities[i][0] for i in matches)
        raise ResolutionError(f"{name!r} is ambiguous: {', '.join(options)}; use the full name")
    labels = sorted({label for label, _ in entities.values()})
    if not labels:
        raise ResolutionError(f"no entity named {name!r}: the store is empty; run 'kg ingest' first")
    close = process.extract(name, labels, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    hint = f"; closest known: {', '.join(c[0] for c in close)}" if close else " (nothing with a similar name)"
    raise ResolutionError(f"no entity named {name!r} in the store{hint}")
