"""Agreements as events: every agreement mention, named or described, with its anchors.

A mention is a noun phrase ending in a head of ``schema/agreement_heads.yaml`` ("a ceasefire
deal", "the Turkish-Russian memorandum", "the agreement") or a named agreement the resolver
found. The constructions of that file give it anchors -- parties ("between A and B", "A and
B signed", "A signed ... with B", "the A-B deal"), a date ("on Friday", "of 4 May 2017"), a
place ("signed in Sochi", "the Moscow deal") and a topic ("on Idlib", "in northern Syria") --
each checked for factuality ("refused to sign", "may sign", "without signing" give nothing).

A document pass then links the mentions in sieve order, precise first: a named agreement;
the same kind with compatible anchors as an earlier event; a bare definite ("the deal") to
the closest preceding agreement; anchors that fit exactly one entry of the agreement
catalogue (``schema/gazetteer/agreements.yaml``: catalogue anchors choose an entry, they are
never emitted); else a new agreement whose label and id come from its kind, parties, date and
place, so that the same unnamed deal gets the same id in two articles. party_to, signed_on
and applies_to come from the linked events.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, Optional

import yaml

from kg.errors import SchemaError
from kg.loaders.facts import _FORCE, _LIST, FILLERS, MACROS, PLACEHOLDER, RELATIVE, _clause_subjects, _evidence_factory, _places_in_span, template
from kg.loaders.gazetteer import Gazetteer
from kg.model import CleanText, DateValue, Entity, Fact, Mention, Sentence
from kg.schema import read_text

SIGNING = ("agreement.subject_verb", "agreement.coordinated_verb", "agreement.quote", "agreement.quote_with")
CLAUSE_END = re.compile(r"\b(?:to allow|to enable|to let|in exchange|in return|after|before|while|because|so that|"
                        r"as part of)\b", re.IGNORECASE)
CLAUSE_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n['’]t\b", re.IGNORECASE)
ACTOR_TYPES = ("Person", "Country", "Organization", "ArmedGroup")
CITY_KINDS = ("city", "town", "village")
AREA_KINDS = ("province", "region", "zone", "corridor", "road", "sea", "strait")
KIND_LABEL = {"agreement": "agreement", "ceasefire": "ceasefire", "memorandum": "memorandum",
              "treaty": "treaty", "protocol": "protocol", "declaration": "declaration"}
_STOP = set("""of on in at by for with to from into over under between among and or but as than that which who whom
whose this these those it its their his her our your my we they he she you i is are was were be been being has have had
do does did will would can could may might must shall should not no also then said says say after before since while
when where if despite during against about around across along through toward towards amid amidst upon per via""".split())


@dataclass(frozen=True)
class Construction:
    id: str
    regex: re.Pattern
    verbal: bool
    check: str           # "" | "verb" | "before"
    examples: tuple


@dataclass(frozen=True)
class Lexicon:
    heads: dict
    weak: frozenset
    kind_named: frozenset
    kind_modifiers: dict
    not_before: frozenset
    not_heads: tuple
    not_after_head: re.Pattern
    other: frozenset
    negated: re.Pattern
    hypothetical: re.Pattern
    head_re: re.Pattern
    constructions: tuple
    topic_words: frozenset = frozenset()
    approximate: dict = field(default_factory=dict)
    approximate_re: Optional[re.Pattern] = None
    head_tail: Optional[re.Pattern] = None
    unsigned_after: Optional[re.Pattern] = None


_ONE_PARTY = f"«\\d+[PCOA]»(?:\\s*\\(«\\d+[PCOA]»\\))?{_FORCE}(?:\\s+(?:movement|group))?"
_BACKER_WORDS = r"-(?:backed|led|aligned|allied|supported)\s"
_BACKED = rf"(?:«\d+[CdOA]»{_BACKER_WORDS}+)?"     # "and the Rwanda-backed M23": a party's decoration
BACKER_DECORATION = re.compile(_BACKER_WORDS)
# parties: an actor list that also reads "the paramilitary RSF" and "the Democratic Republic of Congo (DRC)"
PARTIES = f"{_ONE_PARTY}(?:{_LIST}(?:[a-z][a-z-]+\\s+)?{_BACKED}{_ONE_PARTY})*"
NOT_A_SUBJECT = r"(?<!\bin\s)(?<!\bof\s)(?<!\bfrom\s)(?<!\bat\s)(?<!\bon\s)(?<!\bby\s)(?<!\bfor\s)(?<!\bto\s)(?<!\bwith\s)"


def _compile(pattern: str, where: str) -> re.Pattern:
    seen: dict[str, int] = {}

    def expand(match: re.Match) -> str:
        name, macro = match.group(1), match.group(2)
        if macro is None:
            if name == "AGR":
                return r"«X(?P<agr>\d+)»"
            if name in FILLERS:
                return FILLERS[name]
            raise SchemaError(f"schema/agreement_heads.yaml: {where}: unknown macro {{{name}}}")
        if macro == "PARTIES":
            body = PARTIES
        elif macro in MACROS:
            body = MACROS[macro]
        else:
            raise SchemaError(f"schema/agreement_heads.yaml: {where}: unknown macro {macro!r}")
        count = seen.get(name, 0)
        seen[name] = count + 1
        group = name if count == 0 else f"{name}__{count}"   # a name may appear in alternatives
        return f"(?P<{group}>{body})"

    text = re.sub(r"\{(\w+)(?::(\w+))?\}", expand, pattern.replace(" {ADV}", "{ADV}").replace("{NOT_A_SUBJECT}", NOT_A_SUBJECT))
    text = re.sub(r" +", r"\\s+", text.replace(" ?", r"\s*"))
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as error:
        raise SchemaError(f"schema/agreement_heads.yaml: {where}: bad pattern: {error}") from error


@lru_cache(maxsize=1)
def _founding_clause() -> re.Pattern:
    """What makes a weak head an agreement by what it founds ('a charter establishing an alliance')."""
    data = yaml.safe_load(read_text("agreement_heads.yaml"))
    return re.compile(data.get("weak_head_named_by", r"(?!)"), re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = yaml.safe_load(read_text("agreement_heads.yaml"))
    heads = {str(k): str(v) for k, v in data["heads"].items()}
    words = sorted(heads, key=len, reverse=True)
    head_re = re.compile(r"(?<![\w-])(?P<head>%s)(?P<plural>s)?(?![\w-])" % "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in words), re.IGNORECASE)
    fact = data["factuality"]
    constructions = tuple(
        Construction(spec["id"], _compile(spec["pattern"], spec["id"]), bool(spec.get("verbal")),
                     str(spec.get("check", "")), tuple(spec.get("examples") or ()))
        for spec in data["constructions"])
    return Lexicon(heads, frozenset(data["weak_heads"]), frozenset(data["kind_named_heads"]),
                   dict(data["kind_modifiers"]), frozenset(data["not_before"]),
                   tuple(re.compile(p, re.IGNORECASE) for p in data["not_heads"]),
                   re.compile(data["not_after_head"], re.IGNORECASE), frozenset(data["other_modifiers"]),
                   re.compile("|".join(fact["negated"]), re.IGNORECASE),
                   re.compile("|".join(fact["hypothetical"]), re.IGNORECASE), head_re, constructions,
                   frozenset(data["topic_words"]), dict(data["approximate_dates"]),
                   re.compile(r"\b(?:%s)\b" % "|".join(re.escape(k) for k in sorted(data["approximate_dates"], key=len,
                                                                                  reverse=True)), re.IGNORECASE),
                   re.compile(data.get("head_tail", r"(?!)"), re.IGNORECASE),
                   re.compile(fact.get("unsigned_after", r"(?!)"), re.IGNORECASE))


# ----------------------------------------------------------------------------- events
@dataclass
class Anchor:
    role: str                        # party | date | place | topic | mediator
    value: object                    # Entity or DateValue
    rule: str
    evidence: object                 # an Evidence factory of the sentence
    exact: bool = True               # a date read exactly (not "a year ago")


@dataclass
class Event:
    order: int                       # position in the article
    kind: str
    head: str
    named: Optional[Entity] = None
    definite: bool = False
    bare: bool = True                # no modifier that names it
    other: bool = False              # "another", "a previous" ...
    plural: bool = False
    verbal: bool = False             # "A and B agreed to ..." with no head noun
    factual: bool = True
    words: frozenset = frozenset()   # content words of its modifiers and "on ..." phrase
    anchors: list = field(default_factory=list)
    cluster: Optional["Cluster"] = None

    def add(self, anchor: Anchor) -> None:
        self.anchors.append(anchor)


@dataclass
class Cluster:
    events: list = field(default_factory=list)
    named: Optional[Entity] = None
    entity: Optional[Entity] = None

    @property
    def kind(self) -> str:
        kinds = [e.kind for e in self.events if not e.verbal and e.kind != "agreement"]
        return kinds[0] if kinds else "agreement"

    def anchors(self, role: str) -> list[Anchor]:
        return [a for e in self.events for a in e.anchors if a.role == role]

    def ids(self, role: str) -> set:
        return {_key(a.value) for a in self.anchors(role)}

    @property
    def kinds(self) -> set:
        return {e.kind for e in self.events if not e.verbal}

    @property
    def words(self) -> frozenset:
        return frozenset().union(*(e.words for e in self.events))

    @property
    def anchored(self) -> bool:
        return self.named is not None or any(e.anchors for e in self.events)

    @property
    def alive(self) -> bool:
        """Not only mentions that deny or doubt the agreement ('this is not a ceasefire')."""
        return self.named is not None or any(e.anchors or (e.factual and not e.plural) for e in self.events)

    @property
    def confirmed(self) -> bool:
        """A verbal agreement counts only once a mention names it."""
        return any(not e.verbal for e in self.events)


def _key(value) -> str:
    return value.id if isinstance(value, Entity) else value.iso


# ----------------------------------------------------------------------------- mentions
def _mentions_in(sentence_template: str, index: dict, lex: Lexicon, named_heads=frozenset()) -> list[tuple[int, int, dict]]:
    """(start, end, info) of every agreement noun phrase in a sentence template."""
    found = []
    for match in lex.head_re.finditer(sentence_template):
        found.append(match)
    spans = []
    skip_until = -1
    for number, match in enumerate(found):
        if match.start() < skip_until:
            continue
        head_end = match.end()
        head = " ".join(match.group("head").lower().split())
        # a compound head: "ceasefire agreement", "peace deal", "joint declaration on a ceasefire"
        kind_words = []
        following = found[number + 1] if number + 1 < len(found) else None
        while following is not None and re.fullmatch(r"\s+", sentence_template[head_end:following.start()]):
            kind_words.append(head)
            head = " ".join(following.group("head").lower().split())
            match, head_end = following, following.end()
            number += 1
            following = found[number + 1] if number + 1 < len(found) else None
        skip_until = head_end
        start = match.start() if not kind_words else found[number - len(kind_words)].start()
        info = _noun_phrase(sentence_template, start, head_end, head, kind_words, bool(match.group("plural")), lex,
                            named_heads)
        if info is None:
            continue
        # "a joint declaration on a ceasefire": one mention whose kind is the second head
        tail = re.match(r"\s+(?:on|for)\s+(?:a|an|the)\s+(?:(?:complete|full|permanent|lasting|new|humanitarian)\s+)?"
                        r"(ceasefire|cease-fire|truce|armistice)\b", sentence_template[head_end:], re.IGNORECASE)
        if tail:
            info["kind"] = "ceasefire"
            head_end += tail.end()
            skip_until = head_end
        tail = lex.head_tail.match(sentence_template[head_end:])    # "a declaration of principles"
        if tail:
            head_end += tail.end()
            skip_until = head_end
        spans.append((info.pop("start"), head_end, info))
    return spans


def _noun_phrase(text: str, head_start: int, head_end: int, head: str, kind_words: list, plural: bool,
                 lex: Lexicon, named_heads=frozenset()) -> Optional[dict]:
    after = text[head_end:]
    next_word = re.match(r"\s+([\w-]+)", after)
    if next_word and next_word.group(1).lower() in lex.not_before:
        return None
    if lex.not_after_head.match(after):
        return None
    before = text[max(0, head_start - 40):head_end]
    if any(p.search(before) for p in lex.not_heads) and not kind_words:
        return None
    # walk left over the modifiers
    tokens = list(re.finditer(r"«\d+\w»(?:['’]s)?|[\w’'.-]+|[‘“\"]", text[:head_start]))
    mods, definite, start, ended_by_determiner = [], False, head_start, False
    for token in reversed(tokens):
        word = token.group(0)
        low = word.lower()
        if text[token.end():start].strip(" \"“”‘’'") not in ("", "-"):
            break                        # punctuation between: the phrase ended
        if low in ("the", "this", "that", "these", "those", "its", "their", "his", "her", "our"):
            definite, start, ended_by_determiner = True, token.start(), True
            break
        if low in ("a", "an", "any", "some", "each", "every", "another"):
            start, ended_by_determiner = token.start(), True
            if low == "another":
                mods.append(word)
            break
        if word in ("\"", "“", "‘"):
            start = token.start()
            continue
        if low in _STOP or (low.endswith("ed") and "-" not in low and low not in ("armed", "united", "detailed")) \
                or (word[0].isupper() and not PLACEHOLDER.fullmatch(word.rstrip("'’s")) and token.start() == 0):
            break
        if len(mods) >= 5:
            break
        mods.append(word)
        start = token.start()
    mods.reverse()
    if not ended_by_determiner:        # a headline ("Russia and Turkey strike deal"): keep the names next to the head
        keep = []
        for word in reversed(mods):
            if "«" in word or word[:1].isupper() or word.lower() in lex.kind_modifiers or "-" in word \
                    or re.fullmatch(r"(?:19|20)\d\d", word):
                keep.append(word)
            else:
                break
        mods = list(reversed(keep))
        start = head_start if not mods else text.rfind(mods[0], 0, head_start)
    kind = lex.heads.get(head, "agreement")
    for word in kind_words + [m.lower() for m in mods]:
        if word in lex.kind_modifiers and lex.kind_modifiers[word] != "agreement":
            kind = lex.kind_modifiers[word]
        elif word in lex.heads and lex.heads[word] == "ceasefire":
            kind = "ceasefire"
    naming = [m for m in mods if "«" in m or m[:1].isupper() or re.fullmatch(r"(?:19|20)\d\d", m)]
    named_by_kind = any(w.lower() in lex.kind_modifiers for w in kind_words + mods)
    if head in lex.weak and not kind_words and not naming and not (head in lex.kind_named and named_by_kind) \
            and not _founding_clause().match(after) and not (definite and not mods and not plural and head in named_heads):
        return None                  # ("the initiative" after "the Black Sea Grain Initiative" is that initiative)
    if head == "plan" and not naming:
        return None
    about = re.match(r"\s+(?:on|for|over|about|concerning)\s+((?:[a-z][\w-]*\s*){1,5})", after)
    subject = [w for w in (about.group(1).split() if about else []) if w not in _STOP and len(w) > 3]
    words = frozenset(w.lower() for w in [*mods, *subject] if w.lower() in lex.topic_words)
    return {"start": start, "head": head, "kind": kind, "definite": definite, "plural": plural,
            "bare": not mods and not kind_words and not subject, "other": bool({w.lower() for w in mods} & lex.other),
            "mods": mods, "words": words}


# ----------------------------------------------------------------------------- one sentence
def sentence_events(clean: CleanText, sentence: Sentence, mentions: list[Mention], order: int,
                    gaz: Gazetteer, named_heads=frozenset()) -> list[Event]:
    """The agreement events of one sentence, with the anchors its constructions give."""
    lex = lexicon()
    text, index = template(sentence, mentions)
    evidence = _evidence_factory(clean, sentence)
    nps = _mentions_in(text, index, lex, named_heads)
    named = [(m.start(), m.end(), int(m.group(1))) for m in PLACEHOLDER.finditer(text) if m.group(2) == "G"]
    spans = []
    for start, end, info in nps:
        if any(s < end and start < e for s, e, _ in named):
            continue
        spans.append((start, end, info))
    for start, end, number in named:
        mention = index[number]
        # modifiers before a named agreement ("the 2018 Sochi deal") stay as they are
        spans.append((start, end, {"head": mention.text.split()[-1].lower(), "kind": _entity_kind(mention.entity),
                                   "definite": True, "plural": False, "bare": False, "other": False, "mods": [],
                                   "words": frozenset(), "named": mention.entity}))
    spans.sort()
    events, parts, position = [], [], 0
    for k, (start, end, info) in enumerate(spans):
        event = Event(order + k, info["kind"], info["head"], named=info.get("named"), definite=info["definite"],
                      bare=info["bare"], other=info["other"], plural=info["plural"], words=info["words"])
        event.factual = _factual(text, start, lex) and not (lex.unsigned_after and lex.unsigned_after.match(text, end))
        _modifier_anchors(event, text[start:end], index, gaz, evidence)
        _date_after_signed_in(event, text, start, end, index, evidence)
        events.append(event)
        parts.append(text[position:start])
        parts.append(f"«X{k}»")
        position = end
    parts.append(text[position:])
    event_text = "".join(parts)
    for match in re.finditer(r"«X(\d+)»(?:[^«».;]|«\d+[PCOAd]»){0,50}?\b(?:signed|reached|struck|agreed|concluded|sealed|inked)"
                             r"(?:[^«».;]|«\d+[PCOAd]»){0,30}?(%s)" % lex.approximate_re.pattern, event_text, re.IGNORECASE):
        value = _approximate(match.group(2), clean.date, lex)
        if value is not None:
            events[int(match.group(1))].add(Anchor("date", value, "agreement.approximate_date", evidence, exact=False))
    for construction in lex.constructions:
        for match in construction.regex.finditer(event_text):
            if construction.check == "verb" and match.groupdict().get("v") is not None:
                if not _factual(event_text, match.start("v"), lex):
                    continue
            elif construction.check == "before" and not _factual(event_text, match.start(), lex):
                continue
            if construction.verbal:
                if "«X" in event_text[match.end("v"):match.end("v") + 30]:
                    continue        # a verb with a head noun after it is read by the nominal constructions
                event = Event(order + len(events), "agreement", "agreed", verbal=True)
                events.append(event)
                clause = CLAUSE_END.split(match.group(0)[match.end("v") - match.start():])[0]
                for place in ([] if CLAUSE_NEGATION.search(clause) else span_places(clause, index)):
                    _add(event, "topic", place, construction.id, evidence, gaz)
            else:
                event = events[int(match.group("agr"))]
                if not event.factual or (event.plural and not event.anchors and construction.id not in SIGNING):
                    continue
            _match_anchors(event, construction, match, index, gaz, evidence)
    return [e for e in events if not (e.verbal and not e.anchors)]


SIGNED_IN_TAIL = re.compile(r"\b(?:signed|reached|concluded|agreed|sealed|inked)\s+in\s+\S+$", re.IGNORECASE)
DATE_NEXT = re.compile(r"\s*,?\s*(?:on|in)\s+«(\d+)D»")


def _date_after_signed_in(event: Event, text: str, start: int, end: int, index: dict, evidence) -> None:
    """'the Cessation of Hostilities Agreement signed in Pretoria on 2 November 2022': a mention that holds
    its own 'signed in <place>' is dated by the date right after it."""
    placeholder = PLACEHOLDER.fullmatch(text[start:end])
    mention = index.get(int(placeholder.group(1))) if placeholder else None
    after = DATE_NEXT.match(text, end)
    if mention is None or after is None or not SIGNED_IN_TAIL.search(mention.text) or not event.factual:
        return
    date = index.get(int(after.group(1)))
    if date is not None and isinstance(date.entity, DateValue):
        event.add(Anchor("date", date.entity, "agreement.signed_in_dated", evidence))


COUNTRY_AS_PLACE = re.compile(r"\b(?:in|into|inside|across|throughout|leave|leaves|enter|enters|of)\s+(?:the\s+)?$",
                              re.IGNORECASE)


def span_places(span: str, index: dict) -> list[Mention]:
    """The places a clause names ('leave Manbij and Tal Rifat'), and countries named as places ('in Kosovo')."""
    out = _places_in_span(span, index)
    for match in PLACEHOLDER.finditer(span):
        mention = index.get(int(match.group(1)))
        if match.group(2) == "C" and mention is not None and "forces" not in mention.tags \
                and not re.match(r"['’]s\b", span[match.end():match.end() + 2]) \
                and COUNTRY_AS_PLACE.search(span[max(0, match.start() - 20):match.start()]) and mention not in out:
            out.append(mention)
    return out


def _approximate(words: str, article_date: Optional[str], lex: Lexicon) -> Optional[DateValue]:
    """'a year ago' in an article of 2019-09-17: 2018; 'earlier this month': 2019-09."""
    if not article_date or len(article_date) < 10:
        return None
    from datetime import date, timedelta

    spec = lex.approximate.get(" ".join(words.lower().split()))
    if spec is None:
        return None
    when = date.fromisoformat(article_date) - timedelta(days=int(spec["back_days"]))
    return DateValue(when.isoformat()[:4] if spec["precision"] == "year" else when.isoformat()[:7])


SIGN_LEMMAS = frozenset("sign ink seal conclude reach strike agree clinch ratify finalize finalise forge".split())
MODALS = frozenset("will would may might could should can must shall".split())


def parse_parties(events: list[Event], mentions: list[Mention], span, evidence, gaz: Gazetteer,
                  pairs=()) -> None:
    """From a dependency parse: 'A, which had refused earlier offers, and B signed a truce' -- the
    subject of a signing verb (with its conjuncts) whose object is an agreement mention that the
    surface constructions left without parties. Not under a negation, a modal, 'refused to' or
    'without' (the verb is then a neg/aux child, an xcomp or a pcomp)."""
    from kg.loaders.parse import mention_at

    waiting = [e for e in events if not e.verbal and e.factual and not any(a.role == "party" for a in e.anchors)]
    for verb in span:
        if not waiting:
            return
        if verb.lemma_.lower() not in SIGN_LEMMAS or verb.dep_ in ("xcomp", "pcomp", "advcl", "amod"):
            continue
        if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lemma_.lower() in MODALS) for c in verb.children):
            continue
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        objects += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "to", "upon")
                    for g in c.children if g.dep_ == "pobj"]
        heads = {o.lemma_.lower() for o in objects}
        event = next((e for e in waiting if e.head.split()[-1] in heads), None)
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if event is None or not subjects:
            continue
        for token in [t for s in subjects for t in (s, *s.conjuncts)]:
            mention = mention_at(token, mentions, span)
            if mention is not None and (mention.type in ACTOR_TYPES or mention.type == "Demonym"):
                _add(event, "party", mention, "agreement.parse_subject", evidence, gaz)
            elif mention is None:
                for party in _pair_meant(token, mentions, span, pairs):
                    _add(event, "party", party, "agreement.pair_subject", evidence, gaz)
        waiting.remove(event)


def _pair_meant(token, mentions: list[Mention], span, pairs) -> list[Mention]:
    """'The two leaders signed ...', 'both sides agreed to ...': the pair that talked just before,
    in this sentence ahead of the words, or else in an earlier one."""
    from kg.loaders.parse import sentence_start
    from kg.loaders.reference import is_pair_word

    if not is_pair_word(token):
        return []
    start = token.idx + sentence_start(span)
    for pair, here in pairs:
        if here and not all(any(m.entity == e and m.end <= start for m in mentions) for e in pair):
            continue
        return [Mention(start, start + len(token.text), token.text, e.type, e, 0.8) for e in pair]
    return []


def _entity_kind(entity) -> str:
    kind = str(entity.attr("kind", "") or "") if isinstance(entity, Entity) else ""
    if kind in KIND_LABEL:
        return kind
    label = entity.label.lower() if isinstance(entity, Entity) else ""
    for word, value in lexicon().heads.items():
        if re.search(rf"\b{re.escape(word.lower())}\b", label):
            return value if value != "agreement" or kind not in ("process",) else "process"
    return kind or "agreement"


def _factual(text: str, position: int, lex: Lexicon) -> bool:
    """No negation, modal or hypothetical governor in the clause just before ``position``."""
    before = text[max(0, position - 70):position]
    cuts = [before.rfind(mark) + len(mark) for mark in (".", ";", ":", "—", "–", ",", "”", "\"", " as ", " after ",
                                                         " while ", " but ", " because ", " when ", " although ")
            if before.rfind(mark) >= 0]
    clause = before[max(cuts):] if cuts else before
    clause = re.sub(r"\b(?:on|in)\s+(?:«\d+D»|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)", "", clause)
    clause = re.sub(r"\b(?:agreed|agree|agrees)\s+(?:to|on)\s*$", "", clause)   # "agreed to a truce" is factual
    return not (lex.negated.search(clause) or lex.hypothetical.search(clause))


def _modifier_anchors(event: Event, phrase: str, index: dict, gaz: Gazetteer, evidence) -> None:
    """'the Turkish-Russian deal', 'the Idlib ceasefire', 'the Moscow agreement', 'the March 5 deal'."""
    if not event.factual or event.named is not None or event.plural:
        return
    actors = []
    for match in PLACEHOLDER.finditer(phrase):
        mention = index[int(match.group(1))]
        after = phrase[match.end():match.end() + 14].lower()
        if re.match(r"-(?:brokered|mediated|sponsored|backed|led)", after):
            continue
        if mention.type in ACTOR_TYPES or mention.type == "Demonym":
            actors.append((mention, bool(re.match(r"['’]s\b", after))))
        elif mention.type in ("Location", "Country"):   # 'the Idlib ceasefire' covers Idlib; 'the Kunming ceasefire' was made there
            area = mention.type == "Country" or mention.entity.attr("kind") in AREA_KINDS
            _add(event, "topic" if area else "place", mention, "agreement.modifier", evidence, gaz)
        elif mention.type == "Date":
            _add(event, "date", mention, "agreement.modifier", evidence, gaz)
    # 'the Turkish-Russian deal', 'Israel's deal': parties; 'the Syrian agreement' names no side
    if len({m.entity.id for m, _ in actors if isinstance(m.entity, Entity)}) >= 2 or any(own for _, own in actors):
        for mention, _ in actors:
            _add(event, "party", mention, "agreement.modifier", evidence, gaz)
    year = re.search(r"(?<![\w-])((?:19|20)\d\d)(?![\w-])", PLACEHOLDER.sub("", phrase))
    if year:
        event.add(Anchor("date", DateValue(year.group(1)), "agreement.year_modifier", evidence))


def _match_anchors(event: Event, construction: Construction, match: re.Match, index: dict, gaz: Gazetteer,
                   evidence) -> None:
    roles = {"p": "party", "p2": "party", "p3": "party", "t2": "topic", "m": "mediator", "d": "date", "d2": "date", "pl": "place", "t": "topic",
             "ts": "topic"}
    for key, value in match.groupdict().items():
        group = key.split("__")[0]
        role = roles.get(group)
        if not value or role is None:
            continue
        if group == "ts":
            members = span_places(RELATIVE.sub(",", value), index)
        else:
            members = [index[int(m.group(1))] for m in PLACEHOLDER.finditer(value)
                       if not BACKER_DECORATION.match(value, m.end())]     # "the Rwanda-backed M23": M23
            if role == "party":      # 'the deal with Russia, Erdogan said': a comma list without 'and' is no list
                members = _clause_subjects(match, key, match.string, members)
        before = [w for w in match.string[max(0, match.start(key) - 16):match.start(key)].lower().split()
                  if w not in ("the", "a", "an")]          # "signed the declaration in the United States": in
        preposition = before[-1] if before else ""
        if role == "topic" and preposition == "in" and members and (
                _city_like(members[0].entity, gaz) or _signed_in_country(match, key, members[0])):
            role = "place"                  # 'in Washington, DC', 'signed a deal in the US': where it was signed
        for mention in members:
            _add(event, role, mention, construction.id, evidence, gaz, preposition)


def _add(event: Event, role: str, mention: Mention, rule: str, evidence, gaz: Gazetteer, preposition: str = "") -> None:
    entity = mention.entity
    if entity is None:
        return
    if role == "party":
        if mention.type not in ACTOR_TYPES and mention.type != "Demonym":
            return
    elif role in ("topic", "place"):
        if mention.type not in ("Location", "Country") or "forces" in mention.tags:
            return
        if role == "topic" and rule == "agreement.topic" and _city_like(entity, gaz) and preposition == "in":
            role = "place"              # 'a deal in Istanbul': where it was made
    elif role == "date":
        if not isinstance(entity, DateValue):
            return
    event.add(Anchor(role, entity, rule, evidence))


# "signed a peace deal <in X>": the agreement is what was signed, so "in X" is where.
SIGNED_BEFORE = re.compile(r"\b(?:sign|signs|signed|signing|ink|inks|inked|inking)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,2}$",
                           re.IGNORECASE)


def _signed_in_country(match: re.Match, key: str, mention: Mention) -> bool:
    """'<signed> a peace deal in <country>': the country right after the signed agreement is where."""
    return mention.type == "Country" and bool(SIGNED_BEFORE.search(match.string, 0, match.start())) and \
        bool(re.fullmatch(r"«[^»]+»\s+in\s+(?:the\s+)?", match.string[match.start():match.start(key)]))


def _city_like(entity, gaz: Gazetteer) -> bool:
    if not isinstance(entity, Entity) or entity.type != "Location":
        return False
    kind = entity.attr("kind")
    if kind in CITY_KINDS:
        return True
    return kind is None and (entity.attr("geonames_id") is not None or entity.label in gaz.capitals)


# ----------------------------------------------------------------------------- the document
def agreement_facts(clean: CleanText, sentences: Iterable[tuple[Sentence, list[Mention]]],
                    gaz: Gazetteer, parses: Optional[dict] = None, pairs: Optional[dict] = None) -> list[Fact]:
    """party_to, signed_on and applies_to facts of an article's agreement events.

    ``parses`` ({sentence number: spaCy Span}, from :func:`kg.loaders.parse.parse`), when given,
    adds the subjects of signing verbs that the surface constructions could not read; ``pairs``
    ({sentence number: [(pair, from this sentence)]}, :meth:`kg.loaders.reference.Discourse.pairs_for`)
    says whom such a subject "the two leaders" or "both sides" stands for.
    """
    sentences = list(sentences)
    events: list[Event] = []
    named_heads: set = set()         # the last words of the agreements named so far: "the initiative" may follow
    for number, (sentence, mentions) in enumerate(sentences):
        found = sentence_events(clean, sentence, mentions, len(events), gaz, frozenset(named_heads))
        named_heads |= {m.text.split()[-1].lower() for m in mentions if m.type == "Agreement" and m.text.split()}
        if parses and number in parses and found:
            parse_parties(found, mentions, parses[number], _evidence_factory(clean, sentence), gaz,
                          (pairs or {}).get(number, ()))
        events.extend(found)
    if not events:
        return []
    fold = _folder(gaz, clean.date)
    clusters = link(events, fold)
    meetings = venues(sentences, gaz)
    places = frozenset(m.entity.label for _, mentions in sentences for m in mentions
                       if m.type in ("Location", "Country") and isinstance(m.entity, Entity))
    facts: list[Fact] = []
    for cluster in clusters:
        if not cluster.confirmed:
            continue
        entity = cluster.named if _catalogued(cluster.named, gaz) else None
        entity = entity or catalogue_entry(cluster, gaz, clean.date, fold, meetings, places) or cluster.named \
            or minted(cluster)
        if entity is None:
            continue
        cluster.entity = entity
        facts.extend(_cluster_facts(cluster, entity))
    return facts


def _catalogued(entity: Optional[Entity], gaz: Gazetteer) -> bool:
    if entity is None:
        return False
    entry = gaz.entries.get(entity.label)
    return entry is not None and entry.entity.id == entity.id


def _folder(gaz: Gazetteer, date: Optional[str]):
    cache: dict = {}

    def fold(entity) -> Optional[str]:
        """A party for matching only: a leader or official counts as the state or body."""
        if not isinstance(entity, Entity):
            return None
        if entity.id not in cache:
            cache[entity.id] = entity.label
            if entity.type == "Person":
                roles = gaz.role_of(entity.label, None, date) or gaz.role_of(entity.label, None, None)
                if roles:
                    cache[entity.id] = roles[0].of
        return cache[entity.id]

    return fold


MEETING = re.compile(r"\b(?:talks|met|meet|meeting|summit|negotiations|conference|hosted|visit)\b(?:[^«».;]|«\d+[PCdOD]»){0,60}?"
                     r"\b(?:in|at)\s+((?:[^«».;,]|«\d+[CL]»){0,50})", re.IGNORECASE)


def venues(sentences: list, gaz: Gazetteer) -> list[tuple[set, Entity]]:
    """(actors of the sentence, city) for each 'met ... in Sochi', 'talks in Moscow': where agreements are made."""
    out = []
    for sentence, mentions in sentences:
        if len(mentions) < 2:
            continue
        text, index = template(sentence, mentions)
        for match in MEETING.finditer(text):
            places = [index[int(n)].entity for n, code in PLACEHOLDER.findall(match.group(1)) if code == "L"]
            place = next((p for p in places if isinstance(p, Entity) and p.attr("kind") in (None, *CITY_KINDS)), None)
            if place is not None:
                actors = {m.entity for m in mentions if m.type in ACTOR_TYPES and isinstance(m.entity, Entity)}
                out.append((actors, place))
    return out


def link(events: list[Event], fold=None) -> list[Cluster]:
    """Events -> clusters, in sieve order: names, compatible anchors, bare definites."""
    fold = fold or (lambda e: getattr(e, "label", None))
    clusters: list[Cluster] = []
    by_name: dict[str, Cluster] = {}
    for event in events:
        if event.named is not None:
            cluster = by_name.get(event.named.id)
            if cluster is None:
                cluster = by_name[event.named.id] = Cluster(named=event.named)
                clusters.append(cluster)
            _join(cluster, event)
            continue
        recent = sorted((c for c in clusters if c.alive), key=lambda c: -c.events[-1].order)
        target = None
        if event.plural and not event.anchors:
            target = None
        elif event.other:
            target = next((c for c in recent if _compatible(c, event) and _strongly_shares(c, event)), None)
        elif event.definite and not event.anchors:       # "the deal": the closest, the same kind first
            fits = [c for c in recent if _compatible(c, event)]
            target = next((c for c in fits if c.anchored and event.kind in c.kinds), None) \
                or next((c for c in fits if c.anchored), None) or next(iter(fits), None)
        elif event.anchors or event.verbal:
            target = next((c for c in recent if _compatible(c, event) and _shares_anchor(c, event, fold)
                           and _parties_nest(c, event, fold)), None)
            if target is None and event.definite:   # "the agreement of March 2023" is no agreement dated otherwise or not at all
                dated = any(a.role == "date" for a in event.anchors)
                target = next((c for c in recent if _compatible(c, event) and c.anchored
                               and _parties_nest(c, event, fold) and not (dated and not c.anchors("date"))), None)
        if target is None:
            target = Cluster()
            clusters.append(target)
        _join(target, event)
    return clusters


def _join(cluster: Cluster, event: Event) -> None:
    cluster.events.append(event)
    event.cluster = cluster


def _kind_compatible(a: str, b: str) -> bool:
    return "process" not in (a, b) or a == b


def _compatible(cluster: Cluster, event: Event) -> bool:
    if not _kind_compatible(cluster.kind, event.kind) and not event.verbal:
        return False
    mine = {a.value.iso for a in event.anchors if a.role == "date"}
    theirs = {a.value.iso for a in cluster.anchors("date")}
    if mine and theirs and not any(x.startswith(y) or y.startswith(x) for x in mine for y in theirs):
        return False            # rough dates ('a year ago': 2018) too: at the precision they have
    mine_places = {_key(a.value) for a in event.anchors if a.role == "place"}
    theirs_places = cluster.ids("place")
    if mine_places and theirs_places and not mine_places & theirs_places:
        return False
    other_words = cluster.words
    if event.words and other_words and not event.words & other_words and not event.bare:
        return False
    return True


def _shares_anchor(cluster: Cluster, event: Event, fold) -> bool:
    for role in ("date", "place", "topic"):
        mine = {_key(a.value) for a in event.anchors if a.role == role}
        if mine & cluster.ids(role):
            return True
    mine = {fold(a.value) for a in event.anchors if a.role == "party"} - {None}
    if mine & {fold(a.value) for a in cluster.anchors("party")}:
        return True
    return bool(event.words & cluster.words)


def _strongly_shares(cluster: Cluster, event: Event) -> bool:
    mine = {a.value.iso for a in event.anchors if a.role == "date" and a.exact}
    return bool(event.words & cluster.words) or bool(mine & {a.value.iso for a in cluster.anchors("date")})


def _parties_nest(cluster: Cluster, event: Event, fold) -> bool:
    """One mention's parties (leaders folded into their states) contain the other's: 'a memorandum with
    Putin' fits 'the Russia-Turkey deal'; 'a ceasefire Erdogan agreed with Pence' does not."""
    mine = {fold(a.value) for a in event.anchors if a.role == "party"} - {None}
    theirs = {fold(a.value) for a in cluster.anchors("party")} - {None}
    return not mine or not theirs or mine <= theirs or theirs <= mine


