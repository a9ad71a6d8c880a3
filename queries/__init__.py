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
    kind: str = "entity"      # entity | text | date
    optional: bool = False


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    params: tuple[Param, ...]
    example: str = ""

    def text(self, language: str) -> str:
        """The query's text in 'sparql' or 'cypher'."""
        folder, suffix = LANGUAGES[language]
        path = resources.files(__name__).joinpath(folder, self.name + suffix)
        if not path.is_file():
            raise QueryError(f"query {self.name!r} has no {language} version")
        return path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Query]:
    """Every canned query by name, from manifest.yaml."""
    data = yaml.safe_load(resources.files(__name__).joinpath("manifest.yaml").read_text(encoding="utf-8"))
    return {name: Query(name, spec["description"],
                        tuple(Param(p["name"], p.get("kind", "entity"), bool(p.get("optional", False)))
                              for p in spec.get("params", [])), spec.get("example", ""))
            for name, spec in data.items()}


def load(name: str) -> Query:
    try:
        return catalogue()[name]
    except KeyError:
        raise QueryError(f"no canned query {name!r}; run 'kg query' to list them") from None
