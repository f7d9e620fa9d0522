"""Which of many regular expressions can match a text, found in one pass over it.

``detect`` (``nlp.signals``) searches a folded text for some thirty cue patterns, each an
alternation of dozens of phrases. Python's ``re`` tries such an alternation at almost every
position, so most of the time went into patterns that find nothing. Here each pattern is read
once (``re._parser``, the parser ``re.compile`` itself uses) for a set of literal strings of
which every match must contain at least one (:func:`required_literals`); an Aho–Corasick
automaton of all of them (``pyahocorasick``) then says in one linear pass which patterns can
match a text (:class:`Prefilter`). A pattern for which no such set is known is always searched:
the filter only ever skips a pattern that cannot match.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import ahocorasick

# The standard library's own regex parser and its opcodes (private modules, untyped, stable in
# CPython 3.11–3.13; ``sre_parse`` is their deprecated public alias)
P: Any = importlib.import_module("re._parser")
C: Any = importlib.import_module("re._constants")

# A literal set is expanded from a sequence of small alternations at most this far: "(?:nhap|
# dien) (?:ma|otp)" gives four strings, which are stronger evidence than "ma" or "otp" alone.
_MAX_STRINGS = 64
# A character class of at most this many single characters (no ranges, no categories) is read
# as an alternation of them: "[ _]".
_MAX_CLASS = 4
# Zero-width items: they consume nothing, so they add the empty string to what a match holds.
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}

Strings = frozenset[str]


def _exact(items: Iterable[tuple[Any, Any]]) -> Strings | None:
    """The set of strings a sequence of parsed items matches, when it is finite and at most
    ``_MAX_STRINGS`` long; else None."""
    out: Strings = frozenset({""})
    for op, av in items:
        one = _exact_item(op, av)
        if one is None:
            return None
        out = frozenset(a + b for a, b in itertools.product(out, one))
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _exact_item(op: Any, av: Any) -> Strings | None:
    if op is C.LITERAL:
        return frozenset({chr(av)})
    if op in _ZERO_WIDTH:
        return frozenset({""})
    if op is C.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _exact(av[-1])
    if op is C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            one = _exact(branch)
            if one is None:
                return None
            out |= one
            if len(out) > _MAX_STRINGS:
                return None
        return frozenset(out)
    if op is C.IN:
        if len(av) <= _MAX_CLASS and all(o is C.LITERAL for o, _ in av):
            return frozenset(chr(c) for _, c in av)
        return None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, high, item = av
        if (low, high) == (0, 1):
            one = _exact(item)
            return None if one is None else one | {""}
    return None


def _score(strings: Strings) -> tuple[int, int]:
    """How selective a literal set is: the shortest string first, then the fewest strings."""
    return (min(map(len, strings)), -len(strings))


def _required(items: list[tuple[Any, Any]]) -> Strings | None:
    """A set of non-empty strings of which every match of the parsed sequence ``items`` holds
    one (the most selective found), or None when none is known."""
    candidates: list[Strings] = []
    run: list[tuple[Any, Any]] = []  # consecutive items each matching a small finite set

    def close_run() -> None:
        # the run's strings, expanded as far as the bound allows, from its longest stretches
        start = 0
        while start < len(run):
            end, strings = len(run), _exact(run[start:])
            while strings is None and end > start + 1:
                end -= 1
                strings = _exact(run[start:end])
            assert strings is not None  # a run's items are each finite and within the bound
            if strings and "" not in strings:
                candidates.append(strings)
            start = end
        run.clear()

    for op, av in items:
        if _exact_item(op, av) is not None:
            run.append((op, av))
            continue
        close_run()
        inner: Strings | None = None
        if op is C.SUBPATTERN and not av[1] & re.IGNORECASE:
            inner = _required(list(av[-1]))
        elif op is C.BRANCH:
            parts = [_required(list(branch)) for branch in av[1]]
            if all(p is not None for p in parts):
                inner = frozenset().union(*(p for p in parts if p is not None))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _required(list(av[2]))
        elif op is C.ATOMIC_GROUP:
            inner = _required(list(av))
        if inner:
            candidates.append(inner)
    close_run()
    return max(candidates, key=_score) if candidates else None


def required_literals(pattern: str | re.Pattern[str]) -> Strings | None:
    """A set of non-empty literal strings of which every match of ``pattern`` contains at least
    one, or None when none can be read from it (then any text may match).

    Reads the pattern with the standard library's own parser. Exact for literals, groups,
    alternations, optional items and classes of up to four characters; anything else (ranges,
    ``\\w``, repeats) ends a literal. Patterns compiled with IGNORECASE, or with inline flags
    that change what a literal matches, give None. Raises ``re.error`` for an invalid pattern."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    parsed = P.parse(source, flags)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    return _required(list(parsed))


class Prefilter:
    """Names of patterns that can match a text, found by one Aho–Corasick pass.

    ``patterns`` maps a name to a pattern; a pattern without required literals is always a
    candidate. Pure CPU; thread-safe for lookups once built."""

    def __init__(self, patterns: Mapping[str, str | re.Pattern[str]]) -> None:
        by_literal: dict[str, set[str]] = {}
        always: set[str] = set()
        for name, pattern in patterns.items():
            literals = required_literals(pattern)
            if not literals:
                always.add(name)
                continue
            for literal in literals:
                by_literal.setdefault(literal, set()).add(name)
        self.always: frozenset[str] = frozenset(always)
        self._automaton = ahocorasick.Automaton()
        for literal, names in by_literal.items():
            self._automaton.add_word(literal, frozenset(names))
        self._empty = not by_literal
        if not self._empty:
            self._automaton.make_automaton()
        self.literals = len(by_literal)

    def candidates(self, text: str) -> frozenset[str]:
        """The names of the patterns that may match ``text`` (a superset of those that do)."""
        if self._empty:
            return self.always
        found: set[str] = set(self.always)
        for _, names in self._automaton.iter(text):
            found |= names
        return frozenset(found)
