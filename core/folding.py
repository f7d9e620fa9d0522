"""Accent folding shared by every package: search keys, shingles, cue matching."""

from __future__ import annotations

import unicodedata


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

    Expects NFC text (decomposed tone marks would stay as combining characters).
    """
    return text.translate(_FOLD)


def search_key(title: str, text: str) -> str:
    """What item search matches against: NFC, folded, whitespace collapsed."""
    return " ".join(fold(unicodedata.normalize("NFC", f"{title} {text}")).split())
