"""kg's rules read English: a page in another language gives no facts (its capitalised nouns
would read as places) and the ingest summary says why, on sentences written for this test."""
from click.testing import CliRunner

from kg.loaders.articles import make_article
from kg.loaders.language import looks_english
from kg.loaders.pipeline import extract

GERMAN = ("Die Regierung in Berlin hat am Montag beschlossen, dass die Truppen in Litauen bleiben. "
          "Der Minister sagte in Vilnius, dass die Lage in der Region ernst sei und dass man mit den "
          "Partnern in der NATO sprechen werde. Die Soldaten aus Deutschland sind seit Jahren in Rukla "
          "stationiert und werden von Kanada unterstützt.")
ENGLISH = ("Russian forces shelled Kharkiv on Monday, the governor said. Turkey backs the Syrian National "
           "Army, which seized Afrin in 2018 after a two-month offensive against the YPG. The talks in "
           "Geneva were attended by envoys of the United States and of Russia, and they will resume.")


def test_a_german_page_gives_no_facts_and_is_flagged():
    extraction = extract(make_article("de.txt", GERMAN, "txt"))
    assert not extraction.facts
    assert any(kind == "language" for kind, _word, _reading in extraction.clean.flags)


NAMES = ("India's Lieutenant General Rajiv Ghai and Pakistan's Major General Kashif Abdullah held a call.\n"
         "Field Marshal Khalifa Haftar visited Cairo.\nMajor General Kashif Abdullah said talks went well.\n"
         "Russian Lieutenant General Andrei Mordvichev took command.")


def test_english_news_is_read_and_short_texts_are_always_read():
    assert looks_english(ENGLISH) and extract(make_article("en.txt", ENGLISH, "txt")).facts
    assert looks_english("Wagner in Mali")          # too short to judge


def test_a_brief_full_of_names_is_still_english():
    assert looks_english(NAMES) and extract(make_article("names.txt", NAMES, "txt")).facts


def test_the_ingest_summary_says_why_a_page_gave_nothing(tmp_path):
    from kg.cli import cli

    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "ingest", str(tmp_path / "de.txt")])
    assert result.exit_code == 0, result.output
    assert "de.txt: not English" in result.output and "no facts read" in result.output
