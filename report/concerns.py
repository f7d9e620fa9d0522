"""The week's main concerns: the phrases (up to ``MAX_TERM_WORDS`` words, function words and
generic phrases left out) that recur across the relevant negative items, each with example
sentences (``concerns``). Pure: reads the frame ``report.loading.load_week`` builds."""

from __future__ import annotations

import re

import pandas as pd

from report import safe

# Function words left out of "main concerns" (a term must say what people talk about).
STOPWORDS = frozenset(
    [
        "và",
        "của",
        "là",
        "có",
        "được",
        "cho",
        "các",
        "những",
        "một",
        "này",
        "đã",
        "với",
        "trong",
        "không",
        "để",
        "thì",
        "mà",
        "khi",
        "đến",
        "từ",
        "ra",
        "vào",
        "lại",
        "cũng",
        "rất",
        "quá",
        "nhiều",
        "như",
        "nhưng",
        "hay",
        "hoặc",
        "vẫn",
        "còn",
        "đang",
        "sẽ",
        "bị",
        "nên",
        "phải",
        "thế",
        "vậy",
        "nữa",
        "lắm",
        "ạ",
        "ơi",
        "nhé",
        "nha",
        "mình",
        "tôi",
        "bạn",
        "họ",
        "chúng",
        "ta",
        "người",
        "dân",
        "xã",
        "tỉnh",
        "huyện",
        "thôn",
        "năm",
        "ngày",
        "tháng",
        "tuần",
        "nay",
        "sau",
        "trước",
        "mới",
        "chỉ",
        "đều",
        "qua",
        "về",
        "theo",
        "tại",
        "do",
        "nếu",
        "vì",
        "ai",
        "gì",
        "đâu",
        "nào",
        "ở",
        "rồi",
        "thôi",
    ]
)
# Words that say nothing about a topic on their own ("cung cấp mã OTP" may be a concern;
# "cung cấp" alone is not), and the name of the whole field, which every item is about.
GENERIC_PHRASES = frozenset(
    [
        "chuyển đổi số",
        "chuyển đổi",
        "cung cấp",
        "tuyệt đối",
        "thực hiện",
        "sử dụng",
        "vui lòng",
        "liên hệ",
        "hiện nay",
        "hiện tại",
        "bao giờ",
        "thế nào",
        "tại sao",
        "bây giờ",
        "luôn luôn",
        "thường xuyên",
        "chia sẻ",
        "thông báo",
        "cho biết",
        "bất kỳ",
        "hôm nay",
        "yêu cầu",
        "thông tin",
    ]
)
_TERM_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_CLAUSE_BREAK = re.compile(r"[^\w\s]+", re.UNICODE)
MAX_TERM_WORDS = 4


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) outwards so that it does not cut a word in two."""
    while 0 < start < len(text) and text[start].isalnum() and text[start - 1].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _clip(text: str, limit: int = 110) -> str:
    """``text`` cut at the last word boundary before ``limit`` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip() + "…"


def _example(title: str, excerpt: str, term: str, width: int = 45) -> str:
    """The title when it says the term, else the words around the term in the excerpt."""
    if term in title.lower() or not excerpt:
        return _clip(title)
    words = term.split()
    m = re.search(r"\W+".join(map(re.escape, words)), excerpt, re.IGNORECASE)
    if m is None:
        return _clip(title)
    start, end = _snap(excerpt, max(0, m.start() - width), min(len(excerpt), m.end() + width))
    return ("…" if start else "") + excerpt[start:end].strip() + ("…" if end < len(excerpt) else "")


def _phrases(text: str) -> set[str]:
    """Runs of 2 to MAX_TERM_WORDS content words: punctuation, numbers and function words
    end a run."""
    out: set[str] = set()
    for clause in _CLAUSE_BREAK.split(text.lower()):
        run: list[str] = []
        for word in [*clause.split(), ""]:
            if word not in STOPWORDS and _TERM_RE.fullmatch(word):
                run.append(word)
                continue
            for n in range(2, MAX_TERM_WORDS + 1):
                out.update(" ".join(run[i : i + n]) for i in range(len(run) - n + 1))
            run = []
    return out


def _maximal(counts: dict[str, frozenset[int]]) -> dict[str, frozenset[int]]:
    """Drop a term when a longer term that contains it is used by exactly the same items:
    "cổng dịch vụ công" stands for "cổng dịch", "dịch vụ" and "vụ công" when they always come
    together."""
    groups: dict[frozenset[int], list[str]] = {}
    for term, ids in counts.items():
        groups.setdefault(ids, []).append(term)
    return {
        term: ids
        for ids, terms in groups.items()
        for term in terms
        if not any(len(o) > len(term) and f" {term} " in f" {o} " for o in terms)
    }


def _overlaps(a: str, b: str) -> bool:
    """One phrase is part of the other ("dịch vụ công" and "cổng dịch vụ công")."""
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def concerns(frame: pd.DataFrame, top: int = 5, examples: int = 3) -> pd.DataFrame:
    """The phrases (2–4 content words) most used by negative relevant items that are not
    misinformation and are opinion (``genre``: not an official feed's item, a warning or a
    fact-check — those are not the public's concerns), each with the number of items that use it and a few representative
    excerpts (criticism is reported as opinion). A phrase needs at least two items; of
    overlapping phrases used by the same items the longest is kept, and a phrase that is part of
    (or contains) one already listed is not listed again; ties go to the longer phrase."""
    neg = frame[
        (frame["sentiment"] == "negative")
        & frame["relevant"].fillna(False).astype(bool)
        & (frame["misinfo"].fillna("none") == "none")
        & (frame["genre"] == "opinion" if "genre" in frame else True)
    ]
    found: dict[str, set[int]] = {}
    texts: dict[int, tuple[str, str]] = {}
    for row in neg.itertuples():
        texts[row.item_id] = (
            safe.plain(row.title, ""),
            safe.plain(getattr(row, "excerpt", None), ""),
        )
        for term in _phrases(". ".join(texts[row.item_id])):
            found.setdefault(term, set()).add(row.item_id)
    shared = {term: frozenset(ids) for term, ids in found.items() if len(ids) >= 2}
    ranked: list[tuple[str, frozenset[int]]] = []
    for term, ids in sorted(
        _maximal(shared).items(), key=lambda kv: (-len(kv[1]), -len(kv[0].split()), kv[0])
    ):
        if any(f" {term} " in f" {g} " for g in GENERIC_PHRASES):  # a generic word or part of one
            continue
        if len(ranked) == top:
            break
        if not any(_overlaps(term, chosen) for chosen, _ in ranked):  # one line per topic
            ranked.append((term, ids))
    return pd.DataFrame(
        [
            {
                "term": term,
                "items": len(ids),
                "examples": [_example(*texts[i], term) for i in sorted(ids)[:examples]],
            }
            for term, ids in ranked
        ],
        columns=["term", "items", "examples"],
    )
