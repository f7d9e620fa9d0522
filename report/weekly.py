"""The weekly opinion summary: ``load_week`` (SQL → DataFrame), ``summarize`` (pure); the formats
are rendered from one document model (``report.document``).

Weeks are ISO weeks in Vietnam time (UTC+7), Monday 00:00 to the next Monday. No person appears
in any report: rows are items, grouped by day, source, sentiment and flag.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.calendar import Week
from core.genre import genre
from core.items import join_latest_analysis
from core.labels import human_labels
from core.tables import (
    REPORT_SOURCE,
    Analysis,
    Cluster,
    Feed,
    FeedKind,
    Item,
    ReviewTask,
    Verdict,
)
from core.vocabulary import FLAGS, OPEN_STATUSES, SENTIMENTS
from report import safe

COLUMNS = [
    "item_id",
    "source",
    "title",
    "excerpt",
    "when",
    "relevant",
    "sentiment",
    "misinfo",
    "risk",
    "task_status",
    "verdict",
    "source_count",
    "first_seen",
    "contradicts",
    "cluster_id",
    "machine_sentiment",
    "machine_relevant",
    "labelled_by_human",
    "genre",
    "text_purged",
]

# What shows in place of a title or text blanked by retention (core.retention): the web app's
# item pages, the CSV and the report say the same.
PURGED_VI = "nội dung đã xoá theo thời hạn lưu trữ"


def load_week(session: Session, week: Week) -> pd.DataFrame:
    """One row per item of the week (by publication time, else fetch time) with its latest analysis,
    task status and latest verdict: the columns of ``COLUMNS``; ``source_count`` is the number of sources
    of the item's cluster (1 without one), ``cluster_id`` is None without one.

    ``sentiment`` and ``relevant`` are the labels as shown: a reviewer's correction
    (``core.labels.human_labels``) wins over the newest analysis, whose values stay in
    ``machine_sentiment``/``machine_relevant``; ``labelled_by_human`` says a reviewer corrected
    either. ``genre`` is one of ``GENRES``.

    An item whose text retention blanked (``Item.purged_at``, ``core.retention``) keeps its row:
    ``title`` and ``excerpt`` are empty, ``text_purged`` is true, and its machine labels, risk,
    genre and contradicted fact come from what was frozen when its text went (``Item.retained``),
    since its analyses may since have been deleted; a reviewer's correction still wins."""
    when = func.coalesce(Item.published_at, Item.fetched_at)
    last_verdict = (
        select(func.max(Verdict.id).label("id"))
        .where(Verdict.withdrawn_at.is_(None))
        .group_by(Verdict.task_id)
        .subquery()
    )
    human = human_labels()  # a reviewer's corrected sentiment/relevance wins over the machine's
    columns = (
        select(
            Item.id.label("item_id"),
            Item.source,
            Item.title,
            func.substr(Item.text, 1, 300).label("excerpt"),
            when.label("when"),
            func.coalesce(human.c.relevant, Analysis.relevant).label("relevant"),
            func.coalesce(human.c.sentiment, Analysis.sentiment).label("sentiment"),
            Analysis.misinfo,
            Analysis.risk,
            ReviewTask.id.label("task_id"),
            ReviewTask.status.label("task_status"),
            Cluster.source_count.label("source_count"),
            Cluster.first_seen_at.label("first_seen"),
            Analysis.id.label("analysis_id"),
            Item.cluster_id,
            Analysis.sentiment.label("machine_sentiment"),
            Analysis.relevant.label("machine_relevant"),
            (human.c.item_id.is_not(None)).label("labelled_by_human"),
            Feed.kind.label("feed_kind"),
            Analysis.reasons,
            human.c.sentiment.label("human_sentiment"),
            human.c.relevant.label("human_relevant"),
            Item.purged_at,
            Item.retained,
        )
    ).select_from(Item)
    query = (
        join_latest_analysis(columns)
        .outerjoin(ReviewTask, ReviewTask.item_id == Item.id)
        .outerjoin(Cluster, Cluster.id == Item.cluster_id)
        .outerjoin(human, human.c.item_id == Item.id)
        .outerjoin(Feed, Feed.id == Item.feed_id)
        .where(when >= week.start, when < week.end)
        .order_by(Item.id)
    )
    rows = session.execute(query).mappings().all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "item_id",
            "source",
            "title",
            "excerpt",
            "when",
            "relevant",
            "sentiment",
            "misinfo",
            "risk",
            "task_id",
            "task_status",
            "source_count",
            "first_seen",
            "analysis_id",
            "cluster_id",
            "machine_sentiment",
            "machine_relevant",
            "labelled_by_human",
            "feed_kind",
            "reasons",
            "human_sentiment",
            "human_relevant",
            "purged_at",
            "retained",
        ],
    )
    frame["text_purged"] = frame["purged_at"].notna()
    frame["labelled_by_human"] = frame["labelled_by_human"].eq(True)
    frame["genre"] = [
        genre(kind, reasons)
        for kind, reasons in zip(frame["feed_kind"], frame["reasons"], strict=True)
    ]
    _apply_retained(frame)
    verdicts = session.execute(
        select(Verdict.task_id, Verdict.label).join(last_verdict, last_verdict.c.id == Verdict.id)
    ).all()
    by_task = dict(verdicts)
    frame["verdict"] = frame["task_id"].map(lambda t: by_task.get(t) if pd.notna(t) else None)
    frame["source_count"] = frame["source_count"].fillna(1).astype(int)
    frame["first_seen"] = frame["first_seen"].where(frame["first_seen"].notna(), frame["when"])
    confirmed = frame[frame["verdict"].isin(FLAGS) & frame["analysis_id"].notna()]
    facts = _contradicted_facts(session, [int(a) for a in confirmed["analysis_id"]])
    frame["contradicts"] = [
        (kept or {}).get("contradicts") if purged else facts.get(int(a)) if pd.notna(a) else None
        for a, purged, kept in zip(
            frame["analysis_id"], frame["text_purged"], frame["retained"], strict=True
        )
    ]
    frame = frame.drop(
        columns=[
            "task_id",
            "analysis_id",
            "feed_kind",
            "reasons",
            "human_sentiment",
            "human_relevant",
            "purged_at",
            "retained",
        ]
    )
    if not frame.empty:
        for column in ("when", "first_seen"):
            frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(
                "Asia/Ho_Chi_Minh"
            )
    return frame[COLUMNS]


