"""What the review card says about an item: what the machine suspects and what speaks against it,
its reasons (each said once), the fact blocks ("Tin nói" / "Sự thật" / source, one per fact) and
which spans of the text are highlighted.

Reasons are the analysis's stored list (``nlp.analyze``): dicts with ``kind``, ``evidence``,
``message``, ``weight`` and, for most, ``start``/``end`` (character offsets in the analysed text,
``"{title}. {text}"``) and ``fact`` (``fact_id``, ``official``, ``in_text``, ``source``…). Older
analyses may lack offsets or a fact's source; everything here works without them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from api.web.i18n import translate as t

# Cues that speak against a flag: the text warns people about a scam, or refutes a false story.
COUNTER_KINDS = frozenset({"warning_context", "refutation"})
# Findings against the fact base: shown as fact blocks, not quoted in the reasons list.
FACT_KINDS = frozenset({"known_false_claim", "similar_claim", "fact_mismatch"})
# The classifier's strongest n-gram ("Nghị quyết", "nhân"): a word the model weighed, not a
# finding a reviewer can check, so it is never highlighted nor quoted.
NOT_EVIDENCE = frozenset({"model"})
# The guideline the fact base was built from (``data/facts/facts.yaml``: ``source: seed``).
_SEED = re.compile(r"\bseed\b")
# A sentence ends at . ! ? … followed by a space, or at a line break.
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start``–``end`` (offsets in one displayed string) to mark; ``counter`` for
    a warning/refutation cue, which the card shows in another colour."""

    start: int
    end: int
    counter: bool = False


def analysed_text(title: str, text: str) -> str:
    """The string the analyser read for an item (``nlp.pending.score_items``): "{title}. {text}"."""
    return f"{title}. {text}" if title else text


def _fold(s: str) -> str:
    folded = s.casefold()
    return folded if len(folded) == len(s) else s


def locate(full: str, evidence: str, near: int | None) -> tuple[int, int] | None:
    """Where ``evidence`` occurs in ``full`` (case-insensitive): the occurrence nearest to offset
    ``near`` (the analyser's, which normalisation may have shifted a little), else the first.
    ``None`` when it does not occur."""
    evidence = evidence.strip()
    if len(evidence) < 2:
        return None
    hay, needle = _fold(full), _fold(evidence)
    found, pos = [], hay.find(needle)
    while pos != -1:
        found.append(pos)
        pos = hay.find(needle, pos + 1)
    if not found:
        return None
    best = found[0] if near is None else min(found, key=lambda p: abs(p - near))
    return best, best + len(evidence)


def sentence_around(full: str, start: int, end: int) -> str:
    """The sentence of ``full`` that holds characters ``start``–``end`` (stripped)."""
    begin = 0
    for m in _SENTENCE_END.finditer(full, 0, start):
        begin = m.end()
    after = _SENTENCE_END.search(full, max(start, end - 1))
    stop = after.end() if after else len(full)
    return full[begin:stop].strip()


def _weight(r: dict[str, Any]) -> float:
    try:
        return float(r.get("weight", 0))
    except (TypeError, ValueError):
        return 0.0


def marks(
    title: str, text: str, reasons: Sequence[dict[str, Any]]
) -> tuple[list[Span], list[Span]]:
    """The spans to highlight in ``title`` and in ``text``: one place per finding a reviewer can
    check — a cue, a link, the sentence of a known false claim, the figure that contradicts a
    fact (weight > 0) — and the warning/refutation cues (``counter``). The model's n-gram and
    weight-0 hints are not marked, and a phrase is marked only where the finding is, never at
    every occurrence of the word. A span across the title and the text is dropped."""
    full = analysed_text(title, text)
    body = len(title) + 2 if title else 0
    in_title: list[Span] = []
    in_text: list[Span] = []
    for r in reasons:
        kind, weight = r.get("kind", ""), _weight(r)
        counter = kind in COUNTER_KINDS
        if kind in NOT_EVIDENCE or (weight <= 0 and not counter):
            continue
        near = r.get("start")
        where = locate(full, str(r.get("evidence") or ""), near if isinstance(near, int) else None)
        if where is None:
            continue
        start, end = where
        if title and end <= len(title):
            in_title.append(Span(start, end, counter))
        elif start >= body:
            in_text.append(Span(start - body, end - body, counter))
    return in_title, in_text


