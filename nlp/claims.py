"""A text made ready for the classifiers: normalised, its cues and fact findings found, its
claim windows cut (a long text is also scored passage by passage), and refutation and warning
context scoped to the sentence that carries it. ``nlp.analyze`` scores what this prepares;
training reads the same inputs (``prepare_many``)."""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from nlp.factcheck import asks_or_reports, match_facts, meaning_findings
from nlp.facts import FactBase
from nlp.pipeline import model_input
from nlp.signals import CLAIM_KINDS, WEAK_CLAIM_KINDS, Signal, detect
from nlp.text import expand_teencode, fold, normalize

log = logging.getLogger(__name__)

# The analyser reads this many characters of a text (about 15,000 words: a long report; a scam
# near the end of a 3,000-word article is read). Beyond it the text is cut, and the cut is logged.
MAX_TEXT_CHARS = 100_000
# Misinformation is a property of claims, not of whole articles: a text longer than this is
# also scored window by window (runs of whole sentences up to this many characters), and its
# flag is its strongest window's, so a false claim or a scam keeps its flag wherever it sits.
CLAIM_WINDOW = 400
# A passage needs this much evidence (the weights of its distinct positive cues) to be a
# candidate claim: a mention of OTP or an urgency word (0.3 and less) alone is not enough, a
# money request is. Warning and refutation cues in it do not exclude it: the classifier reads
# their tokens in the passage as it does in a short text (a fact-check quoting a rumour stays
# none; a scam that opens with "Cảnh báo" stays a scam).
CLAIM_EVIDENCE = 0.3
# Signals for the reviewer only, never a classifier feature: meaning matches (nlp/meaning.py) came
# after the shipped models were trained, and a token they never learnt still moves their
# character n-grams (a hint found in the unaccented form of a text, not in the accented one, would
# make the two score differently).
NOT_FEATURES = frozenset({"similar_claim"}) | WEAK_CLAIM_KINDS
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\n+")


