"""Whether a sentence asserts what a rule or a frame read in it: asserted, negated,
hypothetical, or reported (hedged).

One module for both readers, with its word lists in ``schema/factuality.yaml``: on a
parse (:func:`on_tree`) the scope follows the tree -- the trigger's own negation, modal
and conditional marker, then the verbs that govern it through an infinitive or a
that-clause ("refused to meet", "denied that it struck", "plans to deploy"); a "not" in
another clause does not count. Without a parse (the regex rules, ``kg.loaders.facts``) a
window of text before and inside the match is read with the scanners of :func:`lists`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import yaml

from kg.loaders.prefilter import Scanner
from kg.schema import read_text

ASSERTED, NEGATED, HYPOTHETICAL, REPORTED = "asserted", "negated", "hypothetical", "reported"
GOVERNING = {"xcomp", "ccomp", "pcomp"}  # arcs by which a governing verb makes its clause refused, planned, reported
NOMINAL_ARCS = {"attr", "dobj", "pobj", "prep", "oprd", "nsubj", "nsubjpass", "agent"}  # a noun to its clause
REPORTED_FACTOR = 0.9


class Lists(NamedTuple):
    negators: frozenset
    hypothetical_nouns: frozenset
    hypothetical_modifiers: frozenset
    negative_governors: frozenset
    modals: frozenset
    hypothetical_governors: frozenset
    conditionals: frozenset
    report_governors: frozenset
    hedges: frozenset
    factual_objects: frozenset      # hypothetical governors whose direct object is real ("pressed its offensive")
    aims: frozenset                 # verbs a purpose clause makes an aim, not a fact ("an offensive to capture X")
    negation: Scanner
    conditional: Scanner
    hypothetical: Scanner
    hedge: Scanner


def _window_regex(words: list[str]) -> re.Pattern:
    parts = []
    for word in sorted(words, key=len, reverse=True):
        body = re.escape(word).replace("'", "['’]").replace(r"\ ", r"\s+")
        parts.append(body + r"\b" if word.startswith("n'") else rf"\b{body}\b")
    return re.compile("|".join(parts), re.IGNORECASE)


@lru_cache(maxsize=1)
def lists() -> Lists:
    data = yaml.safe_load(read_text("factuality.yaml"))
    window = data["window"]
    low = lambda key: frozenset(w.lower() for w in data[key])
    return Lists(low("negators"), low("hypothetical_nouns"), low("hypothetical_modifiers"), low("negative_governors"), low("hypothetical_modals"),
                 low("hypothetical_governors"), low("conditional_markers"), low("report_governors"),
                 low("hedges"), frozenset(w.lower() for w in data.get("factual_objects", [])),
                 frozenset(w.lower() for w in data.get("aims_in_purpose_clauses", [])),
                 Scanner(_window_regex(window["negation"])),
                 Scanner(_window_regex(window["conditional"])), Scanner(_window_regex(window["hypothetical"])), Scanner(_window_regex(window["hedge"])))


def on_tree(trigger) -> str:
    """The factuality of what a trigger token (a verb or an event noun) states."""
    words = lists()
    if trigger.sent.text.rstrip().endswith("?") or _aim(trigger, words):
        return HYPOTHETICAL
    token, reported, first = trigger, False, True
    while token.dep_ in NOMINAL_ARCS and token.head.i != token.i:
        status = _own_markers(token, words, first)     # "is not an ally of", "under no control"
        if status == REPORTED:
            reported = True
        elif status:
            return status
        arc, token, first = token.dep_, token.head, False
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") and lemma in words.negative_governors:
            return NEGATED                              # "denied any support for", "ended its war on"
        if token.pos_ in ("VERB", "AUX") and lemma in words.hypothetical_governors and \
                not (arc == "dobj" and lemma in words.factual_objects):
            return HYPOTHETICAL                         # "warned of strikes on", "called for talks with"
        if token.pos_ == "NOUN" and lemma in words.hypothetical_nouns:
            return HYPOTHETICAL                         # "an agreement on joint patrols in X"
    while True:
        status = _own_markers(token, words, first)
        if status == REPORTED:
            reported = True
        elif status:
            return status
        if token.dep_ not in GOVERNING and not (token.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX")):
            break
        governor = token.head
        if governor.i == token.i:
            break
        lemma = governor.lemma_.lower()
        if token.dep_ != "conj":
            if lemma in words.negative_governors:
                return NEGATED
            if lemma in words.hypothetical_governors:
                return HYPOTHETICAL
            if lemma in words.report_governors:
                reported = True
        token, first = governor, False
        if token.dep_ == "ROOT":
            status = _own_markers(token, words, False)
            if status and status != REPORTED:
                return status
            reported = reported or status == REPORTED
            break
    return REPORTED if reported else ASSERTED


def _aim(trigger, words: Lists) -> bool:
    """'launched an offensive to capture X', 'sent troops to seize X': what a purpose clause sets out to do."""
    return trigger.lemma_.lower() in words.aims and trigger.dep_ in ("advcl", "acl", "relcl", "xcomp") and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children) and \
        not _carried_out(trigger)


def _carried_out(trigger) -> bool:
    """'managed to take X', 'began to seize X': the verb before the infinitive says it was done; with an
    object between them ('began an offensive to seize X') the infinitive is the offensive's aim."""
    head = trigger.head
    return head.lemma_.lower() in ("begin", "start", "continue", "manage", "succeed") and \
        not any(c.dep_ == "dobj" and c.i < trigger.i for c in head.children)


def _own_markers(token, words: Lists, is_trigger: bool):
    """Negation, modal, conditional or hedge attached to this very word."""
    for child in token.children:
        lower = child.lower_
        if child.dep_ == "neg" or (child.dep_ in ("advmod", "det") and lower in words.negators):
            return NEGATED
        if child.dep_ == "aux" and lower in words.modals:
            return HYPOTHETICAL
        if child.dep_ == "mark" and lower in words.conditionals:
            return HYPOTHETICAL
        if child.dep_ == "advmod" and lower in words.hedges:
            return REPORTED
    if is_trigger and token.pos_ == "NOUN":
        if any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
            return NEGATED
        if any(c.dep_ in ("amod", "compound") and c.lower_ in words.hypothetical_modifiers for c in token.children):
            return HYPOTHETICAL
    return None


def clause_before(text: str, position: int) -> str:
    """The part of the clause before a position: from the last comma, semicolon or dash."""
    before = text[max(0, position - 60):position]
    return before[max(before.rfind(mark) for mark in ",;:–—") + 1:]
