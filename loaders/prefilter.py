"""Cheap necessary conditions for costly regular expressions: the same matches, found faster.

Python's ``re`` tries a pattern such as ``\\b(?:Turkish|Russian|...)\\s+troops`` at every
position of a text. Read from the parsed pattern itself, a :class:`Scanner` knows the literal
words every match must start with (its *anchors*) or contain (its *factors*); one
Aho-Corasick pass of a :class:`LiteralIndex` over the lowercased text finds where those
words occur, and the regex then runs only where it can match. A scanner's matches are
exactly those of ``regex.finditer``; nothing has to be kept in sync by hand.

A regex with no such start but with a required word, whose matches can neither consume nor
look at a comma or a full stop (and some rarer punctuation: its *barriers*), nor test for
the end of the text, runs only on the stretches between barriers that hold that word, each
read as if it were the whole text (``endpos``): nothing changes, since at a barrier the
regex sees nothing it could use. ``Scanner.search`` checks a short text for the required
words before searching it.

Lowercasing agrees with ``re.IGNORECASE`` for every character but a few (dotted capital I,
long s, some Greek letters ...: ``CASE_SPECIAL``); a text that holds one of them is scanned
without prefilter.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterator, Optional

import ahocorasick

try:                                                   # Python 3.11+
    from re import _compiler as sre_compile, _constants as sre_constants, _parser as sre_parse
except ImportError:                                    # pragma: no cover - Python 3.10
    import sre_compile
    import sre_constants
    import sre_parse

# Characters whose str.lower() differs from the case folding re.IGNORECASE applies to them
# (their simple lowercase, merged with re's extra equivalences such as s/ſ and k/K): the
# unit test tests/test_prefilter.py recomputes this set from the running Python.
CASE_SPECIAL = frozenset(map(chr, (
    0x130, 0x131, 0x17F, 0x399, 0x39C, 0x3A3, 0x3B9, 0x3BC, 0x3C3, 0x3D0, 0x3D1, 0x3D5, 0x3D6,
    0x3F0, 0x3F1, 0x3F5, 0x1C80, 0x1C81, 0x1C82, 0x1C83, 0x1C84, 0x1C85, 0x1C86, 0x1C87, 0x1E9B,
    0x1FBE, 0x1FD3, 0x1FE3, 0xA64A, 0xA64B, 0xFB06)))
_HAS_CASE_SPECIAL = re.compile("[%s]" % "".join(sorted(CASE_SPECIAL)))
MIN_FACTOR = 3      # shorter required literals ('in', 'of') occur everywhere: not worth checking
MIN_ANCHOR = 2
RARE_CHARS = frozenset("()[]«»")                 # a literal holding one is worth checking, however short
MAX_SPELLINGS = 4                                # literal strings a run of small sets may spell
MAX_CHECKED = 24                                 # most words search() checks for, per set
BARRIER_CANDIDATES = tuple(',.;:!?"“”()[]«»\n')  # punctuation that may cut a text into stretches
FREQUENT_BARRIERS = frozenset(",.")                # without one, stretches are most of the text

_LITERAL, _SUBPATTERN, _BRANCH, _IN, _AT = (sre_constants.LITERAL, sre_constants.SUBPATTERN,
                                             sre_constants.BRANCH, sre_constants.IN, sre_constants.AT)
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)
_ASSERTS = {sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_GROUPREFS = {sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS}
_AT_END = {sre_constants.AT_END, sre_constants.AT_END_LINE, sre_constants.AT_END_STRING}
_WORD = re.compile(r"\w")

Found = dict   # literal -> start offsets of its occurrences in the lowercased text


class Scanner:
    """A compiled regex with what its matches need; ``finditer`` gives the regex's own matches."""

    def __init__(self, regex: re.Pattern, stretches: bool = True):
        self.regex = regex
        tree = sre_parse.parse(regex.pattern, regex.flags)
        usable = tree.getwidth()[0] > 0 and not regex.flags & re.LOCALE
        anchors = _anchors(list(tree)) if usable else None
        useful = anchors and all(map(_useful_anchor, anchors)) and not _literal_prefix(tree)
        self.anchors = anchors if useful else None   # (re finds a literal prefix by itself)
        factors = _factors(tree) if usable else []
        self.factors = tuple(sorted(dict.fromkeys(f for f in factors if _useful(f) and f != self.anchors),
                                    key=_selectivity, reverse=True))
        if anchors and not self.anchors and _useful(anchors):
            factors.append(anchors)
        checks = sorted({_shortest(f) for f in factors + ([anchors] if anchors else []) if len(f) <= MAX_CHECKED},
                        key=_selectivity, reverse=True)
        self.word_checks = tuple(re.compile("|".join(map(re.escape, sorted(words)))) for words in checks[:2])
        wants_barriers = stretches and self.factors and not self.anchors
        barriers = _barriers(tree, regex.flags) if wants_barriers else frozenset()
        self.barriers = barriers if barriers & FREQUENT_BARRIERS else frozenset()   # else stretches are long

    @property
    def requirements(self) -> tuple[frozenset, ...]:
        """Sets of literals a text must hold one of each for the regex to match."""
        return self.factors + ((self.anchors,) if self.anchors else ())

    @property
    def literals(self) -> set[str]:
        """Every literal this scanner looks up in a text."""
        return set(self.anchors or ()).union(self.barriers, *self.factors)

    def possible(self, found: Optional[Found]) -> bool:
        """False when the text lacks a literal every match needs."""
        if found is None:
            return True
        keys = found.keys()
        return not any(keys.isdisjoint(factor) for factor in self.factors)

    def search(self, text: str) -> Optional[re.Match]:
        """``regex.search(text)``; a short text without the words a match needs is not searched."""
        if self.word_checks and not _HAS_CASE_SPECIAL.search(text):
            lowered = text.lower()
            for words in self.word_checks:
                if not words.search(lowered):
                    return None
        return self.regex.search(text)

    def finditer(self, text: str, found: Optional[Found]) -> Iterator[re.Match]:
        """The matches of ``regex.finditer(text)``; ``found`` is ``LiteralIndex.find(text)``."""
        if not self.possible(found):
            return iter(())
        return self.matches(text, found)

    def matches(self, text: str, found: Optional[Found]) -> Iterator[re.Match]:
        """``finditer`` for a text known to hold the required literals."""
        if found is None:
            return self.regex.finditer(text)
        if self.anchors:
            return self._matches_from(text, _offsets(found, self.anchors))
        if self.barriers:
            return self._matches_in_stretches(text, found)
        return self.regex.finditer(text)

    def _matches_from(self, text: str, starts: list[int]) -> Iterator[re.Match]:
        """Matches at the candidate starts, each search resuming after the previous match."""
        end, match = 0, self.regex.match
        for start in starts:
            if start >= end:
                found = match(text, start)
                if found:
                    yield found
                    end = found.end()

    def _matches_in_stretches(self, text: str, found: Found) -> Iterator[re.Match]:
        """Matches in the stretches between barriers that hold the most selective factor, each
        stretch read as if it were the whole text (see the module's doc)."""
        cuts = _offsets(found, self.barriers)
        previous = -1
        for offset in _offsets(found, self.factors[0]):
            index = bisect.bisect_left(cuts, offset)
            start = cuts[index - 1] + 1 if index else 0
            if start != previous:
                previous = start
                yield from self.regex.finditer(text, start, cuts[index] if index < len(cuts) else len(text))


