"""Mentions -> facts with evidence.

Each sentence is rewritten as a template in which every mention becomes a
placeholder such as ``«3C»`` (mention 3, a Country), and the relation rules of
``schema/rules.yaml`` -- regular expressions over those templates, with macros
like ``{s:ACTORS}`` -- say which facts a sentence states. Titles, offices and a
few constructions carried by single mentions ("the <year> <place> deal") give facts
too. Every fact keeps the sentence, its offsets in the raw article, the rule and
a confidence.
"""
from __future__ import annotations

import re
from itertools import combinations
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import yaml

from kg.errors import SchemaError
from kg.loaders import factuality
from kg.loaders.dates import MONTH_NAMES, MONTHS
from kg.loaders.prefilter import Found, LiteralIndex, Scanner
from kg.model import CleanText, DateValue, Entity, Evidence, Fact, Mention, Sentence
from kg.schema import read_text
from kg.schema.vocab import predicate as vocab_predicate

CODES = {"Person": "P", "Country": "C", "Organization": "O", "ArmedGroup": "A", "Location": "L",
         "Agreement": "G", "Date": "D", "Demonym": "d"}
PLACEHOLDER = re.compile(r"«(\d+)([A-Za-z])»")
ACTOR, LOC = "[PCOA]", "[LC]"
_LIST = (r"(?:\s*,\s*(?:and\s+)?|,?\s+and\s+(?:(?:its|their|his|her)\s+(?:\w+\s+)?(?:backers?|allies|ally|patrons?|"
         r"sponsors?|partners?|counterparts?)\s+|(?:his|her|its|their)\s+)?|,?\s+as\s+well\s+as\s+|\s+and\s+other\s+)(?:the\s+)?"
         r"(?:(?:paramilitary|rebel|militant|separatist|jihadist|islamist|insurgent|armed|opposition|rival)\s+)?")
_PLACE_LIST = r"(?:\s*,\s*(?:and\s+)?|,?\s+and\s+(?:in\s+|at\s+)?|,?\s+as\s+well\s+as\s+)(?:the\s+)?(?:(?:[a-z-]+\s+){0,2}?(?:city|cities|town|towns|village|villages|province|region|port)\s+of\s+)?"
_FORCE = (r"(?:(?:'s|’s)?\s+(?:fighters|troops|forces|militants|militiamen|units|soldiers|jets|warplanes|drones|gunmen|"
          r"rebels|artillery|commanders|officers|loyalists|militias|militia|officials|negotiators|delegation|"
          r"delegates|representatives|leaders|leadership|spokesman|navy|army|air force|missiles|warships|police|"
          r"peacekeepers|marines|paratroopers|mercenaries))?")
_PAREN = r"(?:\s+\((?:«\d+\w»|[A-Z][A-Za-z.\-]{1,9})\))?"     # an acronym after a name: "the Arakan Army (AA)"
MACROS = {
    "ACTOR": f"«\\d+{ACTOR}»{_FORCE}",
    "ACTORS": f"«\\d+{ACTOR}»{_PAREN}{_FORCE}(?:{_LIST}«\\d+{ACTOR}»{_PAREN}{_FORCE})*",
    "PERSON": "«\\d+P»",
    "PERSONS": f"«\\d+P»(?:{_LIST}«\\d+P»)*",
    "COUNTRY": "«\\d+C»",
    "GROUP": "«\\d+[OA]»",
    "ARMED": "«\\d+A»",
    "LOC": f"«\\d+{LOC}»",
    "LOCS": f"«\\d+{LOC}»(?:{_PLACE_LIST}«\\d+{LOC}»(?!'s|’s))*",
    "PLACE": "«\\d+L»",
    "PLACES": f"«\\d+L»(?:{_PLACE_LIST}«\\d+L»(?!'s|’s))*",
    "AGR": "«\\d+G»",
    "DATE": "«\\d+D»",
    "DEM": "«\\d+d»",
    "DEMS": "«\\d+d»(?:(?:\\s*,\\s*|,?\\s+and\\s+|-)«\\d+d»)*",
    "ANY": "«\\d+\\w»",
    "OWNER": "«\\d+[CdOA]»(?:'s|’s)?",
    "LOCSPAN": "(?:[^«».;]|«\\d+\\w»){1,240}",
}
SPAN_MACROS = {"LOCSPAN"}
NEEDS = {"AGR": "G", "DATE": "D", "DEM": "d", "DEMS": "d", "PERSON": "P", "PERSONS": "P", "PLACE": "L",
         "PLACES": "L", "COUNTRY": "C", "ARMED": "A"}   # a rule using {x:AGR} can only match a sentence with an agreement
