"""What a reviewer has given: the verdicts of a week as "Đã làm" lists them, and the verdict they
may still undo ("Hoàn tác", offered right after a verdict). Reads only; taking a verdict back or
changing it is ``review.history``'s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.calendar import Week
from core.config import Settings
from core.tables import Item, ReviewTask, User, Verdict, VerdictKind
from review.history import undo_left


@dataclass(frozen=True)
class GivenVerdict:
    """One of a reviewer's standing verdicts with its item; ``can_change`` is true for a review
    verdict on a task no analyst has overridden (else ``change_verdict`` would refuse it with
    ``analyst_decided``, or it is the reviewer's own override)."""

    verdict: Verdict
    item: Item
    can_change: bool


def verdicts_given(session: Session, user: User, week: Week) -> list[GivenVerdict]:
    """``user``'s verdicts given in ``week`` that still stand (neither undone nor replaced),
    reviews and overrides alike, newest first; ``[]`` when there are none. Raises nothing."""
    overridden = set(
        session.scalars(
            select(Verdict.task_id).where(
                Verdict.kind == VerdictKind.override,
                Verdict.task_id.in_(select(Verdict.task_id).where(Verdict.reviewer_id == user.id)),
            )
        )
    )
    rows = session.execute(
        select(Verdict, Item)
        .join(ReviewTask, ReviewTask.id == Verdict.task_id)
        .join(Item, Item.id == ReviewTask.item_id)
        .where(
            Verdict.reviewer_id == user.id,
            Verdict.withdrawn_at.is_(None),  # undone or replaced: not theirs any more
            Verdict.created_at >= week.start,
            Verdict.created_at < week.end,
        )
        .order_by(Verdict.created_at.desc())
    )
    return [
        GivenVerdict(
            verdict=verdict,
            item=item,
            can_change=verdict.kind == VerdictKind.review and verdict.task_id not in overridden,
        )
        for verdict, item in rows
    ]


@dataclass(frozen=True)
class UndoOffer:
    """A verdict its reviewer may still take back, and the seconds left to do so (> 0)."""

    verdict: Verdict
    seconds_left: float


def undo_offer(
    session: Session,
    user: User,
    verdict_id: int,
    settings: Settings,
    now: datetime | None = None,
) -> UndoOffer | None:
    """The undo ``user`` may be offered for verdict ``verdict_id``: their own standing review
    verdict, within ``undo_seconds`` (``undo_left``, without the server's slack) and with nobody
    having acted on its task since. ``None`` otherwise, also for no such verdict; raises
    nothing. ``review.history.undo`` makes the same checks when the offer is taken."""
    verdict = session.get(Verdict, verdict_id)
    if verdict is None or verdict.reviewer_id != user.id or not verdict.standing:
        return None
    left = undo_left(verdict, settings, now)
    if (
        left <= 0
        or verdict.kind != VerdictKind.review
        or verdict.task.updated_at > verdict.created_at
    ):
        return None
    return UndoOffer(verdict=verdict, seconds_left=left)
