"""Score texts for relevance, sentiment and misinformation, with the reasons for every flag."""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.shapes import AnalysisResult, Reason
from core.tables import Analysis, Item
from core.vocabulary import FLAGS
from nlp import registry
from nlp.facts import FactBase, load_facts, match_facts, meaning_findings
from nlp.pipeline import CLASSIFIERS, model_input
from nlp.signals import Signal, detect
from nlp.text import fold, normalize

log = logging.getLogger(__name__)

RELEVANCE_THRESHOLD = 0.5
# The analyser reads this many characters of a text (about 15,000 words: a long report; a scam
# near the end of a 3,000-word article is read). Beyond it the text is cut, and the cut is logged.
MAX_TEXT_CHARS = 100_000
# Misinformation is a property of claims, not of whole articles: a text longer than this is
# also scored window by window (runs of whole sentences up to this many characters), and its
# flag is its strongest window's, so a false claim or a scam keeps its flag wherever it sits.
CLAIM_WINDOW = 400
# A flag needs evidence: without any, the model's risk is scaled by this (below the default
# review threshold 0.45 whatever the score).
UNSUPPORTED_RISK = 0.4
# A passage needs this much evidence (the weights of its distinct positive cues) to be a
# candidate claim: a mention of OTP or an urgency word (0.3 and less) alone is not enough, a
# money request is. Warning and refutation cues in it do not exclude it: the classifier reads
# their tokens in the passage as it does in a short text (a fact-check quoting a rumour stays
# none; a scam that opens with "Cảnh báo" stays a scam).
CLAIM_EVIDENCE = 0.3
# ... and the misinfo model's probability for it must reach this (the models are calibrated: a
# passage counts when it is about as likely misinformation as a short text that is queued).
# Measured with bench/real_traffic.py: 0.7 -> 0.5 kept true flags inside ~2,000 words of news
# 164/186 -> 181/186, paddings alone flagged 0/200 both, VNTC and Báo Mới dev flagged 0.0 % both.
CLAIM_CONFIDENCE = 0.5
# Signals for the reviewer only, never a classifier feature: meaning matches (nlp/meaning.py) came
# after the shipped models were trained, and a token they never learnt still moves their
# character n-grams (a hint found in the unaccented form of a text, not in the accented one, would
# make the two score differently).
NOT_FEATURES = frozenset({"similar_claim"})
# The reviewer's meaning hints are looked for in texts whose misinfo score (whole text or a
# passage) reaches this: every text a flag, the review threshold or the queue's uncertain share
# can bring to a reviewer in practice (nlp/meaning.py costs ~10–20 ms a sentence).
HINT_SCORE = 0.3
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\n+")
SENTIMENT_MESSAGES = {"negative": "tiêu cực", "neutral": "trung tính", "positive": "tích cực"}
MISINFO_MESSAGES = {"distortion": "xuyên tạc, sai lệch thông tin", "scam": "lừa đảo"}


@dataclass(frozen=True)
class Prepared:
    text: str
    signals: list[Signal]
    model_text: str
    # (start, end, model input) of each claim window of a long text that holds evidence (a
    # positive cue and no warning or refutation); empty for a short text
    windows: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Claim:
    """The strongest passage of a long text: its span (characters), the misinfo model's
    probabilities for it and its relevance probability."""

    start: int
    end: int
    scores: dict[str, float]
    relevance: float


def claim_windows(text: str, limit: int = CLAIM_WINDOW) -> list[tuple[int, int]]:
    """(start, end) character spans of ``text`` (normalised: one line per paragraph) that join
    whole sentences of one paragraph up to ``limit`` characters (a longer sentence is a window of
    its own; a window never crosses a line break, so a post quoted inside an article is scored
    apart from the article around it); sentences end at . ! ? … or ;. Empty when ``text`` is no
    longer than ``limit``."""
    if len(text) <= limit:
        return []
    windows: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        offset, body = para.start(), para.group(0)
        bounds, start = [], 0
        for m in _SENTENCE_END.finditer(body):
            bounds.append((start, m.start()))
            start = m.end()
        bounds.append((start, len(body)))
        first = len(windows)
        for a, b in bounds:
            if b <= a:
                continue
            a, b = a + offset, b + offset
            if len(windows) > first and b - windows[-1][0] <= limit:
                windows[-1] = (windows[-1][0], b)
            else:
                windows.append((a, b))
    return windows


