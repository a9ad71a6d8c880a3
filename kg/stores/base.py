"""The interface every store backend shares."""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from kg.model import Extraction


@runtime_checkable
class Store(Protocol):
    """A place facts live. Writes are per article, whole or not at all, and idempotent."""

    name: str
    language: str  # the query language it answers: "sparql" or "cypher"

    def has_article(self, article_id: str) -> bool:
        """True when the article is already stored."""

    def add_article(self, extraction: Extraction) -> bool:
        """Store one article's graph; False (and no change) when it was already there."""

    def retract_article(self, article_id: str) -> bool:
        """Remove an article and everything only it supported; False when unknown."""

    def query(self, text: str, params: dict | None = None) -> list[dict]:
        """Run a read-only query with parameters bound as values, never pasted in."""

    def close(self) -> None:
        """Release files, locks and connections."""
