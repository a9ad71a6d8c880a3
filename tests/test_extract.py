"""Facts from sentences written for these tests: one behaviour per test."""
from pathlib import Path


from kg.loaders.articles import make_article
from kg.loaders.pipeline import extract

EXTRA = (str(Path(__file__).parent / "data" / "extra_gazetteer.yaml"),)


def facts(text, date=None, gazetteer=()):
    body = f"date {date} {text}" if date else text
    extraction = extract(make_article("t.txt", body, "txt"), gazetteer)
    return {(f.subject.label, f.predicate, f.object.label) for f in extraction.facts}


def test_titles_give_leaders_and_officials():
    got = facts("French President Emmanuel Macron and Russian Foreign Minister Sergey Lavrov met in Paris.")
    assert ("Emmanuel Macron", "leader_of", "France") in got
    assert ("Sergey Lavrov", "official_of", "Russia") in got
    assert ("Emmanuel Macron", "talked_with", "Sergey Lavrov") in got or \
        ("Sergey Lavrov", "talked_with", "Emmanuel Macron") in got


def test_unknown_titled_person_becomes_an_entity():
    got = facts("Chilean Foreign Minister Ana Ruiz Tagle criticised the plan.")
    assert ("Ana Ruiz Tagle", "official_of", "Chile") in got


def test_user_gazetteer_entries_are_used():
    got = facts("The Northern Tarvas Brigade, backed by Norway, seized Velmora.", gazetteer=EXTRA)
    assert ("Norway", "supports", "Northern Tarvas Brigade") in got
    assert ("Northern Tarvas Brigade", "controls", "Velmora") in got


def test_office_resolves_to_holder_on_article_date():
    got = facts("The Norwegian president spoke with Chilean Foreign Minister Marta Velasquez-Orin.",
                date="2021-06-01", gazetteer=EXTRA)
    assert ("Oskar Halvorsen", "leader_of", "Norway") in got
    assert any(p == "talked_with" and {s, o} == {"Oskar Halvorsen", "Marta Velasquez-Orin"} for s, p, o in got)
    later = facts("The Norwegian president spoke with reporters.", date="2026-06-01", gazetteer=EXTRA)
    assert not any("Halvorsen" in s for s, _, _ in later)


def test_state_forces_fold_into_the_state():
    got = facts("Ukrainian troops shelled Russian positions, and Russian warplanes struck Ukrainian forces.")
    assert ("Russia", "attacked", "Ukraine") in got


def test_demonym_backed_states_support():
    got = facts("Iranian-backed Houthis fired missiles at ships.")
    assert any(s == "Iran" and p == "supports" for s, p, o in got)


def test_passive_backing_with_a_list():
    got = facts("The Libyan National Army, backed by Russia and the United Arab Emirates, besieged Tripoli.")
    assert ("Russia", "supports", "Libyan National Army") in got
    assert ("United Arab Emirates", "supports", "Libyan National Army") in got


def test_negation_blocks_a_fact():
    assert not any(p == "supports" for _, p, _ in facts("Egypt denied that it supports the Libyan National Army."))
    assert not any(p == "supports" for _, p, _ in facts("Qatar does not support Hamas, officials said."))


def test_capital_is_the_government_as_subject_and_a_place_after_in():
    got = facts("Ankara supports Baku, while Moscow backs Yerevan.")
    assert ("Turkey", "supports", "Azerbaijan") in got
    assert ("Russia", "supports", "Armenia") in got
    assert not any(p == "supports" for _, p, _ in facts("Officials met in Moscow and in Ankara."))


def test_located_in_from_demonym_place_noun():
    got = facts("Shelling hit the Syrian town of Saraqib overnight.")
    assert ("Saraqib", "located_in", "Syria") in got


def test_near_is_not_located_in():
    got = facts("The convoy stopped near the town of Khan Shaykhun.")
    assert not any(p in ("located_in", "present_in") for _, p, _ in got)


def test_agreement_signed_on_and_parties():
    got = facts("The Minsk Protocol of September 5, 2014 was signed by Ukraine and Russia.")
    signed = {o for s, p, o in got if p == "signed_on"}
    assert "2014-09-05" in signed
    assert any(p == "party_to" and s == "Ukraine" for s, p, o in got)


def test_relative_signing_date_uses_the_article_date():
    got = facts("Sudan's rival factions signed the Jeddah Declaration on Thursday.", date="2023-05-12")
    assert any(p == "signed_on" and o == "2023-05-11" for s, p, o in got)


def test_acronym_defined_in_text_resolves_later_mentions():
    got = facts("Fighters of the Zintan Mountain Front (ZMF) clashed with police. "
                "Later, Turkey said it supports the ZMF.")
    assert any(p == "supports" and s == "Turkey" for s, p, o in got)


def test_membership_and_talks():
    got = facts("Hezbollah belongs to the so-called axis of resistance, and Iran backs Hezbollah.")
    assert ("Iran", "supports", "Hezbollah") in got


def test_comments_produce_no_facts():
    posts = [("reader42", "Nonsense. Russia supports Armenia and France backs Armenia too."),
             ("Lone Ranger", "Good article, the talks will go nowhere again this year."),
             ("reader42", "Wrong again, the ceasefire will not hold for a week."),
             ("Xoli Xoli", "Iran backs whoever pays more, everybody knows that."),
             ("Black Waters", "Time for talking is over, clear and simple.")]
    text = ("Turkey supports Azerbaijan, the foreign ministry in Ankara said on Tuesday.\n"
            + "".join(f"\n\n{name}\n\n{post}\n" for name, post in posts))
    got = facts(text)
    assert ("Turkey", "supports", "Azerbaijan") in got
    assert not any(s in ("Russia", "France") for s, _, _ in got)