def prepare(text: str, facts: FactBase, *, claims: bool = True) -> Prepared:
    """:func:`prepare_batch` for one text."""
    return prepare_batch([text], facts, claims=claims)[0]


def prepare_batch(
    texts: Sequence[str],
    facts: FactBase,
    *,
    claims: bool = True,
    memo: dict[str, Any] | None = None,
) -> list[Prepared]:
    """Normalise, find cues and fact findings, and build the classifiers' input (with
    ``claims``, also the inputs of a long text's evidence-bearing passages), for each text.

    Known false claims are matched by meaning only in sentences that carry an assertion cue (the
    part the classifiers read, embedded in one batch; ``memo`` keeps the vectors for
    :meth:`Analyzer.analyze`'s second pass, which adds the reviewer's hints)."""
    if any(len(t) > MAX_TEXT_CHARS for t in texts):
        log.warning(
            "texts longer than %d characters are analysed up to that length", MAX_TEXT_CHARS
        )
    texts = [normalize(t[:MAX_TEXT_CHARS]) for t in texts]
    found = []
    for text in texts:
        cues = detect(text)
        found.append(cues + match_facts(facts, text, cues, meaning=False))
    extra = meaning_findings(facts, texts, found, asserted_only=True, memo=memo)
    return [
        _prepared(text, [*f, *e], claims) for text, f, e in zip(texts, found, extra, strict=True)
    ]


def _prepared(text: str, signals: list[Signal], claims: bool) -> Prepared:
    windows: list[tuple[int, int, str]] = []
    for a, b in claim_windows(text) if claims else []:
        inside = [s for s in signals if a <= s.start and s.end <= b]
        # A passage is a candidate claim only with evidence a reviewer can check in it (a cue,
        # a suspicious link, a fact difference): the model alone, on one sentence of a news
        # article, is no reason to flag it.
        evidence = sum({s.kind: s.weight for s in inside if s.weight > 0}.values())
        if evidence >= CLAIM_EVIDENCE:
            windows.append((a, b, model_input(text[a:b], _features(inside))))
    return Prepared(text, signals, model_input(text, _features(signals)), tuple(windows))


# Where a sentence ends, for scoping a refutation or a warning: . ! ? … before a space or the end,
# or a line break (not the dot of a link or of a number: "vneid-giahan.click", "10.000").
_SENTENCE_BOUND = re.compile(r"[.!?…]+(?=\s|$)|\n")


def _bounds(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_BOUND.finditer(text)]


def _outside(signals: Sequence[Signal], bounds: list[int], cancelled: set[int]) -> list[Signal]:
    """The positive signals not in a sentence (an index into ``bounds``) of ``cancelled``."""
    return [
        s for s in signals if s.weight > 0 and bisect.bisect_right(bounds, s.start) not in cancelled
    ]


def unrefuted(signals: Sequence[Signal], text: str) -> list[Signal]:
    """The positive signals of ``signals`` that do not sit in a sentence of ``text`` carrying a
    ``refutation`` cue: a fact-check quotes the rumour it refutes (its claim cues, the known false
    claim, the fact difference all sit in the refuting sentence) and none of it is evidence of a
    distortion; a rumour with a stray "bác bỏ" in another sentence keeps its evidence.
    Sentences end at . ! ? … before a space, or at a line break (a colon does not end one: "X là
    sai sự thật: …"; nor does the dot of a link or a number)."""
    bounds = _bounds(text)
    refuted = {bisect.bisect_right(bounds, s.start) for s in signals if s.kind == "refutation"}
    return _outside(signals, bounds, refuted)


# "Cảnh báo:" / "CẢNH BÁO!" / "Vietcombank lưu ý:" (at most three words before it) opening a
# sentence is an alert header, which scams use as much as warnings do: it scopes nothing.
_HEADER_AFTER = re.compile(r"\s*[:!]")


