"""Whether a text is English enough for kg's rules: the share of its words that are frequent
English function words (schema/lexicon.yaml). English news runs at 0.2-0.4; German or French
pages at about 0.1 and below, where the rules would read capitalised nouns as places."""
from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _settings() -> tuple[frozenset, float, int]:
    from kg.loaders.mentions import lexicon

    lex = lexicon()
    return frozenset(lex["english_function_words"]), float(lex["english_min_share"]), int(lex["english_min_words"])


def english_reading(text: str) -> tuple[bool, float, int]:
    """(whether kg reads the text, share of its words that are English function words, words)."""
    function_words, min_share, min_words = _settings()
    words = WORD.findall(text.lower())
    share = sum(w in function_words for w in words) / len(words) if words else 0.0
    return len(words) < min_words or share >= min_share, share, len(words)


def looks_english(text: str) -> bool:
    return english_reading(text)[0]
