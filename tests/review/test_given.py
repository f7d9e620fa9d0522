"""What a reviewer has given: "Đã làm" lists their standing verdicts of a week (which they may
still change), the queue page offers to undo the verdict just given, and the queue's depth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from core.calendar import Week
from core.config import Settings
from core.tables import TaskStatus
from review.queue import (
    claim_next,
    decide,
    override,
    pending_count,
    undo,
    undo_offer,
    verdicts_given,
)
from tests.factories import make_task, make_user

# A Thursday noon in Vietnam: every step of a test stays in the same week.
NOW = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)


def _decide(session: Session, settings: Settings, user, verdict: str, now: datetime):  # type: ignore[no-untyped-def]
    task = claim_next(session, user, settings, now)
    assert task is not None
    return decide(session, task, user, verdict, settings=settings, now=now)


def test_verdicts_given_lists_a_weeks_standing_verdicts_newest_first(
    session: Session, settings: Settings
) -> None:
    for _ in range(5):
        make_task(session)
    ctv, other = make_user(session), make_user(session, "ctv2")
    analyst = make_user(session, "an1", "analyst")
    last_week = _decide(session, settings, ctv, "scam", NOW - timedelta(days=7))
    first = _decide(session, settings, ctv, "scam", NOW)
    overridden = _decide(session, settings, ctv, "distortion", NOW + timedelta(minutes=1))
    taken_back = _decide(session, settings, ctv, "scam", NOW + timedelta(minutes=2))
    undo(session, taken_back, ctv, settings, NOW + timedelta(minutes=2, seconds=3))
    _decide(session, settings, other, "scam", NOW + timedelta(minutes=3))  # someone else's
    override(session, overridden.task, analyst, "scam", "nguồn giả", now=NOW + timedelta(hours=1))
    session.flush()

    given = verdicts_given(session, ctv, Week.containing(NOW))

    assert [g.verdict.id for g in given] == [overridden.id, first.id]
    assert [g.item.id for g in given] == [overridden.task.item_id, first.task.item_id]
    assert [g.can_change for g in given] == [False, True]  # an analyst acted on the first
    assert last_week.id not in {g.verdict.id for g in given}
    assert verdicts_given(session, analyst, Week.containing(NOW))[0].can_change is False
    assert verdicts_given(session, ctv, Week.containing(NOW + timedelta(days=7))) == []


def test_undo_offer_lasts_the_window_and_only_for_the_own_untouched_verdict(
    session: Session, settings: Settings
) -> None:
    make_task(session)
    ctv, other = make_user(session), make_user(session, "ctv2")
    given = _decide(session, settings, ctv, "scam", NOW)

    offer = undo_offer(session, ctv, given.id, settings, NOW + timedelta(seconds=4))
    assert offer is not None
    assert offer.verdict.id == given.id
    assert offer.seconds_left == settings.undo_seconds - 4
    late = NOW + timedelta(seconds=settings.undo_seconds)
    assert undo_offer(session, ctv, given.id, settings, late) is None
    assert undo_offer(session, other, given.id, settings, NOW) is None
    assert undo_offer(session, ctv, given.id + 1000, settings, NOW) is None
    given.task.updated_at = NOW + timedelta(seconds=1)  # someone acted on the task since
    session.flush()
    assert undo_offer(session, ctv, given.id, settings, NOW + timedelta(seconds=2)) is None


def test_pending_count_is_what_waits_for_anyone(session: Session, settings: Settings) -> None:
    assert pending_count(session) == 0
    for _ in range(3):
        make_task(session)
    make_task(session).status = TaskStatus.decided
    ctv = make_user(session)
    assert claim_next(session, ctv, settings, NOW) is not None
    # claimed long ago, its lease run out: still not counted as waiting
    assert pending_count(session) == 2
