"""Enqueue flagged items, lease them to reviewers, record verdicts — every step audited."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.errors import Conflict, DomainError, NotFound
from core.tables import (
    Analysis,
    Cluster,
    Item,
    Report,
    ReportSubmitter,
    ReviewTask,
    TaskSkip,
    TaskStatus,
    User,
    Verdict,
    VerdictKind,
)

RECENCY_HALF_LIFE_H = 72.0
# PostgreSQL advisory lock taken by ``enqueue_flagged`` for its transaction ("dulq"): triage runs
# in one process at a time, so two workers never both queue an item (ReviewTask.item_id is
# unique: the second insert would fail and roll its batch back) or two items of one cluster.
ENQUEUE_LOCK_ID = 0x64756C71
# What a reviewer's screen needs with a task, loaded in the same query.
TASK_LOADS = (
    joinedload(ReviewTask.item),
    joinedload(ReviewTask.analysis),
    joinedload(ReviewTask.cluster),
)


class LeaseError(Conflict):
    code = "not_lease_holder"


def priority(risk: float, published_at: datetime | None, now: datetime, sources: int = 1) -> float:
    """risk × recency × reach.

    Recency halves every three days and never drops below one half; reach grows with the number
    of sources that carried the story (×1.25 per doubling).
    """
    if published_at is None:
        recency = 1.0
    else:
        age_h = max(0.0, (now - published_at).total_seconds() / 3600)
        recency = math.pow(0.5, age_h / RECENCY_HALF_LIFE_H)
    reach = 1.0 + 0.25 * math.log2(max(1, sources))
    return round(risk * (0.5 + 0.5 * recency) * reach, 6)


def _flag_probability(analysis: Analysis) -> float:
    scores = analysis.misinfo_scores or {}
    return max(float(scores.get("distortion", 0.0)), float(scores.get("scam", 0.0)))


def _audit_pick(item_id: int, share: float) -> bool:
    """A deterministic pseudo-random sample: the same item is always in or always out."""
    digest = hashlib.sha256(f"audit:{item_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def enqueue_flagged(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Create pending tasks from the latest analyses of items not queued yet.

    Each analysis is considered once (``triaged_at``). Enters: every item whose risk passes the
    threshold; of the others considered in this pass, the most uncertain
    (``review_uncertain_share``, closest to a flag) and a random audit sample
    (``review_audit_share``). One task per near-duplicate cluster: an item whose cluster already
    has a task does not get another one.

    Safe with several workers on PostgreSQL: the pass holds an advisory transaction lock
    (``ENQUEUE_LOCK_ID``) until the caller commits, and reads only after taking it, so the next
    worker's pass sees this one's tasks and ``triaged_at`` marks (SQLite writes one at a time).
    """
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ENQUEUE_LOCK_ID})
    # Only an item's newest analysis counts; an untriaged one is found through the partial index
    # ``ix_analysis_untriaged`` and checked against newer ones through ``ix_analysis_item_latest``,
    # so a pass costs what waits, not every analysis ever stored.
    newer = aliased(Analysis)
    queued_clusters = select(ReviewTask.cluster_id).where(ReviewTask.cluster_id.is_not(None))
    rows = session.execute(
        select(Analysis, Item, Cluster.source_count)
        .join(Item, Item.id == Analysis.item_id)
        .outerjoin(Cluster, Cluster.id == Item.cluster_id)
        .where(Analysis.triaged_at.is_(None))
        .where(
            ~select(newer.id)
            .where(newer.item_id == Analysis.item_id, newer.id > Analysis.id)
            .exists()
        )
        .where(~select(ReviewTask.id).where(ReviewTask.item_id == Item.id).exists())
        .where(or_(Item.cluster_id.is_(None), Item.cluster_id.not_in(queued_clusters)))
        .order_by(Item.id)
    ).all()
    if rows:
        ids = [r[0].id for r in rows]
        for start in range(0, len(ids), 500):
            session.execute(
                update(Analysis)
                .where(Analysis.id.in_(ids[start : start + 500]))
                .values(triaged_at=now)
                .execution_options(synchronize_session=False)
            )
    flagged = [r for r in rows if r[0].risk >= settings.review_risk_threshold]
    others = [r for r in rows if r[0].risk < settings.review_risk_threshold]
    n_uncertain = int(len(others) * settings.review_uncertain_share)
    by_doubt = sorted(others, key=lambda r: abs(_flag_probability(r[0]) - 0.5))
    uncertain = by_doubt[:n_uncertain]
    picked = {r[1].id for r in uncertain}
    audit = [
        r
        for r in others
        if r[1].id not in picked and _audit_pick(r[1].id, settings.review_audit_share)
    ]
    seen_clusters: set[int] = set()
    created = 0
    for reason, chosen in (("risk", flagged), ("uncertain", uncertain), ("audit", audit)):
        for analysis, item, sources in chosen:
            if item.cluster_id is not None:
                if item.cluster_id in seen_clusters:
                    continue
                seen_clusters.add(item.cluster_id)
            weight = (
                analysis.risk
                if reason == "risk"
                else 0.3 * max(analysis.risk, _flag_probability(analysis))
            )
            session.add(
                ReviewTask(
                    item_id=item.id,
                    analysis_id=analysis.id,
                    cluster_id=item.cluster_id,
                    reason=reason,
                    status=TaskStatus.pending,
                    created_at=now,
                    updated_at=now,
                    priority=priority(
                        weight, item.published_at or item.fetched_at, now, sources or 1
                    ),
                )
            )
            created += 1
    session.flush()
    return created


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        ReviewTask.status == TaskStatus.pending,
        and_(ReviewTask.status == TaskStatus.claimed, ReviewTask.lease_expires_at < now),
    )