def shown(reasons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reasons worth a reviewer's attention: all but the weight-0 hints ("có thể cùng chủ
    đề với tin sai…", ``similar_claim`` at weight 0) about a sentence that a confirmed fact
    finding already covers — another, unsure fact under the same words only confuses."""
    covered = [
        str(r.get("evidence") or "").strip()
        for r in reasons
        if (r.get("fact") or {}).get("official") and _weight(r) > 0
    ]

    def superseded(r: dict[str, Any]) -> bool:
        if not (r.get("fact") or {}).get("official") or _weight(r) > 0:
            return False
        evidence = str(r.get("evidence") or "").strip()
        return bool(evidence) and any(evidence in c or c in evidence for c in covered if c)

    return [r for r in reasons if not superseded(r)]


def suspicion(misinfo: str | None, reasons: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The card's header: what the machine suspects (``label``: scam, distortion or none, and
    its Vietnamese ``text``) and the counter-evidence (``counter``: the distinct warning or
    refutation cue texts found, in text order; ``counter_text`` says "có thể là cảnh báo/đính
    chính" when there are any, else ``None``)."""
    label = misinfo if misinfo in {"scam", "distortion"} else "none"
    cues = sorted(
        (r for r in reasons if r.get("kind") in COUNTER_KINDS and r.get("evidence")),
        key=_position,
    )
    counter = _distinct(str(r["evidence"]).strip() for r in cues)
    return {
        "label": label,
        "text": t(f"suspect_{label}"),
        "counter": counter,
        "counter_text": t("suspect_counter") if counter else None,
    }


def _position(r: dict[str, Any]) -> int:
    start = r.get("start")
    return start if isinstance(start, int) else 1 << 30


def _distinct(values: Any) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        if v and v.casefold() not in seen:
            seen[v.casefold()] = v
    return list(seen.values())


def _message(r: dict[str, Any]) -> str:
    """A reason's message without what the fact block shows (the official text after the lead)
    and without closing punctuation, so that ": «evidence»" can follow it."""
    message = str(r.get("message") or "").strip()
    official = str((r.get("fact") or {}).get("official") or "").strip()
    if official and message.endswith(official) and len(message) > len(official):
        message = message[: -len(official)]
    return message.rstrip(" .:;,")


def reason_lines(reasons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reasons as the card lists them: one line per distinct message (the same message with
    the same or other evidence is said once, its distinct evidence quoted together), strongest
    first, pushes-away last. Each line: ``text`` (no closing punctuation), ``evidence`` (list of
    quotes; empty for the model's score and for fact findings, whose words are in the fact
    block), ``away`` (it lowers the suspicion), ``fact`` (it has a fact block below),
    ``weight`` (the strongest of the merged reasons)."""
    lines: dict[tuple[str, bool], dict[str, Any]] = {}
    for r in reasons:
        text = _message(r)
        if not text:
            continue
        weight, kind = _weight(r), r.get("kind", "")
        has_fact = bool((r.get("fact") or {}).get("official"))
        line = lines.setdefault(
            (text, weight < 0),
            {"text": text, "evidence": [], "away": weight < 0, "fact": False, "weight": weight},
        )
        line["weight"] = max(line["weight"], weight) if weight >= 0 else min(line["weight"], weight)
        line["fact"] = line["fact"] or has_fact
        evidence = str(r.get("evidence") or "").strip()
        if evidence and kind not in NOT_EVIDENCE and not has_fact:
            quote = evidence if len(evidence) <= 200 else evidence[:199].rstrip() + "…"
            line["evidence"] = _distinct([*line["evidence"], quote])
    return sorted(lines.values(), key=lambda line: (line["away"], -abs(line["weight"])))


def fact_source(source: Any) -> str:
    """A fact's stored ``source`` in words: ``seed`` is named as the guideline the fact base was
    built from; a missing source says the fact is from the system's fact base."""
    text = str(source or "").strip()
    if not text:
        return t("fact_source_base")
    return _SEED.sub(t("fact_source_seed"), text)


def fact_blocks(title: str, text: str, reasons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One block per fact the item contradicts (findings with the same ``fact_id`` merged):
    ``said`` (the item's sentences that contradict it, each once, in text order), ``official``
    (the fact), ``source`` (in words), ``hint`` (only weight-0 suggestions: the machine is not
    sure the fact applies). Confirmed blocks first, strongest first."""
    full = analysed_text(title, text)
    blocks: dict[str, dict[str, Any]] = {}
    for r in reasons:
        fact = r.get("fact") or {}
        official = str(fact.get("official") or "").strip()
        if not official:
            continue
        key = str(fact.get("fact_id") or official)
        block = blocks.setdefault(
            key,
            {"official": official, "source": None, "said": [], "hint": True, "weight": 0.0},
        )
        weight = _weight(r)
        block["hint"] = block["hint"] and weight <= 0
        block["weight"] = max(block["weight"], weight)
        if block["source"] is None and fact.get("source"):
            block["source"] = fact["source"]
        near = r.get("start")
        where = locate(
            full,
            str(r.get("evidence") or fact.get("in_text") or ""),
            near if isinstance(near, int) else None,
        )
        if where is not None:
            said, order = sentence_around(full, *where), where[0]
        else:
            said, order = str(fact.get("in_text") or r.get("evidence") or "").strip(), len(full)
        if said:
            block["said"].append((order, said))
    out = []
    for block in blocks.values():
        sentences = _distinct(s for _, s in sorted(block["said"]))
        # a sentence inside another of the block's is said by that one
        sentences = [s for s in sentences if not any(s != o and s in o for o in sentences)]
        out.append({**block, "said": sentences, "source": fact_source(block["source"])})
    return sorted(out, key=lambda b: (b["hint"], -b["weight"]))
