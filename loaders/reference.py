"""Reference across sentences: what "the two leaders", "both sides", "the group" or "he"
stands for, from what the earlier sentences of the same article established.

Sieve-style, precise first, and only where one reading is possible (a slot word that no
mention covers is offered here by :mod:`kg.loaders.frames`):
  1. "the two leaders/sides/countries/presidents", "both sides", "both": the latest pair of
     actors that talked (or were parties together) in an earlier sentence;
  2. "the group/militia/movement", "the paramilitary force", "the rebel group": the one armed
     group the article has named so far (none when it named two);
  3. "he"/"she" as a subject: the one person the previous sentence named, when the
     sentence names no person before the pronoun;
  4. "the army/military": the one state whose forces the article has named so far ("Malian
     troops", "Sudan's army"; none when it named two).
Anything else stays unresolved. The capital described by a demonym ("the Turkish
capital") is read as a mention (``mentions.py``/``resolve.py``), not here.
"""
from __future__ import annotations

import re
from typing import Optional

from kg.model import Entity, Fact, Mention

PAIR_NOUNS = {"leader", "president", "side", "country", "party", "man", "minister", "government", "head",
              "delegation", "nation", "neighbour", "neighbor", "counterpart", "premier", "rival", "foe"}
GROUP_NOUNS = {"group", "militia", "movement", "organisation", "organization", "faction", "alliance"}
GROUP_ADJECTIVES = {"paramilitary", "rebel", "militant", "armed", "jihadist", "insurgent", "separatist", "islamist"}
ARMY_NOUNS = {"army", "military"}
FORCE_WORDS = ("army", "military", "armed forces", "troops", "forces", "soldiers", "junta")
PAIR_PREDICATES = {"talked_with", "party_to"}


class Discourse:
    """One article's running state, fed sentence by sentence in text order."""

    def __init__(self):
        self.pair: Optional[tuple[Entity, Entity]] = None
        self.groups: dict[str, Entity] = {}
        self.armies: dict[str, Entity] = {}
        self.previous_persons: dict[str, Entity] = {}
        self._parties: dict[str, list[Entity]] = {}

    def note(self, mentions: list[Mention], facts: list[Fact]) -> None:
        """Record what a sentence established, after its facts are read."""
        for fact in facts:
            if fact.predicate == "talked_with" and isinstance(fact.object, Entity):
                self.pair = (fact.subject, fact.object)
            elif fact.predicate == "party_to" and isinstance(fact.object, Entity):
                parties = self._parties.setdefault(fact.object.id, [])
                if all(p.id != fact.subject.id for p in parties):
                    parties.append(fact.subject)
                if len(parties) == 2:
                    self.pair = (parties[0], parties[1])
        for mention in mentions:
            entity = mention.entity
            if isinstance(entity, Entity) and entity.type == "ArmedGroup":
                self.groups[entity.id] = entity
            if _names_state_forces(mention):
                self.armies[entity.id] = entity
        self.previous_persons = {m.entity.id: m.entity for m in mentions
                                 if isinstance(m.entity, Entity) and m.entity.type == "Person"}

    def pairs_for(self, facts: list[Fact]) -> list[tuple[tuple[Entity, Entity], bool]]:
        """The pairs "the two leaders" may stand for in a sentence whose facts are ``facts``, most
        likely first, each with whether it comes from this sentence: the one pair that talked in
        it ("X met Y, and the two men signed ..."), then the latest pair of the sentences before."""
        here = {tuple(sorted((f.subject, f.object), key=lambda e: e.id)) for f in facts
                if f.predicate == "talked_with" and isinstance(f.object, Entity)}
        out = [(next(iter(here)), True)] if len(here) == 1 else []
        return out + ([(self.pair, False)] if self.pair else [])

    def resolve(self, word, offset: int, mentions: list[Mention]) -> list[Mention]:
        """Mentions standing for a slot word no mention covers; [] when it is not certain."""
        lower, lemma = word.lower_, word.lemma_.lower()
        entities: list[Entity] = []
        if self.pair and is_pair_word(word):
            entities = list(self.pair)
        elif (lemma in GROUP_NOUNS and _definite_bare(word) or _described_group(word)) and len(self.groups) == 1:
            entities = list(self.groups.values())
        elif lemma in ARMY_NOUNS and _definite_bare(word) and len(self.armies) == 1:
            entities = list(self.armies.values())
        elif lower in ("he", "she") and word.dep_ in ("nsubj", "nsubjpass") and len(self.previous_persons) == 1:
            position = word.idx + offset
            if not any(m.type == "Person" and m.start < position for m in mentions):
                entities = list(self.previous_persons.values())
        start = word.idx + offset
        return [Mention(start, start + len(word.text), word.text, e.type, e, 0.8) for e in entities]