@dataclass(frozen=True)
class Prepared:
    text: str
    signals: list[Signal]
    model_text: str
    # (start, end, model input) of each claim window of a long text that holds evidence (a
    # positive cue and no warning or refutation); empty for a short text
    windows: tuple[tuple[int, int, str], ...] = ()


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

    Known false claims are matched by meaning only in sentences that assert, by a cue or a
    stated consequence (``nlp.factcheck.meaning_findings``; the part the classifiers read,
    embedded in one batch; ``memo`` keeps the vectors for :meth:`Analyzer.analyze`'s second
    pass, which adds the reviewer's hints)."""
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


# Where a short text turns from a verdict to the writer's own words: "Nhưng …", "Còn …", "Tuy
# nhiên …" opening a sentence (folded, lower case).
_TURN = re.compile(r"(?:^|(?<=[.!?…;:]) |\n)(?:nhung|con|tuy nhien)\b")


def turned_passage(text: str, signals: Sequence[Signal]) -> tuple[int, int] | None:
    """The (start, end) of what a text no longer than ``CLAIM_WINDOW`` says after it turns away
    from a refutation or a warning ("Tin đồn … thu tiền là sai nha. Còn ai muốn có chứng chỉ mà
    không cần học thì liên hệ mình, 300k, chuyển khoản trước", "Chuyện … là bịa đặt. Nhưng có
    một điều là thật: …"): from the first sentence opening with "Nhưng", "Còn" or "Tuy nhiên"
    after the first refutation or warning cue to the end of that paragraph; None when there is
    none. Scored apart (a candidate claim, :func:`_prepared`), because the verdict's tokens in
    the whole text's input outweigh the claim or the scam that follows it (red-team trials)."""
    cues = [s.start for s in signals if s.kind in ("refutation", "warning_context")]
    if not cues or len(text) > CLAIM_WINDOW:
        return None
    folded = fold(text).lower()
    m = _TURN.search(folded, min(cues))
    if m is None:
        return None
    start = m.start() + (folded[m.start()] in " \n")
    end = text.find("\n", start)
    return start, len(text) if end < 0 else end


def _prepared(text: str, signals: list[Signal], claims: bool) -> Prepared:
    windows: list[tuple[int, int, str]] = []
    spans = claim_windows(text) if claims else []
    turned = turned_passage(text, signals) if claims and not spans else None
    for a, b in spans if turned is None else [turned]:
        inside = [s for s in signals if a <= s.start and s.end <= b]
        # A passage is a candidate claim only with evidence a reviewer can check in it (a cue,
        # a suspicious link, a fact difference): the model alone, on one sentence of a news
        # article, is no reason to flag it.
        evidence = sum({s.kind: s.weight for s in inside if s.weight > 0}.values())
        if evidence >= CLAIM_EVIDENCE:
            windows.append((a, b, model_input(text[a:b], features(inside))))
    return Prepared(text, signals, model_input(text, features(signals)), tuple(windows))


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


def unrefuted(
    signals: Sequence[Signal], text: str, reopened: Callable[[int], bool] | None = None
) -> list[Signal]:
    """The positive signals of ``signals`` that do not sit in a sentence of ``text`` carrying a
    ``refutation`` cue: a fact-check quotes the rumour it refutes (its claim cues, the known false
    claim, the fact difference all sit in the refuting sentence) and none of it is evidence of a
    distortion; a rumour with a stray "bác bỏ" in another sentence keeps its evidence.
    Sentences end at . ! ? … before a space, or at a line break (a colon does not end one: "X là
    sai sự thật: …"; nor does the dot of a link or a number). What follows "nhưng" after a
    refutation is the writer's own (:func:`_reopened`; passed as ``reopened`` when the caller
    has it already)."""
    bounds = _bounds(text)
    refuted = {bisect.bisect_right(bounds, s.start) for s in signals if s.kind == "refutation"}
    if not refuted:
        return _outside(signals, bounds, refuted)
    reopened = reopened or _reopened(signals, text)
    return [
        s
        for s in signals
        if s.weight > 0
        and (bisect.bisect_right(bounds, s.start) not in refuted or reopened(s.start))
    ]


# "But" after a verdict opens the writer's own claim: "… là tin nhảm, nhưng người trong ngành xác
# nhận dữ liệu đã bị chuyển sang máy chủ ở Thâm Quyến", "Bộ nói chưa có bằng chứng …, nhưng thật
# ra …" (a red-team trial)
_BUT = re.compile(
    r"\bnhung\b|"
    # what the writer vouches for after refuting another rumour ("Còn cái này mới là thật nè:",
    # "có một điều là thật:"; a red-team trial)
    r"\b(?:cai|dieu|chuyen|tin|viec) (?:nay|sau|khac) (?:moi |thi )?(?:la )?(?:that|su that|co that)\b|"
    r"\b(?:mot|1) (?:dieu|cai|chuyen) (?:la |moi la )?(?:that|co that)\b"
)


def _reopened(signals: Sequence[Signal], text: str) -> Callable[[int], bool]:
    """A test of offsets of ``text``: whether one lies after a "nhưng" (or a "this one is true":
    ``_BUT``) that follows a refutation cue of ``signals`` in its paragraph, with no refutation
    between them."""
    marks = sorted((s.start, s.end) for s in signals if s.kind == "refutation")  # (a handful)
    if not marks:
        return lambda offset: False  # most texts: nothing to fold
    folded = fold(text)
    pivots: list[tuple[int, int]] = []  # (pivot, end of its paragraph)
    for i, (_, end) in enumerate(marks):
        stop = text.find("\n", end)
        stop = len(text) if stop < 0 else stop
        if i + 1 < len(marks):
            stop = min(stop, marks[i + 1][0])
        but = _BUT.search(folded, end, stop)
        if but:
            pivots.append((but.end(), stop))
    return lambda offset: any(a <= offset < b for a, b in pivots)


# Evidence a correction does not carry: a text that says the rumour is "tin bịa" and then that
# "the rumour is secretly pushed" is still claiming something.
_CONSPIRACY = frozenset({"hidden_truth", "insider_claim"})


def uncorrected(signals: Sequence[Signal], text: str) -> list[Signal]:
    """:func:`unrefuted`, and not after a refutation in the same paragraph either (but the
    conspiracy cues, ``hidden_truth`` and ``insider_claim``): a fact-check gives its verdict,
    then the facts ("Đây là tin bịa. Nghị quyết 57-NQ/TW vẫn đang được triển khai: Chính phủ đã
    ban hành…", "sai r bạn ơi. … ngân hàng ko có quyền tự trừ tiền …"), whose figures, issuers
    and rules are the correction, not a claim. A paragraph ends at a line break. A rumour with a
    stray "bác bỏ" in a later sentence, or in another paragraph, keeps its evidence."""
    reopened = _reopened(signals, text)  # (once for both steps)
    kept = unrefuted(signals, text, reopened)
    firsts: dict[int, int] = {}
    for s in signals:
        if s.kind == "refutation":
            paragraph = text.rfind("\n", 0, s.start)
            firsts[paragraph] = min(firsts.get(paragraph, s.start), s.start)
    if not firsts:
        return kept
    return [
        s
        for s in kept
        if s.kind in _CONSPIRACY
        or s.start < firsts.get(text.rfind("\n", 0, s.start), len(text))
        or reopened(s.start)
    ]


# Cues that claim something, matches of a known false claim and facts that differ from the
# fact base: in a question ("VNeID có nghe lén thật không?") they ask it.
CLAIM_CUES = CLAIM_KINDS | frozenset({"known_false_claim", "similar_claim", "fact_mismatch"})


# A sentence that says the one before it was heard or read ("Tôi đã nghe câu này ba lần trong
# tuần", "Mình đọc được câu này trong nhóm Zalo", "chị em cứ hỏi nhau câu này") reports it.
_BACK_REFERENCE = re.compile(
    r"\b(?:nghe|doc duoc|doc|thay|hoi nhau|don|chia se|lan truyen|nhan duoc)\b[^.!?]{0,30}"
    r"\b(?:cau|tin|thong tin|loi|bai) (?:nay|do|ay)\b"
)


def unasked(signals: Sequence[Signal], text: str) -> list[Signal]:
    """The positive signals of ``signals`` but those of a sentence of ``text`` (its claims and
    the fee or the deadline it names: "Có thật là phải nộp 500 nghìn … không?") that asks or
    reports what others say (``nlp.factcheck.asks_or_reports``: "nhóm Zalo
    đang truyền nhau tin …"), or that the next sentence
    says was heard or read (``_BACK_REFERENCE``): a question about a rumour, or a report of one,
    is no evidence that the text spreads it. Sentences as in :func:`unrefuted`."""
    bounds = _bounds(text)
    starts = [0, *bounds]
    asked = set()
    for i, start in enumerate(starts):
        end = bounds[i] if i < len(bounds) else len(text)
        sentence = expand_teencode(fold(text[start:end]).lower())
        if asks_or_reports(sentence):
            asked.add(i)
        if i > 0 and _BACK_REFERENCE.search(sentence):
            asked.add(i - 1)
    return [
        s for s in signals if s.weight > 0 and bisect.bisect_right(bounds, s.start) not in asked
    ]


# "Cảnh báo:" / "CẢNH BÁO!" / "Vietcombank lưu ý:" (at most one word before it) opening a
# sentence is an alert header ("Công an tỉnh cảnh báo:" is a warning), which scams use as much as warnings do: it scopes nothing.
_HEADER_AFTER = re.compile(r"\s*[:!]")

# An item of a list, at the start of its line: "Một là, …", "1. …", "2) …", "- …", "• …".
_LIST_ITEM = re.compile(
    r"[ \t]*(?:(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|thu nhat|thu hai|thu ba|thu tu|thu nam) la\b|"
    r"\d{1,2}[.)](?=\s)|[-•*+–](?=\s))",
    re.IGNORECASE,
)


def _listed(text: str, bounds: list[int], warned: set[int]) -> set[int]:
    """The sentences (indices into ``bounds``) of the list that follows a warned sentence ending
    in ":" ("Các đối tượng thường sử dụng các thủ đoạn sau:" then "Một là, giả danh công an…"):
    each item names a device the warning lists, line after line while lines open as items."""
    out: set[int] = set()
    for i in sorted(warned):
        end = bounds[i] if i < len(bounds) else len(text)
        start = bounds[i - 1] if i > 0 else 0
        if not text[start:end].rstrip().endswith(":"):
            continue
        pos = end
        while pos < len(text):
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            line = text[pos:line_end]
            if line.strip():
                if not _LIST_ITEM.match(fold(line)):
                    break
                first = bisect.bisect_right(bounds, pos)
                last = bisect.bisect_right(bounds, max(pos, line_end - 1))
                out.update(range(first, last + 1))
            pos = line_end + 1
    return out


# A quotation: what a warning or a fact-check cites ("nhận được tin nhắn 'tài khoản bị khóa…'").
_QUOTED = re.compile(r"“[^”\n]{4,}”|\"[^\"\n]{4,}\"|'[^'\n]{4,}'|«[^»\n]{4,}»")


# A fraud told after it happened: money gone ("87 triệu đồng … bị chuyển đi", "tài khoản bị rút
# sạch", "mình mất 12 triệu"), a victim who went to the police, the fraud's outcome in a
# reporter's words ("sập bẫy", "các nạn nhân", "để chiếm đoạt"). A scam threatens a loss to come
# ("kẻo mất trắng", "sẽ bị khóa"); it never reports one that has happened to its reader, so a
# paragraph that does narrates a fraud (a victim's account, a news report): the requests and
# links it retells are no evidence of a scam (folded, teencode expanded; written for duluan,
# issue 12). "đang điều tra" is left out: a scam posing as the police says it.
_LOSS_REPORT = re.compile(
    r"\b(?:(?:bi|da bi) (?:chuyen di|rut (?:sach|het|mat|\d+)|chiem doat|lay mat|cuom)|"
    r"(?:da|vua|moi|bi) mat (?:trang|sach|het|gan|hon|\d+)|"
    r"(?:minh|toi|tui|em|chi|anh|ba|ong|co|chu|me|bo) (?:da |vua |moi )?"
    r"mat (?:\d+|gan \d+|hon \d+|het|sach|trang)|"
    # (not the alarm a scam raises about the reader's own: "sim của bạn đã bị kẻ gian chiếm quyền,
    # gọi ngay …"; a red-team trial)
    r"(?<!ban da bi )(?<!ban dang bi )(?<!ban bi )(?<!khach da bi )(?<!khach dang bi )(?<!khach bi )"
    r"(?:doi tuong|ke gian|chung) (?:da )?(?:chiem quyen|rut tien|rut sach|lay sach)|"
    r"chiem quyen dieu khien|(?:hoac|roi|va|nham|de) chiem doat|"
    r"(?:khong|ko) (?:vao|rut|lien lac|goi) (?:duoc|dc) nua|khong (?:lay lai|doi lai) duoc|"
    r"trinh bao (?:cong an|co quan|vu viec)|(?:da|di) trinh bao|sap bay|mac bay|"
    r"(?:cac |nhieu |la )nan nhan|"
    # "Tổng mất 62 triệu", "đóng 1,2 triệu xong bị chặn luôn" (probe O, issue 12)
    r"tong (?:cong )?(?:da )?mat (?:\d+|gan|hon|het)|(?:xong|roi) (?:bi |no |ho |chung )?(?:chan|block)\b|"
    # "nạp thêm 400 triệu thì app khóa, nhóm giải tán", "bị dụ vào nhóm" (probe X)
    r"(?:thi|roi|xong) (?:app|ung dung|tai khoan|san|web|trang) (?:bi )?khoa|nhom (?:bi )?giai tan|"
    r"bi du (?:vao|tham gia|dau tu|nap|chuyen)|"
    # "đóng 450 nghìn, đợi ba tuần không thấy gì, số điện thoại cũng thuê bao" (probe D)
    r"(?:doi|cho)(?: \w+){0,3} (?:khong|chang|ko) thay (?:gi|dau|hang|tien)|so (?:dien thoai|dt) (?:cung )?thue bao)\b"
)


_SENTENCE = re.compile(r"[^.!?…]*(?:[.!?…]+|$)")


def narrated_loss(text: str) -> list[tuple[int, int]]:
    """The spans ``(start, end)`` (characters) of ``text`` that report a fraud's loss after the
    fact: from the start of a paragraph (it ends at a line break) to the end of its last sentence
    that reports one (``_LOSS_REPORT``, on the folded, teencode-expanded sentence). What a
    paragraph says after its story is its own: "… đợi ba tuần không thấy gì. Giờ mình làm dịch vụ
    thật: chuyển khoản 500k phí hồ sơ" (a red-team trial). Read by :func:`unwarned`."""
    spans = []
    start = 0
    for line in text.split("\n"):
        if _LOSS_REPORT.search(expand_teencode(fold(line).lower())):
            ends = [
                m.end()
                for m in _SENTENCE.finditer(line)
                if _LOSS_REPORT.search(expand_teencode(fold(m.group(0)).lower()))
            ]
            # (a report read only across sentences ends with its paragraph)
            spans.append((start, start + (max(ends) if ends else len(line))))
        start += len(line) + 1
    return spans


# A story or a news report of a fraud told over several paragraphs: the paragraphs this near
# (either side, counting non-empty ones) of a paragraph that reports the loss (``narrated_loss``)
# and of a warning cue retell the scam; farther, a long article about something else may hold
# a scam of its own (``unstoried``; fresh probes F and G, issue 12).
STORY_REACH = 2


# A writer's verdict on the message, call, link or account a text tells of ("Là tin lừa đảo đấy",
# "Đây là tài khoản giả mạo", "Lừa đảo 100%", "Trả lời: Đây là thông tin giả"), an authority's
# word that it does not do what the fraud asked ("Công an xã khẳng định: cơ quan công an không
# làm việc qua Zalo"), and a guide to recognising frauds ("5 dấu hiệu nhận biết cuộc gọi lừa
# đảo", "cách nhận biết"): a scam never calls itself one (folded; written for duluan from probe
# R, issue 12). A verdict judges what the text has told before it; a guide, the signs it lists
# after it. Scams borrow the words to seem safe (a red-team trial): a verdict on others ("mọi tin
# nhắn khác … đều là tin lừa đảo", "nhiều sàn là lừa đảo"), a conditional one ("là lừa đảo nếu
# ai bảo…"), a denied or a feared one ("không phải là lừa đảo", "cứ tưởng là lừa đảo") and one
# inside quotation marks are none; and what a text asks after its verdict stays its own.
_VERDICT = re.compile(
    r"\b(?:(?:la|deu la|chinh la|ro rang la) (?:mot )?(?:tin |tin nhan |cuoc goi |trang |trang web |link |"
    r"duong link |email |tai khoan |so |chieu |tro |hinh thuc |thu doan |mo hinh |thong tin |app |"
    r"ung dung )?(?:lua dao|gia mao)\b|"
    r"(?:day|do|tin nay|tin nhan (?:nay|tren|do)) (?:la|deu la) (?:thong tin |tin |tin nhan |trang |link )?gia\b|"
    r"lua dao (?:do|day|nhe|nha|het|100|tram phan tram|ro rang|chu con gi)\b|"
    r"khang dinh:? (?:[^.!?\n]{0,80}?)\b(?:khong|ko|chua bao gio|khong bao gio) (?:\w+ )?(?:thu|gui|lam viec|"
    r"yeu cau|goi dien|nhan tin|duyet|co cai|to chuc)\b)"
)
_GUIDE = re.compile(r"\b(?:dau hieu|cach) (?:de )?(?:nhan biet|phan biet|phong tranh|nhan dien)\b")
_NOT_A_VERDICT = re.compile(
    r"\b(?:khong phai|chang phai|dau phai|ko phai|k phai|nghi|tuong|so|lo|sot|ngo|chua chac|khong)"
    r"(?: \w+){0,2} ?$"
)
# others judged, in the clause before the verdict
_ON_OTHERS = re.compile(r"\b(?:khac|nhieu|cac|mot so|moi|may|nhung|bao nhieu)\b[^.!?\n:]{0,60}$")
_CONDITIONAL_AFTER = re.compile(r"\W{0,3}(?:\w+ ){0,2}(?:neu|khi nao|truong hop)\b")


def verdicts(text: str) -> list[tuple[int, int, bool]]:
    """The verdicts of normalised ``text`` that what it tells of is a fraud, as ``(start, end,
    guide)`` character offsets (``guide``: a guide to the signs, which judges what follows it;
    a verdict judges what precedes it): ``_VERDICT`` and ``_GUIDE`` matches on the folded text,
    but those on others, conditional, denied, feared or quoted (see the comment above)."""
    folded = fold(text)
    if "lua dao" not in folded and "gia" not in folded and "khang dinh" not in folded:
        return []
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    out = []
    for pattern, guide in ((_VERDICT, False), (_GUIDE, True)):
        for m in pattern.finditer(folded):
            before = folded[max(0, m.start() - 60) : m.start()]
            if _NOT_A_VERDICT.search(before[-25:]) or any(a <= m.start() < b for a, b in quotes):
                continue
            if not guide and (
                _ON_OTHERS.search(before) or _CONDITIONAL_AFTER.match(folded, m.end())
            ):
                continue
            out.append((m.start(), m.end(), guide))
    return sorted(out)


def _paragraph_starts(text: str) -> list[int]:
    """Where each non-empty paragraph of ``text`` starts (character offsets; a paragraph ends at
    a line break)."""
    starts = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(start)
        start += len(line) + 1
    return starts


# A text this short (characters) is one post or message: a verdict in it reaches all of it (a
# guide's list of signs runs over more paragraphs than STORY_REACH).
VERDICT_COVERS_ALL = 1500


def _unjudged(
    evidence: list[Signal], text: str, found: list[tuple[int, int, bool]]
) -> list[Signal]:
    """``evidence`` but what a verdict of ``found`` (:func:`verdicts`) judges: within
    ``STORY_REACH`` paragraphs of it (anywhere in a text of at most ``VERDICT_COVERS_ALL``
    characters), and before it, inside a quotation, or — a guide's — after it in its paragraph
    or on the list lines that follow it."""
    starts = _paragraph_starts(text)
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    short = len(text) <= VERDICT_COVERS_ALL

    def paragraph(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    def listed_after(offset: int, start: int) -> bool:
        """Whether ``offset`` sits in the guide's paragraph or on a list line after it."""
        if paragraph(offset) == paragraph(start):
            return True
        line_start = text.rfind("\n", 0, offset) + 1
        return _LIST_ITEM.match(fold(text[line_start : line_start + 30])) is not None

    def judged(s: Signal) -> bool:
        for a, b, guide in found:
            if not short and abs(paragraph(s.start) - paragraph(a)) > STORY_REACH:
                continue
            if s.start < a or any(x <= s.start < y for x, y in quotes):
                return True
            if guide and s.start >= b and listed_after(s.start, a):
                return True
        return False

    return [s for s in evidence if not judged(s)]


def _unstoried(
    evidence: list[Signal], text: str, told: list[tuple[int, int]], context: Sequence[Signal]
) -> list[Signal]:
    """``evidence`` but what sits within ``STORY_REACH`` paragraphs of both a paragraph of
    ``told`` and a ``warning_context`` cue of ``context``."""
    paragraphs = _paragraph_starts(text)

    def index(offset: int) -> int:
        return bisect.bisect_right(paragraphs, offset) - 1

    losses = sorted(index(a) for a, _ in told)
    warnings = sorted(index(s.start) for s in context if s.kind == "warning_context")

    def near(marks: list[int], k: int) -> bool:
        j = bisect.bisect_left(marks, k - STORY_REACH)
        return j < len(marks) and marks[j] <= k + STORY_REACH

    return [
        s for s in evidence if not (near(losses, index(s.start)) and near(warnings, index(s.start)))
    ]


def unwarned(
    signals: Sequence[Signal], text: str, context: Sequence[Signal] | None = None
) -> list[Signal]:
    """The positive signals of ``signals`` that do not sit in a sentence of ``text`` carrying a
    ``warning_context`` cue (other than an alert header: a cue of one or two words with at most
    one word before it in its sentence and followed by ":" or "!"; "Dấu hiệu nhận biết lừa đảo:"
    is no header): a warning names
    the fake link or the request it warns about ("trang vneid-giahan.click là giả mạo"), and that
    is no evidence of a scam; a scam with a stray "lưu ý" in another sentence keeps its evidence.
    Nor any in a paragraph that reports a fraud's loss after the fact (:func:`narrated_loss`:
    a victim's account or a news report retells the scam's requests and links), nor, in a story
    told over paragraphs, any within ``STORY_REACH`` paragraphs of such a paragraph and of a
    warning cue of ``context`` (the text's signals; ``signals`` when None: the caller may scope
    ``signals`` to one passage).
    Nor any within ``STORY_REACH`` paragraphs of the writer's verdict that what the text tells of
    is a fraud (:func:`verdicts`: "Là tin lừa đảo đấy", "dấu hiệu nhận biết …").
    Sentences as in :func:`unrefuted`. In a text that warns or refutes (any warning cue, a header
    too, or a refutation cue), a
    message inside quotation marks (four words or more) is quoted, not asserted: no evidence
    either."""
    bounds = _bounds(text)
    starts = [0, *bounds]
    cues = signals if context is None else context
    warned: set[int] = set()
    for s in cues:
        if s.kind != "warning_context":
            continue
        i = bisect.bisect_right(bounds, s.start)
        if (
            len(s.evidence.split()) <= 2
            and _HEADER_AFTER.match(text, s.end)
            # one word at most before it (read from its last 80 characters: a sentence of many
            # cues is not split once for each)
            and s.start - starts[i] <= 80
            and len(text[starts[i] : s.start].split()) <= 1
        ):
            continue
        warned.add(i)
    warned |= _listed(text, bounds, warned)
    kept = _outside(signals, bounds, warned)
    if kept:  # (folding each paragraph again only when there is evidence left to scope)
        found = verdicts(text)
        if found:
            kept = _unjudged(kept, text, found)
    if kept:
        told = narrated_loss(text)
        kept = [s for s in kept if not any(a <= s.start < b for a, b in told)]
        if kept and told:
            kept = _unstoried(kept, text, told, cues)
    return uncited(kept, signals, text)


def uncited(evidence: Sequence[Signal], context: Sequence[Signal], text: str) -> list[Signal]:
    """``evidence`` but what begins inside a quotation (four words or more: a message or a
    rumour, not a quoted word or link) of ``text`` when ``context`` (the text's signals) holds a
    warning or a refutation cue: a warning or a fact-check cites what it warns about or refutes
    ('Đang lan truyền: "Dùng Cổng dịch vụ công phải trả 15.000 đồng…". Sự thật: …')."""
    if not any(s.kind in ("warning_context", "refutation") for s in context):
        return list(evidence)
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text) if len(m.group(0).split()) >= 4]
    return [s for s in evidence if not any(a <= s.start < b for a, b in quotes)]


def features(signals: list[Signal]) -> list[Signal]:
    return [s for s in signals if s.kind not in NOT_FEATURES]


def prepare_many(texts: Iterable[str], facts: FactBase) -> list[str]:
    """Classifier inputs for training: the same path as serving (passage inputs are not built:
    training reads whole texts)."""
    return [p.model_text for p in prepare_batch(list(texts), facts, claims=False)]