class LiteralIndex:
    """Finds, in one pass, where some literals (those of some scanners) occur in a text."""

    def __init__(self, literals):
        self.automaton = ahocorasick.Automaton()
        for literal in set(literals):
            self.automaton.add_word(literal, (literal, len(literal) - 1))
        self.empty = not len(self.automaton)
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> Optional[Found]:
        """Start offsets of each literal in the text; None when the text cannot be prefiltered."""
        if self.empty or _HAS_CASE_SPECIAL.search(text):
            return None
        found: Found = {}
        for end, (literal, size) in self.automaton.iter(text.lower()):
            if literal in found:
                found[literal].append(end - size)
            else:
                found[literal] = [end - size]
        return found


def _offsets(found: Found, literals) -> list[int]:
    """Sorted start offsets of the given literals in the text."""
    return sorted({start for literal in found.keys() & literals for start in found[literal]})


def _useful_anchor(literal: str) -> bool:
    return len(literal) >= MIN_ANCHOR or not RARE_CHARS.isdisjoint(literal)


def _useful(factor: frozenset) -> bool:
    """Whether checking a factor pays: its literals are long or hold rare punctuation
    ('(', or the '»' that ends a placeholder such as «3O» in facts.py)."""
    return all(len(literal) >= MIN_FACTOR or not RARE_CHARS.isdisjoint(literal) for literal in factor)


def _shortest(factor: frozenset) -> frozenset:
    """The factor without the literals that contain another of its literals."""
    return frozenset(a for a in factor if not any(b != a and b in a for b in factor))


def _selectivity(factor: frozenset) -> tuple:
    return min(map(len, factor)), -len(factor)


