"""Reading real web pages without losing the article: trafilatura's evaluation pages in
../shared/eval/pages, read straight from the archive (see tests/pages_support.py).

The floors are the figures measured on the commit that set them (README, "Reading
pages"); they keep them from falling. One page counts as cut short only because the
scorer reads a GBK page as UTF-8 (its reference text is mojibake, longer than the
article kg reads in full), and one recipe because trafilatura picks another block when
it records links (README)."""
import pytest
from pages_support import PAGES, measure

from kg.loaders.html import read_html

LEAD = "Ankara and Baku agree a transit corridor through Nakhchivan, ending months of talks between the two governments."
PARAGRAPH = "The foreign ministers of Turkey and Azerbaijan met in Baku on Monday to discuss the corridor, officials said."


def page(related: str) -> str:
    paragraphs = "".join(f"<p>{i}. {PARAGRAPH}</p>" for i in range(8))
    return (f"<html><head><title>Corridor deal</title><meta name='description' content='{LEAD}'></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/w'>World</a></nav><main><article><header><h1>Corridor deal</h1>"
            f"<p class='teaser-text'>{LEAD}</p></header><div class='article-body'>{paragraphs}{related}"
            "<p>The agreement is due to be signed next month in Ankara by both presidents, the ministry said.</p>"
            "</div></article></main><footer>2024 News</footer></body></html>")


def test_the_lead_a_page_shows_as_its_summary_is_read_and_a_related_links_block_goes_with_its_heading():
    related = ("<h3>Related stories</h3><p><a href='/a'>Armenia protests the corridor plan in Yerevan</a> "
               "<a href='/b'>Iran watches the Caucasus</a> <a href='/c'>Georgia's ports lose traffic</a></p>")
    text = read_html(page(related)).text
    assert text.startswith(LEAD + "\n0. " + PARAGRAPH)           # the standfirst, before the body, once
    assert text.count("Nakhchivan") == 1
    assert "due to be signed next month" in text
    assert "Related stories" not in text and "Armenia protests" not in text


def test_a_summary_the_page_does_not_show_is_not_added():
    html = page("").replace(f"<p class='teaser-text'>{LEAD}</p>", "")
    assert "Nakhchivan" not in read_html(html).text


@pytest.mark.skipif(not (PAGES / "pages.tar.xz").is_file(), reason="../shared/eval/pages not beside the checkout")
def test_real_pages_keep_the_article_and_drop_the_boilerplate():
    figures = measure()
    assert figures["body_kept"] >= 0.959, figures
    assert figures["junk_leaked"] <= 0.076, figures
    assert figures["cut_short"] <= 2, figures
    assert figures["refused"] <= 0.01 * figures["pages"], figures
