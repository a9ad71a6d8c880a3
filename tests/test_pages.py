"""Reading real web pages without losing the article: trafilatura's evaluation pages in
../shared/eval/pages, read straight from the archive (see tests/pages_support.py).

The floors are the figures measured when the HTML reading path was chosen (README,
"Reading pages"); they keep them from falling. One page counts as cut short only because
the scorer reads a GBK page as UTF-8 (its reference text is mojibake, twice as long), and
one recipe because trafilatura picks another block when it records links (README)."""
import pytest
from pages_support import PAGES, measure


@pytest.mark.skipif(not (PAGES / "pages.tar.xz").is_file(), reason="../shared/eval/pages not beside the checkout")
def test_real_pages_keep_the_article_and_drop_the_boilerplate():
    figures = measure()
    assert figures["body_kept"] >= 0.944, figures
    assert figures["junk_leaked"] <= 0.083, figures
    assert figures["cut_short"] <= 2, figures
    assert figures["refused"] <= 0.01 * figures["pages"], figures