FILLERS = {
    "ADV": (r"(?:,\s*(?:however|meanwhile|though|in turn|for (?:its|their|his|her) part),)?"   # "Israel, however, has kept ..."
            r"(?:,?\s*(?:who|which|that))?\s+(?:(?:\w+ly|also|still|now|already|all|both|each|continues to|continue to|has|have|had|was|were|is|are|been|"
            r"being|will|would|reportedly|openly|directly|(?:said|says|stated|announced|confirmed|insisted|"
            r"added|declared)(?: that)? (?:it|they|he|she))\s+)*"),
    "W": r"[^«»]{0,40}?",
    "W80": r"[^«»]{0,80}?",
    "WL": r"(?:[^«».;]|«\d+[LD]»){0,80}?",
    "THE": r"(?:(?:the|a|an|its|their|his|her)\s+)?",
    "POSS": r"(?:«\d+[LC]»(?:'s|’s)\s+)?",
    "DESC": r"(?:(?:«\d+d»|[a-z][a-z-]*|[A-Z][a-z]+\.?)\s+){0,3}?(?:«\d+P»(?:'s|’s)\s+|(?-i:(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)(?:'s|’s)\s+)?",   # "Minni Minawi's SLM"
}
def _window_scanners():
    """The negation, conditional and hedge scanners of schema/factuality.yaml (window form)."""
    words = factuality.lists()
    return words.negation, words.conditional, words.hypothetical, words.hedge


NEGATION, CONDITIONAL, HYPOTHETICAL, HEDGE = _window_scanners()


@dataclass(frozen=True)
class Rule:
    id: str
    regex: re.Pattern
    facts: tuple            # ((subject group, predicate, object group), ...)
    confidence: float
    negatable: bool = True
    span_groups: frozenset = frozenset()   # groups read as "every place in this stretch"
    needs: frozenset = frozenset()         # type codes a sentence must contain for the rule to apply
    template: str = "both"                 # raw | full | reduced | both: which form of the sentence it reads
    unless_before: Optional[re.Pattern] = None  # skip a match when this occurs just before it
    object_kinds: frozenset = frozenset()  # if set, the object's gazetteer kind must be one of these
    mention_text: tuple = ()               # ((group, regex), ...): that group's mentions, as written, must match


def _compile(pattern: str) -> str:
    seen: dict[str, int] = {}

    def expand(match: re.Match) -> str:
        name, macro = match.group(1), match.group(2)
        if macro is None:
            if name in FILLERS:
                return FILLERS[name]
            if name in MACROS:
                return f"(?:{MACROS[name]})"
            raise SchemaError(f"schema/rules.yaml: unknown macro {{{name}}}")
        if macro not in MACROS:
            raise SchemaError(f"schema/rules.yaml: unknown macro {macro!r} in {{{name}:{macro}}}")
        count = seen.get(name, 0)
        seen[name] = count + 1
        group = name if count == 0 else f"{name}__{count}"   # a name may appear in alternatives
        return f"(?P<{group}>{MACROS[macro]})"

    pattern = pattern.replace(" {ADV}", "{ADV}")   # ADV brings its own leading space (or ', which ')
    text = re.sub(r"\{(\w+)(?::(\w+))?\}", expand, pattern)
    if ENDS_WITH_ACTOR.search(pattern):
        text += MODIFIER_NOT_ACTOR      # "held by the Iran-aligned Houthis": not Iran
    return re.sub(r" +", r"\\s+", text.replace(" ?", r"\s*"))


