"""Clean text -> mentions: every span that names an actor, place, agreement or date.

Gazetteer names are found with an Aho-Corasick automaton on the raw text (exact
case) and on its lowercase copy (context-bound common-noun aliases); patterns
then read titles ("<demonym> <title> <name>": "Sudanese Foreign Minister ..."), state
forces ("<demonym> troops"), "X-backed", places in context ("the town of <Name>"),
regions ("<direction> <country>"), airspace and agreements named after a place.
Which entity a span means is settled in :mod:`kg.loaders.resolve`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick
import yaml

from kg.loaders.dates import MONTH_NAMES
from kg.loaders.gazetteer import Gazetteer
from kg.loaders.prefilter import Found, LiteralIndex, Scanner
from kg.schema import read_text

PARTICLES_HYPHEN = "al el as ash ad an ar at ul".split()                  # 'al-Assad'
PARTICLES_SPACE = "bin ibn abu al el van von de da di du del der dos la le".split()  # 'bin Salman', 'al Burhan'
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"  # Latin capitals
_TOKEN_INITIALS = UPPER + "".join(sorted({p[0] for p in PARTICLES_HYPHEN + PARTICLES_SPACE}))
# A name token: an optional particle, then a capitalised word or an initial. The lookahead
# (the characters a token can start with) and the optional particle written (?:...|) give
# the same matches as (?:...)? alone, but let Python's regex engine reject most positions of
# a text at once instead of trying every particle there.
NAME_TOKEN = (rf"(?=[{_TOKEN_INITIALS}])"
              rf"(?:(?:{'|'.join(PARTICLES_HYPHEN)})-|(?:{'|'.join(PARTICLES_SPACE)})\s|)"
              rf"(?:[{UPPER}][\w'’.\-]*[\w](?<!'s)(?<!’s)|[A-Z]\.(?=\s[A-Z]))")
NAME = rf"{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,5}}"
NAME_TOKEN_RE = re.compile(NAME_TOKEN)
NAME_RE = re.compile(NAME)
NAME_STOP = {"The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "But", "And", "As",
             "After", "Before", "Since", "While", "This", "That", "These", "Those", "His", "Her", "Their",
             "Its", "Our", "If", "When", "Then", "Also", "However", "Meanwhile", "According"}


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return yaml.safe_load(read_text("lexicon.yaml"))


@dataclass
class Candidate:
    """A span with what it may mean; resolve.py turns candidates into Mentions."""

    start: int
    end: int
    text: str
    kind: str                          # name, generic, demonym, capital, seat, forces, titled,
                                       # office, place, region, airspace, agreement, date, acronym
    entries: list = field(default_factory=list)
    priority: int = 0
    confidence: float = 1.0
    meta: dict = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass
class Matchers:
    """Automata and regular expressions (with their prefilters) built once per gazetteer."""

    exact: ahocorasick.Automaton
    lower: ahocorasick.Automaton
    title_re: Scanner
    office_re: Scanner
    forces_re: Scanner
    possessive_forces_re: Scanner
    place_re: Scanner
    region_re: Scanner
    countryside_re: Scanner
    airspace_re: Scanner
    agreement_re: Scanner
    reached_re: Scanner
    acronym_re: Scanner
    base_re: Scanner
    locative_re: Scanner
    named_agreement_re: Scanner
    owner_title_re: Scanner
    admin_area_re: Scanner
    title_of_re: Scanner
    described_agreement_re: Scanner
    apposition_re: Scanner
    apposition_of_re: Scanner
    apposed_place_re: Scanner
    including_re: Scanner
    attack_target_re: Scanner
    group_re: Scanner
    government_of_re: Scanner
    literals: LiteralIndex = None      # where the scanners' literals occur in a text

    def __post_init__(self):
        scanners = [v for v in vars(self).values() if isinstance(v, Scanner)]
        self.literals = LiteralIndex(set().union(*(s.literals for s in scanners)))


def _automaton(keys) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, value in keys.items():
        automaton.add_word(key, (key, value))
    if len(automaton):
        automaton.make_automaton()
    return automaton


def _written_as_word(surface: str, lex: dict) -> bool:
    """An acronym of four letters or more that some news styles write as a word ('Ecowas', 'Iswap'),
    unless that word is a name of its own (schema/lexicon.yaml: acronyms_not_as_words)."""
    return len(surface) >= 4 and surface.isalpha() and surface.isupper() and \
        surface.capitalize() not in lex.get("acronyms_not_as_words", [])


def _scanner(pattern: str) -> Scanner:
    return Scanner(re.compile(pattern))


@lru_cache(maxsize=8)
def matchers(gazetteer: Gazetteer) -> Matchers:
    lex = lexicon()
    exact = {}
    for surface, entries in gazetteer.names.items():
        exact.setdefault(surface, []).append(("name", entries))
    for surface, entries in gazetteer.names.items():
        if _written_as_word(surface, lex) and surface.capitalize() not in gazetteer.names:
            exact.setdefault(surface.capitalize(), []).append(("name", entries))   # 'ISWAP' as AFP writes it: 'Iswap'
    for kind, table in (("demonym", gazetteer.demonyms), ("capital", gazetteer.capitals),
                        ("seat", gazetteer.seats)):
        for surface, entry in table.items():
            exact.setdefault(surface, []).append((kind, [entry]))
            if kind == "seat" and surface.lower().startswith("the "):
                exact.setdefault("The " + surface[4:], []).append((kind, [entry]))
    lower = {surface: [("generic", entries)] for surface, entries in gazetteer.generic.items()}
    demonyms = _alt(gazetteer.demonyms)
    portfolio = rf"(?-i:{_alt(lex['portfolio_words'])})"
    titles = rf"(?:(?:First\s+)?Deputy\s+)?Minister\s+(?:of|for)\s+(?:the\s+)?{portfolio}" \
             rf"(?:(?:\s+and\s+|,\s+|\s+){portfolio}){{0,3}}(?![\w-])|" + _alt(lex["titles"])   # "Minister of Economic Development" first
    forces = _alt(lex["force_nouns"])
    places = _alt(lex["place_nouns"])
    dirs = _alt(lex["directions"])
    agreements = _alt(lex["agreement_nouns"])
    countries = _alt([s for s, es in gazetteer.names.items() if any(e.type == "Country" for e in es)])
    bodies = _alt([s for s, es in gazetteer.names.items() if len(s) > 2
                   and any(e.type in ("Organization", "ArmedGroup") for e in es)])
    # "Special Envoy for Sudan <Name>", "Ambassador to Kyiv, <Name>": what the office is about.
    # A named body is taken whole ("Ambassador to the United Nations, <Name>": not a person 'Nations').
    # A longer scope only before a name set off by commas ("Special Representative for the Belgrade-Pristina
    # dialogue, <Name>,"): the comma is left to the title's own comma, whose name must close the apposition.
    # A name of several words before the comma is the scope whole ("envoy to the Middle East, <Name>": no person 'East').
    scope = (rf"(?:\s+(?:for|to|in|on)\s+(?:the\s+)?(?:{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{1,3}}(?=,\s+[{UPPER}])|{countries}|{bodies}|{NAME_TOKEN})(?=,?\s+[{UPPER}]),?"
             rf"|\s+(?:for|to|in|on)\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){{0,3}}?(?=,\s+[{UPPER}]))?")
    # "Chief of Staff Gen. <Name>": a rank between the title and the name.
    honorific = rf"(?:(?:{_alt(lex['honorifics'])})\s+)?"
    return Matchers(
        exact=_automaton(exact),
        lower=_automaton(lower),
        # ("his Rwandan counterpart, <Name>,": a counterpart's name may be set off by a comma)
        # ("Iran's foreign ministry spokesman, <Name>, said": any title's holder set off by commas)
        title_re=_scanner(rf"\b(?P<title>(?i:{titles}|counterparts?)){scope}(?:(?<=ounterpart),|(?P<comma>,))?\s+{honorific}(?P<name>{NAME})"),
        office_re=_scanner(
            rf"\b(?P<dems>(?:{demonyms})(?:\s*(?:,|and)\s*(?:{demonyms}))*)\s+(?P<title>(?i:{titles}))s?\b(?!\s+[A-Z])"),
        possessive_forces_re=_scanner(
            rf"\b(?P<country>{countries})(?:'s|’s)\s+(?:(?:own|armed|air|naval|special|security)\s+)?(?P<noun>{forces})\b"
            rf"(?!\s+(?i:{_alt(lex['forces_not_before'])})\b)"),   # "Niger's military ruler": an office, no forces
        forces_re=_scanner(
            rf"\b(?P<dems>(?:{demonyms})(?:(?:\s*,\s*|\s+and\s+)(?:{demonyms}|other))*)"
            rf"(?:\s+(?:government|regime|military|army|state|air|naval|special|armed|observation|security|[A-Z][\w-]+))?"
            rf"\s+(?P<noun>(?i:{forces}))\b"),
        place_re=_scanner(
            rf"\b(?i:{places})\s+of\s+(?P<names>{NAME}(?:(?:\s*,\s*|,?\s+and\s+)(?:the\s+)?(?:(?i:{places})\s+of\s+)?{NAME})*)"),
        countryside_re=_scanner(
            rf"\b(?:(?P<dir1>(?i:{dirs}))\s+(?i:countryside|countryside\s+of|rural)\s+(?P<name1>{NAME_TOKEN})"
            rf"|(?P<dir2>(?i:{dirs}))\s+(?P<name2>{NAME_TOKEN})(?:'s|’s)?\s+(?i:countryside)"
            rf"|(?P<name3>{NAME_TOKEN})(?:'s|’s)\s+(?P<dir3>(?i:{dirs}))\s+(?i:countryside))\b"),
        region_re=_scanner(rf"\b(?P<dir>(?i:{dirs}))\s+(?P<name>{countries})\b"),
        airspace_re=_scanner(
            rf"\b(?:(?P<dem>{demonyms})|(?P<owner>{NAME})(?:'s|’s))\s+air\s?space\b|\b(?i:air\s?space)\s+over\s+(?P<over>{NAME})"),
        agreement_re=_scanner(
            rf"\b(?:(?:{MONTH_NAMES}\s+)?(?P<year>(?:19|20)\d\d)\s+)?(?P<place>{NAME_TOKEN})\s+(?P<noun>(?i:{agreements})|[a-z]{{7,12}})\b"),
        reached_re=_scanner(
            rf"\b(?:(?i:the|a|an)\s+)?(?:(?i:new|latest|recent|previous|last|earlier)\s+)?(?:(?P<mod>{NAME_TOKEN})\s+)?"
            rf"(?:(?i:de-escalation|ceasefire|peace|security)\s+)?(?P<noun>(?i:{agreements}))"
            rf"\s+(?:\w+ly\s+)?(?i:reached|signed|concluded|agreed|brokered)\s+in\s+(?P<place>{NAME_TOKEN})"),
        named_agreement_re=_scanner(
            rf"\b(?P<name>(?:(?:19|20)\d\d\s+)?(?:{NAME_TOKEN}\s+(?:of\s+)?){{1,4}}(?:{_alt(lex['agreement_heads'])}))\b"),
        owner_title_re=_scanner(
            rf"\b(?P<owner>(?:{demonyms})|(?:{countries}|{bodies})(?:'s|’s|(?<=s)['’]))\s+(?:(?i:military|interim|transitional|de facto|"
            rf"self-declared|new|top|acting|deputy|special|senior|chief|former)\s+)*(?:[A-Z][a-z]+\s+){{0,3}}?(?P<title>(?i:{titles})){scope}(?P<comma>,)?\s+{honorific}"
            rf"(?P<name>{NAME})"),
        # "the President of Colombia, <Name>", "the Prime Minister of Ethiopia <Name>"
        title_of_re=_scanner(
            rf"\b(?P<title>(?i:{titles}))\s+of\s+(?:the\s+)?(?P<owner>{countries})(?P<comma>,)?\s+{honorific}(?P<name>{NAME})"),
        locative_re=_scanner(
            rf"\b(?:in|near|at|outside|into|around|across|toward|towards|from|to|of|captured|seized|retook|recaptured|"
            rf"retaken|overran|liberated|attacked|shelled|bombed|raided|stormed|besieged|entered|occupied|encircled|surrounded)\s+(?P<name>(?:{NAME_TOKEN})(?:\s*,\s*(?:and\s+)?(?:{NAME_TOKEN})|\s+and\s+(?:{NAME_TOKEN}))*)(?![\w'’-])"),
        # "Oddar Meanchey province", "North Darfur State": a name an administrative noun calls a place
        admin_area_re=_scanner(
            rf"\b(?P<name>{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,2}})\s+(?P<noun>(?i:{_alt(lex['admin_area_nouns'])}))\b"),
        base_re=_scanner(
            rf"\b(?P<name>{NAME_TOKEN}(?:[\s-]{NAME_TOKEN})?)\s+(?P<noun>(?i:air\s?base|airbase|naval\s+base|military\s+base|airport|airfield|air\s+field|border\s+crossing|crossing\s+point|crossing|corridor|nuclear\s+power\s+plant|power\s+plant|dam|bridge|oil\s+refinery|refinery|oil\s+terminal|gas\s+field|oil\s+field|military\s+academy))\b"),
        described_agreement_re=_scanner(
            rf"\b(?i:a|an|the)\s+(?:[a-z-]+\s+){{0,2}}(?P<noun>(?i:{agreements}))\s+(?:(?i:reached|signed|concluded|agreed)\s+)?in\s+(?P<place>{NAME_TOKEN})"),
        apposition_re=_scanner(
            rf"(?P<name>{NAME}),\s+(?:(?:then|now|currently)\s+)?(?:(?i:the|a|an)\s+)?(?:(?i:senior|top|chief|former|deputy|acting)\s+)?(?P<owner>[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){{0,3}}(?:'s|’s)?)\s+"
            rf"(?:(?:junta|government|military|army|foreign|defen[cs]e|interior|ministry|presidential|security|police)\s+){{0,2}}"   # "X, Niger junta spokesman,"
            rf"(?:(?i:special|chief|top|senior|deputy|former|current|acting|new)\s+)?(?P<title>(?i:{titles}))\b(?!\s+[A-Z])"),
        # "<Name>, a spokesman for China's Foreign Ministry": the office, then its owner
        apposition_of_re=_scanner(
            rf"(?P<name>{NAME}),\s+(?:(?:then|now|currently)\s+)?(?:(?i:the|a|an)\s+)?(?:(?i:senior|top|chief|former|deputy|acting|special)\s+)?"
            rf"(?P<title>(?i:{titles}))\s+(?P<prep>(?i:for|of|at|to))\s+(?:the\s+)?(?P<owner>[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){{0,3}})"),
        # "Muridke, a town near Lahore": a name a place noun describes (the noun ends its phrase)
        apposed_place_re=_scanner(
            rf"(?<![\w'’-])(?P<name>{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,2}}),\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?"
            rf"(?i:{_alt(lex['apposed_place_nouns'])})(?=[,.;:]|\s+(?:in|on|near|off|of|north|south|east|west|along|"
            rf"outside|close|just|some|about|around|that|which|where|whose|held|controlled|seized|captured|located|"
            rf"situated|home|seat|bordering)\b)"),
        # "strikes on nine sites, including Bahawalpur and Muridke": names a list brings in (GeoNames cities only)
        including_re=_scanner(
            rf"\bincluding\s+(?:the\s+)?(?:(?i:{places})\s+of\s+)?(?P<name>(?:{NAME_TOKEN})(?:\s*,\s*(?:and\s+)?(?:{NAME_TOKEN})|,?\s+and\s+(?:{NAME_TOKEN}))*)(?![\w'’-])"),
        # "a drone attack on Haifa", "strikes against Sumy": the target of an attack (GeoNames cities only)
        attack_target_re=_scanner(
            rf"\b(?i:{_alt(lex['attack_target_nouns'])})\s+(?:on|against)\s+(?P<name>(?:{NAME_TOKEN})(?:\s*,\s*(?:and\s+)?(?:{NAME_TOKEN})|,?\s+and\s+(?:{NAME_TOKEN}))*)(?![\w'’-])"),
        acronym_re=_scanner(r"(?P<full>[A-Z][\w'’\-]*(?:\s+(?:(?:of|for|and|the|al|de)\s+){0,2}[A-Z][\w'’\-]*)+)\s+\((?P<acr>[A-Z][A-Za-z.\-]{1,9})\)"),
        group_re=_scanner(
            rf"\b(?P<name>(?:{NAME_TOKEN}\s+){{1,3}}(?:{_alt(lex['armed_group_heads'])}))\b"),
        government_of_re=_scanner(
            rf"\b(?:[Tt]he\s+)?(?:(?:[Ff]ederal|[Tt]ransitional|[Ii]nterim|[Mm]ilitary)\s+)?[Gg]overnment\s+of\s+(?:the\s+)?(?P<country>{countries})\b(?![’'-])")
    )


def find_candidates(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Every candidate span in the text, overlapping; resolve.py picks among them."""
    m = matchers(gazetteer)
    hits = m.literals.find(text)
    found = _gazetteer_spans(text, m)
    found += _titled_persons(text, m, hits)
    found += _offices(text, m, hits)
    found += _forces(text, m, gazetteer, hits)
    found += _places(text, m, hits)
    found += _regions(text, m, gazetteer, hits)
    found += _countryside(text, m, hits)
    found += _airspace(text, m, gazetteer, hits)
    found += _agreements(text, m, gazetteer, hits)
    found += _acronyms(text, m, hits)
    found += _governments_of(text, m, gazetteer, hits)
    found += _bases(text, m, hits)
    found += _unknown_places(text, m, hits)
    found += _admin_areas(text, m, hits)
    found += _apposed_places(text, m, hits)
    found += _listed_places(text, m, hits)
    found += _appositive_titles(text, m, hits)
    found += _named_groups(text, m, hits)
    found += _capital_descriptions(text, gazetteer)
    found += _dateline_places(text, gazetteer)
    return found


