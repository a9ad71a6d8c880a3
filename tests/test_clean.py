"""Cleaning: comments, ads, video ids and furniture go; offsets map back; the date is read."""
from hypothesis import assume, given, strategies as st

from kg.errors import LoadError

from kg.loaders.articles import make_article
from kg.loaders.clean import clean

BODY = ("Armenian and Azerbaijani envoys met in Geneva on Tuesday.\n\n"
        "The talks focused on the border.\n")


def cleaned(text):
    return clean(make_article("t.txt", text, "txt"))


def test_clean_drops_reader_comments_after_blank_lines():
    text = BODY + "\n\n\njohn_doe99\n\nThis is all propaganda and NATO is to blame for everything.\n"
    result = cleaned(text)
    assert "propaganda" not in result.text
    assert "Geneva" in result.text


def test_clean_drops_bulleted_comment_threads():
    text = BODY + "\n  • Wizzard\n\n    Russia supports everyone, obviously, says me.\n"
    assert "obviously" not in cleaned(text).text


def test_clean_keeps_section_headings_inside_the_body():
    text = "First paragraph about Kyiv.\n\nTalks in Istanbul\n\nThe delegations met again on Friday.\n"
    result = cleaned(text)
    assert "Talks in Istanbul" in result.text and "met again" in result.text


def test_clean_removes_ads_furniture_and_video_ids():
    text = ("[ad_1]\nSkip to main content\nThe ministers met in Baku.[ad_2]\n"
            "Click to see the full-size image\n"
            "6134349304001 770c6204-9717-41cf-9870-556ab41ab7a\nvideo\nShare this article\n")
    result = cleaned(text)
    assert result.text == "The ministers met in Baku."


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
        assert raw[result.offsets[index]] == char or char == "\n"
