"""Names typed by a user -> entities in the store, the way the extractor resolves them."""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

from kg.errors import ResolutionError

LABELS_QUERY = "SELECT DISTINCT ?e ?label ?id WHERE { ?e kg:entityId ?id ; rdfs:label ?label . }"


def fold(text: str) -> str:
    """Case, accents, punctuation and a leading 'the' folded away: 'the Erdoğan' -> 'erdogan'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(text.split())
    return re.sub(r"^the ", "", text)


def known_entities(store) -> dict[str, tuple[str, str]]:
    """IRI -> (label, id) of every entity in the store."""
    return {row["e"]: (row["label"], row["id"]) for row in store.query(LABELS_QUERY)}


def resolve_name(name: str, store, gazetteer=None) -> tuple[str, str, str]:
    """(IRI, label, id) of the stored entity a name means; ResolutionError with suggestions if none."""
    entities = known_entities(store)
    by_fold: dict[str, set] = {}
    for iri, (label, _id) in entities.items():
        by_fold.setdefault(fold(label), set()).add(iri)
    if gazetteer is not None:
        for surface, entries in list(gazetteer.names.items()) + list(gazetteer.generic.items()):
            for entry in entries:
                for iri, (label, _id) in entities.items():
                    if _id == entry.entity.id:
                        by_fold.setdefault(fold(surface), set()).add(iri)
        for demonym, entry in gazetteer.demonyms.items():
            for iri, (_label, _id) in entities.items():
                if _id == entry.entity.id:
                    by_fold.setdefault(fold(demonym), set()).add(iri)
    matches = by_fold.get(fold(name), set())
    if len(matches) == 1:
        iri = next(iter(matches))
        return iri, entities[iri][0], entities[iri][1]
    labels = sorted({label for label, _ in entities.values()})
    if len(matches) > 1:
        options = sorted(entities[i][0] for i in matches)
        raise ResolutionError(f"{name!r} is ambiguous: {', '.join(options)}; use the full name")
    close = process.extract(name, labels, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    hint = f"; closest known: {', '.join(c[0] for c in close)}" if close else ""
    raise ResolutionError(f"no entity named {name!r} in the store{hint}")