ENDS_WITH_ACTOR = re.compile(r"\{\w+:ACTORS?\}$")
MODIFIER_NOT_ACTOR = r"(?![-‐][a-z])"


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The relation rules of schema/rules.yaml, compiled."""
    data = yaml.safe_load(read_text("rules.yaml"))
    out = []
    for spec in data:
        facts = tuple(tuple(f.split()) for f in spec["facts"])
        for s, p, o in facts:
            vocab_predicate(p)
        try:
            regex = re.compile(_compile(spec["pattern"]), re.IGNORECASE)
        except re.error as error:
            raise SchemaError(f"schema/rules.yaml: rule {spec['id']}: bad pattern: {error}") from error
        spans = frozenset(re.findall(r"\{(\w+):(?:%s)\}" % "|".join(SPAN_MACROS), spec["pattern"]))
        unless = re.compile(spec["unless_before"] + r"\s*$", re.IGNORECASE) if spec.get("unless_before") else None
        groups = re.findall(r"\{(\w+):(\w+)\}", spec["pattern"])
        names = [name for name, _ in groups]
        needs = frozenset(NEEDS[macro] for name, macro in groups   # a group in alternatives needs nothing
                          if macro in NEEDS and names.count(name) == 1)
        out.append(Rule(spec["id"], regex, facts, float(spec.get("confidence", 0.8)), needs=needs,
                        negatable=bool(spec.get("negatable", True)), span_groups=spans,
                        object_kinds=frozenset(spec.get("object_kinds") or ()),
                        template=spec.get("template", "both"), unless_before=unless,
                        mention_text=tuple((group, re.compile(text, re.IGNORECASE))
                                           for group, text in (spec.get("mention_text") or {}).items())))
    return tuple(out)


class RuleIndex:
    """Which rules can match a form of a sentence, from what each rule needs.

    A rule's regex tells which words a match contains (see prefilter.py) and which mention
    types its placeholders stand for ('«\\d+[OA]»': an organisation or an armed group). One
    pass of a :class:`LiteralIndex` over a form finds the words; a rule applies when the
    form holds a word of each of its word sets and the sentence a mention of each type set.
    """

    def __init__(self, rules: tuple[Rule, ...]):
        self.rules = rules
        self.scanners = [Scanner(rule.regex, stretches=False) for rule in rules]
        self.words: list[tuple] = []        # per rule: the word sets it needs
        self.types: list[tuple] = []        # per rule: the sets of type codes it needs
        for scanner in self.scanners:
            requirements = [r for r in scanner.requirements if not any("«" in literal for literal in r)]
            self.words.append(tuple(r for r in requirements if not _type_codes(r)))
            self.types.append(tuple(_type_codes(r) for r in requirements if _type_codes(r)))
        anchors = set().union(*(s.anchors for s in self.scanners if s.anchors))
        self.literals = LiteralIndex(anchors.union(*(w for words in self.words for w in words)))
        self.every_rule = frozenset(range(len(rules)))
        self.unconditional = frozenset(n for n, words in enumerate(self.words) if not words)
        self.by_literal: dict[str, set[int]] = {}     # literal -> rules whose first word set holds it
        for number, words in enumerate(self.words):
            for literal in words[0] if words else ():
                self.by_literal.setdefault(literal, set()).add(number)
        self.more = {n: words[1:] for n, words in enumerate(self.words) if len(words) > 1}

    @lru_cache(maxsize=256)
    def typed(self, codes: frozenset) -> frozenset:
        """The rules a sentence whose mentions have these type codes can satisfy."""
        return frozenset(n for n, rule in enumerate(self.rules) if rule.needs <= codes
                         and not any(codes.isdisjoint(types) for types in self.types[n]))

    def applicable(self, text: str) -> tuple[Optional[Found], frozenset]:
        """The literals found in the text and the numbers of the rules whose words it holds."""
        found = self.literals.find(text)
        if found is None:
            return None, self.every_rule
        keys = found.keys()
        candidates = set(self.unconditional).union(*(self.by_literal.get(literal, ()) for literal in keys))
        for number in candidates & self.more.keys():
            if any(keys.isdisjoint(words) for words in self.more[number]):
                candidates.discard(number)
        return found, frozenset(candidates)


def _type_codes(literals: frozenset) -> frozenset:
    """The type codes a set of placeholder ends ('o»', 'a»') stands for; empty for words."""
    if not all(len(literal) == 2 and literal[1] == "»" for literal in literals):
        return frozenset()
    return frozenset(code for code in CODES.values() if code.lower() + "»" in literals)


@lru_cache(maxsize=1)
def rule_index() -> RuleIndex:
    return RuleIndex(rules())


def template(sentence: Sentence, mentions: list[Mention]) -> tuple[str, dict[int, Mention]]:
    """The sentence with each mention replaced by «<index><type code>»."""
    parts, index, position = [], {}, sentence.start
    for number, mention in enumerate(mentions):
        parts.append(sentence.text[position - sentence.start:mention.start - sentence.start])
        parts.append(f"«{number}{CODES[mention.type]}»")
        index[number] = mention
        position = mention.end
    parts.append(sentence.text[position - sentence.start:])
    return "".join(parts), index


def sentence_facts(clean: CleanText, sentence: Sentence, mentions: list[Mention]) -> Iterator[Fact]:
    """Every fact the sentence states, from the rules and from its titled mentions."""
    evidence = evidence_factory(clean, sentence)
    if len(mentions) < 2:                   # a relation needs two mentions; titles need one
        yield from _mention_facts(mentions, evidence)
        return
    text, index = template(sentence, mentions)
    codes = {CODES[m.type] for m in mentions}
    full = PARTICIPIAL.sub("", text)
    forms = {"raw": [text], "full": [full], "reduced": [_reduced_full(full)]}
    forms["both"] = list(dict.fromkeys(forms["full"] + forms["reduced"]))
    # Only the rules that the mention types and the words of some form allow, in file order.
    prefilter, all_rules = rule_index(), rules()
    applicable = {form: prefilter.applicable(form) for form in dict.fromkeys((text, full, *forms["reduced"]))}
    allowed = set().union(*(numbers for _, numbers in applicable.values()))
    for number in sorted(prefilter.typed(frozenset(codes)) & allowed):
        rule = all_rules[number]
        for variant in forms[rule.template]:
            found, numbers = applicable[variant]
            if number not in numbers:
                continue
            for match in prefilter.scanners[number].matches(variant, found):
                if rule.unless_before and rule.unless_before.search(variant[max(0, match.start() - 40):match.start()]):
                    continue
                yield from _rule_facts(rule, match, variant, index, evidence)
    yield from _mention_facts(mentions, evidence)


PARTICIPIAL = re.compile(r",?\s+(?:backed|supported|sponsored|funded|armed|financed) by (?:the\s+)?%s(?=[\s,.;:]|$),?"
                         % MACROS["ACTORS"], re.IGNORECASE)
RELATIVE = re.compile(r",\s+(?:which|who)\s+(?:[^«»,.;]|«\d+\w»)*,", re.IGNORECASE)
APPOSITION = re.compile(r"(«\d+\w»),\s+(?:a|an|the|led by|headed by|commanded by|known as|based in|founded in)\s+"
                        r"(?:[^«»,.;]|«\d+\w»){1,80},", re.IGNORECASE)


def reduced(text: str) -> str:
    """The template without participial backers and relative clauses, so that
    '<actor>, backed by <actor> and <actor>, has made gains' reads as
    '<actor> has made gains' for the other rules."""
    return _reduced_full(PARTICIPIAL.sub("", text))


def _reduced_full(full: str) -> str:
    """``reduced`` of a template whose participial backers are already cut."""
    return APPOSITION.sub(r"\1", RELATIVE.sub("", full))


def _rule_facts(rule: Rule, match: re.Match, text: str, index: dict, evidence) -> Iterator[Fact]:
    confidence = rule.confidence
    window = text[max(0, match.start() - 25):match.end()]
    if rule.negatable and (NEGATION.search(window) or CONDITIONAL.search(factuality.clause_before(text, match.start()))
                           or HYPOTHETICAL.search(match.group(0)) or text.rstrip().endswith("?")):
        return
    if HEDGE.search(window):
        confidence *= factuality.REPORTED_FACTOR
    for s_group, pred, o_group in rule.facts:
        if _dependent_subject(match, s_group, text):
            continue
        subjects = _group_mentions(match, s_group, index, s_group in rule.span_groups)
        if pred != "located_in" and subjects and subjects[0].type in ("Country", "Location") and \
                "pronoun" not in subjects[0].tags and _place_before_clause(match, s_group, text) and \
                not _hyphen_modifier(match, s_group, text):
            subjects = subjects[1:]
        subjects = _clause_subjects(match, s_group, text, subjects)
        if pred == "present_in":
            subjects = [] if _visitors_of(text[:match.start(s_group)]) else \
                [m for m in subjects if not _visitor(m, text, index)]
        if s_group == o_group:
            pairs = combinations(subjects, 2)
        else:
            objects = _group_mentions(match, o_group, index, o_group in rule.span_groups)
            if o_group not in rule.span_groups:
                objects = _clause_subjects(match, o_group, text, objects)
            pairs = ((a, b) for a in subjects for b in objects)
        for subject, obj in pairs:
            if pred == "located_in" and ("unverified" in obj.tags or ("unverified" in subject.tags and "geonames" in obj.tags)):
                continue            # "Men in Black", "Sam in Penny": a place only a guess names needs a known container
            if not _written_as(rule, ((s_group, subject), (o_group, obj))):
                continue
            if rule.object_kinds and obj.entity is not None and \
                    getattr(obj.entity, "attr", lambda k: None)("kind") not in rule.object_kinds:
                continue
            fact = make_fact(subject, pred, obj, evidence(rule.id, confidence * _conf(subject, obj)))
            if fact:
                yield fact


def _written_as(rule: Rule, mentions) -> bool:
    """Whether each mention is written as the rule's mention_text asks ("the Darfur region")."""
    texts = dict(rule.mention_text)
    return all(group not in texts or texts[group].search(mention.text) for group, mention in mentions)


