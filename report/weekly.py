"""The weekly opinion summary: ``summarize`` (pure) of the frame ``report.loading.load_week``
reads (SQL → DataFrame), with the main concerns of ``report.concerns``; the formats are rendered
from one document model (``report.document``).

Weeks are ISO weeks in Vietnam time (UTC+7), Monday 00:00 to the next Monday. No person appears
in any report: rows are items, grouped by day, source, sentiment and flag.
"""

from __future__ import annotations

import math

import pandas as pd

from core.calendar import Week
from core.tables import (
    REPORT_SOURCE,
)
from core.vocabulary import FLAGS, OPEN_STATUSES, SENTIMENTS
from report import safe
from report.concerns import concerns
from report.loading import PURGED_VI


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
