"""Clean text -> sentences, with spaCy's rule-based sentencizer (no model needed).

Every line is its own block (headlines have no full stop); spaCy's tokenizer keeps
abbreviations such as "U.S." and "Feb." whole, so they do not end a sentence.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import Sentence


@lru_cache(maxsize=1)
def nlp():
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of the text in order, with their character offsets."""
    out = []
    blocks = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", text)]
    for (offset, block), doc in zip(blocks, nlp().pipe(b for _, b in blocks)):
        for sent in doc.sents:
            start = offset + sent.start_char
            end = offset + sent.end_char
            if text[start:end].strip():
                out.append(Sentence(start, end, text[start:end]))
    return out