@lru_cache(maxsize=1)
def _visitor_nouns() -> re.Pattern:
    from kg.loaders.mentions import lexicon

    nouns = sorted(lexicon()["visitor_nouns"], key=len, reverse=True)
    return re.compile(r"(?:^|\s)(?:%s)$" % "|".join(map(re.escape, nouns)), re.IGNORECASE)


def _visitors_of(before: str) -> bool:
    """'Representatives of X and Y were in Jeddah', 'a delegation from X is in Cairo': whoever follows
    is visiting, not present."""
    words = re.search(r"([A-Za-z]+)\s+(?:of|from)(?:\s+the)?\s*$", before[-60:])
    return bool(words and _visitor_nouns().search(" " + words.group(1)))


def _visitor(mention: Mention, text: str, index: dict) -> bool:
    """'a Russian delegation arrived in X' is a visit, not a presence: the mention, or the
    noun right after its placeholder, is a delegation, an official, a negotiator ..."""
    if _visitor_nouns().search(mention.text):
        return True
    number = next((n for n, m in index.items() if m is mention), None)
    placeholder = text.find(f"«{number}") if number is not None else -1
    if placeholder < 0:
        return False
    after = text[text.index("»", placeholder) + 1:][:40]
    noun = re.match(r"(?:'s|’s)?\s+((?:[a-z]+\s+)?[a-z]+)", after)
    return bool(noun and _visitor_nouns().search(noun.group(1)))


