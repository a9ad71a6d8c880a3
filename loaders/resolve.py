"""Candidates -> Mentions: one entity per span, one entity per real-world thing.

Settles what each span means in this article: gazetteer spellings and aliases,
context-bound common nouns ("the regime" only in Syria news), capitals as
governments or as places, state forces folded into the state, titles and
offices ("the Turkish president" -> the holder on the article's date),
acronyms defined in the text, and surnames after a full name.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import Iterable, Optional

from rapidfuzz import fuzz, process

from kg.ids import entity_id
from kg.loaders import geonames
from kg.loaders.gazetteer import Entry, Gazetteer
from kg.loaders.mentions import NAME_STOP as NAME_STOP_WORDS
from kg.loaders.mentions import Candidate, lexicon
from kg.model import Entity, Mention

LOCATION_LIKE = ("Location", "Country")
REPORTED = re.compile(r"\b(?:said|says|added|stated|told reporters|announced|confirmed)(?: that)? (he|she)\b")
POSSESSIVE = re.compile(r"\b(its|their|his|her)\s+(?:own\s+)?((?:attacks?|offensive|assault|strikes?|raids?|"
                        r"troops|forces|fighters|campaign|militias?|fight|war|struggle|battle|insurgency|ouster|removal|"
                        r"overthrow|downfall|resignation)\b)?")
NOT_SUBJECT = re.compile(r"\b(?:by|and|with)\s+(?:the\s+)?$", re.IGNORECASE)
FORMER = re.compile(r"\b(?:former|ex-|late|erstwhile|ousted|deposed)\s*$|\b(?:former|ex-)\s", re.IGNORECASE)
ANTI = re.compile(r"\banti-([A-Za-z]+)")
BACKED = re.compile(r"\b([A-Za-z.]+)-(?:backed|supported|sponsored|funded|armed)\b")
LED_BY = re.compile(r"^([A-Z][\w-]+)(?:'s|’s)\s")
CLASS_NOUN = re.compile(r"\b(?:one|some|many|several|most|each|any|none|all) of (?:the )?(?:[a-z-]+ ){0,2}$", re.IGNORECASE)
# "forces loyal to <leader>", "the government of President <leader>": the body the person leads.
LOYAL_TO = re.compile(r"\b(?:(?:[Tt]he\s+)?(?P<forces>(?i:forces|troops|soldiers|fighters|militias?|militiamen|units|loyalists|gunmen))"
                      r"\s+(?:loyal|allied)\s+to|(?:[Tt]he\s+)?(?P<state>government|regime|administration)\s+of)"
                      r"\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$")
PERSON_MODIFIED = re.compile(r"^\s+(?:regime|government|administration|forces|troops|loyalists)\b", re.IGNORECASE)


def new_entity(entity_type: str, label: str, **attrs) -> Entity:
    return Entity(entity_id(entity_type, label), label, entity_type,
                  tuple(sorted((k, v) for k, v in attrs.items() if v is not None)))


class Resolver:
    """Resolves the candidates of one article."""

    def __init__(self, text: str, gazetteer: Gazetteer, article_date: Optional[str]):
        self.text = text
        self.gaz = gazetteer
        self.date = article_date
        self.context: set[str] = set()
        self.local_names: dict[str, Entity] = {}     # acronyms and surnames defined in this article
        self._spelled_out: dict[tuple, Mention] = {}  # (start, end) of a new acronym's long form: its mention
        self._groups_named: list[tuple[int, Entity]] = []   # where the article names each armed group
        self.locative = set(lexicon()["locative_words"])
        self.relation_nouns = set(lexicon()["relation_nouns"])
        self.titles = lexicon()["titles"]

    # -- entry point ----------------------------------------------------------
    def resolve(self, candidates: list[Candidate], dates: Iterable) -> list[Mention]:
        self.context = {e.label for c in candidates if c.kind in ("name", "capital", "demonym", "forces", "seat")
                        for e in c.entries}
        self._name_new_acronyms(candidates)
        self._groups_named = [(c.start, e.entity) for c in candidates if c.kind == "name"
                              for e in c.entries[:1] if e.type == "ArmedGroup"]
        mentions: list[Mention] = []
        for candidate in candidates:
            mentions.extend(self._mentions_of(candidate))
        mentions.extend(Mention(s, e, self.text[s:e], "Date", v, 1.0) for s, e, v in dates)
        chosen = _non_overlapping(mentions)
        chosen = self._drop_person_modifiers(chosen)
        chosen = [self._body_led_by(m, chosen) for m in chosen]
        chosen = [self._with_first_name(m) for m in chosen]
        chosen = self._roles_of_possessive_owners(chosen)
        chosen += self._local_name_mentions(chosen, candidates)
        chosen = sorted(_non_overlapping(chosen), key=lambda m: (m.start, m.end))
        pronouns = self._possessive_pronouns(chosen) + self._reported_speakers(chosen)
        return sorted(chosen + pronouns, key=lambda m: (m.start, m.end))

    def _reported_speakers(self, mentions: list[Mention]) -> list[Mention]:
        """'Rubio said he had spoken with ...': the pronoun after a verb of saying is the speaker."""
        out = []
        for match in REPORTED.finditer(self.text):
            antecedent = self._antecedent(mentions, match.start(), personal=True)
            if antecedent is not None and antecedent.end > match.start() - 120:
                out.append(Mention(match.start(1), match.end(1), match.group(1), antecedent.type,
                                   antecedent.entity, 0.6, tags=frozenset({"pronoun"})))
        return out

    def _possessive_pronouns(self, mentions: list[Mention]) -> list[Mention]:
        """'its attack', 'his ... Party': the possessive stands for the nearest fitting mention before it."""
        out = []
        starts = {m.start: m for m in mentions}
        for match in POSSESSIVE.finditer(self.text):
            following = starts.get(match.end())
            word = match.group(1).lower()
            personal = word in ("his", "her")
            if following is not None:
                if following.type not in ("Organization", "ArmedGroup") or (personal and "titled" in following.tags):
                    continue
            elif not match.group(2):
                continue
            antecedent = self._antecedent(mentions, match.start(), personal)
            if antecedent is not None:
                out.append(Mention(match.start(1), match.end(1), match.group(1), antecedent.type,
                                   antecedent.entity, 0.6, tags=frozenset({"pronoun"})))
        return out

    def _antecedent(self, mentions: list[Mention], position: int, personal: bool) -> Optional[Mention]:
        """The nearest earlier mention that can be the possessor, in subject position (not after 'by', 'and')."""
        wanted = ("Person",) if personal else ("Organization", "ArmedGroup", "Country")
        reach = 400 if personal else 200
        for mention in reversed([m for m in mentions if m.end <= position]):
            if position - mention.end > reach:
                return None
            if not personal and re.search(r"[.!?]\s", self.text[mention.end:position]):
                return None
            if mention.type in wanted and isinstance(mention.entity, Entity) and \
                    not NOT_SUBJECT.search(self.text[max(0, mention.start - 12):mention.start]):
                return mention
        return None

    # -- one candidate ----------------------------------------------------------
    def _mentions_of(self, c: Candidate) -> list[Mention]:
        handler = getattr(self, f"_{c.kind}", None)
        return handler(c) if handler else []

    def _mention(self, c: Candidate, entity: Entity, start=None, end=None, conf=None, **extra) -> Mention:
        start = c.start if start is None else start
        end = c.end if end is None else end
        return Mention(start, end, self.text[start:end], entity.type, entity,
                       c.confidence if conf is None else conf, **extra)

    def _name(self, c: Candidate) -> list[Mention]:
        entry = self._pick(c.entries)
        if not entry:
            return []
        if entry.type == "Location" and c.text in self.gaz.capitals and self._acting_capital(c):
            return [self._mention(c, self.gaz.government(self.gaz.capitals[c.text]).entity, conf=0.85,
                                  tags=frozenset({"capital"}))]
        links = self._modifier_links(c.text, entry.entity) + self._region_link(c.text, entry.entity)
        return [self._mention(c, entry.entity, links=links + self._government_link(entry))]

    def _government_link(self, entry) -> tuple:
        """'the Ethiopian government' (a body of its own) still names its state for an office held there."""
        country = entry.data.get("country") if entry.type == "Organization" and entry.data.get("kind") == "government" else None
        state = self.gaz.get(country) if country else None
        return (("government_of", state.entity),) if state is not None else ()

    def _acting_capital(self, c: Candidate) -> bool:
        """A capital the gazetteer also lists as a place ('Damascus') names its government only where an
        actor stands: opening a clause ('Damascus rejected ...', 'Moscow and Damascus') or after a relation
        noun ('an ally of Damascus'); after a verb or a preposition it is the city ('attacked Tripoli')."""
        if re.match(r"\s*(?:['’]s\b|-)", self.text[c.end:c.end + 3]):
            return False
        previous = re.findall(r"[\w-]+|[,;:(]", self.text[max(0, c.start - 30):c.start])
        if not previous or previous[-1] in (",", ";", ":", "(") or previous[-1].lower() in ("and", "but", "while", "that"):
            return not re.match(r"\s*,", self.text[c.end:c.end + 2]) or not previous
        return self._after_relation_noun(previous)

    def _after_relation_noun(self, previous: list) -> bool:
        """Whether the words before a name end in '<relation noun> of' ('an ally of') or '<aid noun> to'
        ('military aid to Kyiv': the government it goes to)."""
        if len(previous) < 2:
            return False
        word, before = previous[-1].lower(), previous[-2].lower()
        return (word == "of" and before in self.relation_nouns) or \
            (word in ("to", "for") and before in lexicon()["aid_nouns"])

    def _region_link(self, text: str, entity: Entity) -> tuple:
        """'<direction> <country>' ("eastern Ukraine"), a gazetteer place, still lies in the country."""
        words = text.split(None, 1)
        if entity.type != "Location" or len(words) < 2 or words[0].lower() not in lexicon()["directions"]:
            return ()
        country = [e for e in self.gaz.names.get(words[1], []) if e.type == "Country"]
        return (("region_of", country[0].entity),) if country else ()

    def _generic(self, c: Candidate) -> list[Mention]:
        entries = [e for e in c.entries if not e.context or self.context & set(e.context)]
        if not entries or CLASS_NOUN.search(self.text[max(0, c.start - 40):c.start]):
            return []
        return [self._mention(c, entries[0].entity, links=self._modifier_links(c.text, entries[0].entity))]

    def _modifier_links(self, text: str, entity: Entity) -> tuple:
        """What a name's own words state: 'anti-regime armed groups' oppose the regime,
        'Turkish-backed rebels' are supported by Turkey, "Haftar's forces" are led by Haftar."""
        links = []
        if "-" not in text and "'" not in text and "’" not in text:
            return ()                   # each pattern needs a hyphen or a possessive
        for pattern, relation in ((ANTI, "opposes"), (BACKED, "supported_by"), (LED_BY, "led_by")):
            for match in pattern.finditer(text):
                target = self._lookup_word(match.group(1))
                if target is None or target.id == entity.id:
                    continue
                if relation == "led_by" and (target.type != "Person" or entity.type not in ("ArmedGroup", "Organization")):
                    continue
                links.append((relation, target))
        return tuple(links)

    def _lookup_word(self, word: str) -> Optional[Entity]:
        for key in (word, word[:1].upper() + word[1:]):
            if key in self.gaz.demonyms:
                return self.gaz.government(self.gaz.demonyms[key]).entity
            people = self.gaz.surnames.get(key, set())
            if len(people) == 1:
                return self.gaz.get(next(iter(people))).entity
        if word in self.gaz.demonyms:
            return self.gaz.government(self.gaz.demonyms[word]).entity
        for index, key in ((self.gaz.names, word), (self.gaz.generic, word.lower()),
                           (self.gaz.generic, "the " + word.lower())):
            entries = [e for e in index.get(key, []) if not e.context or self.context & set(e.context)]
            if entries:
                return entries[0].entity
        return None

    def _pick(self, entries: list[Entry]) -> Optional[Entry]:
        if not entries:
            return None
        in_context = [e for e in entries if not e.context or self.context & set(e.context)]
        return (in_context or entries)[0]

    def _demonym(self, c: Candidate) -> list[Mention]:
        country = c.entries[0].entity
        return [Mention(c.start, c.end, c.text, "Demonym", country, 0.9)]

    def _capital(self, c: Candidate) -> list[Mention]:
        country = c.entries[0]
        following = re.match(r"\s+([A-Z]\w+)", self.text[c.end:c.end + 30])
        if following and following.group(1) in lexicon()["name_heads_after_capital"]:
            return []
        before = _capital_description().sub("", self.text[max(0, c.start - 50):c.start])   # "in the capital Mogadishu"
        before = re.split(r"[.!?;:\n]\s", before)[-1]          # words of this sentence only ("... the attacks. Kyiv said")
        previous = re.findall(r"[\w-]+", before[-30:])
        possessive = re.match(r"['’]s\b", self.text[c.end:c.end + 3]) is not None
        relation_of = self._after_relation_noun(previous)
        if previous and previous[-1].lower() in self.locative and not (possessive and previous[-1].lower() == "of") \
                and not relation_of:                                     # "an ally of Damascus": the government
            place = self.gaz.get(c.text)
            entity = place.entity if place and place.type == "Location" else new_entity(
                "Location", c.text, lat=None, lon=None)
            return [self._mention(c, entity, conf=0.9)]
        return [self._mention(c, self.gaz.government(country).entity, conf=0.85, tags=frozenset({"capital"}))]

    def _capital_description(self, c: Candidate) -> list[Mention]:
        """'the Turkish capital': the city after a place preposition, else the government. When
        the article also names the city, the description says the city lies in the country."""
        country = c.entries[0]
        city = next((name for name, entry in self.gaz.capitals.items() if entry.entity.id == country.entity.id), None)
        previous = re.findall(r"[\w-]+", self.text[max(0, c.start - 30):c.start])
        apposition = city and re.search(rf"\b{re.escape(city)}\s*,\s*$", self.text[max(0, c.start - 60):c.start])
        if city and (apposition or previous and previous[-1].lower() in self.locative):
            place = self.gaz.get(city)
            entity = place.entity if place and place.type == "Location" else new_entity("Location", city, lat=None, lon=None)
            named = re.search(rf"\b{re.escape(city)}\b", self.text) is not None
            links = (("located_in", country.entity),) if named else ()
            return [self._mention(c, entity, conf=0.85, links=links)]
        return [self._mention(c, self.gaz.government(country).entity, conf=0.8, tags=frozenset({"capital"}))]

    def _seat(self, c: Candidate) -> list[Mention]:
        return [self._mention(c, self.gaz.government(c.entries[0]).entity, conf=0.9)]

    def _forces(self, c: Candidate) -> list[Mention]:
        """One mention per demonym: 'Turkish and Russian forces' -> Turkey, Russia; "Syria's army" -> the
        Syrian government."""
        out = []
        spans = [m for m in re.finditer(r"[\w’'.-]+", c.text)]
        positions = []
        for entry in c.entries:
            for word in spans:
                if word.group(0) in self.gaz.demonyms and self.gaz.demonyms[word.group(0)] is entry \
                        and (c.start + word.start()) not in positions:
                    positions.append(c.start + word.start())
                    break
        if not positions and len(c.entries) == 1:    # "Colombia's government": the name, not a demonym
            positions.append(c.start)
        for index, (entry, start) in enumerate(zip(c.entries, positions)):
            end = c.end if index == len(positions) - 1 else start + len(re.match(r"[\w’'.-]+", self.text[start:]).group(0))
            out.append(self._mention(c, self.gaz.government(entry).entity, start, end,
                                     tags=frozenset({"forces"})))
        return out

    def _government_of(self, c: Candidate) -> list[Mention]:
        """'the Government of Ethiopia': the country's government (the country unless the gazetteer names one)."""
        return [self._mention(c, self.gaz.government(c.entries[0]).entity, tags=frozenset({"forces"}))]

    def _titled(self, c: Candidate) -> list[Mention]:
        title, name = c.meta["title"], c.meta["name"]
        person = self._person(name)
        counterpart = title.lower().startswith("counterpart")
        kind = None if counterpart else self._title_kind(title)
        if "owner" in c.meta:
            owner, start = self._body_before_title(c) or self._owner_entity(c.meta["owner"]), c.start
        else:
            owner, start = self._owner_before(c.start)
            owner = owner or self._body_served(c)
            if owner is None and not counterpart:
                office = self._office_after(c.end)      # 'Major General X, spokesman for Nigeria's Defence HQ,'
                if office is not None:
                    owner, title = office
                    kind = self._title_kind(title)
        if self.gaz.names.get(name) and person.type != "Person":
            return []       # 'the official Xinhua agency': a title word before a known non-person
        implied = False
        if (owner is None or owner.type == "Country") and not counterpart:
            named = self._owner_named_by_title(person, title)
            if named is not None:
                owner, kind = named   # '(Sudan's) army chief X': the army the gazetteer dates X to
        if title[:1].islower() and owner is None and not counterpart:
            return []       # a lowercase title needs its owner: 'Hamas official X', not 'the official X' 
        if kind == "official" and owner is not None and owner.type != "Country" and any(
                r.kind == "leader" and r.of == owner.label for r in self.gaz.role_of(person.label, None, self.date)):
            kind = "leader"   # 'RSF commander X' where the gazetteer dates X as the RSF's head ('Sudan's army
                              # chief X' stays an office of Sudan, whatever else X heads)
        if FORMER.search(self.text[max(0, start - 12):start]) or FORMER.search(c.text[:c.text.find(name)]):
            kind = "former"
        if owner is None and not counterpart:
            owner, implied = self._implied_owner(person, title), True
        role = ((kind or "counterpart"), owner, title, implied)
        return [Mention(start, c.end, self.text[start:c.end], "Person", person,
                        c.confidence if person.id in self._known_ids() else 0.75, role=role,
                        tags=frozenset({"titled"}))]

    def _office_after(self, end: int) -> Optional[tuple[Entity, str]]:
        """'<rank> <Name>, spokesman for <body>,': the office set off after a titled name, and its owner."""
        match = _office_after_re(tuple(self.titles)).match(self.text, end)
        if match is None or match.group("title").lower() in lexicon()["head_titles"]:
            return None                      # 'X, commander of Y': the leader_of rules read it
        words = match.group("owner").split()
        owner = next((e for e in (self._owner_entity(" ".join(words[:i])) for i in range(len(words), 0, -1)) if e), None)
        return (owner, match.group("title")) if owner is not None else None

    def _body_served(self, c: Candidate) -> Optional[Entity]:
        """'a spokesman for Hamas, <Name>,': the organisation or group an office is for owns it (not a
        country or a place: 'the envoy for Sudan' is no office of Sudan's)."""
        scope = re.fullmatch(r"\s+for\s+(?:the\s+)?(?P<body>[^,]+?),?\s*",
                             self.text[c.start + len(c.meta["title"]):c.meta["name_start"]])
        body = self._owner_entity(scope.group("body")) if scope else None
        return body if body is not None and body.type in ("Organization", "ArmedGroup") else None

    def _title_kind(self, title: str) -> str:
        for known, kind in self.titles.items():
            if known.lower() == title.lower():
                return kind
        return "official"

    def _body_before_title(self, c: Candidate) -> Optional[Entity]:
        """'Syrian Democratic Forces commander X': a group or organisation whose whole name comes before
        the title owns the office, not the demonym the name begins with ('Palestinian Authority
        spokesman'). A ministry the gazetteer does not hold ('Iranian Foreign Ministry spokesman')
        leaves the office to the state."""
        title_at = c.text.lower().rfind(c.meta["title"].lower(), 0, c.meta["name_start"] - c.start)
        words = re.sub(r"(?:'s|’s)$", "", c.text[:max(title_at, 0)].strip())
        entries = [e for e in self.gaz.names.get(words, []) if e.type in ("ArmedGroup", "Organization")]
        return entries[0].entity if " " in words and entries else None

    def _owner_before(self, start: int) -> tuple[Optional[Entity], int]:
        """The country or organisation written just before a title ('Russian', "Russia's", 'UN'); a
        name with its acronym ('the Libyan National Army (LNA) commander') is owned by the acronym's body."""
        before = self.text[max(0, start - 60):start]
        group = _THE_GROUPS.search(before)
        if group is not None:           # "the group's military spokesman, X,": the one armed group named before
            named = {e.id: e for at, e in self._groups_named if at < start}
            return (next(iter(named.values())), start - len(before) + group.start()) if len(named) == 1 else (None, start)
        acronym = re.search(r"\(([A-Z][\w.\-]*)\)\s+$", before)
        body = self._owner_entity(acronym.group(1)) if acronym else None
        if body is not None:
            opening = before.rfind(body.label, 0, acronym.start())
            return body, start - len(before) + (opening if opening >= 0 else acronym.start(1) - 1)
        match = re.search(r"([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3})(?:'s|’s)?"
                          r"(?:\s+(?:foreign|defen[cs]e|interior|ministry|presidential|military|army|government|"
                          r"state|national|security|top|chief|senior))*\s+$", before)
        if not match:
            return None, start
        word = match.group(1)
        body = self._owner_entity(word) if " " not in word else None
        possessor = re.search(r"([A-Z][\w\-]*(?: [A-Z][\w\-]*){0,2})(?:'s|’s) $", before[:match.start(1)])
        state = self._owner_entity(possessor.group(1)) if possessor and body and body.type == "Organization" else None
        if state is not None and state.type == "Country":    # "Algeria's U.N. ambassador": Algeria's office there
            return state, start - len(before) + possessor.start(1)
        words = word.split()
        for i in range(len(words)):
            candidate = " ".join(words[i:])
            entity = self._owner_entity(candidate)
            if entity:
                return entity, start - len(before) + match.start(1) + len(" ".join(words[:i])) + (1 if i else 0)
        for i, single in enumerate(words):   # 'Iranian Foreign Ministry spokesman': the demonym owns the office
            entity = self._owner_entity(single) if single in self.gaz.demonyms else None
            if entity:
                return entity, start - len(before) + match.start(1) + len(" ".join(words[:i])) + (1 if i else 0)
        return None, start

    def _owner_entity(self, word: str) -> Optional[Entity]:
        if word in self.gaz.demonyms:
            return self.gaz.demonyms[word].entity
        seat = self.gaz.seats.get(word) or self.gaz.seats.get("the " + word)
        if seat is not None:
            return seat.entity
        entries = [e for e in self.gaz.names.get(word, []) if e.type in ("Country", "Organization", "ArmedGroup")]
        if entries:
            return entries[0].entity
        return self.local_names.get(word) or self._state_led_by(word)

    def _state_led_by(self, word: str) -> Optional[Entity]:
        """"Putin's spokesman", "President Trump's envoy": the one state the gazetteer dates the person as leading."""
        people = [e for e in self.gaz.names.get(word, []) if e.type == "Person"]
        states = {r.of for p in people[:1] for r in self.gaz.role_of(p.label, None, self.date) if r.kind == "leader"}
        entry = self.gaz.get(states.pop()) if len(states) == 1 else None
        return entry.entity if entry is not None and entry.type == "Country" else None

    def _owner_named_by_title(self, person: Entity, title: str) -> Optional[tuple[Entity, str]]:
        """A title that names its institution ('army chief', 'junta leader') without a country: the one
        institution the gazetteer dates the person's matching role to, and that role's kind."""
        role_titles = lexicon().get("titles_naming_owner", {}).get(title.lower())
        if not role_titles:
            return None
        roles = [r for t in role_titles for r in self.gaz.role_of(person.label, t, self.date)]
        if len({r.of for r in roles}) != 1:
            return None
        entry = self.gaz.get(roles[0].of)
        return (entry.entity, roles[0].kind) if entry else None

    def _implied_owner(self, person: Entity, title: str) -> Optional[Entity]:
        """'President <name>': the country of the role the gazetteer dates to the article."""
        roles = self.gaz.role_of(person.label, title, self.date)
        owners = {r.of for r in roles}
        if len(owners) == 1:
            entry = self.gaz.get(owners.pop())
            if entry:
                return entry.entity
        return None

    def _person(self, name: str) -> Entity:
        known = [e for e in self.gaz.names.get(name, []) if e.type != "Person"]
        if known and not any(e.type == "Person" for e in self.gaz.names.get(name, [])):
            return known[0].entity
        words = name.split()
        honorifics = set(lexicon()["honorifics"])
        while len(words) > 2 and words[0] in honorifics:
            words.pop(0)
        name = " ".join(words)
        entries = [e for e in self.gaz.names.get(name, []) if e.type == "Person"]
        if entries:
            return entries[0].entity
        parts = name.split()
        surname = parts[-1]
        labels = self.gaz.surnames.get(surname, set())
        if len(labels) == 1:
            label = next(iter(labels))
            first = self.gaz.get(label).label.split()[0]
            if len(parts) == 1 or fuzz.ratio(parts[0], first) >= 70:
                return self.gaz.get(label).entity
        if surname in self.local_names and self.local_names[surname].type == "Person":
            return self.local_names[surname]
        entity = new_entity("Person", name)
        if len(parts) >= 2:
            self.local_names.setdefault(surname, entity)
        return entity

    def _known_ids(self) -> set:
        return _known_ids(self.gaz)

    def _office(self, c: Candidate) -> list[Mention]:
        """'the Turkish president' -> the president of Turkey on the article's date."""
        if not self.date:
            return []
        kind = self._title_kind(c.meta["title"])
        out = []
        for demonym in c.meta["demonyms"]:
            country = self.gaz.demonyms.get(demonym)
            if country is None:
                continue
            holders = self.gaz.office_holders(country.label, kind, c.meta["title"], self.date)
            if len(holders) != 1:
                continue
            start = c.start + c.text.find(demonym)
            end = c.end if demonym == c.meta["demonyms"][-1] else start + len(demonym)
            out.append(Mention(start, end, self.text[start:end], "Person", holders[0].entity, 0.75,
                               role=(kind, country.entity, c.meta["title"], False), tags=frozenset({"office"})))
        return out

    def _place(self, c: Candidate) -> list[Mention]:
        entry = self._pick([e for e in self.gaz.names.get(c.text, []) if e.type in LOCATION_LIKE])
        if entry:
            return [self._mention(c, entry.entity, conf=0.95)]
        if self.gaz.names.get(c.text):          # a known name of another kind: not a place
            return []
        near = self._near_location(c.text)
        entity = near.entity if near else new_entity("Location", c.text)
        self.local_names.setdefault(c.text, entity)
        return [self._mention(c, entity)]

    def _near_location(self, name: str) -> Optional[Entry]:
        """A gazetteer place spelled almost the same ('Sraqib' for 'Saraqib')."""
        return _nearest_location(self.gaz, name)

    def _region(self, c: Candidate) -> list[Mention]:
        country = c.entries[0].entity
        known = [e for e in self.gaz.names.get(c.text, []) + self.gaz.names.get(c.meta["label"], [])
                 if e.type == "Location"]
        region = known[0].entity if known else new_entity("Location", c.meta["label"])
        return [self._mention(c, region, links=(("region_of", country),))]

    def _named_agreement(self, c: Candidate) -> list[Mention]:
        """'the Liptako-Gourma Charter': a capitalised name ending in Treaty, Charter, Accord ..."""
        name = c.text
        year = re.match(r"((?:19|20)\d\d)\s+(.*)", name)
        bare = year.group(2) if year else name
        known = [e for e in self.gaz.names.get(bare, []) if e.type == "Agreement"]
        if known:
            return [self._mention(c, known[0].entity, conf=0.95)]
        if any(w in self.gaz.names or w in self.gaz.demonyms for w in bare.split()[:-1]) and \
                not re.search(r"[-\w]+-[-\w]+", bare):
            return []   # 'Russia Agreement' style: a known name plus a head is not a new agreement
        return [self._mention(c, new_entity("Agreement", bare), conf=0.75)]

    def _base(self, c: Candidate) -> list[Mention]:
        known = [e for e in self.gaz.names.get(c.meta["label"], []) if e.type == "Location"]
        return [self._mention(c, known[0].entity if known else new_entity("Location", c.meta["label"]))]

    def _appositive(self, c: Candidate) -> list[Mention]:
        """A person named with the office after the name; the office gives the role."""
        person = self._person(c.meta["name"])
        if person.type != "Person":
            return []
        words = c.meta["owner"].split()       # 'an aide to Russian President Vladimir Putin': Putin's state
        if words and words[-1].endswith(".") and "." not in words[-1][:-1]:
            words[-1] = words[-1][:-1]          # the sentence's stop, not an initial ('U.N.')
        owner = next((e for e in (self._owner_entity(" ".join(words[i:])) for i in range(len(words))) if e), None) \
            or _named_office(words)
        kind = "former" if c.meta.get("former") else self._title_kind(c.meta["title"])
        role = (kind, owner, c.meta["title"], False)
        return [Mention(c.start, c.end, c.text, "Person", person, 0.8, role=role, tags=frozenset({"titled"}))]

    def _countryside(self, c: Candidate) -> list[Mention]:
        return [self._mention(c, new_entity("Location", c.meta["label"]))]

    def _airspace(self, c: Candidate) -> list[Mention]:
        owner = c.meta["owner"]
        if c.meta["demonym"]:
            country = self.gaz.demonyms[owner]
            return [self._mention(c, new_entity("Location", f"{owner} airspace"),
                                  links=(("airspace_of", country.entity),))]
        entries = [e for e in self.gaz.names.get(owner, []) if e.type in LOCATION_LIKE]
        if not entries:
            return []
        entity = entries[0].entity
        if entity.type == "Country":
            demonyms = [d for d, e in self.gaz.demonyms.items() if e is entries[0] and d[0].isupper()]
            label = f"{demonyms[0]} airspace" if demonyms else f"{entity.label} airspace"
            return [self._mention(c, new_entity("Location", label), links=(("airspace_of", entity),))]
        return [self._mention(c, new_entity("Location", f"{entity.label} airspace"))]

    def _agreement(self, c: Candidate) -> list[Mention]:
        place = c.meta["place"]
        known = [e for e in self.gaz.agreements_at(place)     # named after the place, not just signed there
                 if any(place in name for name in [e.label, *(e.data.get("aliases") or [])])]
        year = c.meta.get("year")
        if year:
            dated = [e for e in known if str(e.data.get("signed", ""))[:4] == year]
            known = dated or known
        known = self._fitting_descriptions(known, c.meta["noun"], strict=bool(c.meta.get("reached")))
        links = ()
        modifier = c.meta.get("modifier")
        if modifier:
            target = self._pick([e for e in self.gaz.names.get(modifier, []) if e.type in LOCATION_LIKE])
            if target:
                links = (("applies_to", target.entity),)
        if known:
            return [self._mention(c, known[0].entity, links=links)]
        if c.meta.get("reached") or not self._is_place(place):
            return []
        noun = c.meta["noun"]
        if noun not in lexicon()["agreement_nouns"]:
            noun = "agreement"
        return [self._mention(c, new_entity("Agreement", f"{place} {noun}"), conf=0.7, links=links)]

    def _fitting_descriptions(self, entries: list[Entry], noun: str, strict: bool) -> list[Entry]:
        """Gazetteer agreements a place-named mention can mean, best first.

        One that covers (or was signed by) something the article mentions fits; so does one
        whose kind is the noun used ('ceasefire'). A description ('a ceasefire agreement in
        Geneva') must fit the article; a name ('the Sochi deal') needs only one candidate or a fit.
        """
        def fits(entry):
            return bool(self.context & set(entry.data.get("applies_to") or entry.data.get("parties") or []))

        def kind_fits(entry):
            return str(entry.data.get("kind", "")) in noun

        ranked = sorted(entries, key=lambda e: (not fits(e), not kind_fits(e)))
        if strict:
            return [e for e in ranked if fits(e)]
        if len(ranked) > 1 and not fits(ranked[0]) and not kind_fits(ranked[0]):
            return []
        return ranked

    def _is_place(self, name: str) -> bool:
        return name in self.gaz.capitals or any(e.type in LOCATION_LIKE for e in self.gaz.names.get(name, []))

    def _unknown_place(self, c: Candidate) -> list[Mention]:
        """A capitalised name after 'in'/'near': a place if GeoNames knows it as a city, or if
        nothing else in the gazetteer or the article claims the name."""
        if c.text in self.gaz.names or c.text in self.gaz.demonyms or c.text in self.gaz.capitals \
                or c.text in self.gaz.surnames or c.text in self.local_names:
            return []
        following = self.text[c.end:c.end + 2]
        if following[:1] in ("'", "’") or re.match(r"\s[A-Z]", following):
            return []           # "in Trump's", "in Hong Kong"-like longer names are left alone
        city = geonames.lookup(c.text)
        entity = new_entity("Location", c.text, lat=city.lat if city else None, lon=city.lon if city else None,
                            geonames_id=city.geonames_id if city else None)
        self.local_names.setdefault(c.text, entity)
        return [self._mention(c, entity, conf=0.7 if city else 0.6,
                              tags=frozenset({"geonames"}) if city else frozenset({"unverified"}))]

    def _listed_place(self, c: Candidate) -> list[Mention]:
        """'... including Bahawalpur': a name in a list is a place only when GeoNames knows it as a city."""
        if geonames.lookup(c.text) is None:
            return []
        return self._unknown_place(c)

    def _admin_area(self, c: Candidate) -> list[Mention]:
        """'Oddar Meanchey province': a place named by its administrative noun, unless the gazetteer or the
        article knows the name (or a word of it) as something else ('Islamic State', 'the Kurdish region')."""
        name = c.meta["name"]
        words = re.split(r"[\s-]+", name)
        known = self.local_names.get(name)         # 'at Namissiguima in Yatenga province': the name read as a place
        if name in self.gaz.names or (known is not None and known.type != "Location") or any(
                w in self.gaz.demonyms or w in self.gaz.names or w in self.gaz.surnames for w in words):
            return []
        entity = new_entity("Location", name)
        self.local_names.setdefault(name, entity)
        return [self._mention(c, self.local_names[name], tags=frozenset({"admin"}))]

    def _group_name(self, c: Candidate) -> list[Mention]:
        words = re.split(r"[\s-]+", c.text)
        if c.text in self.gaz.names or any(w in self.gaz.demonyms or w in self.gaz.names for w in words):
            return []
        return [self._mention(c, new_entity("ArmedGroup", c.text))]

    def _acronym_def(self, c: Candidate) -> list[Mention]:
        return []

    def _named_by_head(self, c: Candidate) -> Optional[Mention]:
        """'the Zintan Mountain Front (ZMF)': a new entity typed by the last word of its name."""
        name = re.sub(r"^(?:The|the)\s+", "", c.text)
        start = c.end - len(name)
        head = name.split()[-1]
        lex = lexicon()
        if head not in lex["armed_group_heads"] and head not in lex["organization_heads"]:
            head = _head_before_of(name) or head     # 'the Union of Forces for Democracy and Development (UFDD)': Union
        if head in lex["armed_group_heads"]:
            entity_type = "ArmedGroup"
        elif head in lex["organization_heads"]:
            entity_type = "Organization"
        else:
            return None
        kind = {"kind": "party"} if head == "Party" else {}     # 'the Democratic Progressive Party (DPP)'
        return Mention(start, c.end, name, entity_type, new_entity(entity_type, name, **kind), 0.7)

    # -- article-level passes ---------------------------------------------------
    def _roles_of_possessive_owners(self, mentions: list[Mention]) -> list[Mention]:
        """"the UN's Ghassan Salame", "Russia's Lavrov": a known person after a state's or body's
        possessive holds the office the gazetteer dates them to in it (no such role: nothing said)."""
        ends = {m.end: m for m in mentions if m.type in ("Country", "Organization", "ArmedGroup")
                and isinstance(m.entity, Entity)}
        out = []
        for mention in mentions:
            owner = ends.get(mention.start - 3) if mention.type == "Person" and mention.role is None else None
            if owner is not None and self.text[owner.end:mention.start] in ("'s ", "’s "):
                kinds = {r.kind for r in self.gaz.role_of(mention.entity.label, None, self.date)
                         if r.of == owner.entity.label}
                if len(kinds) == 1:
                    mention = dataclasses.replace(mention, role=(kinds.pop(), owner.entity, "", False))
            out.append(mention)
        return out

    def _with_first_name(self, mention: Mention) -> Mention:
        """A first name transliterated differently ('Mohamad' for 'Mohammed') before a known
        surname joins the mention."""
        if mention.type != "Person" or mention.role or " " in mention.text:
            return mention
        match = re.search(r"([A-Z][a-z]+)\s+$", self.text[max(0, mention.start - 30):mention.start])
        if not match or match.group(1) in NAME_STOP_WORDS:
            return mention
        first = mention.entity.label.split()[0]
        if fuzz.ratio(match.group(1), first) < 70:
            return mention
        start = mention.start - len(match.group(0))
        return Mention(start, mention.end, self.text[start:mention.end], mention.type, mention.entity,
                       mention.confidence, mention.role, mention.tags, mention.links)

    def _body_led_by(self, mention: Mention, mentions: list[Mention]) -> Mention:
        """'forces loyal to <leader>', 'the government of <leader>': the armed group or government
        the person leads on the article's date (gazetteer roles) acts, and is led by the person."""
        if mention.type != "Person" or not isinstance(mention.entity, Entity):
            return mention
        match = LOYAL_TO.search(self.text, max(0, mention.start - 80), mention.start)
        if match is None or match.end() != mention.start or self.text.startswith(("'s", "’s"), mention.end) or \
                any(match.start() < m.end and m.start < mention.start for m in mentions if m is not mention):
            return mention
        body = next((self.gaz.get(r.of) for r in self.gaz.role_of(mention.entity.label, None, self.date)
                     if r.kind == "leader" and self.gaz.get(r.of) is not None), None)
        if body is None or (match.group("state") and body.type != "Country" and body.data.get("kind") != "government"):
            return mention
        if body.type == "Country":
            body = self.gaz.government(body)
        start = match.start()
        return Mention(start, mention.end, self.text[start:mention.end], body.type, body.entity, 0.85,
                       links=(("led_by", mention.entity),))

    def _drop_person_modifiers(self, mentions: list[Mention]) -> list[Mention]:
        """'<leader's surname> regime forces': the person's name modifies the forces, it is not the actor;
        the following mention takes the name into its span."""
        by_start = {m.start: m for m in mentions}
        dropped, widened = set(), {}
        for mention in mentions:
            if mention.type == "Person" and not mention.role and PERSON_MODIFIED.match(self.text[mention.end:]):
                dropped.add(id(mention))
                gap = len(self.text[mention.end:]) - len(self.text[mention.end:].lstrip())
                following = by_start.get(mention.end + gap)
                if following is not None:
                    widened[id(following)] = mention.start
        out = []
        for mention in mentions:
            if id(mention) in dropped:
                continue
            if id(mention) in widened:
                start = widened[id(mention)]
                mention = Mention(start, mention.end, self.text[start:mention.end], mention.type, mention.entity,
                                  mention.confidence, mention.role, mention.tags, mention.links)
            out.append(mention)
        return out

    def _spelled_out_known_acronym(self, c: Candidate, mentions: list[Mention]) -> Optional[Mention]:
        """'the Popular Front for the Liberation of Tigray (TPLF)': a long form the gazetteer lacks, spelled
        out before an acronym it knows, names the acronym's entity (when no known group lies inside it)."""
        entries = [e for e in self.gaz.names.get(c.meta["acronym"], []) if e.type in ("ArmedGroup", "Organization")]
        if len(entries) != 1 or any(m.start < c.end and c.start < m.end and m.type in ("ArmedGroup", "Organization")
                                    and m.entity.id in self._known_ids() for m in mentions):
            return None
        name = re.sub(r"^(?:The|the)\s+", "", c.text)
        return Mention(c.end - len(name), c.end, name, entries[0].type, entries[0].entity, 0.85)

    def _name_new_acronyms(self, candidates: list[Candidate]) -> None:
        """Acronyms the gazetteer does not know, spelled out by a name it does not know either ('the Rally
        of Forces for Change (RFC)'), known before offices are read: 'RFC spokesman <Name>' is the RFC's."""
        known = [c for c in candidates if c.kind in ("name", "capital", "seat")]
        for c in candidates:
            if c.kind != "acronym_def" or c.meta["acronym"] in self.gaz.names or c.meta["acronym"] in self.local_names \
                    or any(k.start < c.end and c.start < k.end for k in known):
                continue
            full = self._named_by_head(c)
            if full is not None:
                self.local_names[c.meta["acronym"]] = full.entity
                self._spelled_out[(c.start, c.end)] = full

    def _local_name_mentions(self, mentions: list[Mention], candidates: list[Candidate]) -> list[Mention]:
        """Acronyms defined in the text ('National Liberation Front (NLF)') and surnames of new persons."""
        by_span = {(m.start, m.end): m for m in mentions}
        out = []
        for c in candidates:
            if c.kind != "acronym_def":
                continue
            if (c.start, c.end) in self._spelled_out:     # the whole name, over any shorter reading inside it
                out.append(self._spelled_out[(c.start, c.end)])
                continue
            full = by_span.get((c.start, c.end)) or next(
                (m for m in mentions if m.end == c.end and m.start >= c.start and m.entity is not None
                 and (m.start == c.start or m.type not in LOCATION_LIKE)), None)    # '... of Tigray (TPLF)': not Tigray
            if full is None:
                full = self._spelled_out_known_acronym(c, mentions)
                if full is not None:
                    out.append(full)
                    continue
            if full is None and all(c.start <= m.start and m.end <= c.end and m.type == "Location"
                                    for m in mentions if m.start < c.end and c.start < m.end):
                full = self._named_by_head(c)     # places inside it are part of the name ('Rally of Forces for Change')
                if full is not None:
                    out.append(full)
            if full is not None and isinstance(full.entity, Entity) and full.type not in ("Demonym", "Date"):
                self.local_names.setdefault(c.meta["acronym"], full.entity)
        taken = [(m.start, m.end) for m in mentions + out]
        for name, entity in self.local_names.items():
            if name in self.gaz.names:
                continue
            for start in _standalone(self.text, name):
                if any(a <= start < b for a, b in taken):
                    continue
                out.append(Mention(start, start + len(name), name, entity.type, entity, 0.85))
        return out


