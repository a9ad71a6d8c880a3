"""The one normalisation of article text before extraction, with a map back to the raw text.

- Unicode NFC: a decomposed "g" + combining breve reads as "ğ";
- zero-width characters (U+200B..U+200D, U+2060, U+FEFF), bidirectional controls
  (U+200E, U+200F, U+061C, U+202A..U+202E, U+2066..U+2069) and soft hyphens (U+00AD)
  are removed: "Erdo\u200bgan" reads as "Erdogan";
- non-breaking and other fixed-width spaces (U+00A0, U+2007, U+202F, U+2000..U+200A)
  read as a plain space.

Every character of the result keeps the index of the raw character it came from, so
evidence offsets still point into the text as read. Words mixing letters of several
scripts are flagged (:func:`read_look_alikes`): "Puтin", a Latin word with a Cyrillic
look-alike letter, is read with the Latin letter (schema/confusables.yaml), so it names
only what "Putin" names; a word still mixing scripts is never read as a name (see
kg.loaders.pipeline).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c"
                      "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SPACES = frozenset("\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a")
_SPECIAL = re.compile("[" + "".join(sorted(INVISIBLE | SPACES)) + "]")
LETTERS = re.compile(r"[^\W\d_]+")
SCRIPTS_THAT_MIX = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "COPTIC", "CHEROKEE")


def normalise(text: str, offsets) -> tuple[str, tuple[int, ...]]:
    """(normalised text, raw index of each of its characters), given ``text`` and the raw
    index of each of its characters."""
    if not _SPECIAL.search(text) and unicodedata.is_normalized("NFC", text):
        return text, tuple(offsets)
    kept: list[tuple[str, int]] = []
    for char, where in zip(text, offsets):
        if char in INVISIBLE:
            continue
        kept.append((" " if char in SPACES else char, where))
    out: list[str] = []
    index: list[int] = []
    i = 0
    while i < len(kept):
        j = i + 1
        while j < len(kept) and unicodedata.combining(kept[j][0]):
            j += 1
        cluster = "".join(c for c, _ in kept[i:j])
        composed = unicodedata.normalize("NFC", cluster) if j - i > 1 or not cluster.isascii() else cluster
        out.append(composed)
        if len(composed) == j - i:       # nothing composed: each character keeps its own place
            index.extend(where for _, where in kept[i:j])
        else:
            index.extend([kept[i][1]] * len(composed))
        i = j
    return "".join(out), tuple(index)


def span_end(raw: str, last: int) -> int:
    """End of a raw span whose last kept character is at ``last - 1``: extended over the
    combining marks and invisible characters that normalisation folded into it."""
    while last < len(raw) and (unicodedata.combining(raw[last]) or raw[last] in INVISIBLE):
        last += 1
    return last


def mixed_script_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) for each word whose letters come from more than one script
    (Latin, Cyrillic, Greek ...): look-alike spellings of names, never read as names."""
    found = []
    for match in LETTERS.finditer(text):
        word = match.group(0)
        if word.isascii():
            continue
        scripts = {_script(c) for c in word} - {None}
        if len(scripts) > 1:
            found.append((match.start(), match.end(), word))
    return found


def _script(char: str):
    try:
        first = unicodedata.name(char).split()[0]
    except ValueError:
        return None
    return first if first in SCRIPTS_THAT_MIX else None


@lru_cache(maxsize=1)
def look_alikes() -> dict:
    import yaml

    from kg.schema import read_text

    return dict(yaml.safe_load(read_text("confusables.yaml"))["latin_look_alikes"])


def read_look_alikes(text: str) -> tuple[str, tuple]:
    """(text with look-alike letters of mostly-Latin words read as Latin, flags): one flag
    ("look-alike", word, reading) or ("mixed-script", word, "") per word mixing scripts.
    Characters are replaced one for one, so offsets are unchanged."""
    words = mixed_script_words(text)
    if not words:
        return text, ()
    table, chars, flags = look_alikes(), list(text), []
    for start, end, word in words:
        latin = sum(_script(c) == "LATIN" for c in word)
        others = [c for c in word if _script(c) not in (None, "LATIN")]
        if latin >= len(others) and all(c in table for c in others):
            reading = "".join(table.get(c, c) if _script(c) not in (None, "LATIN") else c for c in word)
            chars[start:end] = reading
            flags.append(("look-alike", word, reading))
        else:
            flags.append(("mixed-script", word, ""))
    return "".join(chars), tuple(flags)