def _apply_retained(frame: pd.DataFrame) -> None:
    """In place: the rows of purged items take their machine labels, risk and genre from
    ``retained`` (frozen by ``frozen_labels``; a purged item never analysed has none), and a
    reviewer's correction (``human_*``) still wins for ``sentiment``/``relevant``."""
    if not frame["text_purged"].any():
        return
    kept = [
        (k if isinstance(k, dict) else {}) if purged else None
        for purged, k in zip(frame["text_purged"], frame["retained"], strict=True)
    ]

    def column(name: str, key: str, human: str | None = None, default: Any = None) -> None:
        values = []
        for current, frozen, corrected in zip(
            frame[name], kept, frame[human] if human else [None] * len(frame), strict=True
        ):
            if frozen is None:
                values.append(current)
            elif corrected is not None and not pd.isna(corrected):
                values.append(corrected)
            else:
                values.append(frozen.get(key, default))
        frame[name] = pd.Series(values, index=frame.index, dtype=object)

    column("machine_sentiment", "sentiment")
    column("machine_relevant", "relevant")
    column("misinfo", "misinfo")
    column("risk", "risk")
    column("genre", "genre", default="opinion")
    column("sentiment", "sentiment", "human_sentiment")
    column("relevant", "relevant", "human_relevant")


def _contradicted_facts(session: Session, analysis_ids: list[int]) -> dict[int, str]:
    """For each analysis, the official text of the first fact its item contradicts."""
    out: dict[int, str] = {}
    for start in range(0, len(analysis_ids), 500):
        chunk = analysis_ids[start : start + 500]
        for analysis_id, reasons in session.execute(
            select(Analysis.id, Analysis.reasons).where(Analysis.id.in_(chunk))
        ):
            for reason in reasons or []:
                official = (reason.get("fact") or {}).get("official")
                if official:
                    out[analysis_id] = official
                    break
    return out


def load_cluster_sources(session: Session, cluster_ids: list[int]) -> dict[int, list[str]]:
    """The sources (feed or publisher names, never authors) that carried each cluster, over all
    time: ``{cluster_id: [source, …]}``, names sorted, each once."""
    out: dict[int, set[str]] = {}
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for cluster_id, source in session.execute(
            select(Item.cluster_id, Item.source).where(Item.cluster_id.in_(chunk)).distinct()
        ):
            if cluster_id is not None:
                out.setdefault(cluster_id, set()).add(source)
    return {k: sorted(v) for k, v in out.items()}