# A quotation: what a warning or a fact-check cites ("nhận được tin nhắn 'tài khoản bị khóa…'").
_QUOTED = re.compile(r"“[^”\n]{4,}”|\"[^\"\n]{4,}\"|'[^'\n]{4,}'|«[^»\n]{4,}»")


def unwarned(signals: Sequence[Signal], text: str) -> list[Signal]:
    """The positive signals of ``signals`` that do not sit in a sentence of ``text`` carrying a
    ``warning_context`` cue (other than an alert header: the cue within the first three words of
    its sentence and followed by ":" or "!"): a warning names
    the fake link or the request it warns about ("trang vneid-giahan.click là giả mạo"), and that
    is no evidence of a scam; a scam with a stray "lưu ý" in another sentence keeps its evidence.
    Sentences as in :func:`unrefuted`. In a text that warns (any warning cue, a header too), a
    message inside quotation marks (four words or more) is quoted, not asserted: no evidence
    either."""
    bounds = _bounds(text)
    starts = [0, *bounds]
    warned: set[int] = set()
    for s in signals:
        if s.kind != "warning_context":
            continue
        i = bisect.bisect_right(bounds, s.start)
        if len(text[starts[i] : s.start].split()) <= 3 and _HEADER_AFTER.match(text, s.end):
            continue
        warned.add(i)
    kept = _outside(signals, bounds, warned)
    if any(s.kind == "warning_context" for s in signals):
        # a quoted message (four words or more), not a quoted word or link
        quotes = [
            (m.start(), m.end()) for m in _QUOTED.finditer(text) if len(m.group(0).split()) >= 4
        ]
        kept = [s for s in kept if not any(a <= s.start and s.end <= b for a, b in quotes)]
    return kept


def _strength(scores: dict[str, float]) -> float:
    return max(scores.get("distortion", 0.0), scores.get("scam", 0.0))


def _features(signals: list[Signal]) -> list[Signal]:
    return [s for s in signals if s.kind not in NOT_FEATURES]


def prepare_many(texts: Iterable[str], facts: FactBase) -> list[str]:
    """Classifier inputs for training: the same path as serving (passage inputs are not built:
    training reads whole texts)."""
    return [p.model_text for p in prepare_batch(list(texts), facts, claims=False)]


def risk_score(relevance: float, misinfo_scores: dict[str, float]) -> float:
    """A scam is risky wherever it appears; a distortion counts fully only inside the policy area."""
    scam = misinfo_scores.get("scam", 0.0)
    distortion = misinfo_scores.get("distortion", 0.0) * (0.5 + 0.5 * relevance)
    return round(min(1.0, max(scam, distortion)), 4)


def _reason(kind: str, evidence: str, message: str, weight: float, **extra: Any) -> Reason:
    reason: Reason = {
        "kind": kind,
        "evidence": evidence,
        "message": message,
        "weight": round(weight, 4),
    }
    reason.update(extra)  # type: ignore[typeddict-item]  # start, end, fact, score, label
    return reason


def _top_ngrams(pipeline: Pipeline, x_word: Any, label: str, names: Any) -> list[str]:
    """The word n-grams of the input that pushed the classifier towards ``label``, strongest
    first.

    ``x_word`` is the input's row of the word TF-IDF features, ``names`` their names. Cue tokens
    and n-grams made only of one- or two-letter words ("em", "a", "ib") are passed over: quoted
    to a reviewer as evidence they say nothing.
    """
    clf = pipeline.named_steps["clf"]
    features = pipeline.named_steps["features"]
    classes = list(clf.classes_)
    coef = clf.coef_[0] if len(classes) == 2 else clf.coef_[classes.index(label)]
    if len(classes) == 2 and label == classes[0]:
        coef = -coef
    offset = len(dict(features.transformer_list)["char"].vocabulary_)
    row = x_word.tocoo()
    scored = []
    for j, v in zip(row.col, row.data, strict=True):
        score = v * coef[offset + j]
        name = names[j]
        if score > 0 and not name.startswith("zz") and max(map(len, name.split())) > 2:
            scored.append((score, name))
    return [name for _, name in sorted(scored, reverse=True)]


