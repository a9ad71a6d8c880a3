"""The relation vocabulary, loaded once from ``vocabulary.yaml``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from kg.errors import SchemaError
from kg.schema import read_text
from kg.schema.namespaces import kg

ACTOR_TYPES = ("Person", "Country", "Organization", "ArmedGroup")
ENTITY_TYPES = ACTOR_TYPES + ("Location", "Agreement")


@dataclass(frozen=True)
class Predicate:
    name: str          # leader_of
    iri: str           # full IRI of kg:leaderOf
    neo4j: str         # LEADER_OF
    domain: tuple
    range: tuple
    symmetric: bool = False

    def accepts(self, subject_type: str, object_type: str) -> bool:
        return _fits(subject_type, self.domain) and _fits(object_type, self.range)


def _fits(entity_type: str, allowed: tuple) -> bool:
    return entity_type in allowed or ("Actor" in allowed and entity_type in ACTOR_TYPES)


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    try:
        return yaml.load(read_text("vocabulary.yaml"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise SchemaError(f"schema/vocabulary.yaml: not valid YAML: {error}") from error


@lru_cache(maxsize=1)
def predicates() -> dict[str, Predicate]:
    """Every predicate by name, in the file's order."""
    out = {}
    for name, spec in _vocabulary()["predicates"].items():
        out[name] = Predicate(name, kg(spec["iri"]), spec["neo4j"], tuple(spec["domain"]),
                              tuple(spec["range"]), bool(spec.get("symmetric", False)))
    return out


def predicate(name: str) -> Predicate:
    try:
        return predicates()[name]
    except KeyError:
        raise SchemaError(f"unknown predicate {name!r}; known: {', '.join(predicates())}") from None


@lru_cache(maxsize=1)
def predicate_by_iri() -> dict[str, Predicate]:
    return {p.iri: p for p in predicates().values()}


def neo4j_labels(entity_type: str) -> list[str]:
    """Neo4j labels of an entity type, from the allow-list in vocabulary.yaml."""
    try:
        return list(_vocabulary()["entity_types"][entity_type]["neo4j_labels"])
    except KeyError:
        raise SchemaError(f"unknown entity type {entity_type!r}") from None


def type_iri(entity_type: str) -> str:
    return kg(entity_type)