def _barriers(pattern, flags: int) -> frozenset:
    """Characters of BARRIER_CANDIDATES that no match can consume or look at.

    Empty when the pattern tests for the end of the text or refers back to a group.
    """
    leaves = list(_leaves(pattern, flags))
    if any(op is _AT and av in _AT_END or op in _GROUPREFS for op, av, _ in leaves):
        return frozenset()
    tests = {repr(leaf): leaf for leaf in leaves if leaf[0] is not _AT}    # the same test once
    tests = [sre_compile.compile(sre_parse.SubPattern(sre_parse.State(), [(op, av)]), leaf_flags)
             for op, av, leaf_flags in tests.values()]
    return frozenset(c for c in BARRIER_CANDIDATES
                     if not _WORD.match(c) and not any(test.fullmatch(c) for test in tests))


def _leaves(pattern, flags: int):
    """(op, argument, flags) of every character test and position test, lookarounds included."""
    for op, av in pattern:
        if op is _SUBPATTERN:
            _group, add, remove, inner = av
            yield from _leaves(inner, (flags | add) & ~remove)
        elif op is _ATOMIC:
            yield from _leaves(av, flags)
        elif op in _REPEATS:
            yield from _leaves(av[2], flags)
        elif op is _BRANCH:
            for alternative in av[1]:
                yield from _leaves(alternative, flags)
        elif op in _ASSERTS:
            yield from _leaves(av[1], flags)
        else:                          # a character test, a position test, a group reference
            yield op, av, flags


def _literal_run(items, index: int) -> tuple[set, int]:
    """The lowercased strings the items from items[index] on spell while they are literal
    characters or small sets of them ('n[’\']t': n’t, n't), and how many items that is."""
    spellings, count = {""}, 0
    for position in range(index, len(items)):
        chars = _literal_chars(*items[position])
        if chars is None or len(spellings) * len(chars) > MAX_SPELLINGS:
            break
        spellings = {s + c for s in spellings for c in chars}
        count += 1
    return (spellings if count else set()), count


def _literal_chars(op, av) -> Optional[set]:
    """The lowercased characters a literal or a small set of literals matches; None otherwise."""
    if op is _LITERAL:
        codes = [av]
    elif op is _IN and len(av) <= MAX_SPELLINGS and all(o is _LITERAL for o, _ in av):
        codes = [code for _, code in av]
    else:
        return None
    chars = {chr(code) for code in codes}
    return None if chars & CASE_SPECIAL else {c.lower() for c in chars}


def _literal_prefix(pattern) -> bool:
    """Whether the pattern starts with a literal character, which re's own search looks for."""
    while pattern:
        op, av = list(pattern)[0]
        if op is not _SUBPATTERN:
            return op is _LITERAL
        pattern = av[-1]
    return False


def _anchors(items: list) -> Optional[frozenset]:
    """Literals one of which every match of the items starts with; None when unknown."""
    literals, nullable = _starts(items)
    return frozenset(literals) if literals is not None and not nullable else None


def _starts(items: list) -> tuple[Optional[set], bool]:
    """(literals one of which every non-empty match starts with, or None when unknown;
    whether the items can match the empty string)."""
    literals: set = set()
    for index, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        run, _ = _literal_run(items, index)
        if run:
            return literals | run, False
        if op is _LITERAL or op is _IN:
            return None, False
        if op is _SUBPATTERN:
            inner, nullable = _starts(list(av[-1]))
        elif op is _ATOMIC:
            inner, nullable = _starts(list(av))
        elif op in _REPEATS:
            inner, nullable = _starts(list(av[2]))
            nullable = nullable or av[0] == 0
        elif op is _BRANCH:
            alternatives = [_starts(list(alternative)) for alternative in av[1]]
            if any(a is None for a, _ in alternatives):
                return None, False
            inner = set().union(*(a for a, _ in alternatives))
            nullable = any(n for _, n in alternatives)
        else:
            return None, False
        if inner is None:
            return None, False
        literals |= inner
        if not nullable:
            return literals, False
    return literals, True


def _factors(pattern) -> list[frozenset]:
    """Sets of literals such that every match contains a literal of each set."""
    out: list[frozenset] = []
    items = list(pattern)
    index = 0
    while index < len(items):
        op, av = items[index]
        run, count = _literal_run(items, index)
        if run:
            out.append(frozenset(run))
            index += count
            continue
        if op is _SUBPATTERN:
            out += _factors(av[-1])
        elif op is _ATOMIC:
            out += _factors(av)
        elif op in _REPEATS and av[0] >= 1:
            out += _factors(av[2])
        elif op is _BRANCH:
            alternatives = [_best(_factors(alt)) for alt in av[1]]
            if all(alternatives):
                out.append(frozenset().union(*alternatives))
        index += 1
    return out


def _best(factors: list[frozenset]) -> Optional[frozenset]:
    """The most selective factor: the longest shortest literal, then the fewest literals."""
    return max(factors, key=lambda f: (min(map(len, f)), -len(f)), default=None)