def _fingerprint(pipeline: Pipeline) -> str:
    """Identifies a fitted feature step: classifiers trained on the same texts with the same feature
    parameters share it, and then the text is vectorised once for all of them."""
    features = pipeline.named_steps["features"]
    digest = hashlib.sha256(repr(sorted(features.get_params(deep=False).items(), key=str)).encode())
    for _, vec in features.transformer_list:
        digest.update(repr(vec.get_params()).encode())
        digest.update("\x00".join(vec.vocabulary_).encode())
        digest.update(np.fromiter(vec.vocabulary_.values(), dtype=np.int64).tobytes())
        digest.update(np.ascontiguousarray(vec.idf_).tobytes())
    return digest.hexdigest()


class Analyzer:
    """The current relevance, sentiment and misinfo models plus the fact base."""

    def __init__(
        self, models: dict[str, tuple[Pipeline, registry.ModelCard]], facts: FactBase
    ) -> None:
        missing = set(CLASSIFIERS) - set(models)
        if missing:
            raise registry.RegistryError(f"no current model for {', '.join(sorted(missing))}")
        self.models = models
        self.facts = facts
        self._features = {classifier: _fingerprint(p) for classifier, (p, _) in models.items()}
        word = dict(models["misinfo"][0].named_steps["features"].transformer_list)["word"]
        self._misinfo_word = word
        self._misinfo_word_names = word.get_feature_names_out()
        self.versions = {classifier: meta["version"] for classifier, (_, meta) in models.items()}
        self.versions["facts"] = facts.version

    @classmethod
    def load(cls, models_dir: Path, facts_path: Path) -> Analyzer:
        """Load each classifier's current version from ``models_dir``."""
        models = {}
        for classifier in CLASSIFIERS:
            version = registry.current_version(models_dir, classifier)
            if version is None:
                raise registry.RegistryError(
                    f"no current {classifier} model in {models_dir}: run `duluan train --classifier {classifier} --promote`"
                )
            models[classifier] = registry.load(models_dir, classifier, version)
        return cls(models, load_facts(facts_path))

    def _proba_all(
        self, inputs: list[str], classifiers: Iterable[str] = CLASSIFIERS
    ) -> dict[str, list[dict[str, float]]]:
        """Each classifier's class probabilities, vectorising once per distinct feature step."""
        matrices: dict[str, Any] = {}
        out = {}
        for classifier in classifiers:
            pipeline = self.models[classifier][0]
            key = self._features[classifier]
            if key not in matrices:
                matrices[key] = pipeline.named_steps["features"].transform(inputs)
            clf = pipeline.named_steps["clf"]
            proba = clf.predict_proba(matrices[key])
            out[classifier] = [
                {str(c): float(p[i]) for i, c in enumerate(clf.classes_)} for p in proba
            ]
        return out

    def analyze(self, texts: Sequence[str]) -> list[AnalysisResult]:
        """One result per text, with the fields of the ``duluan predict`` contract."""
        memo: dict[str, Any] = {}
        prepared = prepare_batch(texts, self.facts, memo=memo)
        inputs = [p.model_text for p in prepared]
        if not inputs:
            return []
        proba = self._proba_all(inputs)
        claims = self._claims(prepared)
        prepared = self._hints(prepared, proba["misinfo"], claims, memo)
        return [
            self._result(p, r, s, m, c)
            for p, r, s, m, c in zip(
                prepared,
                proba["relevance"],
                proba["sentiment"],
                proba["misinfo"],
                claims,
                strict=True,
            )
        ]

    def _hints(
        self,
        prepared: list[Prepared],
        misinfo: list[dict[str, float]],
        claims: list[Claim | None],
        memo: dict[str, Any],
    ) -> list[Prepared]:
        """Add the meaning matches that are for the reviewer (``similar_claim``: a confirmed
        match without an assertion cue, which keeps a model flag, or the closest suggested claim)
        to the texts that may reach one: those whose misinfo score or strongest passage reaches
        :data:`HINT_SCORE`. The others are not embedded (the cost of the encoder stays with the
        texts it can matter for)."""
        chosen = [
            i
            for i, (p, c) in enumerate(zip(misinfo, claims, strict=True))
            if max(_strength(p), _strength(c.scores) if c else 0.0) >= HINT_SCORE
        ]
        if not chosen:
            return prepared
        extra = meaning_findings(
            self.facts,
            [prepared[i].text for i in chosen],
            [prepared[i].signals for i in chosen],
            memo=memo,
        )
        out = list(prepared)
        for i, signals in zip(chosen, extra, strict=True):
            if signals:
                p = out[i]
                out[i] = Prepared(p.text, [*p.signals, *signals], p.model_text, p.windows)
        return out

    def _claims(self, prepared: list[Prepared]) -> list[Claim | None]:
        """Each long text's strongest claim window (misinfo probability at least
        :data:`CLAIM_CONFIDENCE`), with its misinfo probabilities and its own relevance."""
        spans = [(i, a, b, x) for i, p in enumerate(prepared) for a, b, x in p.windows]
        best: list[Claim | None] = [None] * len(prepared)
        if not spans:
            return best
        inputs = [x for *_, x in spans]
        proba = self._proba_all(inputs, classifiers=("misinfo", "relevance"))
        for (i, a, b, _), scores, rel in zip(
            spans, proba["misinfo"], proba["relevance"], strict=True
        ):
            strength = _strength(scores)
            if strength < CLAIM_CONFIDENCE:
                continue  # the models learnt from short posts: one passage needs a clear score
            current = best[i]
            if current is None or strength > _strength(current.scores):
                best[i] = Claim(a, b, scores, rel.get("relevant", 0.0))
        return best

    def _result(
        self,
        prep: Prepared,
        rel: dict[str, float],
        sent: dict[str, float],
        mis: dict[str, float],
        claim: Claim | None = None,
    ) -> AnalysisResult:
        relevance = round(rel.get("relevant", 0.0), 4)
        sentiment = str(max(sent, key=sent.__getitem__))
        span = None
        claim_relevance = relevance
        if claim is not None and _strength(claim.scores) > _strength(mis):
            span, mis = (claim.start, claim.end), claim.scores
            # A distortion's weight follows the relevance of the passage that carries it, not of
            # the article around it (a false claim about the policy inside sports news).
            claim_relevance = max(relevance, claim.relevance)
        label = str(max(mis, key=mis.__getitem__))
        misinfo_scores = {k: round(mis.get(k, 0.0), 4) for k in FLAGS}
        risk = risk_score(claim_relevance, misinfo_scores)
        evidence = (
            prep.signals
            if span is None
            else [s for s in prep.signals if span[0] <= s.start and s.end <= span[1]]
        )
        # The evidence for the class the risk comes from (the label, or for a text labelled
        # none the stronger of distortion and scam: its risk can reach the review threshold too).
        suspected = label
        if label == "none":
            distortion = misinfo_scores["distortion"] * (0.5 + 0.5 * claim_relevance)
            suspected = "distortion" if distortion > misinfo_scores["scam"] else "scam"
        if suspected == "distortion":
            evidence = unrefuted(evidence, prep.text)
        else:
            evidence = unwarned(evidence, prep.text)
        if not any(s.weight > 0 for s in evidence):
            # No evidence a reviewer could check (no cue, link, fact difference or known false
            # claim; for a distortion, none outside the sentences that refute it; for a scam,
            # none outside the sentences that warn about it): the model's
            # score alone is no flag, nor a reason to queue a text it labels none. It stays as a
            # score, below the review threshold, so the queue's uncertain share can still bring
            # it to a human.
            label = "none"
            risk = round(risk * UNSUPPORTED_RISK, 4)
        reasons = self._reasons(prep, label, misinfo_scores, span)
        return {
            "relevant": bool(relevance >= RELEVANCE_THRESHOLD),
            "relevance": relevance,
            "sentiment": sentiment,
            "sentiment_scores": {k: round(sent.get(k, 0.0), 4) for k in CLASSIFIERS["sentiment"]},
            "misinfo": label,
            "misinfo_scores": misinfo_scores,
            "risk": risk,
            "reasons": reasons,
            "model_versions": dict(self.versions),
        }

    def _reasons(
        self,
        prep: Prepared,
        label: str,
        scores: dict[str, float],
        claim: tuple[int, int] | None = None,
    ) -> list[Reason]:
        reasons = []
        for s in prep.signals:
            extra = {"fact": s.detail} if s.detail else {}
            reasons.append(
                _reason(s.kind, s.evidence, s.message, s.weight, start=s.start, end=s.end, **extra)
            )
        if label == "none":
            return reasons
        p = scores[label]
        if claim is not None:
            # The flag comes from one passage of a long text: that passage is the evidence.
            a, b = claim
            reasons.append(
                _reason(
                    "claim",
                    prep.text[a:b],
                    f"Đoạn này có khả năng {MISINFO_MESSAGES[label]} (điểm {p:.2f})",
                    p,
                    score=p,
                    label=label,
                    start=a,
                    end=b,
                )
            )
            return reasons
        evidence_found = any(r["weight"] > 0 for r in reasons)
        x_word = self._misinfo_word.transform([prep.model_text])
        # the strongest n-gram a reviewer can find in the text (one made by teencode expansion,
        # "ib" -> "nhan tin", is not in it)
        ngrams = _top_ngrams(self.models["misinfo"][0], x_word, label, self._misinfo_word_names)
        folded = fold(prep.text)
        pos, ngram = next(((folded.find(g), g) for g in ngrams if g in folded), (-1, ""))
        span = prep.text[pos : pos + len(ngram)] if pos >= 0 else None
        if span is None and not evidence_found:
            span = prep.text[:160]
        reasons.append(
            _reason(
                "model",
                span or "",
                f"Mô hình đánh giá nội dung có khả năng {MISINFO_MESSAGES[label]} (điểm {p:.2f})",
                p,
                score=p,
                label=label,
            )
        )
        return reasons


