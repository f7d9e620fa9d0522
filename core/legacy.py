"""Detection and conversion of Vietnamese typed in the legacy 8-bit font encodings TCVN3 and VNI.
Before Unicode, Vietnamese was typed with fonts that re-purposed byte values for its letters:
TCVN3 (the ABC fonts such as .VnTime; TCVN 5712:1993 table VN3) uses one byte per letter,
VNI-Windows (the VNI-Times fonts) a base letter followed by a mark byte. Documents copied from
such systems still reach us as text whose bytes were read as Latin-1 / windows-1252
(``"Th«ng b¸o"`` in TCVN3, ``"Thoâng baùo"`` in VNI, for ``"Thông báo"``), which folding, search
and the models would treat as foreign garbage. This module converts such text to NFC Unicode.
Because a false positive would corrupt real French, German or Unicode Vietnamese text, it
reports an encoding only when converting turns a clear majority of the words with non-ASCII
characters from invalid into well-formed Vietnamese syllables. It must see the raw text: TCVN3
stores "ư" as U+00AD (soft hyphen), which later normalisation strips.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Final

__all__ = ["LEGACY_ENCODINGS", "convert_legacy", "detect_legacy", "from_legacy"]

LEGACY_ENCODINGS: Final[tuple[str, ...]] = ("tcvn3", "vni")

# Combining tone marks in the order every chart below lists them:
# sắc (acute), huyền (grave), hỏi (hook above), ngã (tilde), nặng (dot below).
_TONE_MARKS: Final = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
# The twelve Vietnamese vowel letters (lowercase).
_VOWELS: Final = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def _toned(letter: str, tone: int) -> str:
    """``letter`` with tone ``tone`` (1..5 in _TONE_MARKS order; 0 = none), as one NFC char."""
    if tone == 0:
        return letter
    return unicodedata.normalize("NFC", letter + _TONE_MARKS[tone - 1])


# ---------------------------------------------------------------------------------------------
# TCVN3: the code chart of TCVN 5712:1993, table VN3 (the "ABC" .VnTime fonts). One byte per
# letter. Columns: the bare letter's code (None where it is the ASCII letter), then the codes
# with sắc, huyền, hỏi, ngã, nặng. VN3 has no capitals with tone marks (those were typed with
# the separate all-capitals fonts such as .VnTimeH, which reuse the lowercase codes); its
# toneless capitals Ă Â Ê Ô Ơ Ư Đ sit at 0xA1-0xA7. Positions 0xB0-0xB4 and the capital
# positions of the fuller VN1 table (0x80-0x9F, 0xAF, 0xBA, 0xBF, 0xC0-0xC5, 0xCD, 0xD9-0xDB,
# 0xE0, 0xF0, 0xFF) are not part of VN3 and are left untouched.
_TCVN3_CHART: Final[tuple[tuple[str, str | None, str], ...]] = (
    ("a", None, "\xb8\xb5\xb6\xb7\xb9"),
    ("ă", "\xa8", "\xbe\xbb\xbc\xbd\xc6"),
    ("â", "\xa9", "\xca\xc7\xc8\xc9\xcb"),
    ("e", None, "\xd0\xcc\xce\xcf\xd1"),
    ("ê", "\xaa", "\xd5\xd2\xd3\xd4\xd6"),
    ("i", None, "\xdd\xd7\xd8\xdc\xde"),
    ("o", None, "\xe3\xdf\xe1\xe2\xe4"),
    ("ô", "\xab", "\xe8\xe5\xe6\xe7\xe9"),
    ("ơ", "\xac", "\xed\xea\xeb\xec\xee"),
    ("u", None, "\xf3\xef\xf1\xf2\xf4"),
    ("ư", "\xad", "\xf8\xf5\xf6\xf7\xf9"),
    ("y", None, "\xfd\xfa\xfb\xfc\xfe"),
)
_TCVN3_OTHER: Final[dict[str, str]] = {
    "\xae": "đ",
    "\xa1": "Ă",
    "\xa2": "Â",
    "\xa3": "Ê",
    "\xa4": "Ô",
    "\xa5": "Ơ",
    "\xa6": "Ư",
    "\xa7": "Đ",
}


def _build_tcvn3() -> dict[int, str]:
    table: dict[int, str] = {ord(code): letter for code, letter in _TCVN3_OTHER.items()}
    for letter, bare, toned in _TCVN3_CHART:
        if bare is not None:
            table[ord(bare)] = letter
        for tone, code in enumerate(toned, start=1):
            table[ord(code)] = _toned(letter, tone)
    return table


_TCVN3_TABLE: Final = _build_tcvn3()

# ---------------------------------------------------------------------------------------------
# VNI: the VNI-Windows font chart (VNI Software Company; the "VNI-Times" family). A vowel is its
# ASCII base letter followed by one mark byte; the capital marks are the lowercase mark codes
# minus 0x20 (the Latin-1 uppercase of the same character). Lowercase marks:
#   tone alone:             ù 0xF9 sắc, ø 0xF8 huyền, û 0xFB hỏi, õ 0xF5 ngã, ï 0xEF nặng
#   circumflex (â ê ô):     â 0xE2; with tone á 0xE1, à 0xE0, å 0xE5, ã 0xE3, ä 0xE4
#   breve (ă, after a):     ê 0xEA; with tone é 0xE9, è 0xE8, ú 0xFA, ü 0xFC, ë 0xEB
# Whole letters (one byte): ô 0xF4 = ơ, ö 0xF6 = ư (both then take a tone mark), ñ 0xF1 = đ,
#   î 0xEE = ỵ, and i with tone í 0xED, ì 0xEC, æ 0xE6 = ỉ, ó 0xF3 = ĩ, ò 0xF2 = ị.
_VNI_TONES: Final = "\xf9\xf8\xfb\xf5\xef"
_VNI_CIRCUMFLEX: Final = "\xe2"
_VNI_CIRCUMFLEX_TONES: Final = "\xe1\xe0\xe5\xe3\xe4"
_VNI_BREVE: Final = "\xea"
_VNI_BREVE_TONES: Final = "\xe9\xe8\xfa\xfc\xeb"
_VNI_LETTERS: Final[dict[str, str]] = {
    "\xf4": "ơ",
    "\xf6": "ư",
    "\xf1": "đ",
    "\xee": "ỵ",
    "\xed": "í",
    "\xec": "ì",
    "\xe6": "ỉ",
    "\xf3": "ĩ",
    "\xf2": "ị",
}


def _build_vni() -> dict[str, str]:
    """Every VNI sequence (mark in either case after a base of either case) -> its letter."""
    lower: dict[str, str] = dict(_VNI_LETTERS)
    marks: dict[str, list[tuple[str, str]]] = {
        # base -> [(mark, letter)]
        "a": [],
        "e": [],
        "o": [],
        "u": [],
        "y": [],
        "\xf4": [],
        "\xf6": [],
    }
    for base in ("a", "e", "o", "u", "y"):
        marks[base] += [(m, _toned(base, t)) for t, m in enumerate(_VNI_TONES, 1)]
    for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        marks[base].append((_VNI_CIRCUMFLEX, hat))
        marks[base] += [(m, _toned(hat, t)) for t, m in enumerate(_VNI_CIRCUMFLEX_TONES, 1)]
    marks["a"].append((_VNI_BREVE, "ă"))
    marks["a"] += [(m, _toned("ă", t)) for t, m in enumerate(_VNI_BREVE_TONES, 1)]
    for base, letter in (("\xf4", "ơ"), ("\xf6", "ư")):
        marks[base] += [(m, _toned(letter, t)) for t, m in enumerate(_VNI_TONES, 1)]
    for base, pairs in marks.items():
        for mark, letter in pairs:
            lower[base + mark] = letter
    table: dict[str, str] = {}
    for seq, letter in lower.items():
        table[seq] = letter
        up = letter.upper()
        # capital base with capital mark (the chart), and the mixed-case forms seen in practice
        table[seq.upper()] = up
        if len(seq) == 2:
            table[seq[0].upper() + seq[1]] = up
            table[seq[0] + seq[1].upper()] = letter
    return table


_VNI_TABLE: Final = _build_vni()
_VNI_MARKS: Final = (
    _VNI_TONES + _VNI_CIRCUMFLEX + _VNI_CIRCUMFLEX_TONES + _VNI_BREVE + _VNI_BREVE_TONES
)
_VNI_MARK_CLASS: Final = _VNI_MARKS + _VNI_MARKS.upper()
_VNI_SINGLE_CLASS: Final = "".join(sorted({c for k in _VNI_LETTERS for c in (k, k.upper())}))
# A base vowel followed by a mark, or ơ/ư with an optional tone, or a one-byte letter. A pair
# that the chart does not define (e.g. "uâ") is matched but left as it is.
_VNI_RE: Final = re.compile(
    f"[aAeEoOuUyY][{_VNI_MARK_CLASS}]"
    f"|[\xf4\xd4\xf6\xd6][{_VNI_TONES}{_VNI_TONES.upper()}]?"
    f"|[{_VNI_SINGLE_CLASS}]"
)


def _vni_sub(match: re.Match[str]) -> str:
    seq = match.group(0)
    return _VNI_TABLE.get(seq, seq)


# ---------------------------------------------------------------------------------------------
# A small validator of Vietnamese syllables (onset + rhyme, at most one tone mark, stop codas
# only with sắc or nặng), used to judge whether a conversion produced Vietnamese.

_ONSETS: Final = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
_OPEN_RHYMES: Final = (
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oa", "oe", "oi", "ôi", "ơi",
    "ua", "uê", "ui", "uơ", "uy", "ưa", "ưi", "ưu", "iêu", "yêu", "oai", "oao", "oay", "oeo",
    "uây", "uôi", "ươi", "ươu", "uya", "uyu",
)  # fmt: skip
_CLOSED_RHYMES: Final = (
    "am", "an", "ang", "anh", "ap", "at", "ac", "ach",
    "ăm", "ăn", "ăng", "ăp", "ăt", "ăc",
    "âm", "ân", "âng", "âp", "ât", "âc",
    "em", "en", "eng", "ep", "et", "ec",
    "êm", "ên", "ênh", "êp", "êt", "êch",
    "im", "in", "inh", "ip", "it", "ich",
    "om", "on", "ong", "op", "ot", "oc", "oong", "ooc",
    "ôm", "ôn", "ông", "ôp", "ôt", "ôc",
    "ơm", "ơn", "ơp", "ơt",
    "um", "un", "ung", "up", "ut", "uc",
    "ưm", "ưn", "ưng", "ưt", "ưc",
    "iêm", "iên", "iêng", "iêp", "iêt", "iêc",
    "yêm", "yên", "yêng", "yêt",
    "uôm", "uôn", "uông", "uôt", "uôc",
    "ươm", "ươn", "ương", "ươp", "ươt", "ươc",
    "oam", "oan", "oang", "oanh", "oap", "oat", "oac", "oach",
    "oăm", "oăn", "oăng", "oăt", "oăc",
    "oem", "oen", "oet",
    "uân", "uâng", "uât",
    "uênh", "uêch",
    "uyn", "uynh", "uyt", "uych",
    "uyên", "uyêt",
)  # fmt: skip
_FRONT: Final = ("i", "e", "ê", "y")


def _build_syllables() -> frozenset[str]:
    """All toneless syllables onset + rhyme allowed by Vietnamese spelling."""
    rhymes = _OPEN_RHYMES + _CLOSED_RHYMES
    out: set[str] = set()
    for onset in _ONSETS:
        for rhyme in rhymes:
            front = rhyme.startswith(_FRONT)
            if onset in ("k", "gh", "ngh") and not front:
                continue
            if onset in ("c", "ng") and front:
                continue
            if onset == "g" and rhyme.startswith(("e", "ê", "y")):
                continue
            if onset == "gi" and rhyme.startswith(("i", "y")):
                continue
            if onset and rhyme.startswith("yê"):
                continue
            out.add(onset + rhyme)
    # "qu" + a rhyme whose own glide is the u: qua, quê, quy, quân, quyết, quỳnh, quốc, qui ...
    for rhyme in rhymes + ("ynh", "yt", "ych"):
        if not rhyme.startswith(("u", "ư", "o")):
            out.add("qu" + rhyme)
    return frozenset(out)


_SYLLABLES: Final = _build_syllables()


def _build_letters() -> dict[str, tuple[str, int]]:
    """Lowercase non-ASCII Vietnamese letter -> (toneless letter, tone 0..5)."""
    letters: dict[str, tuple[str, int]] = {"đ": ("đ", 0)}
    for vowel in _VOWELS:
        for tone in range(6):
            char = _toned(vowel, tone)
            if not char.isascii():
                letters[char] = (vowel, tone)
    return letters


_LETTERS: Final = _build_letters()
_STOP_CODAS: Final = ("c", "ch", "p", "t")
_SAC, _NANG = 1, 5


def is_syllable(word: str) -> bool:
    """True if ``word`` (NFC, any case) is one well-formed Vietnamese syllable: onset + rhyme
    from Vietnamese spelling, at most one tone mark, only sắc/nặng before c/ch/p/t."""
    return len(word) <= 8 and _is_syllable(word, False)


@lru_cache(maxsize=65536)
def _is_syllable(word: str, strict_case: bool) -> bool:
    """True if ``word`` (NFC) is one well-formed Vietnamese syllable.

    ``strict_case``: also require lower, Title or UPPER case (legacy text read as Latin-1
    has capitals in the middle of words: "thuÕ").
    """
    if strict_case and not (word.islower() or word.isupper() or word.istitle()):
        return False
    tone = 0
    chars: list[str] = []
    for ch in word.lower():
        if "a" <= ch <= "z":
            chars.append(ch)
            continue
        info = _LETTERS.get(ch)
        if info is None:
            return False
        base, mark = info
        if mark:
            if tone:
                return False
            tone = mark
        chars.append(base)
    toneless = "".join(chars)
    if toneless not in _SYLLABLES:
        return False
    return not toneless.endswith(_STOP_CODAS) or tone in (_SAC, _NANG)


# ---------------------------------------------------------------------------------------------
# Detection.

# Words: runs of anything but white space, ASCII digits and punctuation, the no-break space and
# general punctuation (curly quotes, dashes ...): the Latin-1 symbols that TCVN3 uses as letters
# (« ¬ soft hyphen ® ¸ µ ...) must stay inside words. A negated class is several times faster
# than an alternation of letter classes.
_TOKEN_RE: Final = re.compile(r"[^\s!-@\[-`{-~\xa0\u2000-\u206f\u3000-\u303f]+")
_LATIN1_RE: Final = re.compile(r"[\xa1-\xff]")
# Characters only real Unicode Vietnamese has: ă đ ĩ ũ ơ ư, the Latin Extended Additional
# precomposed letters and the combining tone/modifier marks of NFD text.
_UNICODE_VN_RE: Final = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
    "\u0300-\u0303\u0306\u0309\u031b\u0323\u1ea0-\u1ef9]"
)
_MIN_LATIN1 = 3  # fewer legacy characters than this is never legacy text
_UNICODE_VN_RATIO = 0.25  # more real Vietnamese letters than this per Latin-1 char: Unicode
_MIN_IMPROVED_WORDS = 3  # distinct words (with an ASCII letter) that conversion makes Vietnamese
_MIN_VALID_AFTER = 0.7  # share of non-ASCII words that are Vietnamese syllables after conversion
_MIN_IMPROVED = 0.3  # share of non-ASCII words invalid before and valid after conversion
# Share of the words with a letter that carry a legacy character: most Vietnamese syllables have
# a tone or a shaped vowel, so in real TCVN3/VNI text 70-90% of words do. Vietnamese typed
# without diacritics with a few look-alike letters ("nhän 88k", "Høi", smishing that dodges
# filters; seen in the UIT IE403 SMS corpus) has far fewer and is left as it is.
_MIN_LEGACY_WORDS = 0.45
_MAX_WORDS = 2000  # longer texts are judged on this many non-ASCII words, evenly spaced
# Letters with a diaeresis are what spam decorates unaccented Vietnamese with ("Näp", "chöi",
# "Rüt"; seen in the UIT IE403 SMS corpus); TCVN3 reads them as ọ ở ù ử ỹ ậ ẽ ệ ĩ (VNI ö as ư).
# Real legacy text always uses other Latin-1 codes too (the tone marks ¸ µ ¶ · ¹, ¬ ­ ¨ © ª «
# ®): a text whose Latin-1 letters are all of these is decoration, never legacy.
_DIAERESIS: Final = frozenset("äëïöüÿÄËÏÖÜ")


def _convert_tcvn3(text: str) -> str:
    return text.translate(_TCVN3_TABLE)


def _convert_vni(text: str) -> str:
    return _VNI_RE.sub(_vni_sub, text)


_CONVERTERS: Final = {"tcvn3": _convert_tcvn3, "vni": _convert_vni}


def _score(words: Counter[str], encoding: str) -> tuple[int, int, int, int]:
    """(non-ASCII words, valid after, improved, distinct improved words with an ASCII letter)."""
    convert = _CONVERTERS[encoding]
    total = valid_after = improved = distinct = 0
    for word, count in words.items():
        total += count
        nfc = word if unicodedata.is_normalized("NFC", word) else unicodedata.normalize("NFC", word)
        before = _is_syllable(nfc, True)
        converted = convert(word)
        after = before if converted == word else _is_syllable(converted, False)
        if after:
            valid_after += count
            if not before:
                improved += count
                if any("a" <= c.lower() <= "z" for c in word):
                    distinct += 1
    return total, valid_after, improved, distinct


def detect_legacy(text: str) -> str | None:
    """Name the legacy encoding ``text`` was typed in ("tcvn3" or "vni"), or None.

    Decides by converting and checking the words that carry non-ASCII characters against
    Vietnamese phonotactics (onset + rhyme, one tone mark): an encoding is reported only if at
    least 70% of those words are valid syllables after conversion, at least 30% were invalid
    before and valid after, and at least three distinct such words contain an ASCII letter
    (a long text is judged on 2000 of its non-ASCII words, evenly spaced). Text with fewer than
    three Latin-1 characters, or with real Unicode Vietnamese letters (ơ ư ă đ ĩ ũ, U+1EA0-
    U+1EF9, combining marks) more than a quarter as many as its Latin-1 characters, or whose
    Latin-1 characters are all letters with a diaeresis (spam's decoration: "Näp", "chöi"), is
    rejected at once; so is text where fewer than 45% of the words with a letter carry a non-ASCII
    character (Vietnamese typed without diacritics, with a few look-alike letters). Tables:
    TCVN 5712:1993 VN3 and the VNI-Windows font chart.
    """
    if text.isascii():
        return None
    latin1 = len(_LATIN1_RE.findall(text))
    if latin1 < _MIN_LATIN1:
        return None
    if len(_UNICODE_VN_RE.findall(text)) > latin1 * _UNICODE_VN_RATIO:
        return None
    if set(_LATIN1_RE.findall(text)) <= _DIAERESIS:
        return None
    tokens = _TOKEN_RE.findall(text)
    found = [w for w in tokens if not w.isascii()]
    lettered = sum(1 for w in tokens if any(c.isalpha() for c in w))
    if len(found) < _MIN_LEGACY_WORDS * lettered:
        return None
    if len(found) > _MAX_WORDS:
        step = len(found) / _MAX_WORDS
        found = [found[int(i * step)] for i in range(_MAX_WORDS)]
    words = Counter(found)
    best: str | None = None
    best_improved = 0
    for encoding in LEGACY_ENCODINGS:
        total, valid_after, improved, distinct = _score(words, encoding)
        if (
            distinct >= _MIN_IMPROVED_WORDS
            and valid_after >= _MIN_VALID_AFTER * total
            and improved >= _MIN_IMPROVED * total
            and improved > best_improved
        ):
            best, best_improved = encoding, improved
    return best


# After TCVN3 conversion: a word typed with caps lock in an all-capitals font (.VnTimeH) has
# uppercase ASCII letters and lowercase converted letters ("THôNG"); such a word is made all
# capitals. A word with one capital ("Đà", "Thông") is left alone.
_CAPS_WORD_RE: Final = re.compile(r"\b[^\W\d_a-z]{2,}\b")


def _caps_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if sum(c.isupper() for c in word) >= 2 and any(c.islower() for c in word):
        return word.upper()
    return word


def convert_legacy(text: str, encoding: str) -> str:
    """Convert ``text`` typed in legacy ``encoding`` ("tcvn3" or "vni") to NFC Unicode.

    Tables: TCVN 5712:1993 VN3 ("ABC" fonts) and the VNI-Windows font chart. Characters that the
    encoding does not define are kept. Raises ValueError for an unknown encoding name.
    """
    name = encoding.strip().lower()
    if name == "tcvn3":
        out = _CAPS_WORD_RE.sub(_caps_word, _convert_tcvn3(text))
    elif name == "vni":
        out = _convert_vni(text)
    else:
        raise ValueError(
            f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}"
        )
    return unicodedata.normalize("NFC", out)


def from_legacy(text: str) -> tuple[str, str | None]:
    """``(converted text, encoding)`` if ``text`` is TCVN3 or VNI, else ``(text, None)``.

    Detection as in detect_legacy, conversion as in convert_legacy (tables: TCVN 5712:1993 VN3
    and the VNI-Windows font chart). Give it the raw text, before soft hyphens are stripped.
    """
    encoding = detect_legacy(text)
    if encoding is None:
        return text, None
    return convert_legacy(text, encoding), encoding