# ----------------------------------------------------------------------------- catalogue and minting
def catalogue_entry(cluster: Cluster, gaz: Gazetteer, article_date: Optional[str], fold=None,
                    meetings: list = (), context: frozenset = frozenset()) -> Optional[Entity]:
    """The one catalogue agreement whose kind, parties, date, place and topic fit the cluster's anchors."""
    fold = fold or _folder(gaz, article_date)
    parties = {fold(a.value) for a in cluster.anchors("party")} - {None}
    dates = {a.value.iso for a in cluster.anchors("date")}
    places = {a.value.label for a in cluster.anchors("place") if isinstance(a.value, Entity)}
    topics = {a.value.label for a in cluster.anchors("topic") if isinstance(a.value, Entity)}
    met_at = {place.label for actors, place in meetings if {fold(a) for a in actors} & parties}
    words = cluster.words
    if not parties:
        return None
    scored = []
    for entry in _agreements(gaz):
        data = entry.data
        if not _kind_compatible(cluster.kind, str(data.get("kind", "agreement"))):
            continue
        signed = str(data.get("signed") or "")
        if article_date and signed and signed[:len(article_date)] > article_date:
            continue
        entry_parties = set(data.get("parties") or [])
        if not entry_parties or not parties <= entry_parties:
            continue
        score = 0
        if dates:
            if not signed or not all(signed.startswith(d) or d.startswith(signed) for d in dates):
                continue
            score += 2
        place = str(data.get("place") or "")
        if places:
            if place not in places:
                continue
            score += 1
        if place and place in met_at:
            score += 1
        covered = set(data.get("applies_to") or [])
        if topics & covered:
            score += 1
        elif topics and covered and not dates:
            continue
        if words:
            names = " ".join([entry.label, *map(str, data.get("aliases") or [])]).lower()
            if not any(re.search(rf"\b{re.escape(w)}", names) for w in words):
                continue
            score += 1 if score else 0
        if score == 0:
            continue
        in_article = bool(covered & context) or place in context
        scored.append((score + len(parties & entry_parties) / 10 + (0.05 if in_article else 0), entry))
    if not scored:
        return None
    scored.sort(key=lambda pair: -pair[0])
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1].entity