BARE_ARMY = re.compile(r"\b[Tt]he (?:army|military)\b(?!\s*[-‐])")


def army_mentions(text: str, mentions: list[Mention], gaz) -> list[Mention]:
    """'the army' / 'the military' as mentions of the one state military the article named before them
    as an actor of its own ("... the Sudanese Armed Forces (SAF) ... which the army and the RSF signed");
    its country's forces named as the country ("Sudanese army units") are the same army. None where
    another state's forces were named, where only a country's forces were (kept to the parse, see
    Discourse), or where the words open an office ("the army chief")."""
    from kg.loaders.mentions import lexicon

    offices = {w.lower() for key in ("titles", "head_titles", "aide_titles") for w in lexicon().get(key, [])}
    out: list[Mention] = []
    for match in BARE_ARMY.finditer(text):
        start, end = match.start(), match.end()
        if any(m.start < end and start < m.end for m in mentions):
            continue
        following = re.match(r"\s+([a-z]+(?:\s+[a-z]+)?)", text[end:end + 40])
        if following and (following.group(1) in offices or following.group(1).split()[0] in offices):
            continue                                     # "the army chief", "the military spokesman"
        armies = {m.entity.id: m.entity for m in mentions if m.end <= start and _names_state_forces(m)}
        states = {(gaz.get(e.label).data.get("country") if gaz.get(e.label) else None) for e in armies.values()
                  if e.type == "Organization"}
        left = [e for e in armies.values() if not (e.type == "Country" and e.label in states)]
        if len(left) != 1 or left[0].type != "Organization":
            continue
        out.append(Mention(start, end, match.group(0), left[0].type, left[0], 0.8))
    return out


def _names_state_forces(mention: Mention) -> bool:
    """'Malian troops', "Sudan's army", 'the Sudanese Armed Forces': a state's own forces named."""
    entity = mention.entity
    if not isinstance(entity, Entity) or entity.type not in ("Country", "Organization"):
        return False
    if "forces" in mention.tags and entity.type == "Country":
        return any(word in mention.text.lower() for word in FORCE_WORDS)
    return entity.type == "Organization" and entity.attr("kind") == "government" and \
        any(word in mention.text.lower() for word in FORCE_WORDS)


def is_pair_word(word) -> bool:
    """'the two leaders', 'both sides', or 'both' as a subject."""
    return _is_pair(word) or (word.lower_ == "both" and word.dep_ in ("nsubj", "nsubjpass"))


def _is_pair(word) -> bool:
    """'the two leaders', 'both sides', 'the two countries' foreign ministers'."""
    if word.lemma_.lower() not in PAIR_NOUNS or word.tag_ not in ("NNS", "NNPS"):
        return False
    return any((c.dep_ == "nummod" and c.lower_ == "two") or (c.dep_ in ("det", "predet", "preconj") and c.lower_ == "both")
               for c in word.children)


def _described_group(word) -> bool:
    """'the paramilitary force', 'the rebel group', 'the jihadist movement': a group noun only a word of
    GROUP_ADJECTIVES describes (whose one armed group the article named is it)."""
    children = list(word.children)
    return (word.lemma_.lower() in GROUP_NOUNS | {"force"}) and any(c.dep_ == "det" and c.lower_ == "the" for c in children) \
        and any(c.dep_ == "amod" and c.lower_ in GROUP_ADJECTIVES for c in children) \
        and not any(c.dep_ in ("compound", "prep", "nmod", "poss", "appos", "relcl", "acl") for c in children) \
        and all(c.lower_ in GROUP_ADJECTIVES for c in children if c.dep_ == "amod")


def _definite_bare(word) -> bool:
    """'the group' with nothing naming or describing it ('the rebel group', 'the group of states' are not)."""
    children = list(word.children)
    return any(c.dep_ == "det" and c.lower_ == "the" for c in children) and \
        not any(c.dep_ in ("amod", "compound", "prep", "nmod", "poss", "appos", "relcl", "acl") for c in children)
