"""The cue prefilter never skips a pattern that matches: read literals, property tests against
``re`` itself, and detect's output with and without it."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from core.config import ROOT
from nlp import signals
from nlp.prefilter import Prefilter, required_literals
from nlp.text import normalize


def test_literals_of_a_sequence_of_alternations_are_expanded() -> None:
    assert required_literals(r"\b(?:nhap|dien) (?:ma|otp)\b") == {
        "nhap ma",
        "nhap otp",
        "dien ma",
        "dien otp",
    }


def test_an_optional_item_and_a_small_class_are_alternatives() -> None:
    assert required_literals(r"ma(?: so)?[ _]otp") == {"ma otp", "ma_otp", "ma so otp", "ma so_otp"}


def test_the_most_selective_part_is_kept() -> None:
    # "\w+" ends the literal; the longer "chuyen khoan" is kept over "vao"
    assert required_literals(r"chuyen khoan \w+ vao") == {"chuyen khoan "}


def test_an_alternation_of_open_branches_needs_one_literal_of_each() -> None:
    assert required_literals(r"(?:chuyen \w+|nop \d+ trieu)") == {"chuyen ", " trieu"}


def test_a_pattern_that_needs_no_literal_gives_none() -> None:
    assert required_literals(r"\w+") is None
    assert required_literals(r"(?:abc)?x?") is None
    assert required_literals(r"abc|\d+") is None  # one branch needs no literal


def test_case_insensitive_patterns_give_none() -> None:
    assert required_literals(re.compile("otp", re.IGNORECASE)) is None
    assert required_literals("(?i)otp") is None
    assert required_literals("x(?i:otp)") == {"x"}


def test_an_invalid_pattern_raises() -> None:
    with pytest.raises(re.error):
        required_literals("(?:abc")


def test_a_pattern_without_literals_is_always_a_candidate() -> None:
    pre = Prefilter({"digits": r"\d+", "otp": r"\botp\b"})
    assert pre.candidates("không có gì") == {"digits"}
    assert pre.candidates("mã otp 123") == {"digits", "otp"}


# Small regexes over two letters and a space, built from what the cue patterns use (texts add a
# third letter that no literal has); mostly literals, so most patterns have required literals
_ATOMS = st.sampled_from(
    ["a", "b", " ", "ab", "ba", "aa", "b a", "a", "b", "ab", "bb", " a", r"\b", r"\w"]
    + ["[ab]", "[a ]", r"\s", ".", "a+", "b*", "[ab]+", r"\w+", r"\s*", "(?:ab)+"]
)


def _regexes() -> st.SearchStrategy[str]:
    """Repeats only around atoms: nested unbounded repeats backtrack exponentially in ``re``."""

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.lists(inner, min_size=1, max_size=4).map("".join),
            st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
            inner.map(lambda x: f"(?:{x})?"),
            inner.map(lambda x: f"(?:{x}){{1,2}}"),
            inner.map(lambda x: f"(?={x})"),
            inner.map(lambda x: f"(?!{x})"),
        )

    part = st.recursive(_ATOMS, grow, max_leaves=8)
    # a sequence of parts, as a cue is: most of them then hold a literal every match needs
    return st.lists(part, min_size=2, max_size=4).map("".join)


# (no shrinking: shrinking texts drawn from a regex can take minutes; the failure is printed)
@settings(
    max_examples=800,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(_regexes(), st.data())
def test_every_match_holds_a_required_literal(pattern: str, data: st.DataObject) -> None:
    literals = required_literals(pattern)
    if literals is None:  # nothing is skipped for such a pattern
        return
    assert "" not in literals
    # a text the pattern matches (built from it by hypothesis) or any short text
    text = data.draw(
        st.one_of(st.from_regex(pattern, alphabet="abc "), st.text(alphabet="abc ", max_size=12))
    )
    if re.search(pattern, text):
        assert any(lit in text for lit in literals), (pattern, text, literals)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_text_a_cue_matches_passes_the_prefilter(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(sorted(signals._COMPILED)))
    pattern = signals._COMPILED[kind]
    text = data.draw(st.from_regex(pattern))
    assume(pattern.search(text) is not None)
    assert kind in signals._CANDIDATES.candidates(text)


def _without_prefilter(monkeypatch: pytest.MonkeyPatch, text: str) -> list[signals.Signal]:
    every = frozenset(signals._COMPILED)
    with monkeypatch.context() as m:
        m.setattr(signals._CANDIDATES, "candidates", lambda _: every)
        return signals.detect(text)


def test_detect_finds_the_same_signals_with_and_without_the_prefilter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = [
        json.loads(line)["text"]
        for line in (ROOT / "data/seed/seed.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    flagged = 0
    for text in seed:
        text = normalize(text)
        found = signals.detect(text)
        assert found == _without_prefilter(monkeypatch, text), text
        flagged += bool(found)
    assert flagged > len(seed) // 3  # the seed's cues are found, so the check compares something
