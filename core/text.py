"""The one Vietnamese text key: what storage, dedup, clusters, search and the models all read.

The same sentence reaches duluan in many byte forms: composed (NFC) or decomposed (NFD), with
the tone mark on either vowel of "oa/oe/uy" ("hoà" / "hòa") or misplaced by hand ("baỏ",
"lựơng"), with ``Ð/ð`` (U+00D0/F0, what windows-1258 text read as windows-1252 shows) for
``Đ/đ``, with zero-width characters, soft hyphens or word joiners inside words (pasted from
social apps, or planted to dodge filters), with NBSP and other spaces, or typed in the legacy
TCVN3/VNI font encodings. :func:`clean` turns every such form into one NFC text; :func:`key`
folds that to the accent-free form used for search and near-duplicate shingles;
:func:`content_digest` is the identity of a title and text for dedup.

Tone placement follows the spelling most Vietnamese sites and underthesea's normaliser use:
the tone sits on the vowel that carries a shape mark (ă â ê ô ơ ư; "ươ" on ơ); otherwise on the
last vowel before a final consonant ("toán", "huỳnh"), on the middle one of three ("hoài"), and
on the first of two ("hòa", "thủy", "khỏe", "mùa"). "qu" and "gi" (before another vowel) are
onsets. Words that are not Vietnamese syllables ("café", "résumé") are left as they are.

This module imports nothing from duluan's other packages; the legacy-encoding tables live in
:mod:`core.legacy`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core.legacy import from_legacy, is_syllable

# --- characters ------------------------------------------------------------------------------

# Invisible format characters removed everywhere: zero-width space/non-joiner/joiner, word
# joiner, invisible operators, BOM/ZWNBSP, soft hyphen, Mongolian vowel separator, combining
# grapheme joiner, and the bidi controls that can reorder text on screen (Trojan-source).
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u3164\ufeff\uffa0"
)
# Spaces that are not U+0020: NBSP, Ogham, en/em and the other typographic spaces, narrow
# NBSP, medium mathematical space, ideographic space; tabs and form feeds too.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\v\f"
_LINE_BREAKS = "\r\u0085\u2028\u2029"
_TRANSLATE: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
_TRANSLATE.update({ord(c): " " for c in _SPACES})
_TRANSLATE.update({ord(c): "\n" for c in _LINE_BREAKS})
# C0 and C1 control characters other than \n (NUL included: PostgreSQL cannot store it, XML
# cannot carry most of them), and U+FFFE/FFFF (not characters).
_TRANSLATE.update(dict.fromkeys([*range(0, 9), *range(14, 32), *range(127, 133)]))
_TRANSLATE.update(dict.fromkeys(range(134, 160)))
_TRANSLATE.update({0xFFFE: None, 0xFFFF: None})
# Ð/ð typed for Đ/đ (windows-1258 read as windows-1252 does exactly this; so do some keyboards).
_TRANSLATE.update({0xD0: "Đ", 0xF0: "đ"})

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# A zero-width joiner touching a letter or digit is removed; between two emoji it builds one
# pictogram ("🤦‍♀️") and stays.
_ZWJ_IN_WORD_RE = re.compile(r"(?<=\w)\u200d+|\u200d+(?=\w)")
_HSPACE_RE = re.compile(r" {2,}")
_BLANK_LINES_RE = re.compile(r" *\n[ \n]*")
_WORD_RE = re.compile(r"[^\W\d_]+")
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Punctuation and spacing (ASCII, Latin-1, general and CJK punctuation, variation selectors).
_PUNCT_OR_SPACE_RE = re.compile(
    r"[\s_!-/:-@\[-`{-~\u00a1-\u00bf\u2010-\u2027\u2030-\u205e\u3000-\u303f\ufe0e\ufe0f]+"
)

# --- accent folding -------------------------------------------------------------------------


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c.lower())[:1]
    return base if len(base) == 1 else c


# One translation table for every letter Vietnamese uses (Latin-1, Latin Extended-A/B, the
# Vietnamese block U+1EA0–U+1EF9) and ASCII capitals: one C-level pass, one char per char.
_FOLD = str.maketrans(
    {
        chr(i): _fold_char(chr(i))
        for i in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1EA0, 0x1EFA)]
    }
)


def fold(text: str) -> str:
    """Lower-case and remove diacritics (đ → d) keeping the length, so spans map back to ``text``.

    Expects NFC text (decomposed marks would stay as combining characters): use on the output
    of :func:`clean`.
    """
    return text.translate(_FOLD)


# --- tone placement -------------------------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_SHAPES = {"\u0302", "\u0306", "\u031b"}  # circumflex (â ê ô), breve (ă), horn (ơ ư)
_VOWELS = set("aeiouy")
# Onsets, longest first ("ngh" before "ng" before "n"); "qu" and "gi" take their glide.
_ONSETS = (
    "ngh",
    "ng",
    "nh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ph",
    "qu",
    "th",
    "tr",
    *"bcdđghklmnpqrstvx",
)
_CODAS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}


@dataclass
class _Letter:
    base: str  # the letter without marks, original case ("a", "O", "đ")
    shape: str  # "" or one shape mark
    tone: str  # "" or one tone mark

    @property
    def low(self) -> str:
        return self.base.lower()


def _letters(word: str) -> list[_Letter] | None:
    """The word as letters with their marks; None if a mark has no letter or marks repeat."""
    out: list[_Letter] = []
    for c in unicodedata.normalize("NFD", word):
        if unicodedata.combining(c):
            if not out:
                return None
            letter = out[-1]
            if c in _TONES:
                if letter.tone and letter.tone != c:
                    return None
                letter.tone = c
            elif c in _SHAPES and not letter.shape:
                letter.shape = c
            else:
                return None
        else:
            out.append(_Letter(c, "", ""))
    return out


def _tone_index(letters: list[_Letter]) -> int | None:
    """Index of the letter that carries the tone in a Vietnamese syllable, or None."""
    low = "".join(x.low for x in letters)
    onset = next((o for o in _ONSETS if low.startswith(o)), "")
    if onset == "gi" and not any(c in _VOWELS for c in low[2:]):
        onset = "g"  # "gì", "gìn": the i is the vowel
    if onset == "qu" and len(low) == 2:
        return None
    start = len(onset)
    end = start
    while end < len(low) and low[end] in _VOWELS:
        end += 1
    nucleus = range(start, end)
    if not nucleus or len(nucleus) > 3 or low[end:] not in _CODAS:
        return None
    shaped = [i for i in nucleus if letters[i].shape]
    if shaped:
        return shaped[-1]  # "ươ" → ơ; otherwise the one shaped vowel
    if low[end:] or len(nucleus) == 1:
        return nucleus[-1]
    if len(nucleus) == 3:
        return nucleus[1]
    return nucleus[0]


@lru_cache(maxsize=65536)
def _place_tone(word: str) -> str:
    """``word`` with its tone mark on the vowel that carries it, if the word is a Vietnamese
    syllable with one tone (marks on consonants, two different tones, or a result that is not
    a syllable — "où", "Noé", "Xêút" — leave the word as it is)."""
    letters = _letters(word)
    if letters is None:
        return word
    toned = [x for x in letters if x.tone]
    if not toned or len({x.tone for x in toned}) > 1:
        return word
    if any(x.low not in _VOWELS for x in toned):
        return word
    where = _tone_index(letters)
    if where is None:
        return word
    tone = toned[0].tone
    for x in toned:
        x.tone = ""
    letters[where].tone = tone
    placed = unicodedata.normalize("NFC", "".join(x.base + x.shape + x.tone for x in letters))
    return placed if placed == word or is_syllable(placed) else word


def _place_tones(text: str) -> str:
    return _WORD_RE.sub(_placed, text)


def _placed(m: re.Match[str]) -> str:
    word = m.group(0)
    # A Vietnamese syllable has at most 7 letters (8 code points decomposed): longer runs are
    # other words or junk, and are never rewritten.
    return word if word.isascii() or len(word) > 10 else _place_tone(word)


# --- the key --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cleaned:
    """A cleaned text and what cleaning had to do beyond Unicode housekeeping."""

    text: str
    legacy_encoding: str | None = None  # "tcvn3" | "vni" when the text was converted from it


def clean_report(text: str) -> Cleaned:
    """:func:`clean`, also saying whether a legacy encoding (TCVN3/VNI) was found and converted."""
    if not text:
        return Cleaned("")
    text, legacy = from_legacy(text)
    # Invisible characters go before composing: one between a letter and its mark would
    # otherwise keep them apart.
    text = _SURROGATE_RE.sub("\ufffd", text).translate(_TRANSLATE)
    if "\u200d" in text:
        text = _ZWJ_IN_WORD_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if "\n" in text or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = _BLANK_LINES_RE.sub("\n", _HSPACE_RE.sub(" ", text)).strip(" \n")
    return Cleaned(_place_tones(text), legacy)


def clean(text: str) -> str:
    """The canonical form of a Vietnamese text, for storage and for the models.

    ``text`` → NFC; TCVN3/VNI legacy text converted (:mod:`core.legacy`); zero-width
    characters, soft hyphens, word joiners, bidi controls, control characters (NUL included) and
    lone surrogates removed or replaced; ``Ð/ð`` read as ``Đ/đ``; NBSP and other spaces folded to
    one space; line breaks kept (one per paragraph, blank lines dropped); tone marks in one
    placement (module docstring). Idempotent: ``clean(clean(t)) == clean(t)``.
    """
    return clean_report(text).text


def key(text: str) -> str:
    """The accent-free matching key of ``text``: :func:`clean`, compatibility forms unified
    (NFKC: fullwidth and mathematical letters, ligatures), folded (đ → d), lower-case in every
    script, stray combining marks dropped, whitespace collapsed. Search queries and stored
    ``item.search_text`` both use it; ``key(key(t)) == key(t)``."""
    folded = fold(unicodedata.normalize("NFKC", clean(text))).lower()
    return " ".join(_COMBINING_RE.sub("", folded).split())


def search_key(title: str, text: str) -> str:
    """What item search matches against: :func:`key` of the title and text together."""
    return key(f"{title}\n{text}")


def content_digest(title: str, text: str) -> str:
    """SHA-256 (64 hex characters) of the cleaned, case-folded title and text without
    punctuation and spacing; letters, digits and symbols (emoji: "tốt 👍" ≠ "tốt 👎") count.

    Two texts that differ only in encoding form, invisible characters, spacing, case,
    punctuation or tone placement have the same digest; texts with and without diacritics do
    not (they are kept apart and joined by the near-duplicate clusters instead).
    """
    norm = _PUNCT_OR_SPACE_RE.sub(" ", clean(f"{title}\n{text}").casefold()).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()
