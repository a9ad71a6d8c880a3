"""Cleaning: comments, ads, video ids and furniture go; offsets map back; the date is read."""
import unicodedata

from hypothesis import assume, given, strategies as st

from kg.errors import LoadError

from kg.loaders.articles import make_article
from kg.loaders.clean import clean
from kg.loaders.normalise import SPACES, look_alikes

BODY = ("Armenian and Azerbaijani envoys met in Geneva on Tuesday.\n\n"
        "The talks focused on the border.\n")


def cleaned(text):
    return clean(make_article("t.txt", text, "txt"))


POSTS = [("john_doe99", "This is all propaganda and NATO is to blame for everything here."),
         ("Wizzard", "Russia supports everyone, obviously, says me and my neighbours."),
         ("john_doe99", "You again? Nobody believes a word of this, trust me on that."),
         ("Karen B", "God protect the patrols and everybody who rides with them."),
         ("Lazy Gamer", "That one changes the whole reason for the alliance, lol.")]


def test_clean_drops_a_comment_thread_with_a_reader_posting_twice():
    text = BODY + "".join(f"\n\n{name}\n\n{post}\n" for name, post in POSTS)
    result = cleaned(text)
    assert "propaganda" not in result.text and "lol" not in result.text
    assert "Geneva" in result.text and "border" in result.text
    assert dict(result.cut)["reader comments"] > 200 and result.cut_share > 0.5


def test_clean_drops_a_nested_comment_list():
    thread = "".join(f"\n  • {name}\n\n    {post}\n" for name, post in POSTS)
    result = cleaned(BODY + "\nClick to enlarge the map\n\n" + thread)
    assert "obviously" not in result.text and "Click" not in result.text and "border" in result.text


def test_clean_keeps_lists_breaks_and_subheadings_of_an_article_body():
    """What cut real pages short: a short list item, a '* * *' break or a short subheading
    after two blank lines was taken for the first reader comment."""
    text = ("Delegations met in Istanbul on Friday to discuss the ceasefire and the exchange of prisoners.\n\n"
            "- Corona\n- Anzeige\n- Sport\n\n* * *\n\n\nTalks in Istanbul\n\n"
            "The delegations met again on Friday and agreed on a second round.\n\n\n"
            "What comes next\n\nBoth sides said a third round could follow within weeks.\n\n\n"
            "Talks in Istanbul\n\nObservers expect the talks to resume in Geneva next month.\n\n\n"
            "Background\n\nThe war began in February and has displaced millions of people.\n")
    result = cleaned(text)
    for phrase in ("Anzeige", "* * *", "What comes next", "third round", "resume in Geneva", "displaced millions"):
        assert phrase in result.text, phrase
    assert result.cut == ()


def test_clean_drops_explicit_comment_headings():
    text = BODY + "\n12 Comments\n\nGreat article, thanks for writing it all up.\n"
    result = cleaned(text)
    assert "Great article" not in result.text and "border" in result.text


def test_clean_removes_ads_furniture_and_identifier_lines():
    text = ("[ad_1]\nSkip to main content\nThe ministers met in Baku.[ad_2]\n"
            "Tap here to view the gallery\n"
            "8825107120012 5d1c0a33-1b2c-4e5f-9a8b-0c1d2e3f4a5b\nvideo\nShare this article\n")
    result = cleaned(text)
    assert result.text == "The ministers met in Baku."
    assert dict(result.cut)["page furniture"] > 50


def test_clean_reads_date_marker_and_dateline():
    assert cleaned(" date 2021-04-05 Leaders met in Paris.").date == "2021-04-05"
    assert cleaned("MARCH 14, 2021\n\nLeaders met in Paris.").date == "2021-03-14"
    assert cleaned("MAY 2019\n\nLeaders met in Paris.").date == "2019-05"
    assert cleaned("Leaders met in Paris.").date is None


def test_clean_json_published_date_wins():
    article = make_article("a.json", "Leaders met in Paris.", "json", published="2020-01-02T10:00:00Z")
    assert clean(article).date == "2020-01-02"


def test_clean_offsets_point_into_the_raw_text():
    text = "[ad_1]\n date 2022-01-01 The envoy arrived in Tripoli.\n\nHe met officials."
    result = cleaned(text)
    start = result.text.index("Tripoli")
    raw_start, raw_end = result.raw_span(start, start + len("Tripoli"))
    assert text[raw_start:raw_end] == "Tripoli"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300))
def test_clean_never_invents_characters(text):
    """Every character of the clean text is a character of the raw text at the mapped offset."""
    try:
        result = cleaned(text)
    except LoadError:
        assume(False)   # nothing but blanks and control characters: refused as input, tested elsewhere
    raw = result.article.raw
    assert len(result.offsets) == len(result.text)
    for index, char in enumerate(result.text):
        source = raw[result.offsets[index]]
        assert source == char or char == "\n" or (char == " " and source in SPACES) or look_alikes().get(source) == char \
            or unicodedata.normalize("NFD", char)[0] == unicodedata.normalize("NFD", source)[0] \
            or char in unicodedata.normalize("NFD", source), (char, source)


def test_clean_normalises_invisible_characters_and_spaces_with_offsets_into_the_raw_text():
    raw = "Erdo\u200bgan met Pu\u00adtin and \u2067Macron\u2069 in Sochi;\u00a0Erdog\u0306an left."
    result = cleaned(raw)
    assert result.text == "Erdogan met Putin and Macron in Sochi; Erdoğan left."
    start = result.text.index("Erdoğan")
    a, b = result.raw_span(start, start + len("Erdoğan"))
    assert raw[a:b] == "Erdog\u0306an"
    a, b = result.raw_span(0, len("Erdogan"))
    assert raw[a:b] == "Erdo\u200bgan"


def dated(text, url=""):
    result = clean(make_article("t.txt", text, "txt", url=url))
    return result.date, result.date_source


def test_article_date_from_a_place_dateline():
    body = "Turkey and Russia agreed to a ceasefire in Idlib on Wednesday, officials said."
    assert dated(f"WASHINGTON, Jan. 15, 2025 (AP) — {body}") == ("2025-01-15", "dateline")
    assert dated(f"MOSCOW, 17 October 2019 /TASS/ - {body}") == ("2019-10-17", "dateline")
    url = "https://example.org/world/2019/10/17/idlib-ceasefire"
    assert dated(f"ANKARA, October 17 (Reuters) - {body}", url) == ("2019-10-17", "dateline")
    assert dated(f"ANKARA, October 17 (Reuters) - {body}") == (None, "")     # no year anywhere: no date


def test_article_date_from_a_caption_or_byline_but_not_from_the_body():
    caption = "Turkish troops near Idlib, Jan. 15, 2025. (Photo: Reuters)"
    body = "The Sochi memorandum was signed on September 17, 2018 by Turkey and Russia."
    assert dated(f"{caption}\n\n{body}") == ("2025-01-15", "caption")
    assert dated(f"Published 9 March 2024\n{body}") == ("2024-03-09", "caption")
    assert dated(body) == (None, "")


def test_article_date_from_the_url_when_the_text_has_none():
    body = "Turkey and Russia agreed to a ceasefire in Idlib on Wednesday."
    assert dated(body, "https://news.example/2019/10/17/ceasefire.html") == ("2019-10-17", "url")
    assert dated(body, "https://news.example/2019/10/ceasefire") == ("2019-10", "url")
    assert dated(" date 2020-01-02 " + body, "https://news.example/2019/10/17/x") == ("2020-01-02", "marker")