def _open_to(user: User) -> tuple[Any, Any, Any]:
    """The conditions for a task ``user`` may be offered: neither skipped nor judged by them,
    nor of a story they reported themselves (the task's item, or an item of its cluster, is
    one of their reports: a report is reviewed by another collaborator)."""
    reported = aliased(Item)
    return (
        ~select(ReportSubmitter.report_id)
        .join(Report, Report.id == ReportSubmitter.report_id)
        .join(reported, reported.id == Report.item_id)
        .where(
            ReportSubmitter.user_id == user.id,
            or_(
                reported.id == ReviewTask.item_id,
                and_(
                    ReviewTask.cluster_id.is_not(None),
                    reported.cluster_id == ReviewTask.cluster_id,
                ),
            ),
        )
        .exists(),
        ~select(TaskSkip.id)
        .where(TaskSkip.task_id == ReviewTask.id, TaskSkip.user_id == user.id)
        .exists(),
        ~select(Verdict.id)
        .where(
            Verdict.task_id == ReviewTask.id,
            Verdict.reviewer_id == user.id,
            Verdict.withdrawn_at.is_(None),
        )
        .exists(),
    )


def _candidate(session: Session, user: User, state: Any) -> tuple[float, int] | None:
    """(priority, id) of the best task in ``state`` that ``user`` neither skipped nor judged.

    Ties go to the newer task (``id DESC``), so the walk runs backwards along
    ``ix_review_task_claim``; on PostgreSQL the row is taken ``FOR UPDATE SKIP LOCKED``.
    """
    query = (
        select(ReviewTask.priority, ReviewTask.id)
        .where(state)
        .where(*_open_to(user))
        .order_by(ReviewTask.priority.desc(), ReviewTask.id.desc())
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = session.execute(query).first()
    return (row[0], row[1]) if row is not None else None


def claimable_count(session: Session, user: User, now: datetime | None = None) -> int:
    """How many tasks ``user`` could claim now: pending or with an expired lease, neither
    skipped nor already judged by them (what "Còn n tin" means to that person)."""
    now = now or utcnow()
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReviewTask)
            .where(_claimable(now))
            .where(*_open_to(user))
        )
        or 0
    )


def get_task(session: Session, task_id: int) -> ReviewTask:
    """A task with its item, analysis and cluster (``NotFound`` if there is none)."""
    task = session.get(ReviewTask, task_id, options=TASK_LOADS)
    if task is None:
        raise NotFound(
            f"Không có lượt rà soát số {task_id}. (no task {task_id})", code="task_not_found"
        )
    return task


