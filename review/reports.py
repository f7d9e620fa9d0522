"""Collaborators' reports in the review queue: always in front of a human, and what became of them.

A report (taken in by ``collector.submissions``) is **always** queued for a human, whatever its
risk (``enqueue_report``), ranked above what the machine flagged; its submitter follows it in
"Phản ánh của tôi" (``my_reports``) and never reviews it (the claim's rule, ``review.queue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.config import Settings
from core.db import utcnow
from core.tables import (
    Analysis,
    Item,
    Report,
    ReportSubmitter,
    ReviewTask,
    TaskStatus,
    User,
    Verdict,
    VerdictKind,
)
from review.triage import priority

OPEN = (TaskStatus.pending, TaskStatus.claimed, TaskStatus.escalated)


def _source_count(session: Session, item: Item) -> int:
    """How many sources carried the story, each report counting as one more."""
    if item.cluster_id is None:
        source_count = 1
        reports = session.scalar(select(func.count(Report.id)).where(Report.item_id == item.id))
    else:
        cluster = item.cluster
        source_count = cluster.source_count if cluster is not None else 1
        reports = session.scalar(
            select(func.count(Report.id))
            .join(Item, Item.id == Report.item_id)
            .where(Item.cluster_id == item.cluster_id)
        )
    return max(1, source_count) + int(reports or 0)


def report_priority(
    settings: Settings, analysis: Analysis | None, item: Item, source_count: int, now: datetime
) -> float:
    """A report's task priority: ``queue.priority`` with the risk raised to at least the queue's
    threshold (a person judged it worth reporting, so it ranks at least like an item the
    machine flagged), ``source_count`` counting each report as a source, times
    ``report_priority_boost`` (1.5: it circulates where no feed reaches)."""
    risk = max(analysis.risk if analysis is not None else 0.0, settings.review_risk_threshold)
    base = priority(risk, item.published_at or item.fetched_at, now, source_count)
    return round(base * settings.report_priority_boost, 6)


def enqueue_report(
    session: Session, settings: Settings, item: Item, now: datetime | None = None
) -> ReviewTask:
    """Put a reported item in front of a human, whatever its risk.

    The rule: the item's own task, or else its cluster's open task (pending, claimed or
    escalated: one task per story), gets the report priority (``report_priority``) when that
    is higher; a task already decided is left decided (a person has judged that story; the
    submitter sees that verdict). Otherwise a new pending task (reason ``report``). The item's
    analyses are marked triaged, so ``enqueue_flagged`` does not consider them again.
    """
    now = now or utcnow()
    analysis = session.scalar(
        select(Analysis).where(Analysis.item_id == item.id).order_by(Analysis.id.desc()).limit(1)
    )
    for a in session.scalars(select(Analysis).where(Analysis.item_id == item.id)):
        a.triaged_at = a.triaged_at or now
    weight = report_priority(settings, analysis, item, _source_count(session, item), now)
    task = session.scalar(select(ReviewTask).where(ReviewTask.item_id == item.id))
    if task is None and item.cluster_id is not None:
        task = session.scalar(
            select(ReviewTask)
            .where(ReviewTask.cluster_id == item.cluster_id, ReviewTask.status.in_(OPEN))
            .order_by(ReviewTask.id)
            .limit(1)
        )
    if task is not None:
        if task.status in OPEN and weight > task.priority:
            task.priority = weight
            task.updated_at = now
        session.flush()
        return task
    task = ReviewTask(
        item_id=item.id,
        analysis_id=analysis.id if analysis is not None else None,
        cluster_id=item.cluster_id,
        reason="report",
        status=TaskStatus.pending,
        priority=weight,
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    session.flush()
    return task


@dataclass(frozen=True)
class MyReport:
    """What became of one report, as its submitter sees it."""

    report: Report
    status: str  # "pending" | "claimed" | "escalated" | "decided" | "none"
    verdict: str | None  # the standing verdict once decided


def _task_of(session: Session, item: Item | None) -> ReviewTask | None:
    if item is None:
        return None
    task = session.scalar(select(ReviewTask).where(ReviewTask.item_id == item.id))
    if task is None and item.cluster_id is not None:
        task = session.scalar(
            select(ReviewTask)
            .where(ReviewTask.cluster_id == item.cluster_id)
            .order_by(ReviewTask.id.desc())
            .limit(1)
        )
    return task


def my_reports(session: Session, user: User, limit: int = 50) -> list[MyReport]:
    """``user``'s reports, newest first, each with its task's status and, once decided, the
    standing verdict (an analyst's override when there is one, else the latest review)."""
    reports = session.scalars(
        select(Report)
        .join(ReportSubmitter, ReportSubmitter.report_id == Report.id)
        .where(ReportSubmitter.user_id == user.id)
        .options(selectinload(Report.item), selectinload(Report.images))
        .order_by(Report.id.desc())
        .limit(limit)
    ).all()
    out = []
    for report in reports:
        task = _task_of(session, report.item)
        verdict = None
        if task is not None and task.status == TaskStatus.decided:
            standing = [v for v in task.verdicts if v.standing]
            chosen: Verdict | None = next(
                (v for v in reversed(standing) if v.kind == VerdictKind.override),
                standing[-1] if standing else None,
            )
            verdict = chosen.label if chosen is not None else None
        out.append(MyReport(report, task.status if task is not None else "none", verdict))
    return out
