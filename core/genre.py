"""What kind of text an analysed item is, and what the weekly report keeps of it after retention.

The summary of opinion counts opinion only: an official feed's item is ``official``; a text that
warns about a scam or refutes a rumour (its analysis found a refutation cue, or a warning cue,
``nlp.signals``) is ``warning_or_factcheck``; everything else is ``opinion``. These rules read an
analysis' stored reasons (``kind``, ``evidence``), never the text, so they hold for items whose
text retention blanked (``core.retention``) and need no model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from core.tables import Analysis, FeedKind
from core.text import fold

# One of these per item (``report.loading.load_week``'s ``genre`` column).
GENRES = ("opinion", "official", "warning_or_factcheck")

_NEGATION_FIRST = re.compile(r"(?:khong|ko|k|kh|dung)\b")


def warns_or_refutes(cues: Iterable[tuple[str, str]]) -> bool:
    """Whether a text whose cues are ``cues`` (``(kind, evidence)`` pairs, e.g. an analysis'
    reasons) is a warning or a fact-check rather than an opinion: a ``refutation`` cue, a
    ``warning_context`` cue that does not open with a negation ("cảnh báo", "thủ đoạn", "giả
    mạo"…), or two warning cues that do.

    Measured (2026-11-29) on negative texts: scam warnings of the seed and check set 105 of 138,
    criticism 0 of 194; real student complaints (UIT-VSFC dev, negative) 3 of 705."""
    negated = 0
    for kind, evidence in cues:
        if kind == "refutation":
            return True
        if kind == "warning_context":
            if not _NEGATION_FIRST.match(fold(evidence).lower()):
                return True
            negated += 1
    return negated >= 2


def frozen_labels(
    analysis: Analysis | None, feed_kind: str | None, reasons: list[Any] | None = None
) -> dict[str, Any] | None:
    """What ``load_week`` needs of an item's newest ``analysis`` once its text is blanked and its
    analyses may be deleted (``core.retention``): ``{"relevant", "sentiment", "misinfo", "risk",
    "genre", "contradicts"}`` — ``genre`` from ``feed_kind`` and the reasons *before* their
    evidence is stripped (``reasons``, default the analysis'), ``contradicts`` the official text
    of the first fact it contradicts (or None). None without an analysis."""
    if analysis is None:
        return None
    reasons = analysis.reasons if reasons is None else reasons
    return {
        "relevant": bool(analysis.relevant),
        "sentiment": analysis.sentiment,
        "misinfo": analysis.misinfo,
        "risk": float(analysis.risk),
        "genre": genre(feed_kind, reasons),
        "contradicts": first_official(reasons),
    }


def first_official(reasons: object) -> str | None:
    """(``reasons``: an analysis' reasons, a list of dicts.) The official text of the first fact that ``reasons`` say the item contradicts."""
    for reason in reasons if isinstance(reasons, list) else []:
        if isinstance(reason, dict):
            official = (reason.get("fact") or {}).get("official")
            if official:
                return str(official)
    return None


def genre(feed_kind: object, reasons: object) -> str:
    """One of ``GENRES`` for an item from its feed's kind and its analysis' reasons."""
    if feed_kind == FeedKind.official:
        return "official"
    cues = [
        (str(r.get("kind", "")), str(r.get("evidence", "")))
        for r in (reasons if isinstance(reasons, list) else [])
        if isinstance(r, dict)
    ]
    return "warning_or_factcheck" if warns_or_refutes(cues) else "opinion"
