"""Deterministic identifiers: the same name and type always give the same id."""
import hashlib
import re
import unicodedata

from anyascii import anyascii


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated slug.

    >>> slugify("Recep Tayyip Erdoğan")
    'recep-tayyip-erdogan'
    >>> slugify("Failak al-Sham")
    'failak-al-sham'
    >>> slugify("قوات الدعم السريع")      # other scripts are transliterated (anyascii)
    'qwt-ld-m-lsry'
    """
    original = text
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(c if c.isascii() else anyascii(c) for c in text)       # other scripts transliterated
    text = re.sub(r"[^\w]+", "-", text.casefold(), flags=re.ASCII).strip("-")
    return text or "x-" + hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def entity_id(entity_type: str, label: str) -> str:
    """Stable entity id from its type and canonical label.

    >>> entity_id("Country", "Turkey")
    'country/turkey'
    """
    return f"{entity_type.lower()}/{slugify(label)}"


def normalise_for_hash(text: str) -> str:
    """The text whose hash identifies an article: NFC, whitespace folded."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str, length: int = 16) -> str:
    """Hex digest of the normalised text (whitespace-only edits give the same id)."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()[:length]


def digest(*parts, length: int = 16) -> str:
    """Short stable hash of several values."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]
