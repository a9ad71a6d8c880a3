"""Dependency frames (schema/frames/*.yaml): every example sentence a frame carries, run
through the whole extractor, gives the facts it lists and none of those it marks absent."""
import pytest

from kg.errors import SchemaError
from kg.loaders import frames as frames_module
from kg.loaders.articles import make_article
from kg.loaders.pipeline import extract

EXAMPLES = [(frame.id, number, example) for frame in frames_module.frames()
            for number, example in enumerate(frame.examples)]


def read(text: str) -> dict:
    """{(subject, predicate, object): rules that read it} for one sentence."""
    extraction = extract(make_article("example.txt", text, "txt"))
    return {(f.subject.label, f.predicate, f.object.label): f.evidence.rule for f in extraction.facts}


def _key(triple):
    subject, predicate, obj = triple
    if predicate == "talked_with" and obj < subject:
        subject, obj = obj, subject
    return subject, predicate, obj


@pytest.mark.parametrize("frame_id,number,example", EXAMPLES, ids=[f"{f}#{n}" for f, n, _ in EXAMPLES])
def test_frame_example(frame_id, number, example):
    got = read(example["text"])
    for triple in example.get("facts", []):
        assert _key(triple) in got, (example["text"], sorted(got))
    for triple in example.get("absent", []):
        assert _key(triple) not in got, (example["text"], got[_key(triple)])


def test_every_frame_reads_at_least_one_of_its_examples_itself():
    """A frame whose facts only the regex rules produce is dead weight."""
    dead = []
    for frame in frames_module.frames():
        positives = [e for e in frame.examples if e.get("facts")]
        if not positives:
            dead.append(frame.id)
            continue
        if not any(f"dep.{frame.id}" in read(e["text"]).get(_key(t), "")
                   for e in positives for t in e["facts"]):
            dead.append(frame.id)
    assert dead == []


def test_a_frame_naming_an_unknown_role_or_word_class_is_refused(monkeypatch):
    original = frames_module.read_text
    for frame, message in (("{id: x, predicate: supports, trigger: {lemma: $NOPE}, subject: subj}", "unknown word class"),
                           ("{id: x, predicate: supports, trigger: {lemma: back}, subject: nope}", "unknown role")):
        monkeypatch.setattr(frames_module, "read_text",
                            lambda name, frame=frame: f"- {frame}" if name.startswith("frames/") else original(name))
        frames_module.frames.cache_clear()
        try:
            with pytest.raises(SchemaError, match=message):
                frames_module.frames()
        finally:
            frames_module.frames.cache_clear()


def test_a_possessive_pronoun_in_a_verbless_headline_ends():
    """'its' looks for the subject of its clause; a headline has no verb to find."""
    got = read("Ukraine and its long war with Russia\nMali and its rival, Algeria")
    assert ("Ukraine", "supports", "Russia") not in got
