"""Clean text -> sentences, with spaCy's rule-based sentencizer (no model needed).

Every line is its own block (headlines have no full stop); spaCy's tokenizer keeps
abbreviations such as "U.S." and "Feb." whole, so they do not end a sentence.

The sentencizer's rule is applied here to the tokenizer's arrays (``Doc.to_array``)
instead of through the pipeline, which would build a Python object per token: a
sentence starts at the first token that is not punctuation after a token that is one
of the sentencizer's ``punct_chars`` ('.', '!', '?' ...). A block without any of those
characters is one sentence whatever its tokens.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import Sentence

BLOCK = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def nlp():
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


@lru_cache(maxsize=1)
def _sentencizer() -> tuple:
    """(tokenizer, hashes of the punct_chars, a regex finding any of them, the token attributes read)."""
    from spacy.attrs import IS_PUNCT, LENGTH, ORTH, SPACY

    pipeline = nlp()
    punct_chars = pipeline.get_pipe("sentencizer").punct_chars
    hashes = frozenset(pipeline.vocab.strings.add(c) for c in punct_chars)
    any_punct_char = re.compile("|".join(map(re.escape, sorted(punct_chars, key=len, reverse=True))))
    return pipeline.tokenizer, hashes, any_punct_char, [ORTH, IS_PUNCT, LENGTH, SPACY]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of the text in order, with their character offsets."""
    out = []
    for block in BLOCK.finditer(text):
        offset = block.start()
        for start, end in _sentence_spans(block.group(0)):
            start, end = offset + start, offset + end
            if text[start:end].strip():
                out.append(Sentence(start, end, text[start:end]))
    return out


def _sentence_spans(block: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence spaCy's sentencizer finds in the block."""
    tokenizer, punct_hashes, any_punct_char, attributes = _sentencizer()
    if not any_punct_char.search(block) and not block[-1].isspace():
        return [(0, len(block))]              # one sentence: no token can end it
    spans, sentence_start, position, end, seen_punct_char = [], 0, 0, 0, False
    tokens = tokenizer(block).to_array(attributes).tolist()
    for orth, is_punct, length, space in tokens:
        if orth in punct_hashes:
            seen_punct_char = True
        elif seen_punct_char and not is_punct:
            spans.append((sentence_start, end))
            sentence_start, seen_punct_char = position, False
        end = position + length
        position = end + space
    spans.append((sentence_start, end))
    return spans