def test_extraction_is_deterministic():
    text = "Russia and Turkey agreed on a ceasefire. Russian jets bombed Idlib. Turkey backs the rebels."
    first = extract(make_article("a.txt", text, "txt"))
    second = extract(make_article("a.txt", text, "txt"))
    assert first.facts == second.facts


def test_a_misspelt_agreement_noun_still_names_the_agreement():
    got = facts("Under the Minsk agrement, Ukraine was to hold local elections in the Donbas.")
    assert any(p == "party_to" and s == "Ukraine" and "Minsk" in o for s, p, o in got)


def test_a_name_after_an_abbreviation_at_a_line_end_is_not_glued_to_it():
    # "U.S." ends a line and "Pierre Dumont, the UN envoy for Chad" starts the next: the apposition
    # pattern sees "S.\nPierre Dumont", which is not one name (extraction used to raise here).
    text = ("Talks were hosted by the U.S.\nPierre Dumont, the UN special envoy for Chad, said the truce "
            "would hold. Chad's army backs the truce.")
    facts(text)                                  # must not raise


def test_a_comma_after_an_introductory_phrase_does_not_make_a_list():
    got = facts("After calling Emmanuel Macron, Olaf Scholz met Volodymyr Zelensky in Kyiv.")
    assert ("Olaf Scholz", "talked_with", "Volodymyr Zelensky") in got
    assert ("Emmanuel Macron", "talked_with", "Volodymyr Zelensky") not in got


def test_a_reporting_clause_after_a_comma_is_not_part_of_the_list():
    got = facts("Hamas has agreed to talks with Israel, Abdel Fattah el-Sisi said on Monday.")
    assert not any("Abdel Fattah el-Sisi" in (s, o) and p == "talked_with" for s, p, o in got)


def test_a_headline_list_is_a_list():
    got = facts("Macron, Scholz discuss Ukraine aid\nThe two leaders spoke by phone.")
    assert ("Emmanuel Macron", "talked_with", "Olaf Scholz") in got


def test_a_title_case_headline_is_cut_at_the_verb():
    got = facts("French President Emmanuel Macron And Olaf Scholz Meet In Berlin")
    assert ("Emmanuel Macron", "leader_of", "France") in got
    assert ("Emmanuel Macron", "talked_with", "Olaf Scholz") in got


def test_a_town_in_a_province_is_the_target_not_the_province():
    for text in ("Russian drones struck Lyman in Donetsk on Monday.",
                 "Russian drones struck the town of Lyman in Donetsk on Monday."):
        got = facts(text)
        assert ("Russia", "attacked", "Lyman") in got
        assert ("Russia", "attacked", "Donetsk") not in got
        assert ("Lyman", "located_in", "Donetsk") in got


def test_titles_with_a_scope_a_rank_or_letters_beyond_ascii():
    got = facts("The U.S. Special Envoy for Sudan, Tom Perriello, met army chief Abdel Fattah al-Burhan. "
                "Nigerien Chief of Staff Gen. Moussa Salaou Barmou spoke later. "
                "Turkish Foreign Minister Mevlüt Çavuşoğlu was also there.")
    assert ("Tom Perriello", "official_of", "United States") in got
    assert ("Moussa Salaou Barmou", "official_of", "Niger") in got
    assert ("Mevlut Cavusoglu", "official_of", "Turkey") in got
    assert not any(s in ("Gen", "Mevlüt") for s, _, _ in got)


def test_the_demonym_capital_is_the_city_after_a_place_word_or_in_apposition():
    got = facts("Protests spread to Bamako, the Malian capital. Lukashenko met Putin in Minsk. "
                "Talks in the Belarusian capital lasted four hours.")
    assert ("Bamako", "located_in", "Mali") in got
    assert ("Minsk", "located_in", "Belarus") in got
    assert not any(p == "located_in" for _, p, _ in facts("Talks in the Belarusian capital lasted four hours."))


def test_a_demonym_before_plural_place_nouns_places_every_listed_place():
    got = facts("Fighters must leave the Lebanese border villages of Khiam and Naqoura.")
    assert ("Khiam", "located_in", "Lebanon") in got and ("Naqoura", "located_in", "Lebanon") in got


def test_a_clause_after_a_comma_and_has_its_own_subject():
    got = facts("Goma is the main stronghold of the M23, and Rwanda has long denied any role there.")
    assert ("Rwanda", "controls", "Goma") not in got
    got = facts("Iran supports Hezbollah, and Russia backs Syria.")
    assert ("Iran", "supports", "Russia") not in got
    assert ("Russia", "supports", "Syria") in got


def test_receiving_support_or_hosting_a_meeting_about_a_country_is_no_talk():
    assert not any(p == "talked_with" for _, p, _ in facts("Hamas said it received support from Iran."))
    assert not any(p == "talked_with" for _, p, _ in facts("Antony Blinken hosted a meeting on Sudan in Washington."))
    assert ("Antony Blinken", "talked_with", "Benjamin Netanyahu") in facts("Antony Blinken received Benjamin Netanyahu in Washington.")


def test_talks_called_for_are_not_talks_held():
    assert not any(p == "talked_with" for _, p, _ in facts("China called for talks between Russia and Ukraine."))
    assert ("Russia", "talked_with", "Ukraine") in facts("Talks between Russia and Ukraine collapsed in 2022.")


def test_expelling_troops_is_no_attack():
    assert not any(p == "attacked" for _, p, _ in facts("Niger expelled French troops in 2023."))