LIST_WITH_AND = re.compile(r"\band\b|\bas well as\b", re.IGNORECASE)
HYPHEN_LIST = re.compile(r"«\d+d»(?:-«\d+d»)+")     # "Russian-Turkish": two demonyms, always a list


def _clause_subjects(match: re.Match, group: str, text: str, members: list) -> list:
    """Members of a list that really belong to the rule's clause.

    A comma list without 'and' is not a list in running prose. An introductory phrase ends
    with a comma before the clause's subject ('After calling <A>, <B> met ...': a group that
    opens the match keeps its last item), and a reporting clause follows a comma ('... the
    truce with <A>, <B> said': a group later in the match keeps its first item). Only at
    the start of a sentence, as in headlines ('<A>, <B> discuss truce'), is it a list.
    """
    if len(members) < 2:
        return members
    start = match.start(group) if match.groupdict().get(group) else -1
    if start < 0:
        return members
    if not LIST_WITH_AND.search(match.group(group)) and not HYPHEN_LIST.fullmatch(match.group(group)):
        if not text[:start].strip(" \"“‘'(-–—"):
            return members
        return members[-1:] if start == match.start() else members[:1]
    return members


DEPENDENT = Scanner(re.compile(r"\b(?:loyal to|allied to|allied with|close to|backed by|supporters of|faction of|factions of|"
                               r"remnants of|opponents of|critics of|rivals of|elements of|wing of|"
                               r"blamed on|accused|accusing)\s+(?:the\s+)?(?:[a-z-]+\s+)?$", re.IGNORECASE))


def _dependent_subject(match: re.Match, group: str, text: str) -> bool:
    """'A faction loyal to X took control': X heads a noun phrase, it is not the one acting."""
    return _match_opens_after(match, group, text, DEPENDENT)