def pending_items(clustered_only: bool = False):  # type: ignore[no-untyped-def]
    """The condition for an item that waits for analysis: no analysis row yet (with
    ``clustered_only``, also given its near-duplicate cluster, so that the queue's one task per
    cluster holds for items a worker analyses while a collector is still storing). An item whose
    text retention blanked (``core.retention``) never waits: its analyses may be deleted, and
    there is no text left to score. It reads ``item.analyzed_at`` (set with the first analysis,
    :func:`score_items`) and so is served by the partial index ``ix_item_pending``: its cost does not
    grow with the items already analysed."""
    cond = Item.purged_at.is_(None) & Item.analyzed_at.is_(None)
    return cond & Item.cluster_id.is_not(None) if clustered_only else cond


def claim_pending(
    session: Session,
    after_id: int,
    limit: int,
    *,
    clustered_only: bool = False,
    since: datetime | None = None,
) -> tuple[list[Item], int]:
    """Take the next ``limit`` items without an analysis whose id is above ``after_id`` (keyset
    order), for this session's transaction alone; returns ``(items, cursor)`` where ``cursor`` is
    the highest id looked at (the next call's ``after_id``; equal to ``after_id`` when nothing
    is left).

    On PostgreSQL the rows are locked ``FOR NO KEY UPDATE SKIP LOCKED`` until the caller commits
    or rolls back: concurrent workers each get different items, and a worker that dies (even
    ``kill -9``) loses its locks with its connection, so its batch is at once available again.
    ``NO KEY`` leaves the foreign-key share locks free: a review task or an analysis may still
    be inserted for a locked item by someone else. A batch another worker committed between this
    statement's snapshot and the lock (PostgreSQL does not re-check ``NOT EXISTS`` for a row
    that was only locked, not updated) is dropped by a second look once the locks are held: an
    analysis is only written under the item's lock, so it is visible by then. Nothing is locked
    on SQLite, where one worker analyses (``cli.worker`` enforces it with a lock file).
    """
    query = (
        select(Item)
        .where(Item.id > after_id, pending_items(clustered_only))
        .order_by(Item.id)
        .limit(limit)
    )
    if since is not None:
        query = query.where(Item.fetched_at >= since)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        query = query.with_for_update(skip_locked=True, key_share=True, of=Item)
    items = list(session.scalars(query))
    if not items:
        return [], after_id
    cursor = items[-1].id
    if postgres:
        done = set(
            session.scalars(
                select(Analysis.item_id).where(Analysis.item_id.in_([i.id for i in items]))
            )
        )
        if done:
            log.info("%d items were analysed by another worker meanwhile: skipped", len(done))
            items = [i for i in items if i.id not in done]
    return items, cursor