def load_coverage(session: Session, week: Week) -> dict[str, list[str]]:
    """Polled feeds (enabled, HTTP) that have no item of this week, and polled feeds failing or
    turned off at the week's end. An item belongs to the week by its publication time, else its
    fetch time, as in every other figure of the report (counting by fetch time, a past week's
    report named as silent the very feeds whose items it counted). Imports and collaborators'
    reports are never polled: they are neither silent nor failing."""
    when = func.coalesce(Item.published_at, Item.fetched_at)
    counts = dict(
        session.execute(
            select(Item.feed_id, func.count(Item.id))
            .where(when >= week.start, when < week.end)
            .group_by(Item.feed_id)
        ).all()
    )
    feeds = session.scalars(
        select(Feed)
        .where(Feed.kind.not_in([FeedKind.imported, FeedKind.report]))
        .order_by(Feed.name)
    ).all()
    return {
        "silent": [f.name for f in feeds if f.enabled and not counts.get(f.id)],
        "failing": [
            f"{f.name}: {f.last_error}" if f.last_error else f.name
            for f in feeds
            if f.error_count > 0 or not f.enabled
        ],
    }


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion (sound for small samples, unlike p ± 2se)."""
    if n == 0:
        return 0.0, 0.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def _relevant_sentiments(frame: pd.DataFrame) -> pd.Series:
    analysed = frame[frame["sentiment"].notna()]
    return analysed[analysed["relevant"].astype(bool)]["sentiment"]


def sentiment_change(frame: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """This week's sentiment shares among relevant items, their 95 % intervals, and the change
    in percentage points against the previous week."""
    cur = _relevant_sentiments(frame).value_counts().reindex(SENTIMENTS, fill_value=0)
    n = int(cur.sum())
    prev = (
        _relevant_sentiments(previous).value_counts().reindex(SENTIMENTS, fill_value=0)
        if previous is not None
        else pd.Series(0, index=list(SENTIMENTS))
    )
    m = int(prev.sum())
    rows = []
    for label in SENTIMENTS:
        share = round(cur[label] / n, 4) if n else 0.0
        low, high = wilson(int(cur[label]), n)
        prev_share = round(prev[label] / m, 4) if m else None
        change = round((share - prev_share) * 100, 1) if prev_share is not None and n else None
        rows.append(
            {
                "sentiment": label,
                "items": int(cur[label]),
                "share": share,
                "ci_low": low,
                "ci_high": high,
                "previous_share": prev_share,
                "change_pp": change,
            }
        )
    return pd.DataFrame(rows)


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


MISINFO_KINDS = FLAGS
GOOD_COLUMNS = ["item_id", "title", "excerpt", "when", "source_count", "sources"]


def good_practices(
    frame: pd.DataFrame, cluster_sources: dict[int, list[str]] | None = None, top: int = 10
) -> pd.DataFrame:
    """The section "Mô hình hay, cách làm hiệu quả": the week's positive news about the field, for communes
    to find and spread. Columns ``GOOD_COLUMNS``: ``sources`` is a list of source names.

    Rule: an item qualifies when it is relevant, its sentiment is positive, no reviewer confirmed
    it as misinformation (verdict distortion or scam) and, if the machine flagged it, a reviewer
    cleared it (verdict not_misinformation). Qualifying items of one cluster (the same story
    carried by several sources) make one row, shown by the cluster's most recent qualifying item
    of the week; an item without a cluster is its own row. Rows are ranked by ``source_count`` (the
    cluster's number of sources) descending, then the most recent first, then the lower item id;
    the first ``top`` are kept. ``sources`` are the names that carried the cluster
    (``cluster_sources[cluster_id]`` when given, e.g. from ``load_cluster_sources``), else the
    sources of its qualifying items this week; never an author."""
    if frame.empty:
        return pd.DataFrame(columns=GOOD_COLUMNS)
    verdict = frame["verdict"].where(frame["verdict"].notna(), None)
    flagged = frame["misinfo"].isin(MISINFO_KINDS)
    good = frame[
        frame["relevant"].fillna(False).astype(bool)
        & (frame["sentiment"] == "positive")
        & ~verdict.isin(MISINFO_KINDS)
        & (~flagged | (verdict == "not_misinformation"))
    ]
    if good.empty:
        return pd.DataFrame(columns=GOOD_COLUMNS)
    clusters = good["cluster_id"] if "cluster_id" in good else pd.Series(None, index=good.index)
    keys = pd.Series(
        [
            f"c{int(c)}" if pd.notna(c) else f"i{int(i)}"
            for c, i in zip(clusters, good["item_id"], strict=True)
        ],
        index=good.index,
    )
    rows = []
    for key, group in good.groupby(keys, sort=False):
        latest = group.sort_values(["when", "item_id"], ascending=[False, True]).iloc[0]
        known = (cluster_sources or {}).get(int(key[1:])) if key.startswith("c") else None
        sources = known or sorted({str(s) for s in group["source"] if not safe.is_blank(s)})
        rows.append(
            {
                "item_id": int(latest["item_id"]),
                "title": latest["title"],
                "excerpt": latest["excerpt"],
                "when": latest["when"],
                "source_count": int(group["source_count"].max()),
                "sources": list(sources),
            }
        )
    out = pd.DataFrame(rows, columns=GOOD_COLUMNS)
    out["_rank_when"] = pd.to_datetime(out["when"], utc=True)
    return (
        out.sort_values(["source_count", "_rank_when", "item_id"], ascending=[False, False, True])
        .head(top)
        .drop(columns="_rank_when")
        .reset_index(drop=True)
    )


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``PURGED_VI`` as the title (and no excerpt) of items whose text was
    blanked, for the tables that quote items; ``frame`` itself when none was."""
    if "text_purged" not in frame or not frame["text_purged"].any():
        return frame
    purged = frame["text_purged"].fillna(False).astype(bool)
    return frame.assign(
        title=frame["title"].where(~purged, PURGED_VI),
        excerpt=frame["excerpt"].where(~purged, ""),
    )


def _corrected(frame: pd.DataFrame, label: str) -> int:
    """How many rows of ``frame`` show a reviewer's ``label`` that differs from the machine's
    (``machine_<label>``); 0 for a frame without those columns (a hand-built one)."""
    machine = f"machine_{label}"
    if machine not in frame or "labelled_by_human" not in frame:
        return 0
    by_human = frame["labelled_by_human"].eq(True)
    differs = frame[label].astype(object) != frame[machine].astype(object)
    return int((by_human & differs & frame[machine].notna()).sum())


def _reports(frame: pd.DataFrame) -> dict[str, float | int]:
    """Collaborators' reports of the week, their own source (``core.tables.REPORT_SOURCE``):
    how many, how many reviewers decided, how many of those they confirmed as distortion or
    scam, and that share of the decided (0.0 when none is decided)."""
    mine = frame[frame["source"] == REPORT_SOURCE]
    decided = mine[mine["task_status"] == "decided"]
    confirmed = int(decided["verdict"].isin(FLAGS).sum())
    return {
        "reports": len(mine),
        "reports_decided": len(decided),
        "reports_confirmed": confirmed,
        "reports_confirmed_share": round(confirmed / len(decided), 4) if len(decided) else 0.0,
    }


def summarize(
    frame: pd.DataFrame,
    previous: pd.DataFrame | None = None,
    cluster_sources: dict[int, list[str]] | None = None,
) -> dict[str, pd.DataFrame | dict[str, float | int]]:
    """Summary tables of a week's frame and, if given, the previous week's (pure: tested on
    hand-built frames); ``cluster_sources`` names who carried each cluster (``good_practices``).

    Items whose text retention blanked (``text_purged``) count everywhere like the others;
    ``totals["texts_purged"]`` says how many there are, the tables that quote items show
    ``PURGED_VI`` as their title, and the main concerns (phrases of texts) rest on the others."""
    shown = _shown(frame)
    analysed = frame[frame["sentiment"].notna()]
    relevant = analysed[analysed["relevant"].astype(bool)]
    by_day = (
        (
            frame.assign(day=frame["when"].dt.strftime("%Y-%m-%d"))
            .groupby("day")
            .size()
            .rename("items")
            .reset_index()
        )
        if not frame.empty
        else pd.DataFrame(columns=["day", "items"])
    )
    by_source = (
        frame.groupby("source")
        .size()
        .rename("items")
        .reset_index()
        .sort_values(["items", "source"], ascending=[False, True], ignore_index=True)
    )
    counts = relevant["sentiment"].value_counts().reindex(SENTIMENTS, fill_value=0)
    total_rel = int(counts.sum())
    sentiment = pd.DataFrame(
        {
            "sentiment": list(SENTIMENTS),
            "items": counts.to_numpy(),
            "share": [round(c / total_rel, 4) if total_rel else 0.0 for c in counts],
        }
    )
    flagged = analysed[analysed["misinfo"].isin(FLAGS)]
    confirmed = frame[frame["verdict"].isin(FLAGS)]
    flags = pd.DataFrame(
        {
            "misinfo": list(FLAGS),
            "flagged": [int((flagged["misinfo"] == k).sum()) for k in FLAGS],
            "confirmed": [int((confirmed["verdict"] == k).sum()) for k in FLAGS],
        }
    )
    tasks = frame["task_status"].dropna().value_counts()
    totals: dict[str, float | int] = {
        "items": len(frame),
        "analysed": len(analysed),
        "relevant": len(relevant),
        "relevant_share": round(len(relevant) / len(analysed), 4) if len(analysed) else 0.0,
        "tasks": int(tasks.sum()),
        "pending": int(tasks.get("pending", 0) + tasks.get("claimed", 0)),
        "escalated": int(tasks.get("escalated", 0)),
        "decided": int(tasks.get("decided", 0)),
        # labels a reviewer corrected to another value than the machine's (shown and counted)
        "corrected_sentiment": _corrected(analysed, "sentiment"),
        "corrected_relevance": _corrected(analysed, "relevant"),
        "texts_purged": int(frame["text_purged"].sum()) if "text_purged" in frame else 0,
        **_reports(frame),
    }
    confirmed = shown[shown["verdict"].isin(FLAGS)]
    flagged = shown.loc[flagged.index]
    return {
        "good": good_practices(shown, cluster_sources),
        "concerns": concerns(frame),
        "change": sentiment_change(frame, previous),
        "totals": totals,
        "by_day": by_day,
        "by_source": by_source,
        "sentiment": sentiment,
        "flags": flags,
        "confirmed": confirmed[
            [
                "item_id",
                "source",
                "title",
                "excerpt",
                "verdict",
                "when",
                "first_seen",
                "source_count",
                "contradicts",
            ]
        ]
        .sort_values(["verdict", "first_seen", "item_id"])
        .reset_index(drop=True),
        "pending": flagged[flagged["task_status"].isin(OPEN_STATUSES)][
            ["item_id", "source", "title", "misinfo", "task_status"]
        ].reset_index(drop=True),
    }


GOOD_NOTE = (
    "Tin tích cực về lĩnh vực (không bị gắn cờ hoặc xác nhận là sai lệch), xếp theo số nguồn "
    "đưa tin rồi theo thời gian mới nhất; các xã tham khảo, nhân rộng."
)
NO_GOOD = "Không có tin tích cực nổi bật trong tuần."


def _excerpt(excerpt: object, title: object) -> object:
    """What a confirmed item's row quotes: its excerpt, else its title (either may be blank)."""
    return title if safe.is_blank(excerpt) else excerpt


def _when(value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return str(pd.Timestamp(value).tz_convert("Asia/Ho_Chi_Minh").strftime("%H:%M %d/%m/%Y"))


def render_markdown(summary: dict, week: Week, coverage: dict[str, list[str]] | None = None) -> str:  # type: ignore[type-arg]
    """The Vietnamese Markdown report, rendered from the one document model
    (``report.document.weekly_document``) like the HTML and DOCX."""
    from report.document import render_markdown as render

    return render(summary, week, coverage)


def render_csv(frame: pd.DataFrame) -> str:
    """The week's underlying table, one row per item (no person appears in it). Text cells are
    neutralised for spreadsheets (``safe.csv_value``: no formula runs); empty cells stay empty.
    Lines end in CRLF (RFC 4180), so a cell holding a line break, even a lone CR, is quoted.
    An item whose text retention blanked says so in its title cell (``PURGED_VI``) and in
    ``text_purged``."""
    return str(safe.csv_frame(_shown(frame)).to_csv(index=False, lineterminator="\r\n"))