LOCATIVE_BEFORE = Scanner(re.compile(r"\b(?:in|inside|into|across|throughout|at|near|from)\s+(?:the\s+)?$", re.IGNORECASE))


def _hyphen_modifier(match: re.Match, group: str, text: str) -> bool:
    """'near the Taiwan-controlled Kinmen islands': X in 'X-controlled' describes what follows; it is no place."""
    end = match.end(group) if match.groupdict().get(group) else -1
    return end >= 0 and text[end:end + 1] in ("-", "‐")


def _place_before_clause(match: re.Match, group: str, text: str) -> bool:
    """'an alliance of armed groups in X has agreed ...', 'In X, Y is ...': X, the object of 'in', is not
    the clause's subject (the first member of the subject group is then dropped)."""
    return _match_opens_after(match, group, text, LOCATIVE_BEFORE)


def _match_opens_after(match: re.Match, group: str, text: str, before: Scanner, reach: int = 40) -> bool:
    """Whether the match opens with ``group`` and the words just before it match ``before``."""
    start = match.start(group) if match.groupdict().get(group) else -1
    return start == match.start() and bool(before.search(text[max(0, start - reach):start]))


def _conf(subject: Mention, obj: Mention) -> float:
    return min(subject.confidence, obj.confidence)


def _group_mentions(match: re.Match, group: str, index: dict, span: bool = False) -> list[Mention]:
    groups = match.groupdict()
    text = next((groups[g] for g in groups if (g == group or g.startswith(group + "__")) and groups[g]), None)
    if text is None:
        return []
    if span:
        return _places_in_span(text, index)
    return [index[int(n)] for n, _ in PLACEHOLDER.findall(text)]


NOT_THERE = Scanner(re.compile(r"(?:near|close to|vicinity of|outskirts of|from|towards?|away from|north of|south of|"
                               r"east of|west of|border with)\s+(?:the\s+)?(?:(?:city|town|village|area|region)\s+of\s+)?$",
                               re.IGNORECASE))
MODIFIER_AFTER = re.compile(r"\s+(?:port|coast|coastline|border|shore|waters|seaport|region's)\b", re.IGNORECASE)
CONTAINER = re.compile(r"^\s*(?:(?:countryside|province|governorate|region)?\s*,?\s*(?:in|inside|of)\s+(?:the\s+)?"
                       r"(?:(?:north|south|east|west)\w*\s+)?|(?:township|district|county|village|town),\s+)$",
                       re.IGNORECASE)   # '<town> in <province>', '<x> township, <region>


CLAUSE_END = re.compile(r",?\s+(?:as|while|whereas|after|before|when|because|since|although|though|amid|but|even as)\s",
                        re.IGNORECASE)


def _places_in_span(text: str, index: dict) -> list[Mention]:
    """The places a clause names as targets: not those 'near' something, and not the container
    of a place already named ('<town> in <province>': the town), and none after the clause ends
    ('..., as the group's attacks around <sea> continue')."""
    text = CLAUSE_END.split(text, 1)[0]
    out, previous_end, previous_type = [], 0, None
    for match in PLACEHOLDER.finditer(text):
        before = text[previous_end:match.start()]
        mention = index[int(match.group(1))]
        container = previous_type == "L" and CONTAINER.match(before)
        modifier = MODIFIER_AFTER.match(text[match.end():])
        if match.group(2) == "L" and not NOT_THERE.search(before) and not container and not modifier:
            out.append(mention)
        previous_end, previous_type = match.end(), match.group(2)
    return out


def evidence_factory(clean: CleanText, sentence: Sentence):
    start, end = clean.raw_span(sentence.start, sentence.end)
    article = clean.article

    def make(rule: str, confidence: float, date: Optional[str] = None) -> Evidence:
        return Evidence(article.id, article.source, sentence.text, start, end, rule,
                        round(min(confidence, 1.0), 2), date)

    return make



_evidence_factory = evidence_factory     # the name loaders/agreements.py imports


