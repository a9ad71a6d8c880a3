"""Reference across sentences (loaders/reference.py), on sentences written for these tests."""
from kg.loaders.articles import make_article
from kg.loaders.pipeline import extract


def facts(text):
    return {(f.subject.label, f.predicate, f.object.label) for f in extract(make_article("t.txt", text, "txt")).facts}


def test_the_two_leaders_are_the_latest_pair_that_talked():
    got = facts("Emmanuel Macron spoke with Volodymyr Zelensky on Monday.\n"
                "Olaf Scholz visited Warsaw.\nThe two leaders met in Kyiv on Friday.")
    assert ("Emmanuel Macron", "talked_with", "Volodymyr Zelensky") in got
    assert not any("Olaf Scholz" in (s, o) and p == "talked_with" for s, p, o in got)


def test_the_two_leaders_with_no_earlier_pair_stay_unresolved():
    got = facts("Olaf Scholz visited Warsaw.\nThe two leaders met in Kyiv on Friday.")
    assert not any(p == "talked_with" for _, p, _ in got)


def test_the_group_is_the_one_armed_group_named_so_far():
    assert ("Iran", "supports", "Hamas") in facts(
        "Hamas fired rockets at Israel. The group has been armed by Iran for years.")
    two_groups = facts("Hamas and Hezbollah fired rockets at Israel. The group has been armed by Iran for years.")
    assert not any(p == "supports" for _, p, _ in two_groups)


def test_he_is_the_one_person_of_the_previous_sentence():
    assert ("Alexander Lukashenko", "talked_with", "Vladimir Putin") in facts(
        "Vladimir Putin arrived in Minsk. He met Alexander Lukashenko on Friday.")
    ambiguous = facts("Vladimir Putin arrived in Minsk with Sergei Lavrov. He met Alexander Lukashenko on Friday.")
    assert not any("Alexander Lukashenko" in (s, o) and p == "talked_with" for s, p, o in ambiguous)


def test_a_person_arriving_is_a_visit_not_a_presence():
    assert not any(p == "present_in" for _, p, _ in facts("Vladimir Putin arrived in Minsk on Friday."))


def test_the_army_is_the_one_state_whose_forces_were_named():
    assert ("Mali", "controls", "Timbuktu") in facts(
        "Malian troops advanced north on Monday.\nThe army later took control of Timbuktu.")
    two_armies = facts("Malian troops and Burkinabe soldiers advanced north on Monday.\n"
                       "The army later took control of Timbuktu.")
    assert not any(o == "Timbuktu" and p == "controls" for _, p, o in two_armies)
    assert not any(p == "controls" for _, p, _ in facts("The army later took control of Timbuktu."))