# "the group's (military) spokesman": an office of the group the article named before (see Resolver._owner_before)
_THE_GROUPS = re.compile(r"\b[Tt]he\s+(?:group|movement|militia|faction|rebels|insurgents)['’]s?(?:\s+(?:military|political|"
                         r"armed|top|chief|senior|main|official))*\s+$")


@lru_cache(maxsize=1)
def _capital_description() -> re.Pattern:
    """A description between a place preposition and the capital it names (schema/lexicon.yaml
    settlement_nouns): "in the capital Mogadishu", "at the Somali capital, Mogadishu", "in the port city of Aden"."""
    nouns = "|".join(sorted(lexicon()["settlement_nouns"], key=len, reverse=True))
    return re.compile(rf"\b(?:the\s+)?(?:[A-Z][\w-]+\s+){{0,2}}(?:port\s+)?(?:{nouns})(?:\s+city)?(?:\s+of)?,?\s*$")


@lru_cache(maxsize=4)
def _office_after_re(titles: tuple) -> re.Pattern:
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(rf",\s+(?:(?:the|a|an)\s+)?(?:(?:senior|top|chief|deputy|acting|military|army|official)\s+)*"
                      rf"(?P<title>(?i:{alternatives}))\s+(?:for|of|at)\s+(?:the\s+)?"
                      rf"(?P<owner>[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){{0,3}})")