def make_fact(subject: Mention, pred: str, obj: Mention, evidence: Evidence) -> Optional[Fact]:
    """A fact when the types fit the vocabulary; None otherwise."""
    s_entity, o_entity = subject.entity, obj.entity
    if s_entity is None or o_entity is None:
        return None
    s_type = "Country" if subject.type == "Demonym" else s_entity.type
    o_type = "Country" if obj.type == "Demonym" else o_entity.type
    if isinstance(o_entity, Entity) and s_entity.id == o_entity.id:
        return None
    spec = vocab_predicate(pred)
    if not spec.accepts(s_type, o_type):
        return None
    if pred == "located_in":
        o_entity = _region_country(obj) or o_entity
        if isinstance(o_entity, Entity) and s_entity.id == o_entity.id:
            return None
    if pred == "present_in" and (s_type == "Person" or _visitor_nouns().search(subject.text)):
        return None                                   # "the Turkish delegation", a president: a visit
    if pred in ("controls", "present_in") and "forces" in obj.tags:
        return None                                   # "captured several Indian soldiers": people, no place held
    if pred == "attacked" and o_type == "Location" and is_water_body(o_entity):
        return None                                   # "attacked a cargo ship in the Red Sea": the ship, not the sea
    if spec.symmetric and isinstance(o_entity, Entity) and o_entity.id < s_entity.id:
        s_entity, o_entity = o_entity, s_entity
    return Fact(s_entity, pred, o_entity, evidence)


def is_water_body(entity) -> bool:
    """A sea, gulf, strait or river: its label ends in one of schema/lexicon.yaml water_body_heads."""
    words = str(getattr(entity, "label", "")).split()
    return bool(words) and words[-1] in _water_body_heads()


@lru_cache(maxsize=1)
def _water_body_heads() -> frozenset:
    from kg.loaders.mentions import lexicon

    return frozenset(lexicon().get("water_body_heads", []))


def _region_country(mention: Mention) -> Optional[Entity]:
    """'in <direction> <country>' places a thing in the country."""
    return mention.link("region_of")


DATED_NAME = re.compile(rf"(?:({MONTH_NAMES})\s+)?((?:19|20)\d\d)\s")


def _mention_facts(mentions: list[Mention], evidence) -> Iterator[Fact]:
    """Facts carried by one mention: titles, offices, national airspace, dated or located agreements."""
    previous_kind = None
    for mention in mentions:
        if mention.role:
            kind, owner, _title, implied = mention.role
            if implied and not any(m.entity == owner or m.link("government_of") == owner for m in mentions):
                owner = None
            if kind == "counterpart":
                kind = previous_kind
            elif kind == "former":
                previous_kind = None
                continue
            else:
                previous_kind = kind
            if kind in ("leader", "official") and owner is not None:
                fact = _fact(mention.entity, f"{kind}_of", owner, evidence("title." + kind, mention.confidence))
                if fact:
                    yield fact
        country = mention.link("airspace_of")
        if country is not None:
            yield Fact(country, "controls", mention.entity, evidence("controls.national_airspace", 0.6))
        for relation, target in mention.links:
            if relation == "opposes":
                yield Fact(mention.entity, "opposes", target, evidence("opposes.anti_modifier", 0.8))
            elif relation == "supported_by" and target.type in ("Person", "Country", "Organization", "ArmedGroup"):
                yield Fact(target, "supports", mention.entity, evidence("supports.backed_modifier", 0.85))
            elif relation == "led_by":
                yield Fact(target, "leader_of", mention.entity, evidence("leader_of.possessive_name", 0.75))
        inside = mention.link("located_in")
        if inside is not None:
            yield Fact(mention.entity, "located_in", inside, evidence("located_in.capital_description", 0.75))
        place = mention.link("applies_to")
        if place is not None:
            yield Fact(mention.entity, "applies_to", place, evidence("applies_to.modifier", 0.75))
        if mention.type == "Agreement":
            dated = DATED_NAME.match(mention.text)     # 'the 2015 deal', 'the November 2022 Pretoria agreement'
            if dated:
                month = MONTHS.get((dated.group(1) or "").lower())
                iso = f"{dated.group(2)}-{month:02d}" if month else dated.group(2)
                yield Fact(mention.entity, "signed_on", DateValue(iso), evidence("signed_on.year_modifier", 0.7))


def _fact(subject: Entity, pred: str, obj: Entity, evidence: Evidence) -> Optional[Fact]:
    if subject.id == obj.id or not vocab_predicate(pred).accepts(subject.type, obj.type):
        return None
    return Fact(subject, pred, obj, evidence)
