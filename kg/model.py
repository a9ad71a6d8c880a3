"""The data model: small frozen dataclasses passed from stage to stage (no I/O here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, before cleaning."""

    id: str                      # content hash of the normalised text
    source: str                  # file name (or url) the article came from
    raw: str                     # text as read (HTML already turned to text)
    title: str = ""
    url: str = ""
    published: Optional[str] = None   # ISO date given by the container (JSON, HTML meta)
    format: str = "txt"
    encoding: str = ""           # how the file's bytes were decoded (utf-8, utf-8-sig, utf-16, cp1252 ...)
    notes: tuple = ()            # one-line warnings about reading it (a feed date refused ...)


@dataclass(frozen=True)
class CleanText:
    """Article text without comments, ads and page furniture.

    ``offsets[i]`` is the index in ``article.raw`` of ``text[i]``.
    """

    article: Article
    text: str
    offsets: tuple[int, ...]
    date: Optional[str] = None   # the article's own date (ISO), if known
    date_source: str = ""        # where the date came from: container, marker, dateline, caption, url, byline
    cut: tuple = ()              # what cleaning left out: (reason, non-blank characters) pairs
    cut_share: float = 0.0       # share of the article's non-blank characters left out
    flags: tuple = ()            # words mixing scripts: (kind, word, how it was read) triples

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the clean text back to the raw text."""
        if start >= len(self.offsets):
            return len(self.article.raw), len(self.article.raw)
        if end <= start:
            return self.offsets[start], self.offsets[start]
        from kg.loaders.normalise import span_end   # folded combining marks, removed invisibles

        return self.offsets[start], span_end(self.article.raw, self.offsets[min(end, len(self.offsets)) - 1] + 1)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """A resolved real-world thing: one per canonical label and type."""

    id: str          # "country/turkey"
    label: str
    type: str        # Person, Country, Organization, ArmedGroup, Location, Agreement
    attrs: tuple = ()  # sorted (key, value) pairs: lat, lon, geonames_id, iso2 ...

    def attr(self, key, default=None):
        return dict(self.attrs).get(key, default)


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the text gives it: 2018-09-17, 2018-09 or 2018."""

    iso: str

    @property
    def precision(self) -> str:
        return {10: "day", 7: "month", 4: "year"}[len(self.iso)]

    @property
    def label(self) -> str:
        return self.iso

    type = "Date"


@dataclass(frozen=True)
class Mention:
    """A span of clean text that names an entity (or a date)."""

    start: int
    end: int
    text: str
    type: str                    # entity type or "Date"
    entity: Union[Entity, DateValue, None] = None
    confidence: float = 1.0
    role: Optional[tuple] = None  # (kind, of-entity) for titled persons: ("leader", Entity)
    tags: frozenset = field(default_factory=frozenset)  # "forces", "capital", "titled" ...
    links: tuple = ()            # (relation, Entity): "region_of", "airspace_of", "applies_to"

    def link(self, relation: str):
        return next((e for r, e in self.links if r == relation), None)


@dataclass(frozen=True)
class Evidence:
    """Why kg believes a fact: where it was read and which rule read it."""

    article_id: str
    source: str
    sentence: str
    start: int                   # character offsets of the sentence in the raw article
    end: int
    rule: str
    confidence: float
    date: Optional[str] = None   # when the fact happened, if the text says


@dataclass(frozen=True)
class Fact:
    subject: Entity
    predicate: str
    object: Union[Entity, DateValue]
    evidence: Evidence

    @property
    def key(self) -> tuple:
        """(subject id, predicate, object id) with symmetric predicates ordered."""
        obj = self.object.id if isinstance(self.object, Entity) else self.object.iso
        return (self.subject.id, self.predicate, obj)


@dataclass(frozen=True)
class Extraction:
    """Everything one article yields."""

    article: Article
    clean: CleanText
    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
