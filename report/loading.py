"""What a week's summary is made of: the week's items with their analyses, decisions and
sources as one DataFrame (``load_week``: SQL → DataFrame, one row per item, ``COLUMNS``), the
sources that carried each cluster, and the collection's coverage. No person appears: rows are
items."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.calendar import Week
from core.genre import genre
from core.items import join_latest_analysis
from core.labels import human_labels
from core.tables import (
    Analysis,
    Cluster,
    Feed,
    FeedKind,
    Item,
    ReviewTask,
    Verdict,
)
from core.vocabulary import FLAGS

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