def count_pending(session: Session) -> tuple[int, datetime | None]:
    """How many items wait for analysis and when the oldest of them was fetched (UTC; None
    when none waits)."""
    n, oldest = session.execute(
        select(func.count(Item.id), func.min(Item.fetched_at)).where(pending_items())
    ).one()
    return int(n or 0), oldest


def analyze_pending(
    session: Session,
    analyzer: Analyzer,
    *,
    batch_size: int = 256,
    since: datetime | None = None,
    rescore: bool = False,
    progress: Callable[[int, int], None] | None = None,
    commit: bool = False,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Analyse items that have no analysis yet (or, with ``rescore``, every item since ``since``);
    the number of items analysed.

    The backlog is streamed: ``batch_size`` items at a time in id order (keyset pages), never
    the whole list of ids, so memory does not grow with the number of items waiting. Pending
    items are taken with :func:`claim_pending` (on PostgreSQL several processes share the work
    and none scores an item another one holds). Each batch is flushed; with ``commit`` it is
    also committed, so a long run never holds the database's write lock (SQLite) or its row
    locks (PostgreSQL) for more than a batch and a crash loses at most the batch in hand;
    without it the caller commits. ``progress(done, total)`` follows the batches (``total`` is
    counted once, at the start). ``stop()``, asked between batches, ends the run early (a
    worker's SIGTERM). Errors of the analyser propagate (the batch in hand is not stored).
    """
    report = progress or (lambda _done, _total: None)
    total = 0
    if progress is not None:
        counted = select(func.count(Item.id))
        if since is not None:
            counted = counted.where(Item.fetched_at >= since)
        if not rescore:
            counted = counted.where(pending_items())
        total = int(session.scalar(counted) or 0)
    if commit:
        session.commit()  # the count above must not keep a transaction open
    report(0, total)
    done, cursor = 0, 0
    while stop is None or not stop():
        if rescore:
            query = (
                select(Item)
                .where(Item.id > cursor, Item.purged_at.is_(None))
                .order_by(Item.id)
                .limit(batch_size)
            )
            if since is not None:
                query = query.where(Item.fetched_at >= since)
            items = list(session.scalars(query))
            cursor = items[-1].id if items else cursor
            more = bool(items)
        else:
            before = cursor
            items, cursor = claim_pending(session, cursor, batch_size, since=since)
            more = cursor != before
        if not more:
            break
        done += score_items(session, analyzer, items) if items else 0
        if commit:
            session.commit()
        report(done, max(total, done))
    if commit:
        session.commit()
    return done


def score_items(session: Session, analyzer: Analyzer, items: list[Item]) -> int:
    """Analyse ``items`` with ``analyzer`` and add one ``Analysis`` each (an item's first one
    also sets ``item.analyzed_at``); flushes. The number of items analysed."""
    results = analyzer.analyze([f"{i.title}. {i.text}" if i.title else i.text for i in items])
    now = utcnow()
    for item, res in zip(items, results, strict=True):
        if item.analyzed_at is None:
            item.analyzed_at = now
        session.add(
            Analysis(
                item_id=item.id,
                model_versions=res["model_versions"],
                relevance=res["relevance"],
                relevant=res["relevant"],
                sentiment=res["sentiment"],
                sentiment_scores=res["sentiment_scores"],
                misinfo=res["misinfo"],
                misinfo_scores=res["misinfo_scores"],
                risk=res["risk"],
                reasons=res["reasons"],
            )
        )
    session.flush()
    return len(items)