def _named_office(words: list) -> Optional[Entity]:
    """'a spokeswoman for the Taiwan Affairs Office': a body the gazetteer does not know, named by its own
    words and typed by its last ('Office'); not 'the Foreign Ministry', which names no one body."""
    lex = lexicon()
    generic = set(lex["portfolio_words"]) | set(lex["organization_heads"]) | {"The", "Ministry", "Foreign", "Presidential"}
    while words and "-" in words[0] and words[0].split("-")[-1].islower():
        words = words[1:]                     # 'the Belgrade-backed Srpska Lista Party': what backs it is no part of its name
    if len(words) < 2 or words[-1] not in lex["organization_heads"] or not all(w[:1].isupper() for w in words) \
            or all(w in generic for w in words):
        return None
    return new_entity("Organization", " ".join(words))


def _head_before_of(name: str) -> Optional[str]:
    """The noun a name's first 'of' or 'for' completes ('Rally of Forces for Change': Rally), or None."""
    parts = re.split(r"\s+(?:of|for)\s+", name, maxsplit=1)
    return parts[0].split()[-1] if len(parts) == 2 and parts[0] else None


def _standalone(text: str, name: str) -> list[int]:
    r"""Where the name occurs with no word character or hyphen on either side: the matches of
    ``(?<![\w-])NAME(?![\w-])``, found with str.find rather than a regex compiled per name."""
    if not name:
        return [m.start() for m in re.finditer(r"(?<![\w-])(?![\w-])", text)]
    out, position, size = [], 0, len(name)
    while (start := text.find(name, position)) >= 0:
        end = start + size
        if (start == 0 or not _word_or_hyphen(text[start - 1])) and \
                (end == len(text) or not _word_or_hyphen(text[end])):
            out.append(start)
            position = end
        else:
            position = start + 1
    return out


