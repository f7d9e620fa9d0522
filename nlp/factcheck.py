"""What a text gets wrong against the reference fact base (``nlp.facts``).

Two kinds of findings, both returned as ``Signal``s whose ``detail`` carries the fact card
(``fact_id``, ``official``, ``in_text``, ``differs`` and ``source``: where the official text
comes from — ``seed`` for the guideline the base was built from, a document, or a publisher):

* references to a known document whose date, issuer or number differs from the record, and
  target figures (PII/DTI rank, target year) that differ from the resolution;
* sentences close to a known false claim (``known_false_claim``): by shared words (word 1–2-gram
  overlap with a wording: ``suggested`` at :data:`SUGGESTED`, ``confirmed`` at :data:`CONFIRMED`)
  or by meaning (``nlp/meaning.py``, a sentence encoder: ``confirmed`` matches are evidence like
  word matches; ``suggested`` ones are a hint for the reviewer, kind ``similar_claim``, weight 0).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

from nlp import meaning
from nlp.facts import Document, FactBase, FalseClaim, word_grams
from nlp.polarity import polarity_tokens
from nlp.signals import CLAIM_KINDS, Signal
from nlp.text import expand_teencode, fold

log = logging.getLogger(__name__)

SUGGESTED = 0.6
CONFIRMED = 0.7

_REF_RE = re.compile(
    r"\b(?:so\s*)?(\d{1,3})\s*[-–]\s*(nq|ct|hd)\s*/\s*([a-z]+)\b"
    r"|\b(nghi quyet|chi thi)\s+(?:so\s+)?(\d{1,3})\b(?!\s*[-–/%])"
)
_DATE_RE = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_YEAR_RE = re.compile(r"\bnam\s+(20\d\d)\b")
# A document named with its full title ("Nghị quyết 06-NQ/TU về đột phá phát triển khoa học, công
# nghệ, đổi mới sáng tạo và chuyển đổi số của Ninh Bình được Thủ tướng ký ban hành ngày …") says
# who issued it and when past the title: the rest of its sentence is read, this far at most.
_TITLE_REACH = 250
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)|\n")
# a date said to be the document's own after its title: "ban hành / ký / thông qua (…) ngày d/m/y"
_ISSUED_ON = re.compile(
    r"\b(?:ban hanh|ky|thong qua)\b[^.!?\n]{0,25}?\bngay\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b"
)
_RANK_RE = re.compile(
    r"\b(?:top|nhom|trong)\s+(\d{1,2})\b|\b(dung (?:dau|so 1|so mot|thu nhat)|so 1)\b"
)
_KIND = {
    "nq": "resolution",
    "nghi quyet": "resolution",
    "ct": "directive",
    "chi thi": "directive",
    "hd": "guidance",
}


def _doc_label(doc: Document) -> str:
    return (
        f"{doc['number']:02d}-{doc['suffix']}"
        if doc["number"] < 10
        else f"{doc['number']}-{doc['suffix']}"
    )


def _official(doc: Document) -> str:
    y, m, d = doc["date"].split("-")
    return f"Số {_doc_label(doc)} ngày {int(d)}/{int(m)}/{y} của {doc['issuer']} {doc['title']}"


_KIND_NAME = {"resolution": "Nghị quyết", "directive": "Chỉ thị", "guidance": "Hướng dẫn"}


def _cited(doc: Document) -> str:
    """How a fact card names a document as its source: "Nghị quyết số 06-NQ/TU ngày 30/1/2026"."""
    y, m, d = doc["date"].split("-")
    return (
        f"{_KIND_NAME.get(doc['kind'], 'Văn bản')} số {_doc_label(doc)} ngày {int(d)}/{int(m)}/{y}"
    )


def _finding(text: str, start: int, end: int, message: str, weight: float, **detail: Any) -> Signal:
    return Signal("fact_mismatch", start, end, text[start:end], message, weight, detail)


def _check_reference(facts: FactBase, text: str, folded: str, m: re.Match[str]) -> list[Signal]:
    if m.group(1):
        number, kind, suffix = int(m.group(1)), _KIND[m.group(2)], m.group(3)
    else:
        number, kind, suffix = int(m.group(5)), _KIND[m.group(4)], ""
    docs = [d for d in facts.documents if d["number"] == number and d["kind"] == kind]
    if not docs:
        return []
    doc = docs[0]
    out: list[Signal] = []
    # the rest of the sentence past a title, up to the next document it names
    stop = _SENTENCE_END.search(folded, m.end(), m.end() + _TITLE_REACH)
    sentence_end = stop.start() if stop else min(len(folded), m.end() + _TITLE_REACH)
    other = _REF_RE.search(folded, m.end(), sentence_end)
    sentence_end = other.start() if other else sentence_end
    # a date right after the reference is its own, within its sentence and before another
    # document ("… Nghị quyết 57-NQ/TW của Bộ Chính trị. Ngày 06/4/2026, Ban Tuyên giáo ban hành
    # …" dates the guidance, not the resolution; probe T)
    window_end = min(len(folded), m.end() + 80)
    window = folded[m.end() : min(window_end, sentence_end)]
    official = _official(doc)
    label = _doc_label(doc)
    # where the record of the document comes from (``seed``: the guideline the base was built from)
    source = doc.get("source")
    if suffix and suffix != doc["suffix"].split("/")[1].lower():
        out.append(
            _finding(
                text,
                m.start(),
                m.end(),
                f"Số hiệu văn bản sai: văn bản đúng là {label}.",
                0.5,
                fact_id=doc["id"],
                official=official,
                source=source,
                in_text=text[m.start() : m.end()],
                differs="number",
            )
        )
    date: re.Match[str] | None = _DATE_RE.search(window)
    offset = m.end()
    if not (date and date.start() < 40):
        date = _ISSUED_ON.search(folded, m.end(), max(m.end(), sentence_end))
        offset = 0
    if date and _DENIED_HERE.search(folded, m.end(), offset + date.start()):
        date = None  # "… không phải ban hành ngày 1/1/2023": denied
        year_denied = True
    else:
        year_denied = False
    if date and (offset == 0 or date.start() < 40):
        d, mo, y = (int(x) for x in date.groups())
        yy, mm, dd = (int(x) for x in doc["date"].split("-"))
        if (d, mo, y) != (dd, mm, yy):
            s, e = offset + date.start(1), offset + date.end()
            out.append(
                _finding(
                    text,
                    m.start(),
                    e,
                    f"Ngày ban hành sai: {label} ban hành ngày {dd}/{mm}/{yy}.",
                    0.6,
                    fact_id=doc["id"],
                    official=official,
                    source=source,
                    in_text=text[s:e],
                    differs="date",
                )
            )
    else:
        year = None if year_denied else _YEAR_RE.search(window)
        if (
            year
            and year.start() < 40
            and int(year.group(1)) < int(doc["date"][:4])
            and not _DENIED_HERE.search(folded, m.end(), m.end() + year.start())
        ):
            s, e = m.end() + year.start(), m.end() + year.end()
            out.append(
                _finding(
                    text,
                    m.start(),
                    e,
                    f"Năm ban hành sai: {label} ban hành năm {doc['date'][:4]}.",
                    0.5,
                    fact_id=doc["id"],
                    official=official,
                    source=source,
                    in_text=text[s:e],
                    differs="date",
                )
            )
    lo = max(0, m.start() - 60)
    around = folded[lo:window_end]
    reach = max(window_end, sentence_end)
    for alias, name in facts.issuer_aliases.items():
        if (
            alias in folded[lo:reach]
            and not any(k in around for k in doc["issuer_keys"])
            and alias not in doc["issuer_keys"]
            and _names_issuer(folded, alias, lo, reach, m)
            and not _denied_issuer(folded, alias, m, reach)
        ):
            out.append(
                _finding(
                    text,
                    m.start(),
                    m.end(),
                    f"Cơ quan ban hành sai: {label} do {doc['issuer']} ban hành, không phải {name}.",
                    0.6,
                    fact_id=doc["id"],
                    official=official,
                    source=source,
                    in_text=name,
                    differs="issuer",
                )
            )
            break
    return out


# How a text says who issued a document: "<authority> ban hành / ký / thông qua … Nghị quyết 57",
# "Nghị quyết 57 do / của <authority>", "Nghị quyết 57, <authority> (đã) ban hành". Naming an
# authority beside a document ("Thủ tướng chủ trì hội nghị triển khai Nghị quyết 57") is not.
_ISSUES = r"(?:ban hanh|ky|thong qua|de ra|phat hanh|ra)"
_ISSUED_BY = re.compile(r"\b(?:do|cua|boi)\s*$")
# ("Nghị quyết 57 được Quốc hội biểu quyết thông qua …": a red-team trial)
_ISSUING_AFTER = re.compile(
    rf"\s*(?:da |vua |moi )?(?:chinh thuc |bieu quyet |nhat tri |xem xet )?{_ISSUES}\b"
)
_DOCUMENT_WORD = r"\b(?:nghi quyet|chi thi|quyet dinh|nghi dinh|thong tu|luat|de an)\b"
_OTHER_DOCUMENT = re.compile(rf"{_DOCUMENT_WORD}|\d+/")
# after the document, another one named ("Nghị quyết 06 … Đề án 06 là đề án của Chính phủ"): the
# issuer that follows is that one's (a date, "ngày 30/1/2026 của …", is not another document)
_OTHER_DOCUMENT_AFTER = re.compile(_DOCUMENT_WORD)


def _names_issuer(folded: str, alias: str, lo: int, hi: int, ref: re.Match[str]) -> bool:
    """Whether an occurrence of ``alias`` in ``folded[lo:hi]`` is said to have issued the document
    referred to at ``ref``: before it with an issuing verb between them ("Quốc hội thông qua Nghị
    quyết 57") and no other document named between; or after it as "do / của / bởi <alias>" or
    "<alias> (đã) ban hành / ký / thông qua", again with no other document named between."""
    for am in re.finditer(rf"\b{re.escape(alias)}\b", folded[lo:hi]):
        a, b = lo + am.start(), lo + am.end()
        if b <= ref.start():
            between = folded[b : ref.start()]
            if re.search(rf"\b{_ISSUES}\b", between) and not _OTHER_DOCUMENT.search(between):
                return True
        elif a >= ref.end():
            between = folded[ref.end() : a]
            if _REF_RE.search(between) or _OTHER_DOCUMENT_AFTER.search(between):
                continue  # "06-NQ/TU cụ thể hóa Nghị quyết 57-NQ/TW của Bộ Chính trị": the other's
            if _ISSUED_BY.search(between) or _ISSUING_AFTER.match(folded, b):
                return True
    return False


def _denied_issuer(folded: str, alias: str, ref: re.Match[str], hi: int) -> bool:
    """Whether ``alias`` named after the document at ``ref`` (within ``folded[:hi]``) is denied
    to be its issuer: "không phải" or "không hề" between them ("… của Ban Chấp hành Đảng bộ tỉnh
    chứ không phải UBND tỉnh ký")."""
    at = folded.find(alias, ref.end(), hi)
    return at >= 0 and _DENIED_HERE.search(folded, ref.end(), at) is not None


def _check_targets(facts: FactBase, text: str, folded: str) -> list[Signal]:
    out: list[Signal] = []
    documents = {d["id"]: d for d in facts.documents}
    for target in facts.targets:
        if "rank" not in target:
            continue
        doc = documents.get(target.get("document", ""))
        source = _cited(doc) if doc is not None else target.get("source")
        for key in target["indicator_keys"]:
            for km in re.finditer(rf"\b{re.escape(key)}\b", folded):
                lo, hi = max(0, km.start() - 60), min(len(folded), km.end() + 60)
                rank = _RANK_RE.search(folded, lo, hi)
                if not rank:
                    continue
                # "không hề đặt mục tiêu 'số 1 cả nước về DTI'" denies the rank (probe X)
                said = max(lo, *(folded.rfind(c, lo, rank.start()) + 1 for c in ".!?\n"))
                if _DENIED_HERE.search(folded, said, rank.start()):
                    continue
                value = int(rank.group(1)) if rank.group(1) else 1
                if value != target["rank"]:
                    s, e = min(km.start(), rank.start()), max(km.end(), rank.end())
                    out.append(
                        _finding(
                            text,
                            s,
                            e,
                            f"Chỉ tiêu sai: {target['statement']}",
                            0.6,
                            fact_id=target["id"],
                            official=target["statement"],
                            source=source,
                            in_text=text[rank.start() : rank.end()],
                            differs="figure",
                        )
                    )
                    return out
    return out


# ("Nghị quyết 57 không phải của Quốc hội" denies "Nghị quyết 57 của Quốc hội"; probe X)
_NEGATIONS = r"(?:khong|chua|chang|khong he|chua he|khong the|ko|khong phai|chang phai|ko phai)"


def _negates(sentence: str, cgrams: frozenset[str]) -> bool:
    """Whether folded ``sentence`` denies a wording whose word grams are ``cgrams``: it puts a
    negation inside one of the wording's bigrams ("5G không gây ung thư" against "5G gây ung
    thư"), where the wording has none."""
    for gram in cgrams:
        a, _, b = gram.partition(" ")
        if b and re.search(rf"\b{re.escape(a)} {_NEGATIONS} {re.escape(b)}\b", sentence):
            return True
    return False


# "X never asks for it": "Cơ quan BHXH không gọi điện yêu cầu cung cấp mã OTP" denies a claim
# that someone may ask for the code (probe T), unless the claim says so itself
_NEVER_ASKS = re.compile(
    r"\b(?:khong|ko|chang) (?:bao gio |he |\w+ nao )?(?:goi dien |nhan tin |gui tin nhan )?"
    r"(?:de )?(?:yeu cau|hoi|doi|bat)\b"
)


# "X is not so": "Nghị quyết 57 không phải của Quốc hội năm 2023 đâu" denies "Nghị quyết 57 do
# Quốc hội ban hành năm 2023" (probe X); "không phải để … mà để …" states what follows "mà".
_NOT_SO = re.compile(
    # (not "Đây không phải là tin đồn: …", which vouches for what follows)
    r"\b(?:khong|chang|ko) (?:he )?phai (?:la|cua|do|tu|vao|nam)\b(?! (?:tin|chuyen|noi dua|bia|dua)\b)"
    r"(?![^.!?\n]*\bma\b)"
)
# The same said of a document's record: what the text says of a document after "không phải"
# ("… không phải của Quốc hội năm 2023", "… chứ không phải UBND tỉnh ký") or "không hề" ("không
# hề đặt mục tiêu 'số 1 cả nước'") is denied, not stated (probe X).
_DENIED_HERE = re.compile(
    r"\b(?:khong|chang|ko|chua) (?:he|phai)\b(?![^.!?\n]*\bma (?:la|do|cua)\b)"
)


def _denies(facts: FactBase, claim_id: str, sentence: str) -> bool:
    """Whether ``sentence`` negates one of the wordings of claim ``claim_id`` (:func:`_negates`),
    or says someone never asks for what the claim says may be asked (``_NEVER_ASKS``)."""
    folded = fold(sentence).lower()
    if _NEVER_ASKS.search(folded) and not any(
        _NEVER_ASKS.search(fold(w).lower())
        for c in facts.false_claims
        if c["id"] == claim_id
        for w in [c["claim"], *c.get("variants", [])]
    ):
        return True
    if _NOT_SO.search(folded):
        return True
    return any(
        _negates(folded, grams) for claim, grams in facts.claim_grams if claim["id"] == claim_id
    )


def _check_claims(facts: FactBase, text: str, folded: str) -> list[Signal]:
    """Sentences that share most word 1–2-grams with a known false claim's wording and name
    what that wording turns on (``CRUX``), one per claim: ``known_false_claim`` signals, weight
    0.4 + 0.5 × the share of the wording's grams found, ordered by place."""
    best: dict[str, tuple[float, int, int, int]] = {}
    vocabulary, fewest = facts.claim_vocabulary
    postings = facts.claim_postings
    for sm in meaning.SENTENCE.finditer(folded):
        grams = word_grams(sm.group(0))
        if len(grams) < 3:
            continue
        grams &= vocabulary
        if len(grams) < SUGGESTED * fewest:
            continue
        # wording -> shared grams, counted in C
        shared = Counter(chain.from_iterable(map(postings.__getitem__, grams)))
        for i, n in shared.items():
            claim, cgrams = facts.claim_grams[i]
            score = n / len(cgrams)
            if (
                score >= SUGGESTED
                and score > best.get(claim["id"], (0.0, 0, 0, 0))[0]
                and not _negates(sm.group(0), cgrams)
            ):
                best[claim["id"]] = (score, sm.start(), sm.end(), i)
    out = []
    by_id = facts.claims_by_id
    # by place, then strength, then id: a sentence near two claims lists them in one order
    # whatever the hash seed (``shared`` counts in set order)
    for cid, (score, s, e, i) in sorted(best.items(), key=lambda kv: (kv[1][1], -kv[1][0], kv[0])):
        claim = by_id[cid]
        # a word match turns on what the wording it shares most words with names (money, a
        # penalty): "… hoàn toàn miễn phí" shares the words of "… thu tiền người học", not its sum
        sentence = expand_teencode(folded[s:e].lower())
        if not all(CRUX[k].search(sentence) for k in _crux((facts.claim_wordings[i],))):
            continue
        level = "confirmed" if score >= CONFIRMED else "suggested"
        s += len(text[s:e]) - len(text[s:e].lstrip())
        e = s + len(text[s:e].rstrip())
        out.append(
            Signal(
                "known_false_claim",
                s,
                e,
                text[s:e],
                f"Trùng với tin sai đã được đính chính ({'rất giống' if level == 'confirmed' else 'gần giống'}): {claim['correction']}",
                round(0.4 + 0.5 * score, 3),
                {
                    "fact_id": cid,
                    "official": claim["correction"],
                    "in_text": text[s:e],
                    "differs": claim.get("differs", "claim"),
                    "similarity": round(score, 3),
                    "level": level,
                    "method": "words",
                    "source": claim.get("source"),
                },
            )
        )
    return out


# Cues that make a sentence assert something (a rule, a fee, a secret, a sale of data, a request):
# a meaning match is evidence only in a sentence that carries one of them.
ASSERTION_CUES = CLAIM_KINDS | frozenset(
    {
        "money_request",
        "fee_for_benefit",
        "credential_request",
        "personal_account",
        "prize_lure",
        "advance_fee",
        "urgency",
    }
)


def meaning_findings(
    facts: FactBase,
    texts: Sequence[str],
    found: Sequence[Sequence[Signal]],
    *,
    asserted_only: bool = False,
    memo: dict[str, Any] | None = None,
) -> list[list[Signal]]:
    """Signals, per text, for sentences close in meaning to a known false claim that its word
    findings (``found``: the text's cues and fact findings so far) have not already matched.

    * confirmed (``nlp.meaning``) in a sentence that asserts — an assertion cue
      (``ASSERTION_CUES`` among ``found``), a stated consequence (``CONSEQUENCE``) or a close
      restatement (:func:`_restated`) — and that
      names what the claim turns on (:func:`crux`: money, a penalty): ``known_false_claim``,
      weight 0.4 + 0.5 × cosine, like a word match; ``nlp.analyze`` queues it as a repeated known
      false claim whatever the model's score (``nlp.analyze.repeated_claim``);
    * confirmed without one: ``similar_claim``, weight 0.5 — evidence that keeps a flag the
      misinfo model gives, but its token is not one the models learnt, so it never makes one (the
      encoder reads topic more than assertion: "the portal is slow" sits as close to "the portal
      charges a fee" as a paraphrase does); not for a claim that a known document has the wrong
      issuer unless the document check finds one in the sentence (:func:`_attribute_checked`),
      nor in a sentence that negates a wording of the claim ("5G không gây ung thư"): those are
      hints;
    * otherwise the closest suggested claim only: ``similar_claim``, weight 0, a hint for the
      reviewer.

    With ``asserted_only`` only candidate sentences that assert by a cue or a consequence, or
    share ``RESTATED_PAIRS`` word pairs with a wording, are embedded and
    only ``known_false_claim`` signals returned — the part the classifiers read; the rest is for
    the reviewer and is computed for the texts that may reach one. ``memo`` (sentence → vector)
    is shared by the calls of one analysis so no sentence is embedded twice. All sentences of all
    ``texts`` are embedded in one encoder call (~10–20 ms a sentence on one core). Without the
    encoder (``facts.meaning`` is None) every list is empty."""
    index = facts.meaning
    if index is None:
        return [[] for _ in texts]
    spans = []
    for text, signals in zip(texts, found, strict=True):
        spans.append(
            [
                (a, b)
                for shared, a, b in index.scored_candidates(text)
                if not asserted_only or shared >= RESTATED_PAIRS or _asserted(signals, a, b, text)
            ]
        )
    by_id = facts.claims_by_id
    out = []
    for text, signals, matches in zip(
        texts, found, index.match_many(texts, spans, memo), strict=True
    ):
        matched = {
            (s.detail or {}).get("fact_id") for s in signals if s.kind == "known_false_claim"
        }
        mine: list[Signal] = []
        hint = None
        for m in matches:
            # a claim its words already matched is looked at by meaning too: a confirmed,
            # asserted meaning match makes it a repeated claim (nlp.analyze.repeated_claim);
            # nothing else is added for it
            known = m.claim_id in matched
            if (
                m.level != "confirmed"
                or not _attribute_checked(facts, by_id[m.claim_id], signals, m.start, m.end)
                or _denies(facts, m.claim_id, text[m.start : m.end])
            ):
                hint = hint or (None if known else m)
                continue
            asserted = (
                _asserted(signals, m.start, m.end, text) or _restated(m, matches, text)
            ) and names_crux(by_id[m.claim_id], text[m.start : m.end])
            if asserted or (not asserted_only and not known):
                mine.append(_meaning_signal(by_id[m.claim_id], m, text, asserted=asserted))
        if hint is not None and not mine and not asserted_only:
            mine.append(
                _meaning_signal(by_id[hint.claim_id], hint, text, asserted=False, hint=True)
            )
        out.append(mine)
    return out


def _document_of(facts: FactBase, claim: FalseClaim) -> bool:
    """Whether a false claim's wording refers to a document of the fact base by number."""
    for m in _REF_RE.finditer(fold(claim["claim"]).lower()):
        number, kind = (
            (int(m.group(1)), _KIND[m.group(2)])
            if m.group(1)
            else (int(m.group(5)), _KIND[m.group(4)])
        )
        if any(d["number"] == number and d["kind"] == kind for d in facts.documents):
            return True
    return False


def _attribute_checked(
    facts: FactBase, claim: FalseClaim, signals: Sequence[Signal], start: int, end: int
) -> bool:
    """Whether a match of ``claim`` in ``[start, end)`` may count. A claim that a known document
    was issued by the wrong authority ("Nghị quyết 57 do Quốc hội ban hành") is false only in its
    issuer, which the document check reads exactly (``_check_reference``): a sentence matches it
    only when that check finds a wrong issuer there. A sentence that names the document with its
    real issuer, or an authority beside it ("Thủ tướng chủ trì hội nghị triển khai Nghị quyết
    57"), shares most of its words and much of its meaning, and is true. Other claims: always."""
    if claim.get("differs") != "issuer" or not _document_of(facts, claim):
        return True
    return any(
        s.kind == "fact_mismatch"
        and (s.detail or {}).get("differs") == "issuer"
        and s.start < end
        and start < s.end
        for s in signals
    )


# What a claim turns on, read from its wordings (folded): a claim that every wording of puts in
# money (a fee, a sum) or in a penalty is repeated only by a sentence that names money or a
# penalty too. The encoder reads topic more than assertion: "Cổng dịch vụ công chậm quá, nộp hồ
# sơ cả buổi sáng vẫn báo lỗi" (a complaint) sits as close to "the portal charges 50,000 a filing"
# as its paraphrases do (claims dev set, issue 12). "Miễn phí" (free) names no money charged.
CRUX: dict[str, re.Pattern[str]] = {
    "money": re.compile(
        r"\b(?:(?<!mien )phi|tien|vnd|(?:\d[\d.,]*|mot|hai|ba|nam|muoi|tram) ?(?:k|d|tr|dong|nghin|ngan|trieu|ty))\b"
    ),
    "penalty": re.compile(r"\b(?:phat|xu phat|xu ly|bien ban)\b"),
}


def crux(claim: FalseClaim) -> frozenset[str]:
    """The ``CRUX`` kinds that the claim's wording and every one of its variants name."""
    return _crux((claim["claim"], *claim.get("variants", [])))


@lru_cache(maxsize=1024)
def _crux(wordings: tuple[str, ...]) -> frozenset[str]:
    folded = [fold(w).lower() for w in wordings]
    return frozenset(
        kind for kind, pattern in CRUX.items() if all(pattern.search(w) for w in folded)
    )


def names_crux(claim: FalseClaim, sentence: str) -> bool:
    """Whether ``sentence`` (any form: folded and teencode-expanded here) names every ``crux``
    kind of ``claim`` (True for a claim that turns on neither money nor a penalty)."""
    folded = expand_teencode(fold(sentence).lower())
    return all(CRUX[kind].search(folded) for kind in crux(claim))


# A sentence that states a consequence as fact — a cut, a fine, a lock, a loss, a ban, a charge,
# a disease, eavesdropping or tracking, data sold, an obligation — asserts something, cue or no
# cue (folded; the words of the known false claims' harms, written for duluan). Only a sentence
# the encoder has confirmed close to a known false claim is asked.
CONSEQUENCE = re.compile(
    r"\b(?:bi (?:cat|phat|xu phat|xu ly|khoa|dong|phong toa|xoa|thu hoi|tru|tich thu|sa thai|"
    r"vo hieu|tuyen vo hieu|ngung|dung|lap bien ban|mat|tam dung|cam)|coi nhu mat|"
    r"mat (?:trang|het|luon|quyen|tai khoan|tk|nha|dat)|vo gia tri|(?:khong|chang) (?:con )?co gia tri|"
    r"ngung (?:nhan|chi tra|cap|hoat dong|thuc hien)|cam (?:luu hanh|dung|su dung)|"
    r"(?:gay|lam|de bi|bi) (?:ung thu|vo sinh|hiem muon)|nghe (?:len|trom)|thu am|ghi am|"
    r"quay len|bat (?:micro|mic|camera)|dinh vi|"
    r"(?:ban|dem ban|ban lai) (?:thong tin|du lieu|ho so|data|sdt)|bat buoc|"
    r"phai (?:nop|dong|tra|mua|doi|co|cai|lam lai|gan|lap)|thu (?:phi|tien|le phi)|"
    r"mat (?:phi|tien)|ton tien|khong (?:duoc|con) (?:nhan|linh|cap|lam|thanh toan|nhap hoc|huong)|"
    r"theo doi|do ra|(?:gui|bao) ve (?:cong an|may chu)|moc tui|an tien|moi (?:them )?tien|"
    r"lam thay|sa thai|trich (?:thang|tien)|lay tien|doi (?:tu|ra|sang) \d{4})\b"
)


# A consequence right after a negation is denied, not stated ("không bị xóa", "chưa bao giờ bị
# phạt", "ko dc nhận lương hưu" is stated: "không được" is the consequence itself).
_NEGATED = re.compile(
    r"\b(?:khong|chua|chang|cha)(?: (?:he|bao gio|tung|ai|co ai|nguoi nao|ho nao))?\s+$"
)


# A question (folded): a "?", or "có phải … không", "… có đúng không", "… thật à" ending the
# sentence ("sự thật không ai dám nói" asks nothing). Used by ``_asserted`` and by
# ``nlp.claims.unasked``.
QUESTION = re.compile(
    r"\?|\b(?:co dung khong|phai khong|that khong|that a|that u)\W*$|\bco phai\b.*\bkhong\W*$|"
    # someone asks whether: "có người hỏi mình chip … có GPS … không."
    r"\bhoi\b.*\bco\b.*\bkhong\W*$|"
    # "co ai biet binh dan hoc vu so co bat buoc thi khong, …" (a red-team trial; not the
    # rhetorical "có ai biết chưa, …")
    r"^\W*(?:\w+ ){0,2}co ai biet\b(?! chua\b)[^.!?\n]*\b(?:khong|ko|chua)\b|"
    # "… có cần mang giấy khai sinh bản gốc không ạ." (a question without its mark; probe U)
    # ("cả nhà biết chưa ạ", "ghê không nhỉ", "có biết không ạ" ask nothing: a red-team trial)
    r"\bco (?!biet\b)(?:\w+ ){1,8}?(?:khong|chua) (?:a|ha)\W*$"
)
# A sentence that reports what others say or fear ("cho rằng", "tin đồn", "mạng xã hội đồn",
# "nhiều người lo", "hoang mang vì") does not assert what it carries (folded, teencode expanded;
# "nghe nói" is how a rumour is passed on: it is no report).
_REPORTS = re.compile(
    r"\b(?:cho rang|tin rang|tin don|loi don|don rang|don la|xa hoi don|phu nhan|(?<!tranh )(?<!tranh gay )hoang mang|"
    r"lo ngai|lo lang|lo rang|nguoi lo|cu lo|truyen tai|truyen nhau|lan truyen|xuat hien|"
    # a post or a clip that says (not one liked or commented on: "ai like hoặc bình luận vào bài
    # viết … sẽ bị phạt 20 triệu" states a rule; probe S)
    r"(?<!like )(?<!vao )(?<!share )(?:bai dang|bai viet|clip|video)\b|co nguoi (?:noi|bao|viet|dang|chia se|share|post)|mot so (?:nguoi|trang|tai khoan)|"
    r"nhieu nguoi (?:noi|bao|chia se|truyen|nhan)|nhan nhau|ban tan|(?:lai |dang )?ban (?:chuyen|nhau)|"
    # groups and pages passing a post around ("nhiều nhóm Zalo chia sẻ ảnh chụp một công văn…");
    # an impersonator's words ("có người … xưng cán bộ thuế, nói phải mua…")
    r"(?:nhieu|cac|mot so|may) (?:nhom|trang|tai khoan|fanpage|kenh|group)[^.!?\n]{0,20}?"
    r"(?:chia se|dang tai|dang|lan truyen|share)|xung (?:la )?(?:can bo|nhan vien|cong an)|"
    r"gia danh|mao danh|tu nhan la|tu xung|xon xao|(?:dang|viet|noi) rang|"
    # "Trước thông tin dữ liệu … bị chuyển cho…, ngân hàng cho biết…" (in answer to a report)
    r"ro len|truoc (?:thong tin|tin don|loi don|nhung thong tin)|nguoi ta (?:don|bao|noi)|"
    r"(?:nhieu nguoi|moi nguoi|ai do) don|ve thong tin(?= [\x22“'])|ve (?:tin don|loi don)|ai do (?:noi|bao)|"
    # a news report of a penalised post: "bị xử phạt … vì đăng tin 5G làm virus lây lan"
    # (not "phạt mình vì đăng tin này nhưng …: từ tháng 9 …", which goes on to state it)
    r"(?:vi|do|sau khi) (?:dang|dang tai|chia se|tung|lan truyen|phat tan) (?:tin|thong tin|bai|clip|noi dung)"
    r"(?! (?:nay|do|ay|su that)\b)|"
    # a rumour quoted to mock it ("Đọc được cái tin 'Nghị quyết 57 cấm dùng tiền mặt…' mà buồn
    # cười", "có người còn share '…', tin kiểu này mà cũng có người tin"; a red-team trial)
    r"(?:doc|nghe|thay|xem) (?:duoc )?(?:cai |mot |may )?(?:tin|bai|thong tin|cai)(?: \w+){0,2} (?=[\x22“'‘])|"
    r"co nguoi (?:con|cung|lai|van) (?:noi|bao|viet|dang|chia se|share|post)|"
    r"(?:ma|ma cung|ma van) co nguoi tin|ai tin (?:duoc |noi )?thi chiu)\b"
)


# A question that takes its content as given ("Tại sao chính quyền vẫn im lặng trước việc dữ liệu
# … bị rao bán…?", "Vì sao người dân phải nộp 500 nghìn…?", "Phải chăng Nghị quyết 06 chỉ là cái
# cớ…?") asserts it; one that asks whether ("… có … không?", "… phải không?") does not (written
# for duluan from probe R, issue 12).
_PRESUPPOSES = re.compile(
    r"\b(?:tai sao|vi sao|sao (?:\w+ ){0,4}lai|phai chang|ai (?:duoc loi|chiu trach nhiem))\b|"
    # "Các bác biết chưa, từ tháng sau camera AI … tự trừ tiền phạt …, không gửi giấy báo gì nữa
    # đâu?" (probe P): the opener asks whether one has heard, and what follows is told as news
    r"^\W*(?:\w+ ){0,2}biet (?:\w+ ){0,2}chua\b"
)
_WHETHER = re.compile(
    r"\b(?:co|phai|that|dung|hay)\b[^?]*\b(?:khong|ko|chua|a|u)\W*$|\bhay khong\b|\bco phai\b"
)


def asks_or_reports(sentence: str) -> bool:
    """Whether ``sentence`` (accent-folded, teencode expanded, lower case, with what ends it)
    asks (``QUESTION``; not a why-question that takes its content as given, ``_PRESUPPOSES``)
    or reports others' words (``_REPORTS``): it asserts nothing it carries.
    Read by :func:`_asserted`, :func:`_restated` and ``nlp.claims.unasked``."""
    if _REPORTS.search(sentence) is not None:
        return True
    if QUESTION.search(sentence) is None:
        return False
    return not (_PRESUPPOSES.search(sentence) and not _WHETHER.search(sentence))


def _asserted(signals: Sequence[Signal], start: int, end: int, text: str) -> bool:
    """Whether ``[start, end)`` of ``text`` carries an assertion cue (``ASSERTION_CUES``) or
    states a consequence (``CONSEQUENCE``, teencode expanded), neither right after a negation; a
    question (``QUESTION``) or a report of others' words (``_REPORTS``) asserts nothing."""
    # the sentence with what ends it ("?")
    sentence = expand_teencode(fold(text[start : end + 1]).lower())
    if asks_or_reports(sentence):
        return False
    if any(
        c.kind in ASSERTION_CUES
        and c.start < end
        and start < c.end
        and not _NEGATED.search(fold(text[max(0, c.start - 25) : c.start]).lower())
        for c in signals
    ):
        return True
    return any(
        not _NEGATED.search(sentence, max(0, m.start() - 25), m.start())
        for m in CONSEQUENCE.finditer(sentence)
    )


# A sentence this close to a wording of a known false claim, and this much closer to it than to
# its correction, restates the claim: it asserts it unless it asks or reports others' words
# (chosen on the seed and data/eval/claims_dev.jsonl; bench/claims.py).
RESTATED_SIMILARITY = 0.94
RESTATED_MARGIN = 0.04
RESTATED_GAP = 0.02
# a sentence with no assertion cue is embedded (to be looked at for a restatement) only when it
# shares this many word pairs with a wording: a tenth of the news sentences that pass the cheap
# filter (meaning.MIN_SHARED_BIGRAMS), 13 of the 16 restated paraphrases of claims_dev
RESTATED_PAIRS = 3


def _restated(m: meaning.Match, matches: Sequence[meaning.Match], text: str) -> bool:
    """Whether meaning match ``m`` in ``text`` is close enough to restate its claim
    (``RESTATED_SIMILARITY``, ``RESTATED_MARGIN``), closer to it than to any other claim by
    ``RESTATED_GAP`` (``matches``: the text's matches; a generic sentence, "Ba là sử dụng các
    thông tin hiển thị trên ứng dụng VNeID", sits near many), in a sentence that neither asks
    (``QUESTION``) nor reports others' words (``_REPORTS``) and is not praise."""
    if m.similarity < RESTATED_SIMILARITY or m.margin < RESTATED_MARGIN:
        return False
    runner_up = max(
        (o.similarity for o in matches if o.claim_id != m.claim_id and o.start == m.start),
        default=meaning.SUGGESTED,
    )
    if m.similarity - runner_up < RESTATED_GAP:
        return False
    sentence = expand_teencode(fold(text[m.start : m.end + 1]).lower())
    if asks_or_reports(sentence):
        return False
    # praise ("Sổ sức khỏe điện tử trên VNeID tiện quá…") sits near the claim about the same
    # service; a claim is not told in praise
    polarity = polarity_tokens(sentence)
    return not ("zzpos" in polarity and "zzneg" not in polarity)


def _meaning_signal(
    claim: FalseClaim, m: meaning.Match, text: str, *, asserted: bool, hint: bool = False
) -> Signal:
    """The signal of meaning match ``m``; with ``hint``, a weight-0 hint whatever its level."""
    confirmed = m.level == "confirmed" and not hint
    if confirmed and asserted:
        kind, weight, lead = (
            "known_false_claim",
            round(0.4 + 0.5 * m.similarity, 3),
            "Cùng nội dung với tin sai đã được đính chính: ",
        )
    elif confirmed:
        kind, weight, lead = "similar_claim", 0.5, "Gần với tin sai đã được đính chính: "
    else:
        kind, weight, lead = (
            "similar_claim",
            0.0,
            "Có thể cùng chủ đề với tin sai đã được đính chính (cần xem lại): ",
        )
    return Signal(
        kind,
        m.start,
        m.end,
        text[m.start : m.end],
        lead + claim["correction"],
        weight,
        {
            "fact_id": m.claim_id,
            "official": claim["correction"],
            "source": claim.get("source"),
            "in_text": text[m.start : m.end],
            "differs": claim.get("differs", "claim"),
            "similarity": m.similarity,
            "margin": m.margin,
            "level": m.level,
            "method": "meaning",
        },
    )


def match_facts(
    facts: FactBase, text: str, cues: Sequence[Signal] = (), *, meaning: bool = True
) -> list[Signal]:
    """Findings where normalised ``text`` contradicts or echoes the fact base; ``cues`` are the
    text's cue signals (``nlp.signals.detect``), which decide whether a meaning match is evidence.
    With ``meaning`` false, known false claims are matched by shared words only (the caller runs
    :func:`meaning_findings` over a batch). A word match counts only in a sentence that names what
    the wording it shares most words with turns on (``CRUX``: money, a penalty; a meaning match
    needs its claim's :func:`crux`): a true notice of the same service shares the claim's words
    without its fee."""
    folded = fold(text)
    out: list[Signal] = []
    for m in _REF_RE.finditer(folded):
        out.extend(_check_reference(facts, text, folded, m))
    out.extend(_check_targets(facts, text, folded))
    by_id = facts.claims_by_id
    for s in _check_claims(facts, text, folded):
        claim = by_id[(s.detail or {})["fact_id"]]
        if _attribute_checked(facts, claim, out, s.start, s.end):
            out.append(s)
    if meaning:
        out.extend(meaning_findings(facts, [text], [[*cues, *out]])[0])
    return out
