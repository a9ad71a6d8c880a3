"""Reading real web pages without losing the article: trafilatura's evaluation pages in
../shared/eval/pages, read straight from the archive (see tests/pages_support.py).

The floors are the figures measured on the commit that set them (README, "Reading
pages"); they keep them from falling. The one page counted as cut short is GBK-encoded:
kg decodes it and reads the whole article, but the scorer reads it as UTF-8, and its
reference (trafilatura on the mojibake) is longer than the article (README)."""
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


def test_a_page_is_never_read_much_shorter_than_trafilatura_reads_it():
    """A recipe's ingredients, each linked to a shop, look like a list of links; dropping
    them would leave under three quarters of the page's text, so trafilatura's plain
    reading is kept instead."""
    ingredients = ["200 g dark chocolate, chopped", "4 large eggs at room temperature", "150 g caster sugar",
                   "100 g unsalted butter, melted", "2 tablespoons cocoa powder", "1 teaspoon baking powder",
                   "250 g strawberries, halved", "400 ml whipping cream", "2 packets of vanilla sugar", "1 pinch of salt"]
    items = "".join(f"<li>{' '.join(i.split()[:2])} <a href='/shop/{n}'>{' '.join(i.split()[2:])}</a></li>"
                    for n, i in enumerate(ingredients))
    html = ("<html><head><title>Mole cake</title></head><body><main><article><h1>Mole cake</h1>"
            "<p>A chocolate cake filled with cream and strawberries, which children love at birthday parties "
            f"and which keeps for two days in the fridge.</p><h2>Ingredients</h2><ul>{items}</ul><h2>Method</h2>"
            "<p>Melt the chocolate with the butter, beat the eggs with the sugar until pale, fold everything "
            "together and bake the base for 25 minutes at 180 degrees.</p><p>Hollow out the base, fill it with "
            "the cream and the strawberries and crumble the cake on top so that it looks like a molehill.</p>"
            "</article></main></body></html>")
    text = read_html(html).text
    assert all(i in text for i in ingredients), text
    assert "looks like a molehill" in text


@pytest.mark.skipif(not (PAGES / "pages.tar.xz").is_file(), reason="../shared/eval/pages not beside the checkout")
def test_real_pages_keep_the_article_and_drop_the_boilerplate():
    figures = measure()
    assert figures["body_kept"] >= 0.960, figures
    assert figures["junk_leaked"] <= 0.076, figures
    assert figures["cut_short"] <= 1, figures
    assert figures["refused"] <= 0.01 * figures["pages"], figures