def _word_or_hyphen(char: str) -> bool:
    return char.isalnum() or char in "_-"


@lru_cache(maxsize=8)
def _known_ids(gazetteer: Gazetteer) -> frozenset:
    return frozenset(e.entity.id for e in gazetteer.entries.values())


@lru_cache(maxsize=4096)
def _nearest_location(gazetteer: Gazetteer, name: str) -> Optional[Entry]:
    """Resolver._near_location, computed once per spelling."""
    choices = _location_names(gazetteer)
    if len(name) < 5 or not choices:
        return None
    best = process.extractOne(name, _location_spellings(gazetteer), scorer=fuzz.ratio, score_cutoff=88)
    if best is None or name.startswith(best[0]) or best[0].startswith(name):
        return None       # a name built on another ('Mykolaivka', 'Pokrovske') is another place, not a misspelling
    return next(e for e in choices[best[0]] if e.type == "Location")


@lru_cache(maxsize=8)
def _location_spellings(gazetteer: Gazetteer) -> list:
    return list(_location_names(gazetteer))


@lru_cache(maxsize=8)
def _location_names(gazetteer: Gazetteer) -> dict:
    """Spellings of gazetteer places long enough for fuzzy matching."""
    return {s: es for s, es in gazetteer.names.items() if len(s) >= 5 and any(e.type == "Location" for e in es)}


def _non_overlapping(mentions: list[Mention]) -> list[Mention]:
    """Longest spans first, then offices over bare demonyms, a name with its office ('X, the UN envoy')
    over the same name alone, then the most confident; no overlaps."""
    chosen: list[Mention] = []
    taken = bytearray(max((m.end for m in mentions), default=0))
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.type == "Demonym", m.role is None, -len(m.links),
                                                   -m.confidence, m.start)):
        if taken.find(1, mention.start, mention.end) >= 0:
            continue
        chosen.append(mention)
        taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
    return chosen
