"""How well kg reads real web pages: trafilatura's evaluation pages in ../shared/eval/pages
(read straight from the archive), scored like ../shared/eval/pages/score.py: phrases of the
article body kept, boilerplate phrases leaked (after NFKC, whitespace folding, casefolding),
pages cut short (kg's text under 70% of trafilatura's own extraction), pages refused.

Run as a script to print the figures: python tests/pages_support.py [--trafilatura]
"""
from __future__ import annotations

import json
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "pages"


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def kg_text(path: Path):
    """The text kg reads for a page (None when refused), as `kg text` prints it."""
    from kg.errors import LoadError
    from kg.loaders.articles import read_articles
    from kg.loaders.clean import clean

    items = [i for i in read_articles([path]) if not isinstance(i, LoadError)]
    return clean(items[0]).text if items else None


def trafilatura_text(path: Path, **settings):
    """trafilatura's own extraction, read as ../shared/eval/pages/score.py reads the page
    (as UTF-8, undecodable bytes replaced)."""
    import trafilatura

    html = path.read_text(encoding="utf-8", errors="replace")
    return trafilatura.extract(html, **settings)


def measure(reader=kg_text, pages: Path = PAGES) -> dict:
    expectations = [json.loads(line) for line in open(pages / "expectations.jsonl", encoding="utf-8")]
    with tempfile.TemporaryDirectory() as folder, tarfile.open(pages / "pages.tar.xz") as tar:
        tar.extractall(folder, filter="data")
        kept = body = leaked = junk = cut = refused = 0
        short = []
        for row in expectations:
            path = Path(folder) / row["file"]
            text = reader(path)
            body += len(row["with"])
            if text is None:
                refused += 1
                continue
            folded = norm(text)
            kept += sum(norm(p) in folded for p in row["with"])
            junk += len(row["without"])
            leaked += sum(norm(p) in folded for p in row["without"])
            reference = trafilatura_text(path, include_comments=False, include_tables=False) or ""
            if reference and len(text) < 0.7 * len(reference):
                cut += 1
                short.append(row["file"])
    return {"pages": len(expectations), "body_kept": round(kept / body, 4), "junk_leaked": round(leaked / junk, 4),
            "cut_short": cut, "refused": refused, "short": short}


if __name__ == "__main__":
    if "--trafilatura" in sys.argv:
        for settings in ({}, {"fast": True}, {"include_comments": False, "include_tables": False},
                         {"include_comments": False}, {"include_comments": False, "favor_recall": True},
                         {"include_comments": False, "favor_precision": True}):
            print(settings, measure(lambda p, s=settings: trafilatura_text(p, **s)))
    else:
        print(json.dumps(measure()))
