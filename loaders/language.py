"""Whether a text is English, as kg's rules need: frequent function words of English against
those of other languages kg may be fed (schema/lexicon.yaml). A text with more of the other
words than of the English ones (a German or French page) is not read: its capitalised nouns
would read as places. Names weigh on neither side, so a brief full of them stays English."""
from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _settings() -> tuple[frozenset, frozenset, int]:
    from kg.loaders.mentions import lexicon

    lex = lexicon()
    return (frozenset(lex["english_function_words"]), frozenset(lex["other_function_words"]),
            int(lex["english_min_words"]))


def english_reading(text: str) -> tuple[bool, float, int]:
    """(whether kg reads the text, share of its words that are English function words, words)."""
    english_words, other_words, min_words = _settings()
    words = WORD.findall(text.lower())
    english = sum(w in english_words for w in words)
    other = sum(w in other_words for w in words)
    share = english / len(words) if words else 0.0
    return len(words) < min_words or english >= other, share, len(words)


def looks_english(text: str) -> bool:
    return english_reading(text)[0]
