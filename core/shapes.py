"""The shapes of the domain's data where it crosses a package boundary, as ``TypedDict``s.

An analysis result is made by ``nlp.analyze.Analyzer`` and read by the collector (which stores
it), the review queue, the weekly report, the API and the CLI's ``predict``; its reasons and their
fact cards are what a reviewer checks. They are dictionaries because that is what the JSON
columns of ``core.tables.Analysis`` and the API carry; these types let mypy check every key.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class FactCard(TypedDict, total=False):
    """What a fact finding (``fact_mismatch``, ``known_false_claim``, ``similar_claim``) says
    against the text (``nlp.facts``; the facts themselves are ``data/facts/facts.yaml``).

    ``fact_id``: the fact's id; ``official``: the official figure or the correction;
    ``in_text``: what the text says; ``differs``: what differs (``number``, ``date``,
    ``issuer``, ``obligation``, ``claim``…); ``source``: the official source to check;
    for a known false claim matched by words or meaning, ``method`` (``words``/``meaning``),
    ``similarity`` and ``margin`` (cosine, 0–1) and ``level`` (``suggested``/``confirmed``)."""

    fact_id: str
    official: str
    in_text: str
    differs: str
    source: str | None
    method: str
    similarity: float
    margin: float
    level: str


class Reason(TypedDict):
    """One reason for an analysis: a piece of evidence a reviewer can check.

    ``kind``: a cue of ``nlp.signals.CUES``, a link or fact finding, ``claim`` (the passage of a
    long text the flag comes from) or ``model`` (the classifier's score, never a reason alone);
    ``evidence``: the words of the text; ``message``: Vietnamese, for the reviewer; ``weight``:
    0–1, what it adds to a flag (0: a hint, no evidence). ``start``/``end``: character offsets
    into the normalised text; ``fact``: the fact card of a fact finding; ``score``/``label``:
    the classifier's probability and class (``claim`` and ``model`` reasons)."""

    kind: str
    evidence: str
    message: str
    weight: float
    start: NotRequired[int]
    end: NotRequired[int]
    fact: NotRequired[FactCard]
    score: NotRequired[float]
    label: NotRequired[str]


class AnalysisResult(TypedDict):
    """What ``Analyzer.analyze`` returns for one text (the ``predict`` contract).

    ``relevant``: relevance ≥ the threshold; ``relevance``: probability 0–1; ``sentiment``:
    a ``core.vocabulary.Sentiment`` value with ``sentiment_scores`` (class → probability);
    ``misinfo``: a ``Misinfo`` value with ``misinfo_scores`` (distortion and scam →
    probability); ``risk``: 0–1, what the review queue ranks by; ``reasons``: the evidence;
    ``model_versions``: classifier → the version that scored it."""

    relevant: bool
    relevance: float
    sentiment: str
    sentiment_scores: dict[str, float]
    misinfo: str
    misinfo_scores: dict[str, float]
    risk: float
    reasons: list[Reason]
    model_versions: dict[str, str]
