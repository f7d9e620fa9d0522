"""Score texts for relevance, sentiment and misinformation, with the reasons for every flag
(``Analyzer``). The texts are prepared by ``nlp.claims``; the items waiting for analysis are
taken and stored by ``nlp.pending``."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from core.config import get_settings
from core.shapes import AnalysisResult, Reason
from core.vocabulary import FLAGS
from nlp import registry
from nlp.claims import (
    CLAIM_CUES,
    Prepared,
    prepare_batch,
    unasked,
    uncited,
    uncorrected,
    unrefuted,
    unwarned,
)
from nlp.factcheck import meaning_findings, names_crux
from nlp.facts import FactBase, load_facts
from nlp.features import FeatureStep
from nlp.pipeline import CLASSIFIERS
from nlp.signals import WEAK_CLAIM_KINDS, Signal
from nlp.text import fold

log = logging.getLogger(__name__)

# An item is "relevant" (counted in the weekly summary's sentiment) when its calibrated relevance
# reaches this. Rule: the threshold, in steps of 0.01, that maximises min(precision, recall) on
# VNTC's dev split (real news; "Khoa hoc" and "Vi tinh" relevant, the eight other topics not), as
# both must reach 0.85 on real news (issue 12). With the relevance model 20261202T081904Z (the
# seed's 200 rows of the seventh session): 0.45 gives P 0.863 / R 0.865. With 20261202T034617Z
# (VNTC and ViHOS comments as off-topic rows, trained with the cues of 2026-12-02): 0.42 gave
# P 0.863 / R 0.865. With 20261202T005559Z: 0.40, P 0.861 / R 0.865. With 20261130T232516Z and
# the night's last cues it was 0.43, P 0.875 / R 0.873 (0.41, P 0.874 / R 0.885, with the cues it was
# trained at; with 20261130T203418Z and the evening's cues it was 0.47, P 0.881 / R 0.873). The
# models read the cue tokens, so recompute it when relevance is retrained or the cues change: a
# test checks it on VNTC dev (nlp.evaluate.balanced_threshold).
RELEVANCE_THRESHOLD = 0.45
# A flag needs evidence: without any, the model's risk is scaled by this (at most 0.34: below the
# default review threshold, core.config's 0.35, for any score, once rounded to four places too).
UNSUPPORTED_RISK = 0.34
# ... and the misinfo model's probability for it must reach this (the models are calibrated: a
# passage counts when it is about as likely misinformation as a short text that is queued).
# Measured with bench/real_traffic.py: 0.7 -> 0.5 kept true flags inside ~2,000 words of news
# 164/186 -> 181/186, paddings alone flagged 0/200 both, VNTC and Báo Mới dev flagged 0.0 % both.
# 0.5 -> 0.35 (the default review threshold), once a queued text is always shown with a flag
# (``Analyzer._result``): flags kept 234/271 -> 266/271 (0.4: 251/271), paddings alone 1/200
# all three, VNTC dev flagged 3 -> 4 of 2,000 (0.4: 4), Báo Mới dev 0 queued all three.
CLAIM_CONFIDENCE = 0.35
# Signals that add weight but are no evidence on their own: a genuine one-time-code message
# mentions its code ("Mã xác thực của bạn là 533886") as a phishing one does; asking for it
# (``credential_request``) is the evidence. Measured on the real SMS benchmark with the models of
# 2026-11-30 night: 6 legitimate messages and 1 spam were queued on a mention alone.
CONTEXT_ONLY = frozenset({"otp_mention"})
# Evidence for a distortion only, and only when the misinfo model gives the distortion at least
# ``RULE_CONFIDENCE``: a rule stated without its issuer, a document said to "ghi rõ" something, a
# rumour passed on as heard, a figure stated as fact, a benefit said to be handed out
# (``nlp.signals`` ``rule_statement``, ``document_content``, ``hearsay``, ``figure_claim``,
# ``benefit_claim``).
DISTORTION_ONLY = WEAK_CLAIM_KINDS
RULE_CONFIDENCE = 0.6
# A scam cue at least this heavy (a request, a lure, a link: not an urgency alone, 0.3) relabels a
# "distortion" that has no claim among its evidence as a scam (``Analyzer._result``).
SCAM_LURE = 0.4
# A reviewer's hint (a suggested match with a known false claim: ``similar_claim`` of weight 0)
# that a sentence states, naming what the claim turns on, is evidence like a weak claim cue: for
# a distortion the misinfo model gives at least ``RULE_CONFIDENCE`` (``Analyzer._stated_hints``);
# a reviewer checks the sentence against the claim's correction. Scoped, refutations and
# questions aside, as if it weighed this:
HINT_WEIGHT = 0.25
# the cues that quote a rule with its issuer or its sum: a rule statement inside one is not shown
# twice
_RULE_CLAIMS = frozenset({"policy_claim", "fabricated_obligation"})
# The reviewer's meaning hints are looked for in texts whose misinfo score (whole text or a
# passage) reaches this: every text a flag, the review threshold or the queue's uncertain share
# can bring to a reviewer in practice (nlp/meaning.py costs ~10–20 ms a sentence).
HINT_SCORE = 0.3
# A reviewer reads a few instances of a cue, not thousands: a text repeating one ("mã OTP " × 14,000)
# gave a 1.9 MB result. The first ones of each kind are kept (a hostile-input trial, issue 12).
MAX_REASONS_PER_KIND = 10
SENTIMENT_MESSAGES = {"negative": "tiêu cực", "neutral": "trung tính", "positive": "tích cực"}
MISINFO_MESSAGES = {"distortion": "xuyên tạc, sai lệch thông tin", "scam": "lừa đảo"}


@dataclass(frozen=True)
class Claim:
    """The strongest passage of a long text: its span (characters), the misinfo model's
    probabilities for it and its relevance probability."""

    start: int
    end: int
    scores: dict[str, float]
    relevance: float


def _strength(scores: dict[str, float]) -> float:
    return max(scores.get("distortion", 0.0), scores.get("scam", 0.0))


def risk_score(relevance: float, misinfo_scores: dict[str, float]) -> float:
    """A scam is risky wherever it appears; a distortion counts fully only inside the policy area."""
    scam = misinfo_scores.get("scam", 0.0)
    distortion = misinfo_scores.get("distortion", 0.0) * (0.5 + 0.5 * relevance)
    return round(min(1.0, max(scam, distortion)), 4)


# A warning cue that opens with "không" ("không cung cấp…") is the imperative of a warning, but
# also the plain "không được nhận" of a claim ("ko cài VNeID là ko được nhận lương hưu"); alone
# it does not make a text a warning, two of them do.
_NEGATION_OPENERS = ("khong ", "ko ", "k ", "kh ")  # "đừng" is only ever the imperative


def refutes_or_warns(signals: Sequence[Signal]) -> bool:
    """Whether ``signals`` (a paragraph's) refute (a ``refutation`` cue) or warn (a
    ``warning_context`` cue other than "lưu ý" that does not open with "không", or two that
    do). An alert header ("Cảnh giác!!!") counts: it opens a rumour, but also a warning that
    quotes one."""
    if any(s.kind == "refutation" for s in signals):
        return True
    # "lưu ý" (please note) opens a rumour as often as a warning
    warnings = [
        s
        for s in signals
        if s.kind == "warning_context" and fold(s.evidence).lower() not in {"luu y", "chu y"}
    ]
    plain = [s for s in warnings if not fold(s.evidence).lower().startswith(_NEGATION_OPENERS)]
    return bool(plain) or len(warnings) >= 2


_NEGATION_WORD = re.compile(r"\b(?:khong|chua|chang|ko|cha|dau co|lam gi)\b")


def _in_refuting_paragraph(s: Signal, signals: Sequence[Signal], text: str) -> bool:
    """Whether the paragraph of ``text`` (it ends at a line break) that holds ``s`` refutes or
    warns (:func:`refutes_or_warns` on the ``signals`` inside it) in the sentence of ``s`` or
    after it: a fact-check states the rumour, then its verdict. A claim stated after the verdict
    ("Tin đồn VNeID miễn phí là sai sự thật. Thực tế người dân phải nộp 500 nghìn…", "Đính chính:
    …") is the text's own (a red-team trial, issue 12): a correction that states the facts does
    not repeat a known false claim."""
    start = text.rfind("\n", 0, s.start) + 1
    end = text.find("\n", s.end)
    end = len(text) if end < 0 else end
    sentence = max(start, *(text.rfind(c, start, s.start) + 1 for c in ".!?…"))
    if _NEGATION_WORD.search(fold(text[sentence : s.end]).lower()):
        # the encoder reads past a negation ("WHO cho biết chưa có bằng chứng 5G gây ung thư"
        # matches "5G gây ung thư"): a negated sentence after the verdict is the correction
        sentence = start
    return refutes_or_warns([c for c in signals if sentence <= c.start and c.end <= end])


def repeated_claim(signals: Sequence[Signal], text: str) -> Signal | None:
    """The strongest repeated known false claim among the ``signals`` of ``text`` (normalised),
    or None: a ``known_false_claim`` found by meaning (``nlp.factcheck.meaning_findings``: a
    sentence the encoder puts at cosine >= ``nlp.meaning.CONFIRMED`` from one of the claim's
    wordings and closer to it than to its correction, that does not negate the claim, that
    asserts — an assertion cue or a stated consequence, not a question nor others' words
    reported — and that names what the claim turns on, money or a penalty), in a paragraph that
    neither refutes nor warns (:func:`refutes_or_warns`: a fact-check may state the rumour in one
    sentence and its verdict in the next, "Nhiều người tin rằng VNeID nghe lén. Đây là luận điệu
    xuyên tạc."; the model still reads it), and not quoted in a text that warns or refutes
    (``nlp.claims.uncited``). Word matches do not count here: sharing words, a true
    statement matches as often."""
    found = [
        s
        for s in signals
        if s.kind == "known_false_claim"
        and (s.detail or {}).get("method") == "meaning"
        and (s.detail or {}).get("level") == "confirmed"
        and not _in_refuting_paragraph(s, signals, text)
    ]
    # nor inside a quotation in a text that warns or refutes: a fact-check quotes the rumour in
    # one paragraph and gives its verdict in the next ("chuyển tiếp một tin nhắn có nội dung:
    # '…'", then "văn bản trên là giả")
    found = uncited(found, signals, text)
    return max(found, key=lambda s: float((s.detail or {})["similarity"]), default=None)


# What a document's record says that a text can get wrong (``nlp.factcheck``: its number, date,
# issuer): checked against the fact base, never a matter of opinion. A target's figure is left
# out: a true statistic of another programme can sit near a target's words.
DOCUMENT_FACTS = frozenset({"number", "date", "issuer"})


def misstated_document(signals: Sequence[Signal], text: str) -> Signal | None:
    """The strongest ``fact_mismatch`` of ``signals`` (those of normalised ``text``) on a
    document's number, date or issuer (``DOCUMENT_FACTS``) that the text states: not in or after a
    sentence that refutes it (``nlp.claims.uncorrected``), nor in a paragraph that refutes or
    warns (a rumour, then its verdict), nor in a question or a report of others' words
    (``unasked``), nor inside a quotation in a text that warns or refutes (``uncited``); or
    None. On the seed, the check set and probe I (2,455 texts, issue 12) such a finding was in
    distortions only (12 of 390), none of 258 fact-checks."""
    if not any(
        s.kind == "fact_mismatch" and (s.detail or {}).get("differs") in DOCUMENT_FACTS
        for s in signals
    ):
        return None  # most texts: the scoping below is not needed
    stated = uncited(unasked(uncorrected(signals, text), text), signals, text)
    found = [
        s
        for s in stated
        if s.kind == "fact_mismatch"
        and (s.detail or {}).get("differs") in DOCUMENT_FACTS
        and not _in_refuting_paragraph(s, signals, text)
    ]
    return max(found, key=lambda s: s.weight, default=None)


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
        # one feature step per distinct fingerprint (the three defaults share one)
        self._steps: dict[str, FeatureStep] = {}
        for classifier, (pipeline, _) in models.items():
            key = self._features[classifier]
            if key not in self._steps:
                self._steps[key] = FeatureStep(pipeline.named_steps["features"])
        word = dict(models["misinfo"][0].named_steps["features"].transformer_list)["word"]
        self._misinfo_word = word
        self._misinfo_word_names = word.get_feature_names_out()
        self.versions = {classifier: meta["version"] for classifier, (_, meta) in models.items()}
        self.versions["facts"] = facts.version
        # the risk from which the review queue takes an item (``DULUAN_REVIEW_RISK_THRESHOLD``)
        self.review_threshold = get_settings().review_risk_threshold

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
                matrices[key] = self._steps[key].transform(inputs)
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
            evidence = uncited(
                unasked(uncorrected(evidence, prep.text), prep.text), prep.signals, prep.text
            )
        else:
            # nor in a sentence that refutes ("Ngân hàng không tự khấu trừ thuế …")
            # (by identity: a text of thousands of cues must not compare each with each)
            unrefuting = {id(s) for s in unrefuted(evidence, prep.text)}
            evidence = [
                s for s in unwarned(evidence, prep.text, prep.signals) if id(s) in unrefuting
            ]
        if suspected != "distortion" or misinfo_scores["distortion"] < RULE_CONFIDENCE:
            evidence = [s for s in evidence if s.kind not in DISTORTION_ONLY]
        if label == "distortion" and not any(s.kind in CLAIM_CUES for s in evidence):
            # A "distortion" whose evidence holds no claim (no claim cue, fact difference or
            # known false claim) but a scam's requests, outside the sentences that warn, is the
            # scam a reviewer should see it as: "Mình biết nhiều người bị lừa … Nhưng app … thì
            # khác, … Mình nạp 10 triệu, 2 tuần lãi 3 triệu" (probe X). Its risk is unchanged.
            unrefuting = {id(s) for s in unrefuted(evidence, prep.text)}
            lures = [
                s
                for s in unwarned(evidence, prep.text, prep.signals)
                if id(s) in unrefuting and s.weight >= SCAM_LURE and s.kind not in CONTEXT_ONLY
            ]
            if lures:
                label, evidence = "scam", lures
        hinted = (
            suspected == "distortion"
            and misinfo_scores["distortion"] >= RULE_CONFIDENCE
            and bool(self._stated_hints(prep, span))
        )
        if not hinted and not any(s.weight > 0 and s.kind not in CONTEXT_ONLY for s in evidence):
            # No evidence a reviewer could check (no cue, link, fact difference or known false
            # claim, a code's mere mention aside; for a distortion, none outside the sentences
            # that refute it; for a scam, none outside the sentences that warn about it): the
            # model's score alone is no flag, nor a reason to queue a text it labels none. It
            # stays as a score, below the review threshold, so the queue's uncertain share can
            # still bring it to a human.
            label = "none"
            risk = round(risk * UNSUPPORTED_RISK, 4)
        elif label == "none" and risk >= self.review_threshold:
            # The queue takes it (its risk, with evidence of its own): a reviewer is shown the
            # class the risk and the evidence come from, not "none" (a red-team trial: "không
            # có VNeID mức 2 thì nhà trường không nhận nhập học …", distortion 0.47 against none
            # 0.52, queued at 0.46 as "none").
            label = suspected
        by_model = True
        repeated = repeated_claim(prep.signals, prep.text)
        if repeated is not None:
            # A repeated known false claim is a distortion for a reviewer whatever the model's
            # score: the match and the correction it cites are the evidence (principle 3). Its
            # risk is the match's cosine (a known false claim is in the policy area: no weighing
            # by the relevance of the article around it); a stronger flag of the model's stays.
            # A scam with its own evidence stays a scam: a phishing message may carry a known
            # false claim ("chưa cập nhật sinh trắc học … tài khoản sẽ bị khóa") as its bait.
            floor = round(float((repeated.detail or {})["similarity"]), 4)
            if label == "none" or (label == "distortion" and floor > risk):
                label, risk, span, by_model = "distortion", max(risk, floor), None, False
        misstated = misstated_document(prep.signals, prep.text) if label != "scam" else None
        if misstated is not None and misstated.weight > risk:
            # A resolution's number, date or issuer stated wrong is a false claim of fact a
            # reviewer checks against the record the finding cites, whatever the model's score
            # (probe I: "Nghị quyết 06-NQ/TU … được Thủ tướng ký ban hành ngày 06/4/2026", 0.13).
            # Its risk is the finding's weight (0.5 or 0.6: above the review threshold).
            label, risk, span, by_model = "distortion", misstated.weight, None, False
        reasons = self._reasons(prep, label, misinfo_scores, span, by_model=by_model)
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

    def _stated_hints(self, prep: Prepared, span: tuple[int, int] | None) -> list[Signal]:
        """The reviewer's hints (``similar_claim`` of weight 0: a sentence the encoder puts
        near a known false claim, short of a confirmed match) of ``prep`` inside ``span`` (the
        whole text when None) whose sentence names what the claim turns on, money or a penalty
        (``nlp.factcheck.names_crux``: "Mình đã có tài khoản định danh mức 2 rồi." sits near the
        claim of an activation fee and names no fee), and states it: not in or after a
        refutation, a question, a report of others' words or a quotation in a text that warns
        or refutes."""
        claims = self.facts.claims_by_id
        hints = [
            replace(s, weight=HINT_WEIGHT)
            for s in prep.signals
            if s.kind == "similar_claim"
            and s.weight == 0
            and (span is None or span[0] <= s.start and s.end <= span[1])
            and (claim := claims.get((s.detail or {}).get("fact_id", ""))) is not None
            and names_crux(claim, prep.text[s.start : s.end])
        ]
        if not hints:
            return []
        # (scoped among the text's signals: a refutation is one of them)
        mine = {id(h) for h in hints}
        scoped = uncited(
            unasked(uncorrected([*prep.signals, *hints], prep.text), prep.text),
            prep.signals,
            prep.text,
        )
        return [h for h in scoped if id(h) in mine]

    def _reasons(
        self,
        prep: Prepared,
        label: str,
        scores: dict[str, float],
        claim: tuple[int, int] | None = None,
        *,
        by_model: bool = True,
    ) -> list[Reason]:
        """Every signal as a reason, then, for a flag the model raised (``by_model``), the
        model's: the passage it comes from (``claim``) or the strongest n-gram it read."""
        reasons = []
        shown: set[str] = set()  # a known false claim matched by words and by meaning: once
        stated = [s for s in prep.signals if s.kind in _RULE_CLAIMS]
        per_kind: dict[str, int] = {}
        for s in prep.signals:
            if per_kind.get(s.kind, 0) >= MAX_REASONS_PER_KIND:
                continue

            if s.kind in DISTORTION_ONLY and (
                label != "distortion" or any(c.start < s.end and s.start < c.end for c in stated)
            ):
                continue  # shown for a distortion, where no policy claim already quotes it
            if s.kind == "similar_claim" and label == "scam":
                # a hint that a false narrative may be near is no help in judging a fraud (a
                # fresh user read "cùng chủ đề với tin sai" on a phishing text as noise); a
                # confirmed match (known_false_claim) is still shown
                continue
            if s.kind == "known_false_claim" and (s.detail or {}).get("fact_id"):
                if str((s.detail or {})["fact_id"]) in shown:
                    continue
                shown.add(str((s.detail or {})["fact_id"]))
            extra = {"fact": s.detail} if s.detail else {}
            per_kind[s.kind] = per_kind.get(s.kind, 0) + 1
            reasons.append(
                _reason(s.kind, s.evidence, s.message, s.weight, start=s.start, end=s.end, **extra)
            )
        if label == "none" or not by_model:
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