# A wire dateline opening a line: "KHARKIV, Ukraine (Reuters) -", "BEIRUT (AP) —": the place in capitals.
DATELINE_PLACE = re.compile(r"^(?P<place>[A-Z][A-Z'’.-]{2,}(?: [A-Z][A-Z'’.-]+){0,3})(?=, [A-Z]| ?\()", re.MULTILINE)


@lru_cache(maxsize=8)
def _places_by_lower_name(gazetteer: Gazetteer) -> dict:
    return {surface.lower(): [e for e in entries if e.type == "Location"]
            for surface, entries in gazetteer.names.items() if any(e.type == "Location" for e in entries)}


def _dateline_places(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """'KHARKIV, Ukraine (Reuters) -': a known place written in capitals at the head of a dateline."""
    out = []
    for match in DATELINE_PLACE.finditer(text):
        entries = _places_by_lower_name(gazetteer).get(match.group("place").lower())
        if entries:
            out.append(Candidate(match.start(), match.end(), match.group(0), "name", entries,
                                 priority=2, confidence=0.9))
    return out


@lru_cache(maxsize=8)
def _capital_description_re(gazetteer: Gazetteer) -> re.Pattern:
    return re.compile(rf"\b[Tt]he\s+(?P<dem>{_alt(gazetteer.demonyms)})\s+capital\b(?!\s+(?:of|city\s+of)\b)")


def _capital_descriptions(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """'the Belarusian capital': the capital of the country the demonym names (resolve.py
    reads it as the city after 'in', 'to', 'from' ..., as the government otherwise)."""
    if "capital" not in text:
        return []
    out = []
    for match in _capital_description_re(gazetteer).finditer(text):
        country = gazetteer.demonyms[match.group("dem")]
        out.append(Candidate(match.start(), match.end(), match.group(0), "capital_description", [country],
                             priority=3, confidence=0.85))
    return out


def _boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _gazetteer_spans(text: str, m: Matchers) -> list[Candidate]:
    out = []
    for haystack, automaton in ((text, m.exact), (text.lower(), m.lower)):
        if not len(automaton):
            continue
        for end, (key, values) in automaton.iter(haystack):
            start, end = end - len(key) + 1, end + 1
            if not _boundary(text, start, end):
                continue
            surface = text[start:end]
            for kind, entries in values:
                out.append(Candidate(start, end, surface, kind, list(entries),
                                     priority=2 if kind == "name" else 1,
                                     confidence=1.0 if kind != "generic" else 0.85))
    return out


def _not_a_name(name: str) -> bool:
    """An empty name, a sentence word, or the tail of an office's scope read as a name: in 'Adviser
    to the US President for African Affairs <Name>' the title 'President' is not the person's."""
    return not name or name.split()[0] in NAME_STOP or name.split()[0] in _office_scope_nouns()


@lru_cache(maxsize=1)
def _office_scope_nouns() -> frozenset:
    return frozenset(lexicon().get("office_scope_nouns", []))


def _titled_persons(text: str, m: Matchers, hits: Found):
    owned = [*m.owner_title_re.finditer(text, hits), *m.title_of_re.finditer(text, hits)]
    for match in owned:   # 'Malian leader Colonel Assimi Goita', 'the President of Colombia, <Name>,'
        name = _trim_name(match.group("name"))
        if _not_a_name(name) or (match.group("comma") and not _closes_apposition(text, match.start("name") + len(name))):
            continue
        end = match.start("name") + len(name)
        yield Candidate(match.start(), end, text[match.start():end], "titled", priority=4, confidence=0.9,
                        meta={"title": match.group("title"), "name": name, "name_start": match.start("name"),
                              "owner": re.sub(r"['’]s?$", "", match.group("owner"))})
    for match in m.title_re.finditer(text, hits):
        name = _trim_name(match.group("name"))
        if _not_a_name(name) or (match.group("comma") and not _closes_apposition(text, match.start("name") + len(name))):
            continue
        start, end = match.start("name"), match.start("name") + len(name)
        yield Candidate(match.start(), end, text[match.start():end], "titled",
                        priority=4, confidence=0.9,
                        meta={"title": match.group("title"), "name": name, "name_start": start})


def _closes_apposition(text: str, end: int) -> bool:
    """'<owner's title>, <Name>, said': a name set off by commas after its office is the office's holder
    (without the closing comma it may be the start of a list or a clause)."""
    return text[end:end + 1] in (",", "") or text[end:end + 2] == " ("


def _trim_name(name: str) -> str:
    """Cut a person's name at the first word that cannot be part of it: a headline written in
    title case runs names and verbs together ('<Name> And <Name> Meet In <City>')."""
    words = name.split()
    for index, word in enumerate(words):
        if index and (word in NAME_STOP or word.endswith(".") and len(word) > 3):
            words = words[:index]
            break
    return " ".join(words).rstrip(".")


def _offices(text: str, m: Matchers, hits: Found):
    """'the <demonym> president', '<demonym> and <demonym> foreign ministers': the office, not a name."""
    for match in m.office_re.finditer(text, hits):
        dems = re.split(r"\s*(?:,|and)\s*", match.group("dems"))
        yield Candidate(match.start(), match.end(), match.group(0), "office", priority=3, confidence=0.8,
                        meta={"demonyms": [d for d in dems if d], "title": match.group("title")})


def _forces(text: str, m: Matchers, gazetteer: Gazetteer, hits: Found):
    for match in m.possessive_forces_re.finditer(text, hits):
        entries = [e for e in gazetteer.names[match.group("country")] if e.type == "Country"][:1]
        yield Candidate(match.start(), match.end(), match.group(0), "forces", entries,
                        priority=3, confidence=0.95, meta={"noun": match.group("noun").lower()})
    for match in m.forces_re.finditer(text, hits):
        dems = [d for d in re.split(r"\s*,\s*|\s+and\s+", match.group("dems")) if d and d != "other"]
        entries = [gazetteer.demonyms[d] for d in dems if d in gazetteer.demonyms]
        if not entries:
            continue
        yield Candidate(match.start(), match.end(), match.group(0), "forces", entries,
                        priority=3, confidence=0.95, meta={"noun": match.group("noun").lower()})


def _places(text: str, m: Matchers, hits: Found):
    for match in m.place_re.finditer(text, hits):
        names_text, offset = match.group("names"), match.start("names")
        for name in NAME_RE.finditer(names_text):
            word = name.group(0)
            if word.split()[0] in NAME_STOP or word.lower() in lexicon()["place_nouns"]:
                continue
            yield Candidate(offset + name.start(), offset + name.end(), word, "place", priority=1,
                            confidence=0.8)


def _countryside(text: str, m: Matchers, hits: Found):
    """'the <direction> countryside of <Place>' -> the place '<direction> <Place> countryside'."""
    directions = lexicon()["directions"]
    for match in m.countryside_re.finditer(text, hits):
        groups = match.groupdict()
        n = next(i for i in "123" if groups[f"name{i}"])
        direction = directions[groups[f"dir{n}"].lower()].lower()
        label = f"{direction} {groups[f'name{n}']} countryside"
        yield Candidate(match.start(), match.end(), match.group(0), "countryside", priority=4, confidence=0.85,
                        meta={"label": label})


def _regions(text: str, m: Matchers, gazetteer: Gazetteer, hits: Found):
    directions = lexicon()["directions"]
    for match in m.region_re.finditer(text, hits):
        country = next(e for e in gazetteer.names[match.group("name")] if e.type == "Country")
        direction = directions[match.group("dir").lower()]
        label = f"{direction} {country.label}"
        yield Candidate(match.start(), match.end(), match.group(0), "region", [country], priority=3,
                        confidence=1.0, meta={"label": label})


def _airspace(text: str, m: Matchers, gazetteer: Gazetteer, hits: Found):
    for match in m.airspace_re.finditer(text, hits):
        owner = match.group("dem") or match.group("owner") or match.group("over")
        yield Candidate(match.start(), match.end(), match.group(0), "airspace", priority=4, confidence=0.85,
                        meta={"owner": owner, "demonym": bool(match.group("dem"))})


def _agreement_noun(word: str):
    """The agreement noun a word is, allowing one slip of the pen ('agrement' is 'agreement')."""
    return _agreement_noun_of(word.lower())


@lru_cache(maxsize=8192)
def _agreement_noun_of(word: str):
    nouns = lexicon()["agreement_nouns"]
    if word in nouns:
        return word
    from rapidfuzz import fuzz, process

    best = process.extractOne(word, [n for n in nouns if len(n) >= 7 and " " not in n], scorer=fuzz.ratio,
                              score_cutoff=88)
    return best[0] if best else None


def _agreements(text: str, m: Matchers, gazetteer: Gazetteer, hits: Found):
    for match in m.agreement_re.finditer(text, hits):
        place, noun = match.group("place"), _agreement_noun(match.group("noun"))
        if place in NAME_STOP or noun is None:
            continue
        yield Candidate(match.start(), match.end(), match.group(0), "agreement", priority=3, confidence=0.85,
                        meta={"place": place, "year": match.group("year"), "noun": noun})
    for match in m.named_agreement_re.finditer(text, hits):
        words = match.group("name").split()
        while words and (words[0] in NAME_STOP or re.search(r"-[a-z]", words[0])):
            words.pop(0)                      # "the Tripoli-based Government of National Accord"
        if len(words) < 2 or _in_title_case_line(text, match.start()) or _names_something_else(words, gazetteer):
            continue
        name = " ".join(words)
        yield Candidate(match.end() - len(name), match.end(), name, "named_agreement", priority=2, confidence=0.8)
    for match in m.described_agreement_re.finditer(text, hits):
        yield Candidate(match.start(), match.end(), match.group(0), "agreement", priority=3, confidence=0.8,
                        meta={"place": match.group("place"), "noun": match.group("noun").lower(), "reached": True})
    for match in m.reached_re.finditer(text, hits):
        yield Candidate(match.start(), match.end(), match.group(0), "agreement", priority=3, confidence=0.8,
                        meta={"place": match.group("place"), "modifier": match.group("mod"),
                              "noun": match.group("noun").lower(), "reached": True})


def _names_something_else(words: list, gazetteer: Gazetteer) -> bool:
    """'Government of National Accord': a name the gazetteer knows as a body, not an agreement."""
    name = " ".join(words)
    return any(e.type != "Agreement" for e in gazetteer.names.get(name, []))


TITLE_CASE_FUNCTION_WORD = re.compile(r"\s(?:To|With|For|In|On|Of|At|After|Amid|Over|From|And|As|By)\s")


def _in_title_case_line(text: str, position: int) -> bool:
    """A headline in title case ('Alliance Agrees To Extend Ceasefire With Junta', or with its short words in
    lower case and no closing stop): its capitals are no
    sign of a name, so an unknown capitalised phrase before 'Ceasefire' is not an agreement's name."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start:end if end >= 0 else len(text)]
    words = [w for w in line.split() if w[:1].isalpha() and len(w) > 3]
    headline = not line.rstrip().endswith((".", '"', "”", ":", "?", "!"))   # 'X Agree to Immediate Ceasefire in Talks'
    return (bool(TITLE_CASE_FUNCTION_WORD.search(line)) or (headline and len(words) >= 5)) and len(words) >= 3 and \
        sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _unknown_places(text: str, m: Matchers, hits: Found):
    """'in Bhamo', 'near Hsenwi and Kunlong': single capitalised names after a place preposition
    are place candidates; resolve.py keeps those the gazetteer does not know as something else."""
    stop = _place_stop()
    for match in m.locative_re.finditer(text, hits):
        offset = match.start("name")
        for name in NAME_TOKEN_RE.finditer(match.group("name")):
            word = name.group(0)
            if word in stop or " " in word or "-" in word[1:] and word[:3].lower() not in ("al-", "el-"):
                continue
            yield Candidate(offset + name.start(), offset + name.end(), word, "unknown_place", priority=0,
                            confidence=0.6)


def _admin_areas(text: str, m: Matchers, hits: Found):
    """'Oddar Meanchey province': capitalised words before an administrative noun are a place's name;
    resolve.py keeps those the gazetteer does not know as something else."""
    stop = _place_stop()
    for match in m.admin_area_re.finditer(text, hits):
        words = match.group("name").split()
        while words and (words[0] in stop or re.search(r"-[a-z]", words[0])):
            words.pop(0)                     # "the Taiwan-controlled Kinmen islands": Kinmen
        if not words or any(w in stop for w in words):
            continue
        name = " ".join(words)
        yield Candidate(match.end("name") - len(name), match.end("name"), name, "admin_area", priority=1,
                        confidence=0.7, meta={"name": name})


def _listed_places(text: str, m: Matchers, hits: Found):
    """'... nine sites, including Bahawalpur and Muridke', 'a drone attack on Haifa': single names a list
    or an attack brings in; resolve.py keeps those GeoNames knows as cities and nothing else claims."""
    stop = _place_stop()
    for match in (*m.including_re.finditer(text, hits), *m.attack_target_re.finditer(text, hits)):
        offset = match.start("name")
        for name in NAME_TOKEN_RE.finditer(match.group("name")):
            word = name.group(0)
            if word in stop or " " in word:
                continue
            yield Candidate(offset + name.start(), offset + name.end(), word, "listed_place", priority=0,
                            confidence=0.6)


def _apposed_places(text: str, m: Matchers, hits: Found):
    """'Muridke, a town near Lahore', 'Pratas, a Taiwan-controlled atoll': a name a place noun describes
    is a place; resolve.py keeps those the gazetteer or the article does not know as something else."""
    stop = _place_stop()
    for match in m.apposed_place_re.finditer(text, hits):
        words = match.group("name").split()
        while words and words[0] in stop:
            words.pop(0)
        if not words or any(w in stop for w in words) or _in_title_case_line(text, match.start("name")):
            continue
        name = " ".join(words)
        yield Candidate(match.end("name") - len(name), match.end("name"), name, "admin_area", priority=1,
                        confidence=0.7, meta={"name": name})


@lru_cache(maxsize=1)
def _place_stop() -> frozenset:
    return frozenset(lexicon()["place_stop"]) | NAME_STOP


def _bases(text: str, m: Matchers, hits: Found):
    """'al-Watiya air base', 'the Rafah border crossing': named installations are places."""
    for match in m.base_re.finditer(text, hits):
        name = match.group("name")
        if name.split()[0] in NAME_STOP:
            continue
        noun = " ".join(match.group("noun").lower().split())
        yield Candidate(match.start(), match.end(), match.group(0), "base", priority=2, confidence=0.85,
                        meta={"label": f"{name} {noun}"})


FORMER_OFFICE = re.compile(r"\b(?:former|ex-)", re.IGNORECASE)


def _appositive_titles(text: str, m: Matchers, hits: Found):
    """'Jan Kubis, the UN special envoy for Libya', 'X, a spokesman for China's Foreign Ministry': a name
    with its office after it."""
    lex = lexicon()
    offices_of = [match for match in m.apposition_of_re.finditer(text, hits)
                  if match.group("title").lower() not in lex["head_titles"]      # 'X, commander of Y': leader_of rules
                  and (match.group("prep").lower() != "to" or match.group("title").lower() in lex["aide_titles"])]
    for match in [*m.apposition_re.finditer(text, hits), *offices_of]:
        name = _trim_name(match.group("name"))
        if not name or name.split()[0] in NAME_STOP or len(name.split()) < 2 or m.title_re.regex.search(match.group("name")):
            continue
        offset = match.group("name").find(name)
        if offset < 0:          # the name ran over a line break ('U.S.\nJan Kubis'): not one name
            continue
        start = match.start("name") + offset
        yield Candidate(start, start + len(name), name, "appositive", priority=1, confidence=0.85,
                        meta={"title": match.group("title"), "owner": match.group("owner").replace("’s", "").replace("'s", ""),
                              "name": name, "former": bool(FORMER_OFFICE.search(text, match.end("name"), match.start("title")))})


def _governments_of(text: str, m: Matchers, gazetteer: Gazetteer, hits: Found):
    """'the Government of Ethiopia', 'the transitional government of Sudan': the state acting."""
    for match in m.government_of_re.finditer(text, hits):
        entries = [e for e in gazetteer.names[match.group("country")] if e.type == "Country"][:1]
        if entries:
            yield Candidate(match.start(), match.end(), match.group(0), "government_of", entries,
                            priority=3, confidence=0.95)


def _acronyms(text: str, m: Matchers, hits: Found):
    """'National Liberation Front (NLF)': the long form before an acronym in brackets; 'X and the Y (ACR)'
    spells out Y only."""
    for match in m.acronym_re.finditer(text, hits):
        full, start = match.group("full"), match.start("full")
        cut = list(re.finditer(r"\s+and\s+the\s+", full))
        if cut:
            start += cut[-1].end()
            full = full[cut[-1].end():]
        yield Candidate(start, match.end("full"), full, "acronym_def", priority=0, meta={"acronym": match.group("acr")})


def _named_groups(text: str, m: Matchers, hits: Found):
    """'the Sultan Murad Division': an unknown name typed as an armed group by its last word."""
    for match in m.group_re.finditer(text, hits):
        name = match.group("name")
        words = name.split()
        while words and words[0] in NAME_STOP:
            words.pop(0)
        if len(words) < 2 or all(w in _unit_kind_words() for w in words[:-1]):
            continue                 # "the 6th Infantry Division": a kind of unit, no name
        name = " ".join(words)
        yield Candidate(match.end() - len(name), match.end(), name, "group_name", priority=0, confidence=0.6)


@lru_cache(maxsize=1)
def _unit_kind_words() -> frozenset:
    return frozenset(lexicon().get("unit_kind_words", []))