def _agreements(gaz: Gazetteer) -> list:
    cached = getattr(gaz, "_agreement_entries", None)
    if cached is None:
        cached = [e for e in gaz.entries.values() if e.type == "Agreement"]
        gaz._agreement_entries = cached
    return cached


def minted(cluster: Cluster) -> Optional[Entity]:
    """A new agreement: label and id from kind, sorted parties, date and place."""
    from kg.loaders.resolve import new_entity

    parties = sorted({a.value.label for a in cluster.anchors("party") if isinstance(a.value, Entity)})
    dates = sorted({a.value.iso for a in cluster.anchors("date") if a.exact}, key=lambda d: (-len(d), d))
    places = sorted({a.value.label for a in cluster.anchors("place") if isinstance(a.value, Entity)})
    topics = [a.value.label for a in cluster.anchors("topic") if isinstance(a.value, Entity)]
    kind = KIND_LABEL.get(cluster.kind, "agreement")
    read_dates = [a for a in cluster.anchors("date") if a.exact and a.rule != "agreement.year_modifier"]
    if not (parties or places or topics or read_dates):
        return None             # 'the 2018 ceasefire' alone: nothing says which agreement it is
    if len(parties) == 1 and not (places or topics or read_dates) and \
            all(a.rule == "agreement.with" for a in cluster.anchors("party")):
        return None             # 'following an agreement with <one party>': no signer, other side, date or place names it
    label = kind
    if parties:
        label = "-".join(parties[:4]) + " " + kind
    elif places:
        label = f"{places[0]} {kind}"
    elif topics:
        label = f"{topics[0]} {kind}"
    if dates:
        label += f" of {dates[0]}"
    if parties and places:
        label += f" ({places[0]})"
    return new_entity("Agreement", label, kind=kind)


def _cluster_facts(cluster: Cluster, entity: Entity) -> Iterator[Fact]:
    seen = set()
    dates = [a for a in cluster.anchors("date") if a.exact]
    best_date = max((a.value.iso for a in dates), key=len, default=None)
    for event in cluster.events:
        for anchor in event.anchors:
            if anchor.role == "party" and isinstance(anchor.value, Entity):
                fact = Fact(anchor.value, "party_to", entity, anchor.evidence(anchor.rule, 0.8))
            elif anchor.role == "topic" and isinstance(anchor.value, Entity):
                fact = Fact(entity, "applies_to", anchor.value, anchor.evidence(anchor.rule, 0.75))
            elif anchor.role == "date" and anchor.exact and anchor.value.iso == best_date:
                fact = Fact(entity, "signed_on", anchor.value, anchor.evidence(anchor.rule, 0.8))
            else:
                continue
            if fact.subject == fact.object or fact.key in seen:
                continue
            seen.add(fact.key)
            yield fact
