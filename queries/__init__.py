"""kg.queries: canned relationship queries, one file per language, parameters declared once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from kg.errors import QueryError

LANGUAGES = {"sparql": ("sparql", ".rq"), "cypher": ("cypher", ".cypher")}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str = "entity"      # entity | predicate | object | text (see manifest.yaml)
    optional: bool = False


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    params: tuple[Param, ...]
    example: str = ""
    columns: tuple[str, ...] = ()    # answer columns, in order
    order: tuple[str, ...] = ()      # sort keys of answer rows; "-" = descending
    evidence_always: bool = False    # rows are evidence rows, never grouped

    def usage(self) -> str:
        """'NAME ARG [OPTIONAL]' as typed on the command line."""
        args = [p.name.upper() if not p.optional else f"[{p.name.upper()}]" for p in self.params]
        return " ".join([self.name, *args])

    def text(self, language: str) -> str:
        """The query's text in 'sparql' or 'cypher'."""
        folder, suffix = LANGUAGES[language]
        path = resources.files(__name__).joinpath(folder, self.name + suffix)
        if not path.is_file():
            raise QueryError(f"query {self.name!r} has no {language} version")
        return path.read_text(encoding="utf-8")


def auxiliary_text(name: str, language: str) -> str:
    """A query file that serves a canned query (e.g. support/neighbours.rq) but is not one itself."""
    folder, suffix = LANGUAGES[language]
    return resources.files(__name__).joinpath(folder, "support", name + suffix).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Query]:
    """Every canned query by name, from manifest.yaml."""
    data = yaml.load(resources.files(__name__).joinpath("manifest.yaml").read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))   # libyaml: ~10x faster
    return {name: _query(name, spec) for name, spec in data.items()}


def _query(name: str, spec: dict) -> Query:
    params = tuple(Param(p["name"], p.get("kind", "entity"), bool(p.get("optional", False)))
                   for p in spec.get("params") or [])
    return Query(name, spec["description"], params, spec.get("example", ""),
                 tuple(spec.get("columns", ())), tuple(spec.get("order", ())),
                 spec.get("evidence") == "always")


def load(name: str) -> Query:
    try:
        return catalogue()[name]
    except KeyError:
        from difflib import get_close_matches

        close = get_close_matches(name, list(catalogue()), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(f"no canned query {name!r}{hint}; run 'kg query' to list them") from None
