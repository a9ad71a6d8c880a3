"""Parsed sentences -> facts, by dependency frames (``schema/frames/*.yaml``).

A frame is a trigger word (a lemma class of ``schema/synsets.yaml``, as a verb, noun or
adjective) with a subject slot and an object slot, each filled through named roles
(``schema/deps.yaml``: "subj" is nsubj or the passive agent, "obj" dobj or the passive
subject ...). The words a role reaches become mentions (:mod:`kg.loaders.parse` maps
tokens to the gazetteer's mentions) after the fix-ups deps.yaml describes: conjuncts,
relative pronouns, force nouns to their owner, appositive names, the subject of a
governing verb. What a sentence does not assert (negated, hypothetical: see
:mod:`kg.loaders.factuality`) gives nothing. Facts carry the rule id ``dep.<frame id>``.

The regex rules (``schema/rules.yaml``) keep what the parser mangles (hyphen compounds,
titles, headline lists); frames read long subject-verb distances, passives, relative
clauses and coordination. Both feed one pool (``pipeline.best_per_fact``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import yaml

from kg.errors import SchemaError
from kg.loaders import factuality
from kg.loaders.facts import evidence_factory, is_water_body, make_fact
from kg.loaders.parse import sentence_start
from kg.model import CleanText, Fact, Mention, Sentence
from kg.schema import data_path, read_text
from kg.schema.vocab import predicate as vocab_predicate

STEP = re.compile(r"^(\^|=[a-z|]+|[a-z]+)(?:\[([^\]]+)\])?$")
POS = {"VERB": {"VERB", "AUX"}, "NOUN": {"NOUN", "PROPN"}, "ADJ": {"ADJ", "VERB"}}
RELATIVE_PRONOUNS = {"which", "who", "that", "whom"}
TIME_PREPOSITIONS = {"after", "before", "while", "since", "upon", "during"}
NAME_CHILDREN = {"appos", "compound", "nmod"}
OWNER_CHILDREN = {"poss", "amod", "compound", "nmod"}


@dataclass(frozen=True)
class Slot:
    paths: tuple            # ((step, ...), ...) from deps.yaml
    through: Optional[tuple] = None   # (lemmas, paths): "positions in X" -> X
    governor: Optional[frozenset] = None  # paths climbing to a clause need its verb to be one of these


@dataclass(frozen=True)
class Frame:
    id: str
    predicate: str
    lemmas: frozenset
    pos: frozenset
    subject: Slot
    object: Optional[Slot]
    confidence: float
    mutual: bool = False              # subject and object are the same list: every pair, both ways
    not_after: frozenset = frozenset()   # skip a trigger that is the object of one of these prepositions
    unless: tuple = ()                    # skip a trigger where these role paths reach a word
    unless_named: tuple = ()              # skip a trigger where these role paths reach a mention
    unless_named_types: frozenset = frozenset()   # ... of one of these types (empty: any)
    presupposed: bool = False             # true whatever the clause asserts ("must leave X": it is in X)
    examples: tuple = ()


@lru_cache(maxsize=1)
def roles() -> dict:
    data = yaml.safe_load(read_text("deps.yaml"))["roles"]
    return {name: tuple(_path(p, name) for p in paths) for name, paths in data.items()}


def _path(text: str, role: str) -> tuple:
    steps = []
    for step in text.split():
        match = STEP.match(step)
        if not match:
            raise SchemaError(f"schema/deps.yaml: role {role}: bad step {step!r}")
        label, words = match.group(1), match.group(2)
        if step.startswith("="):
            label, words = "=", step[1:]
        steps.append((label, frozenset(words.split("|")) if words else None))
    return tuple(steps)


@lru_cache(maxsize=1)
def synsets() -> dict:
    data = yaml.safe_load(read_text("synsets.yaml"))
    return {name: frozenset(w.lower() for w in words) for name, words in data.items()}


def _words(value, where: str) -> frozenset:
    """A synset name ($BACK), a list of words, or a list mixing both."""
    out = set()
    for item in value if isinstance(value, list) else [value]:
        if item.startswith("$"):
            if item not in synsets():
                raise SchemaError(f"{where}: unknown word class {item}")
            out |= synsets()[item]
        else:
            out.add(item.lower())
    return frozenset(out)


def _slot(spec, where: str, governor=None) -> Optional[Slot]:
    if spec is None:
        return None
    if isinstance(spec, str):
        spec = {"role": spec}
    paths = []
    for name in str(spec["role"]).split("|"):
        name = name.strip()
        if name not in roles():
            raise SchemaError(f"{where}: unknown role {name!r} (schema/deps.yaml)")
        paths.extend(roles()[name])
    through = None
    if "through" in spec:
        words, role = spec["through"]["words"], spec["through"]["role"]
        if role not in roles():
            raise SchemaError(f"{where}: unknown role {role!r} (schema/deps.yaml)")
        through = (_words(words, where), roles()[role])
    return Slot(tuple(paths), through, governor)


def frame_files() -> list[str]:
    """Every frame file of schema/frames/ (a file added there is read), by name."""
    return sorted(f.name[:-5] for f in data_path("frames").iterdir() if f.name.endswith(".yaml"))


@lru_cache(maxsize=1)
def frames() -> tuple[Frame, ...]:
    """Every frame of schema/frames/*.yaml, checked against the vocabulary, roles and word classes."""
    out = []
    for name in frame_files():
        for spec in yaml.safe_load(read_text(f"frames/{name}.yaml")) or []:
            where = f"schema/frames/{name}.yaml: frame {spec.get('id')}"
            try:
                vocab_predicate(spec["predicate"])
                trigger = spec["trigger"]
                pos = trigger.get("pos", "VERB")
                if pos not in POS:
                    raise SchemaError(f"{where}: pos must be one of {', '.join(POS)}")
                out.append(Frame(
                    id=spec["id"], predicate=spec["predicate"], lemmas=_words(trigger["lemma"], where),
                    pos=frozenset(POS[pos]), subject=_slot(spec["subject"], where, _words(spec["governor"], where) if "governor" in spec else None),
                    object=_slot(spec.get("object"), where,
                                 _words(spec["governor"], where) if "governor" in spec else None), confidence=float(spec.get("confidence", 0.8)),
                    mutual=bool(spec.get("mutual", False)),
                    not_after=_words(spec["trigger"].get("not_after", []), where),
                    unless=_slot(spec["unless"], where).paths if "unless" in spec else (),
                    unless_named=_unless_named(spec, where)[0],
                    unless_named_types=_unless_named(spec, where)[1],
                    presupposed=bool(spec.get("presupposed", False)),
                    examples=tuple(spec.get("examples") or ())))
            except KeyError as error:
                raise SchemaError(f"{where}: missing {error}") from error
    return tuple(out)


def _unless_named(spec: dict, where: str) -> tuple[tuple, frozenset]:
    """``unless_named: ROLE`` or ``{role: ROLE, types: [Person, ...]}``: the role's paths and the types."""
    value = spec.get("unless_named")
    if value is None:
        return (), frozenset()
    if isinstance(value, dict):
        return _slot(value["role"], where).paths, frozenset(value.get("types") or ())
    return _slot(value, where).paths, frozenset()


@lru_cache(maxsize=1)
def by_lemma() -> dict:
    index: dict[str, list[Frame]] = {}
    for frame in frames():
        for lemma in frame.lemmas:
            index.setdefault(lemma, []).append(frame)
    return index


@lru_cache(maxsize=1)
def trigger_lemmas() -> frozenset:
    return frozenset(by_lemma())


@lru_cache(maxsize=1)
def force_nouns() -> frozenset:
    return synsets()["$FORCE_NOUN"]


class MentionIndex:
    """The mentions of one parsed sentence, found by the tokens they cover."""

    def __init__(self, mentions: list[Mention], span, discourse=None):
        self.mentions = mentions
        self.offset = sentence_start(span)
        self.discourse = discourse

    def at(self, token) -> Optional[Mention]:
        position = token.idx + self.offset
        return next((m for m in self.mentions if m.start <= position < m.end), None)


def frame_facts(clean: CleanText, sentence: Sentence, mentions: list[Mention], span,
                discourse=None) -> Iterator[Fact]:
    """Every fact the frames read in one parsed sentence (nothing when it was not parsed).
    ``discourse`` (:class:`kg.loaders.reference.Discourse`) resolves "the two leaders" ..."""
    if span is None:
        return
    evidence = evidence_factory(clean, sentence)
    index = MentionIndex(mentions, span, discourse)
    for token in span:
        candidates = by_lemma().get(token.lemma_.lower())
        if not candidates:
            continue
        for frame in candidates:
            if token.pos_ not in frame.pos and not _gerund_as_noun(token, frame):
                continue
            yield from _frame_facts(frame, token, index, evidence)


def _frame_facts(frame: Frame, trigger, index: MentionIndex, evidence) -> Iterator[Fact]:
    if frame.not_after and trigger.dep_ in ("pobj", "pcomp") and trigger.head.lower_ in frame.not_after:
        return
    if frame.unless and _reach(trigger, frame.unless):
        return                                   # "A and B met with C": not with each other
    if frame.unless_named and any(not frame.unless_named_types or m.type in frame.unless_named_types
                                  for m in _fill(Slot(frame.unless_named), trigger, index)):
        return                                   # "A and B fought C" (but "fought two wars")
    subjects = _fill(frame.subject, trigger, index)
    if not subjects and trigger.dep_ in ("xcomp", "conj", "advcl") and trigger.pos_ in POS["VERB"] \
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in trigger.children) \
            and not _clause_break(trigger.head, trigger):
        subjects = _fill(frame.subject, trigger.head, index)     # "X continued to shell Y"
    elif not subjects and trigger.dep_ == "pcomp" and trigger.head.lower_ in TIME_PREPOSITIONS \
            and trigger.tag_ == "VBG" and trigger.lemma_ == "meet" and trigger.head.head.pos_ in POS["VERB"]:
        subjects = _fill(frame.subject, trigger.head.head, index)   # "A and B signed X after meeting in Y"
    if not subjects:
        return
    if frame.mutual:
        pairs = [(a, b) for a in subjects for b in subjects if a is not b]
    else:
        objects = _fill(frame.object, trigger, index) if frame.object else []
        if not objects and frame.object and _passive_joined_to_clause(trigger) and \
                ((("nsubjpass", None),) in frame.object.paths):
            objects = _fill(Slot(roles()["active_subj"]), trigger.head, index)   # "X formed in 2015 and is backed by Y"
        pairs = [(a, b) for a in subjects for b in objects if a is not b]
    if not pairs:
        return
    status = factuality.ASSERTED if frame.presupposed else factuality.on_tree(trigger)
    if status in (factuality.NEGATED, factuality.HYPOTHETICAL):
        return
    confidence = frame.confidence * (factuality.REPORTED_FACTOR if status == factuality.REPORTED else 1.0)
    for subject, obj in pairs:
        fact = make_fact(subject, frame.predicate, obj,
                         evidence("dep." + frame.id, confidence * min(subject.confidence, obj.confidence)))
        if fact:
            yield fact


def _passive_joined_to_clause(verb) -> bool:
    """A passive verb joined to another with no subject of its own ("X formed in 2015 and is backed by
    Y", "X, which formed in 2012 and is backed by Y"): the other verb's subject is its subject."""
    return verb.dep_ == "conj" and verb.pos_ in POS["VERB"] and any(c.dep_ == "auxpass" for c in verb.children) \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children) and not _clause_break(verb.head, verb)


def _gerund_as_noun(token, frame: Frame) -> bool:
    """'Fighting between A and B killed ...', 'during fighting with B': a gerund used as a noun fills a noun frame."""
    return "NOUN" in frame.pos and token.tag_ == "VBG" and (
        token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
        or token.dep_ == "pcomp" and token.head.lower_ in ("during", "after", "amid", "in", "since", "despite"))


def _fill(slot: Optional[Slot], trigger, index: MentionIndex) -> list[Mention]:
    if slot is None:
        return []
    out: list[Mention] = []
    paths = slot.paths
    governor = trigger.head.head if trigger.dep_ == "pobj" else trigger.head     # "responded with strikes": respond
    if slot.governor is not None and governor.lemma_.lower() not in slot.governor:
        paths = tuple(p for p in paths if p[0][0] != "^")     # no clause subject: "lost control of X"
    for token in _reach(trigger, paths):
        if slot.through and token.lemma_.lower() in slot.through[0] and not _mentions_of(token, index, clause_list=False):
            reached = _reach(token, slot.through[1]) or _reach(trigger, slot.through[1])  # "struck positions in X": X
            if _included_by_clause(token):
                reached = [*reached, token]             # "... sites in X, including A and B": A, B too
        else:
            reached = [token]
        for word in reached:
            for mention in _mentions_of(word, index):
                if mention not in out:
                    out.append(mention)
    return out


def _reach(token, paths) -> list:
    found = []
    for path in paths:
        current = [token]
        for label, words in path:
            following = []
            for word in current:
                if label == "=":
                    if word.lower_ in words:
                        following.append(word)
                elif label == "^":
                    if word.head.i != word.i and (words is None or word.dep_ in words):
                        following.append(word.head)
                else:
                    following.extend(c for c in word.children
                                     if c.dep_ == label and (words is None or c.lower_ in words))
            current = following
        found.extend(w for w in current if w not in found)
    return found


def _mentions_of(token, index: MentionIndex, depth: int = 0, clause_list: bool = True) -> list[Mention]:
    """The mentions a slot word stands for, after the fix-ups of deps.yaml."""
    out: list[Mention] = []

    def add(mentions):
        out.extend(m for m in mentions if m not in out)

    for word in [token, *token.conjuncts]:
        word = _antecedent(word)
        inner = _part_of(word) if depth < 2 else None
        inside = _mentions_of(inner, index, depth + 1) if inner is not None else []
        if inside:                                  # "most of X", "the cities of X and Y", "the Gaza city of X"
            add(inside)
            continue
        mention = index.at(word) or _named_by(word, index) or _owner(word, index) or _apposed_name(word, index)
        if mention is not None:
            add([mention, *_other_owning_states(word, mention, index)])
            continue
        if word.lower_ in POSSESSIVE_PRONOUNS and word.dep_ == "poss":
            add(_clause_subject_of(word, index))     # "Turkey paused its operation": its = Turkey
            continue
        included = [c for p in word.children if p.dep_ == "prep" and p.lower_ == "including"
                    for c in p.children if c.dep_ == "pobj"] or (_included_by_clause(word) if clause_list else [])
        if included and depth < 2:                  # "fighters including X": X
            add(_mentions_of(included[0], index, depth + 1))
            continue
        if index.discourse is not None:
            add(index.discourse.resolve(word, index.offset, index.mentions))
    return out


def _other_owning_states(word, mention: Mention, index: MentionIndex) -> list[Mention]:
    """'Azerbaijani and Armenian forces': the force noun stands for every state named before it,
    not only for the one whose mention holds the noun."""
    if "forces" not in mention.tags:
        return []
    modifiers = [c for c in word.children if c.dep_ in ("nmod", "amod", "compound")]
    found = (index.at(w) for m in modifiers for w in (m, *m.conjuncts))
    return [m for m in found if m is not None and m is not mention and "forces" in m.tags]


def _clause_break(head, verb) -> bool:
    """A colon or semicolon of the head verb's between it and a verb joined to it: what follows
    is a clause of its own ("A and B suffered a blow: militants of C attacked Y"), whose
    subject the parse may have missed, not the head's."""
    return any(t.text in (":", ";") and t.head.i == head.i for t in head.doc[head.i + 1:verb.i])


def _included_by_clause(word) -> list:
    """'launched strikes on nine sites in Pakistan, including Bahawalpur': the parse hangs 'including' on the
    verb; it lists what the verb's object (here reached through 'on') stands for."""
    if word.dep_ not in ("dobj", "pobj"):
        return []
    ancestor = word.head
    for _ in range(3):                 # up to the verb: "strikes on sites ..., including", "struck sites ..., including"
        found = [c for p in ancestor.children if p.dep_ == "prep" and p.lower_ == "including" and p.i > word.i
                 for c in p.children if c.dep_ == "pobj"]
        if found or ancestor.pos_ in ("VERB", "AUX") or ancestor.head.i == ancestor.i:
            return found
        ancestor = ancestor.head
    return []


POSSESSIVE_PRONOUNS = {"its": ("Country", "Organization", "ArmedGroup", "Demonym"),
                       "their": ("Country", "Organization", "ArmedGroup", "Person", "Demonym"),
                       "his": ("Person",), "her": ("Person",)}


def _clause_subject_of(pronoun, index: MentionIndex) -> list[Mention]:
    """The subject of the clause a possessive pronoun sits in, when its kind fits the pronoun."""
    verb = pronoun.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects and verb.dep_ in ("xcomp", "conj", "advcl"):
        subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
    kinds = POSSESSIVE_PRONOUNS[pronoun.lower_]
    found = []
    for subject in subjects:
        mention = index.at(subject) or _named_by(subject, index) or _owner(subject, index)
        if mention is not None and mention.type in kinds:
            found.append(mention)
    return found


def _part_of(word):
    """'most of X', 'the town of X': the word after 'of' that a part-word stands for."""
    if word.lemma_.lower() not in synsets()["$PART"] and not (word.like_num and word.dep_ in ("dobj", "nsubjpass", "pobj")):
        return None                          # "most of X", "four of X's state capitals, including Y"
    return next((pobj for child in word.children if child.dep_ == "prep" and child.lower_ == "of"
                 for pobj in child.children if pobj.dep_ == "pobj"), None)


def _antecedent(word):
    """'Iran, which backs ...': the noun a relative pronoun stands for ('X is a colony that Y controls': X)."""
    if word.lower_ in RELATIVE_PRONOUNS and word.head.dep_ == "relcl":
        noun = word.head.head
        if noun.dep_ == "attr":
            return next((c for c in noun.head.children if c.dep_ == "nsubj"), noun)
        return noun
    return word


def _named_by(word, index: MentionIndex) -> Optional[Mention]:
    """'the rebel alliance HTS', 'the group, Hamas,': the name beside a common noun."""
    if word.pos_ not in ("NOUN", "PROPN"):
        return None
    for child in word.children:
        if child.dep_ in NAME_CHILDREN:
            name = child if index.at(child) is not None else next(   # 'the RSF rebel group': RSF under 'rebel'
                (c for c in child.children if c.dep_ == "compound" and index.at(c) is not None), child)
            mention = index.at(name)
            if mention is not None and mention.type != "Date" and not _place_of_another(name, word, mention) \
                    and not _container_after(child, word, mention):
                return mention
    return None


def _apposed_name(word, index: MentionIndex) -> Optional[Mention]:
    """'the Joint Forces, a militia fighting ...': a common noun set beside a name stands for it."""
    if word.dep_ != "appos" or word.pos_ != "NOUN":
        return None
    mention = index.at(word.head)
    return mention if mention is not None and mention.type != "Date" else None


def _place_of_another(child, word, mention) -> bool:
    """'the Red Sea port city': a place named before another noun ('port') only says where the city is;
    so does a sea or gulf before the noun itself ('Hodeidah, the main Red Sea port')."""
    if mention.type != "Location" or child.i > word.i:
        return False
    return any(t.pos_ == "NOUN" for t in child.doc[child.i + 1:word.i]) or is_water_body(mention.entity) or \
        word.lemma_.lower() in settlement_nouns()     # "the South Kivu provincial capital (, Bukavu)": in South Kivu


@lru_cache(maxsize=1)
def settlement_nouns() -> frozenset:
    """Nouns for a place inside another ('capital', 'town', 'port'): a region named before one only says where it is."""
    from kg.loaders.mentions import lexicon

    return frozenset(lexicon().get("settlement_nouns", []))


def _container_after(child, word, mention) -> bool:
    """'a school in <town> township, <region>': a place set after the comma of a word already placed
    'in' another is that place's container, not the word's name."""
    return mention.type == "Location" and child.dep_ == "appos" and child.i > word.i and \
        any(c.dep_ == "prep" and c.lower_ == "in" for c in word.children)


def _owner(word, index: MentionIndex) -> Optional[Mention]:
    """'Turkish troops', 'the troops of Turkey', 'Turkey's forces', 'fighters from the M23 group':
    the state or group they serve."""
    if word.lemma_.lower() not in force_nouns():
        return None
    irregular = word.lemma_.lower() in synsets()["$IRREGULAR_NOUN"]
    for child in word.children:
        if child.dep_ in OWNER_CHILDREN:
            mention = index.at(child)
            if _is_owner(mention) and not (irregular and mention.type == "Demonym"):
                return mention
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            for pobj in child.children:
                mention = (index.at(pobj) or _named_by(pobj, index)) if pobj.dep_ == "pobj" else None
                if _is_owner(mention):
                    return mention
    return None


def _is_owner(mention: Optional[Mention]) -> bool:
    return mention is not None and mention.type not in ("Date", "Location", "Agreement")


ACTOR_TYPES = {"Person", "Country", "Organization", "ArmedGroup", "Demonym"}


@lru_cache(maxsize=1)
def _agreement_word():
    from kg.loaders.mentions import lexicon

    nouns = sorted({w.lower() for w in lexicon()["agreement_nouns"]}, key=len, reverse=True)
    return re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, nouns)), re.IGNORECASE)


@lru_cache(maxsize=1)
def _reference_word():
    """Words kg.loaders.reference may resolve to earlier actors: one mention is then enough."""
    from kg.loaders.reference import ARMY_NOUNS, GROUP_ADJECTIVES, GROUP_NOUNS, PAIR_NOUNS

    nouns = "|".join(sorted(PAIR_NOUNS | GROUP_NOUNS | ARMY_NOUNS))
    described = "|".join(sorted(GROUP_ADJECTIVES))
    return re.compile(rf"\b(?:(?:the\s+two|both)\s+(?:\w+\s+)?(?:{nouns})\w*|the\s+(?:{nouns})\b|"
                      rf"the\s+(?:{described})\s+(?:{nouns}|force)\b|(?:he|she)\b)", re.IGNORECASE)


def can_hold_fact(sentence: Sentence, mentions: list[Mention]) -> bool:
    """Whether a sentence is worth parsing: two mentions that are not dates, or an
    agreement word and an actor ("the two sides signed a truce")."""
    named = [m for m in mentions if m.type != "Date"]
    if len(named) >= 2 or (named and _reference_word().search(sentence.text)):
        return True
    if _reference_word().search(sentence.text) and _agreement_word().search(sentence.text):
        return True                                  # "The two leaders signed a truce on Monday.
    return bool(named) and any(m.type in ACTOR_TYPES for m in named) and bool(_agreement_word().search(sentence.text))


@lru_cache(maxsize=1)
def _relation_rule_ids() -> frozenset:
    from kg.loaders.facts import rules

    return frozenset(r.id for r in rules())


def agrees_with_parse(fact: Fact, mentions: list[Mention], span) -> bool:
    """Whether a regex rule's fact fits the sentence's parse: an object named after its subject
    but only as the subject of a clause of its own ('X backs Y, and Z arms W': Z is no object
    of 'backs') is not the object of the fact, and a subject named after its object that heads
    a clause without it ('... a bastion of X, and Z has ...') is not its subject. Without a
    parse every fact fits."""
    from kg.loaders.parse import head_of

    if span is None or fact.evidence.rule not in _relation_rule_ids() or vocab_predicate(fact.predicate).symmetric:
        return True
    subjects = [m for m in mentions if m.entity == fact.subject]
    objects = [m for m in mentions if m.entity == fact.object]
    if not subjects or not objects:
        return True
    if all(m.start > o.start for m in subjects for o in objects):
        return not _heads_own_clause(subjects, objects, span, head_of)   # "... of the opposition, and Turkey has ..."
    if any(o.start < min(m.start for m in subjects) for o in objects):
        return True
    if any(_hyphen_modifier(span, m, o) for m in subjects for o in objects):
        return True                     # "the Iranian-backed militia Kataib Hezbollah killed ...": one phrase, whatever the parse
    heads = [head_of(m, span) for m in objects]
    if any(_modifies(head_of(m, span), h) or _in_fronted_clause(head_of(m, span), h) for m in subjects for h in heads):
        return True                     # "Iran-backed Hezbollah denied ...", "Backed by X, Y seized ...": it describes Y
    return not all(h is not None and h.dep_ == "nsubj" and h.head.pos_ in ("VERB", "AUX") for h in heads)


def _hyphen_modifier(span, subject: Mention, obj: Mention) -> bool:
    """'<subject>-backed militia <object>': a hyphenated modifier a few words before the name it describes."""
    gap = span.doc.text[subject.end - sentence_start(span):obj.start - sentence_start(span)] if obj.start > subject.end else ""
    return gap[:1] in ("-", "–") and len(gap) <= 30 and not any(ch in gap for ch in ",;:()")


def _modifies(word, noun) -> bool:
    """Whether ``word`` lies inside the phrase ``noun`` heads (a modifier of it)."""
    return word is not None and noun is not None and word.i != noun.i and \
        any(t.i == word.i for t in noun.subtree) and word.i < noun.i


def _in_fronted_clause(word, subject) -> bool:
    """Whether ``word`` lies in a participle clause opening the sentence whose subject is ``subject``
    ('Backed by X, Y seized Z': X describes Y)."""
    if word is None or subject is None or subject.dep_ != "nsubj":
        return False
    return any(c.dep_ == "advcl" and c.i < subject.i and c.tag_ in ("VBN", "VBG") and any(t.i == word.i for t in c.subtree)
               for c in subject.head.children)


def _heads_own_clause(subjects, objects, span, head_of) -> bool:
    """Every subject mention is the subject of a verb whose clause holds none of the objects."""
    for mention in subjects:
        head = head_of(mention, span)
        if head is None or head.dep_ != "nsubj" or head.head.pos_ not in ("VERB", "AUX"):
            return False
        clause = head.head
        if clause.dep_ in ("relcl", "acl"):          # "X, to which Y belongs": the clause describes X
            clause = clause.head
        inside = {t.i for t in clause.subtree}
        if any((h := head_of(o, span)) is not None and h.i in inside for o in objects):
            return False
    return True