def held_task(session: Session, user: User, now: datetime | None = None) -> ReviewTask | None:
    """The task whose live lease ``user`` holds, if any."""
    return session.scalar(
        select(ReviewTask)
        .options(*TASK_LOADS)
        .where(
            ReviewTask.status == TaskStatus.claimed,
            ReviewTask.lease_holder_id == user.id,
            ReviewTask.lease_expires_at >= (now or utcnow()),
        )
        .limit(1)
    )


def claim_next(
    session: Session, user: User, settings: Settings, now: datetime | None = None
) -> ReviewTask | None:
    """Lease the highest-priority claimable task to ``user``; ``None`` when nothing is left.

    A reviewer who already holds a live lease gets that task back. The lease is taken with a
    compare-and-set UPDATE, so two reviewers can never hold one task, on SQLite or PostgreSQL;
    on PostgreSQL the candidate is also picked with ``FOR UPDATE SKIP LOCKED``. One reviewer
    never holds two leases: the database refuses it (``uq_review_task_one_lease``), so of two
    simultaneous claims by one person the second gets the first one's task.
    """
    now = now or utcnow()
    held = held_task(session, user, now)
    if held is not None:
        return held
    # The caller's own expired lease goes back to the queue first (it would count as held).
    session.execute(
        update(ReviewTask)
        .where(
            ReviewTask.lease_holder_id == user.id,
            ReviewTask.status == TaskStatus.claimed,
            ReviewTask.lease_expires_at < now,
        )
        .values(status=TaskStatus.pending, lease_holder_id=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    expires = now + timedelta(minutes=settings.lease_minutes)
    for _ in range(20):
        # Two index walks instead of one OR (which makes the database sort the whole queue):
        # the best pending task, and the best task whose lease ran out.
        found = [
            row
            for row in (
                _candidate(session, user, ReviewTask.status == TaskStatus.pending),
                _candidate(
                    session,
                    user,
                    and_(
                        ReviewTask.status == TaskStatus.claimed,
                        ReviewTask.lease_expires_at < now,
                    ),
                ),
            )
            if row is not None
        ]
        if not found:
            return None
        task_id = max(found)[1]
        try:
            with session.begin_nested():
                taken = session.execute(
                    update(ReviewTask)
                    .where(ReviewTask.id == task_id, _claimable(now))
                    .values(
                        status=TaskStatus.claimed,
                        lease_holder_id=user.id,
                        lease_expires_at=expires,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
        except IntegrityError:
            # A simultaneous claim of the same person won: theirs is the one lease.
            return _held_after_race(session, user, now)
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            task = session.get(ReviewTask, task_id, populate_existing=True, options=TASK_LOADS)
            assert task is not None
            record(
                session,
                user,
                "task.claim",
                "review_task",
                task.id,
                after={"status": task.status, "lease_expires_at": expires.isoformat()},
            )
            session.flush()
            return task
    return None


def _held_after_race(session: Session, user: User, now: datetime) -> ReviewTask | None:
    """The lease a simultaneous request of ``user`` took (committed by now: the unique index
    waited for it)."""
    session.expire_all()
    return held_task(session, user, now)


def _verdict_kind(verdict: str) -> VerdictKind:
    try:
        return VerdictKind(verdict)
    except ValueError as exc:
        raise DomainError(
            f"Kết luận không hợp lệ: {verdict!r}. (unknown verdict {verdict!r})",
            code="bad_verdict",
            status_code=422,
        ) from exc


def _check_lease(task: ReviewTask, user: User, now: datetime) -> None:
    if task.status != TaskStatus.claimed or task.lease_holder_id != user.id:
        raise LeaseError(
            "Bạn không giữ tin này: hãy nhận tin mới. (You do not hold this task's lease.)"
        )
    if task.lease_expires_at is None or task.lease_expires_at < now:
        raise LeaseError(
            "Thời gian giữ tin đã hết, tin đã trở lại hàng đợi. (Your lease expired.)",
            code="lease_expired",
        )


def decide(
    session: Session,
    task: ReviewTask,
    user: User,
    verdict: str,
    *,
    note: str = "",
    sentiment: str | None = None,
    relevant: bool | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
    idempotency_key: str | None = None,
) -> Verdict:
    """Record the lease holder's verdict; ``escalate`` sends the task to analysts.

    The verdict ends the lease with one compare-and-set UPDATE on (status, lease holder, lease
    expiry): of simultaneous submissions exactly one is stored, the others — and a verdict that
    loses the race with the lease's expiry — get ``LeaseError`` (409). A repeated request with
    the same ``idempotency_key`` (at most 64 characters) returns the verdict already stored.

    With the two-person rule on, a ``distortion`` or ``scam`` verdict counts once a second,
    different collaborator agrees: until then the task goes back to the queue (not to the same
    person); a disagreement sends it to the analysts.
    """
    now = now or utcnow()
    kind = _verdict_kind(verdict)
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()[:64] or None
    done = _replayed(session, user, idempotency_key, task, kind)
    if done is not None:
        return done
    try:
        _, before = _end_lease(session, task, user, kind, settings, now)
    except Conflict:
        # a simultaneous request with the same key may have stored it meanwhile
        done = _replayed(session, user, idempotency_key, task, kind)
        if done is not None:
            return done
        raise
    row = Verdict(
        task_id=task.id,
        reviewer_id=user.id,
        verdict=kind,
        note=note or "",
        sentiment=sentiment,
        relevant=relevant,
        created_at=now,
        idempotency_key=idempotency_key,
    )
    session.add(row)
    session.flush()
    session.refresh(task)
    record(
        session,
        user,
        "task.verdict",
        "review_task",
        task.id,
        before=before,
        after={
            "status": task.status,
            "verdict": kind.value,
            "verdict_id": row.id,
            "sentiment": sentiment,
            "relevant": relevant,
            "note": note or "",
        },
    )
    session.flush()
    return row


def _end_lease(
    session: Session,
    task: ReviewTask,
    user: User,
    kind: VerdictKind,
    settings: Settings | None,
    now: datetime,
) -> tuple[str, dict[str, Any]]:
    """End ``user``'s lease on ``task`` for a verdict ``kind`` with one compare-and-set UPDATE:
    (the task's new status, its state before), or ``LeaseError``/``Conflict`` when the lease is
    not (or no longer) the caller's or the caller already judged the task."""
    _check_lease(task, user, now)
    if session.scalar(
        select(Verdict.id).where(
            Verdict.task_id == task.id,
            Verdict.reviewer_id == user.id,
            Verdict.kind == "review",
            Verdict.withdrawn_at.is_(None),
        )
    ):
        raise Conflict(
            "Bạn đã cho ý kiến về tin này. (You already gave a verdict on this task.)",
            code="already_decided",
        )
    before = {"status": task.status, "lease_holder_id": task.lease_holder_id}
    status = _status_after(session, task, user, kind, settings)
    _held_update(
        session, task, user, now, status=status, lease_holder_id=None, lease_expires_at=None
    )
    return status, before


def _held_update(
    session: Session, task: ReviewTask, user: User, now: datetime, **values: Any
) -> None:
    """Change ``task`` only while ``user`` holds its live lease, in one compare-and-set UPDATE
    (a verdict, skip, release or renew racing another of them: one wins, the others get
    ``LeaseError``); the task object is refreshed from the database."""
    _check_lease(task, user, now)
    done = session.execute(
        update(ReviewTask)
        .where(
            ReviewTask.id == task.id,
            ReviewTask.status == TaskStatus.claimed,
            ReviewTask.lease_holder_id == user.id,
            ReviewTask.lease_expires_at >= now,
        )
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.expire_all()
        raise LeaseError(
            "Tin này vừa được xử lý hoặc đã hết thời gian giữ. "
            "(The task was decided meanwhile or your lease ended.)"
        )
    session.refresh(task)


def _replayed(
    session: Session, user: User, key: str | None, task: ReviewTask, kind: VerdictKind
) -> Verdict | None:
    """The verdict ``user`` already stored under ``key`` for this same submission (this task,
    this verdict), if any; ``DomainError`` 422 ``idempotency_key_reused`` when the key was used
    for another task or another verdict (never answer with another submission's verdict)."""
    if key is None:
        return None
    done = session.scalar(
        select(Verdict).where(Verdict.reviewer_id == user.id, Verdict.idempotency_key == key)
    )
    if done is not None and (done.task_id != task.id or done.verdict != kind.value):
        raise DomainError(
            "Khóa gửi (Idempotency-Key) này đã được dùng cho một kết luận khác. "
            "(This Idempotency-Key was already used for another verdict.)",
            code="idempotency_key_reused",
            status_code=422,
        )
    return done


def _status_after(
    session: Session, task: ReviewTask, user: User, kind: VerdictKind, settings: Settings | None
) -> str:
    """The task's status once ``user``'s verdict ``kind`` is stored. Under the two-person rule
    the latest standing (not withdrawn) review verdict of the *other* reviewers counts as the
    earlier opinion."""
    if kind == VerdictKind.escalate:
        return TaskStatus.escalated
    if settings is None or not settings.two_person_rule:
        return TaskStatus.decided
    earlier = session.scalars(
        select(Verdict)
        .where(
            Verdict.task_id == task.id,
            Verdict.kind == "review",
            Verdict.reviewer_id != user.id,
            Verdict.withdrawn_at.is_(None),
        )
        .order_by(Verdict.id)
    ).all()
    if not earlier:
        return (
            TaskStatus.pending
            if kind in (VerdictKind.distortion, VerdictKind.scam)
            else TaskStatus.decided
        )
    return TaskStatus.decided if earlier[-1].verdict == kind.value else TaskStatus.escalated


def renew(
    session: Session, task: ReviewTask, user: User, settings: Settings, now: datetime | None = None
) -> ReviewTask:
    """Extend the caller's live lease by ``lease_minutes`` from now."""
    now = now or utcnow()
    _held_update(
        session, task, user, now, lease_expires_at=now + timedelta(minutes=settings.lease_minutes)
    )
    assert task.lease_expires_at is not None
    record(
        session,
        user,
        "task.renew",
        "review_task",
        task.id,
        after={"lease_expires_at": task.lease_expires_at.isoformat()},
    )
    session.flush()
    return task


def skip(
    session: Session, task: ReviewTask, user: User, reason: str, now: datetime | None = None
) -> ReviewTask:
    """Give the task back with a reason; the caller is not offered it again."""
    now = now or utcnow()
    if not reason.strip():
        raise DomainError(
            "Hãy ghi lý do bỏ qua. (A reason is required.)", code="reason_required", status_code=422
        )
    _held_update(
        session,
        task,
        user,
        now,
        status=TaskStatus.pending,
        lease_holder_id=None,
        lease_expires_at=None,
    )
    session.add(TaskSkip(task_id=task.id, user_id=user.id, reason=reason.strip(), created_at=now))
    record(
        session,
        user,
        "task.skip",
        "review_task",
        task.id,
        before={"status": TaskStatus.claimed},
        after={"status": TaskStatus.pending, "reason": reason.strip()},
    )
    session.flush()
    return task


def escalations(session: Session, limit: int = 50, after_id: int | None = None) -> list[ReviewTask]:
    """Escalated tasks, oldest first (keyset pagination by id)."""
    query = (
        select(ReviewTask)
        .options(*TASK_LOADS, selectinload(ReviewTask.verdicts))
        .where(ReviewTask.status == TaskStatus.escalated)
        .order_by(ReviewTask.id)
        .limit(limit)
    )
    if after_id is not None:
        query = query.where(ReviewTask.id > after_id)
    return list(session.scalars(query))


def override(
    session: Session,
    task: ReviewTask,
    analyst: User,
    verdict: str,
    reason: str,
    *,
    sentiment: str | None = None,
    relevant: bool | None = None,
    now: datetime | None = None,
) -> Verdict:
    """An analyst's final decision on any task, with a mandatory reason; nothing is deleted."""
    now = now or utcnow()
    if not reason.strip():
        raise DomainError(
            "Hãy ghi lý do. (A reason is required to override.)",
            code="reason_required",
            status_code=422,
        )
    kind = _verdict_kind(verdict)
    if kind == VerdictKind.escalate:
        raise DomainError(
            "Quyết định cuối cùng phải là sai lệch, lừa đảo hoặc không có vấn đề. "
            "(an override decides: distortion, scam or not_misinformation)",
            code="bad_verdict",
            status_code=422,
        )
    standing = [v for v in task.verdicts if v.standing]
    before = {
        "status": task.status,
        "lease_holder_id": task.lease_holder_id,
        "last_verdict": standing[-1].verdict if standing else None,
    }
    row = Verdict(
        task=task,
        reviewer_id=analyst.id,
        verdict=kind,
        kind="override",
        note=reason.strip(),
        sentiment=sentiment,
        relevant=relevant,
        created_at=now,
    )
    session.add(row)
    task.status, task.lease_holder_id, task.lease_expires_at, task.updated_at = (
        TaskStatus.decided,
        None,
        None,
        now,
    )
    session.flush()
    record(
        session,
        analyst,
        "task.override",
        "review_task",
        task.id,
        before=before,
        after={
            "status": task.status,
            "verdict": kind.value,
            "verdict_id": row.id,
            "reason": reason.strip(),
        },
    )
    session.flush()
    return row


def release(
    session: Session, task: ReviewTask, user: User, now: datetime | None = None
) -> ReviewTask:
    """Give a held task back to the queue."""
    now = now or utcnow()
    _held_update(
        session,
        task,
        user,
        now,
        status=TaskStatus.pending,
        lease_holder_id=None,
        lease_expires_at=None,
    )
    record(
        session,
        user,
        "task.release",
        "review_task",
        task.id,
        before={"status": TaskStatus.claimed},
        after={"status": TaskStatus.pending},
    )
    session.flush()
    return task


# --- taking a verdict back -------------------------------------------------------------------

UNDO_SLACK_S = 3.0  # the undo window's allowance for a slow network, on top of undo_seconds


def get_verdict(session: Session, verdict_id: int) -> Verdict:
    """A verdict with its task (``NotFound`` if there is none)."""
    row = session.get(Verdict, verdict_id, options=[joinedload(Verdict.task)])
    if row is None:
        raise NotFound(
            f"Không có kết luận số {verdict_id}. (no verdict {verdict_id})",
            code="verdict_not_found",
        )
    return row


def undo_left(verdict: Verdict, settings: Settings, now: datetime | None = None) -> float:
    """Seconds left (≥ 0) in which ``verdict``'s reviewer may still undo it, as shown to them
    (``undo_seconds`` after it was given; the server adds ``UNDO_SLACK_S`` when it checks)."""
    now = now or utcnow()
    return max(0.0, settings.undo_seconds - (now - verdict.created_at).total_seconds())


def _own_standing_review(verdict: Verdict, user: User) -> None:
    """Refuse unless ``verdict`` is ``user``'s own review verdict and still stands."""
    if verdict.reviewer_id != user.id or verdict.kind != "review":
        raise DomainError(
            "Đây không phải kết luận của bạn. (Not your verdict.)",
            code="forbidden",
            status_code=403,
        )
    if not verdict.standing:
        raise Conflict(
            "Kết luận này đã được hoàn tác hoặc thay bằng kết luận khác. "
            "(This verdict was already undone or replaced.)",
            code="verdict_withdrawn",
        )


def _touch_if_unchanged(
    session: Session, task: ReviewTask, since: datetime, now: datetime, **values: Any
) -> None:
    """Change ``task`` only if nobody acted on it after ``since`` (its ``updated_at``, which
    every claim, verdict, skip, release, renew and override sets), in one compare-and-set
    UPDATE; ``Conflict`` ``task_moved_on`` otherwise."""
    done = session.execute(
        update(ReviewTask)
        .where(ReviewTask.id == task.id, ReviewTask.updated_at <= since)
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.expire_all()
        raise Conflict(
            "Đã có người khác xử lý tin này sau kết luận của bạn nên không thể đổi nữa. "
            "(Someone else acted on this task since your verdict.)",
            code="task_moved_on",
        )
    session.refresh(task)


def undo(
    session: Session, verdict: Verdict, user: User, settings: Settings, now: datetime | None = None
) -> ReviewTask:
    """Withdraw ``user``'s own verdict within the undo window and give them the task back.

    The verdict is kept, marked withdrawn (``withdrawn_at``; its idempotency key is cleared,
    so the same submission sent again is a new verdict); the task returns to ``user``
    with a fresh lease of ``lease_minutes`` so its card shows again. A lease ``user`` holds on
    another task (the next one, claimed after the verdict) goes back to the queue first — one
    lease per reviewer. Refused with ``Conflict`` (409): ``undo_too_late`` once
    ``undo_seconds`` + ``UNDO_SLACK_S`` have passed, ``task_moved_on`` when anyone acted on the
    task since (a claim, another verdict, an override…), ``verdict_withdrawn`` when it no longer
    stands; ``DomainError`` 403 for someone else's verdict. Audited as ``task.undo`` with the old
    verdict.
    """
    now = now or utcnow()
    _own_standing_review(verdict, user)
    if (now - verdict.created_at).total_seconds() > settings.undo_seconds + UNDO_SLACK_S:
        raise Conflict(
            "Đã quá thời gian hoàn tác. Bạn vẫn có thể đổi kết luận trong mục «Đã làm». "
            "(The undo window has passed.)",
            code="undo_too_late",
        )
    task = verdict.task
    if task.updated_at > verdict.created_at or any(v.id > verdict.id for v in task.verdicts):
        raise Conflict(
            "Đã có người khác xử lý tin này sau kết luận của bạn nên không thể hoàn tác. "
            "(Someone else acted on this task since your verdict.)",
            code="task_moved_on",
        )
    other = held_task(session, user, now)
    if other is not None and other.id != task.id:
        release(session, other, user, now)
    before = {"status": task.status, "verdict": verdict.verdict, "verdict_id": verdict.id}
    expires = now + timedelta(minutes=settings.lease_minutes)
    _touch_if_unchanged(
        session,
        task,
        verdict.created_at,
        now,
        status=TaskStatus.claimed,
        lease_holder_id=user.id,
        lease_expires_at=expires,
    )
    verdict.withdrawn_at = now
    # its submission key no longer answers: the same form sent again is a new verdict
    verdict.idempotency_key = None
    record(
        session,
        user,
        "task.undo",
        "review_task",
        task.id,
        before=before,
        after={
            "status": task.status,
            "withdrawn_verdict_id": verdict.id,
            "lease_expires_at": expires.isoformat(),
        },
    )
    session.flush()
    return task


def change_verdict(
    session: Session,
    verdict: Verdict,
    user: User,
    new_verdict: str,
    reason: str,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Verdict:
    """Replace ``user``'s own standing verdict by ``new_verdict``, saying why (from "Đã làm").

    Allowed until an analyst has acted on the task (an override): then ``Conflict``
    ``analyst_decided``. Also refused while someone else holds a live lease on the task
    (``Conflict`` ``task_busy``), for the same verdict again (422 ``same_verdict``), without a
    reason (422 ``reason_required``) and for someone else's verdict (403). The old verdict is
    kept, marked withdrawn with ``replaced_by_id``; the new one (its note is the reason) takes
    its place and the task's status is recomputed as for a new verdict (two-person rule
    included: it may go back to the queue, be decided or go to the analysts). Audited as
    ``task.verdict_change`` with the old and new verdict and the reason. Returns the new verdict.
    """
    now = now or utcnow()
    _own_standing_review(verdict, user)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "Hãy ghi lý do đổi kết luận. (A reason is required.)",
            code="reason_required",
            status_code=422,
        )
    kind = _verdict_kind(new_verdict)
    if kind.value == verdict.verdict:
        raise DomainError(
            "Kết luận mới giống kết luận cũ. (The new verdict is the same as the old one.)",
            code="same_verdict",
            status_code=422,
        )
    task = verdict.task
    if any(v.kind == "override" for v in task.verdicts):
        raise Conflict(
            "Chuyên viên đã quyết định về tin này nên không thể đổi kết luận nữa. "
            "(An analyst has already decided this task.)",
            code="analyst_decided",
        )
    if (
        task.status == TaskStatus.claimed
        and task.lease_holder_id not in (None, user.id)
        and task.lease_expires_at is not None
        and task.lease_expires_at >= now
    ):
        raise Conflict(
            "Tin này đang được người khác xem; hãy thử lại sau ít phút. "
            "(Someone else is reviewing this task now.)",
            code="task_busy",
        )
    before = {"status": task.status, "verdict": verdict.verdict, "verdict_id": verdict.id}
    seen = task.updated_at
    verdict.withdrawn_at = now
    verdict.idempotency_key = None  # an old form sent again must not answer with this one
    session.flush()  # the old verdict no longer counts when the status is recomputed
    status = _status_after(session, task, user, kind, settings)
    row = Verdict(
        task_id=task.id,
        reviewer_id=user.id,
        verdict=kind,
        note=reason,
        sentiment=verdict.sentiment,
        relevant=verdict.relevant,
        created_at=now,
    )
    session.add(row)
    _touch_if_unchanged(
        session,
        task,
        seen,
        now,
        status=status,
        lease_holder_id=None,
        lease_expires_at=None,
    )
    verdict.replaced_by_id = row.id
    record(
        session,
        user,
        "task.verdict_change",
        "review_task",
        task.id,
        before=before,
        after={
            "status": task.status,
            "verdict": kind.value,
            "verdict_id": row.id,
            "reason": reason,
        },
    )
    session.flush()
    return row


def send_to_review(
    session: Session,
    item: Item,
    analyst: User,
    note: str = "",
    now: datetime | None = None,
) -> ReviewTask:
    """An analyst sends ``item`` to review: a new pending task (``reason`` "analyst"), or its
    decided or escalated task reopened (pending, earlier verdicts kept). Its priority is that
    of the highest risk (1.0 × recency × reach), so it comes before the machine's flags.

    ``Conflict`` ``already_queued`` when its task is already waiting or being reviewed;
    ``Conflict`` ``text_purged`` when its text was blanked by retention (``core.retention``):
    nothing is left to review. Audited as ``task.send_to_review`` (with the note, if any).
    """
    now = now or utcnow()
    if item.purged_at is not None:
        raise Conflict(
            "Nội dung tin này đã xoá theo thời hạn lưu trữ, không còn gì để rà soát. "
            "(This item's text was removed under the retention policy.)",
            code="text_purged",
        )
    task = session.scalar(select(ReviewTask).where(ReviewTask.item_id == item.id))
    if task is not None and task.status in (TaskStatus.pending, TaskStatus.claimed):
        raise Conflict(
            "Tin này đang chờ hoặc đang được rà soát. (This item is already in the queue.)",
            code="already_queued",
        )
    sources = item.cluster.source_count if item.cluster is not None else 1
    weight = priority(1.0, item.published_at or item.fetched_at, now, sources)
    before: dict[str, Any] | None = None
    if task is None:
        analysis_id = session.scalar(
            select(Analysis.id)
            .where(Analysis.item_id == item.id)
            .order_by(Analysis.id.desc())
            .limit(1)
        )
        task = ReviewTask(
            item_id=item.id,
            analysis_id=analysis_id,
            cluster_id=item.cluster_id,
            reason="analyst",
            status=TaskStatus.pending,
            created_at=now,
            updated_at=now,
            priority=weight,
        )
        session.add(task)
    else:
        before = {"status": task.status, "reason": task.reason}
        task.status, task.reason, task.priority = TaskStatus.pending, "analyst", weight
        task.lease_holder_id, task.lease_expires_at, task.updated_at = None, None, now
    session.flush()
    record(
        session,
        analyst,
        "task.send_to_review",
        "review_task",
        task.id,
        before=before,
        after={"status": task.status, "item_id": item.id, "note": note.strip()},
    )
    session.flush()
    return task
