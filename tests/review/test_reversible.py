"""Verdicts are safe and reversible: undo within the window, change one's own verdict until an
analyst acts, an analyst sends any item to review — and a verdict taken back counts nowhere."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.calendar import Week
from core.config import Settings
from core.db import utcnow
from core.errors import Conflict, DomainError
from core.tables import AuditEvent, ReviewTask, TaskStatus, Verdict
from report.loading import load_week
from review.agreement import agreement
from review.decisions import review_labels
from review.queue import (
    UNDO_SLACK_S,
    change_verdict,
    claim_next,
    claimable_count,
    decide,
    override,
    send_to_review,
    undo,
)
from tests.factories import make_analysis, make_item, make_task, make_user


def _audit(session: Session, action: str) -> AuditEvent:
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
    )
    assert event is not None, f"no {action} audit event"
    return event


def test_undo_gives_the_task_back_and_the_verdict_counts_no_more(
    session: Session, settings: Settings
) -> None:
    now = utcnow()
    first, second = make_task(session, priority=0.9), make_task(session, priority=0.5)
    ctv = make_user(session)
    task = claim_next(session, ctv, settings, now)
    assert task is not None
    assert task.id == first.id
    given = decide(session, task, ctv, "scam", settings=settings, now=now, idempotency_key="card-1")
    following = claim_next(session, ctv, settings, now)  # the page claims the next one
    assert following is not None
    assert following.id == second.id
    session.commit()

    back = undo(session, given, ctv, settings, now + timedelta(seconds=5))
    session.commit()
    assert back.id == first.id
    assert back.status == TaskStatus.claimed
    assert back.lease_holder_id == ctv.id
    assert back.lease_expires_at is not None
    assert back.lease_expires_at > now + timedelta(minutes=5)
    session.refresh(second)
    assert second.status == TaskStatus.pending
    assert second.lease_holder_id is None
    session.refresh(given)
    assert given.withdrawn_at is not None
    assert given.replaced_by_id is None
    assert session.get(Verdict, given.id) is not None
    event = _audit(session, "task.undo")
    assert event.before == {"status": "decided", "verdict": "scam", "verdict_id": given.id}
    assert event.after is not None
    assert event.after["status"] == "claimed"
    # the collaborator decides again: the withdrawn verdict does not count as "already decided",
    # and its submission key (the same card's form sent again) stores a new verdict
    again = decide(
        session,
        back,
        ctv,
        "not_misinformation",
        settings=settings,
        now=now + timedelta(seconds=8),
        idempotency_key="card-1",
    )
    assert again.id != given.id
    assert again.label == "not_misinformation"
    assert back.status == TaskStatus.decided


def test_undo_is_refused_once_the_window_has_passed(session: Session, settings: Settings) -> None:
    now = utcnow()
    make_task(session)
    ctv = make_user(session)
    task = claim_next(session, ctv, settings, now)
    assert task is not None
    given = decide(session, task, ctv, "scam", settings=settings, now=now)
    late = now + timedelta(seconds=settings.undo_seconds + UNDO_SLACK_S + 1)
    with pytest.raises(Conflict, match="quá thời gian") as refused:
        undo(session, given, ctv, settings, late)
    assert refused.value.code == "undo_too_late"
    assert given.withdrawn_at is None
    assert task.status == TaskStatus.decided
    # within the slack it still works (the banner may vanish a little before the server's end)
    short = settings.model_copy(update={"undo_seconds": 2.0})
    assert undo(session, given, ctv, short, now + timedelta(seconds=4)).status == "claimed"


def test_undo_is_refused_when_someone_else_acted_since(
    session: Session, settings: Settings
) -> None:
    now = utcnow()
    two = settings.model_copy(update={"two_person_rule": True})
    make_task(session)
    a, b = make_user(session, "ctva"), make_user(session, "ctvb")
    task = claim_next(session, a, two, now)
    assert task is not None
    given = decide(session, task, a, "scam", settings=two, now=now)
    assert task.status == TaskStatus.pending  # waits for a second collaborator
    assert claim_next(session, b, two, now + timedelta(seconds=2)) is not None
    with pytest.raises(Conflict) as refused:
        undo(session, given, a, two, now + timedelta(seconds=4))
    assert refused.value.code == "task_moved_on"
    with pytest.raises(DomainError) as foreign:
        undo(session, given, b, two, now + timedelta(seconds=4))
    assert foreign.value.status_code == 403


def test_change_keeps_the_old_verdict_marked_and_is_audited(
    session: Session, settings: Settings
) -> None:
    now = utcnow()
    make_task(session)
    ctv = make_user(session)
    task = claim_next(session, ctv, settings, now)
    assert task is not None
    old = decide(session, task, ctv, "scam", settings=settings, now=now)
    with pytest.raises(DomainError, match="lý do"):
        change_verdict(session, old, ctv, "not_misinformation", "  ", settings=settings)
    with pytest.raises(DomainError) as same:
        change_verdict(session, old, ctv, "scam", "nhầm", settings=settings)
    assert same.value.code == "same_verdict"
    new = change_verdict(
        session,
        old,
        ctv,
        "not_misinformation",
        "Đây là bài cảnh báo lừa đảo",
        settings=settings,
        now=now + timedelta(hours=1),
    )
    session.commit()
    session.refresh(old)
    assert old.withdrawn_at is not None
    assert old.replaced_by_id == new.id
    assert new.label == "not_misinformation"
    assert new.note == "Đây là bài cảnh báo lừa đảo"
    assert task.status == TaskStatus.decided
    event = _audit(session, "task.verdict_change")
    assert event.before == {"status": "decided", "verdict": "scam", "verdict_id": old.id}
    assert event.after == {
        "status": "decided",
        "verdict": "not_misinformation",
        "verdict_id": new.id,
        "reason": "Đây là bài cảnh báo lừa đảo",
    }
    with pytest.raises(Conflict) as again:  # the replaced verdict cannot be changed twice
        change_verdict(session, old, ctv, "distortion", "lại nhầm", settings=settings)
    assert again.value.code == "verdict_withdrawn"


def test_no_change_once_an_analyst_has_acted(session: Session, settings: Settings) -> None:
    now = utcnow()
    make_task(session)
    ctv, analyst = make_user(session, "ctv"), make_user(session, "pt", "analyst")
    task = claim_next(session, ctv, settings, now)
    assert task is not None
    given = decide(session, task, ctv, "escalate", settings=settings, now=now)
    override(session, task, analyst, "scam", "Đã đối chiếu", now=now + timedelta(minutes=1))
    with pytest.raises(Conflict, match="Chuyên viên") as refused:
        change_verdict(session, given, ctv, "scam", "tôi chắc rồi", settings=settings)
    assert refused.value.code == "analyst_decided"


def test_a_change_recomputes_the_status_under_the_two_person_rule(
    session: Session, settings: Settings
) -> None:
    now = utcnow()
    two = settings.model_copy(update={"two_person_rule": True})
    make_task(session)
    a, b = make_user(session, "ctva"), make_user(session, "ctvb")
    task = claim_next(session, a, two, now)
    assert task is not None
    va = decide(session, task, a, "scam", settings=two, now=now)
    assert claim_next(session, b, two, now) is not None
    vb = decide(session, task, b, "scam", settings=two, now=now + timedelta(seconds=1))
    assert task.status == TaskStatus.decided  # two agreed
    later = now + timedelta(minutes=5)
    va2 = change_verdict(
        session, va, a, "not_misinformation", "là cảnh báo", settings=two, now=later
    )
    assert task.status == TaskStatus.escalated  # now they disagree
    change_verdict(
        session,
        vb,
        b,
        "not_misinformation",
        "đồng ý",
        settings=two,
        now=later + timedelta(seconds=1),
    )
    assert task.status == TaskStatus.decided  # agree again, on the new verdict
    assert va2.withdrawn_at is None


def test_withdrawn_verdicts_are_ignored_by_agreement_report_and_labels(
    session: Session, settings: Settings
) -> None:
    now = utcnow()
    two = settings.model_copy(update={"two_person_rule": True})
    make_task(session)
    a, b = make_user(session, "ctva"), make_user(session, "ctvb")
    task = claim_next(session, a, two, now)
    assert task is not None
    va = decide(session, task, a, "scam", settings=two, now=now)
    assert claim_next(session, b, two, now) is not None
    decide(session, task, b, "scam", settings=two, now=now + timedelta(seconds=1))
    change_verdict(
        session,
        va,
        a,
        "not_misinformation",
        "cảnh báo",
        settings=two,
        now=now + timedelta(seconds=2),
    )
    session.commit()
    rows = agreement(session)
    assert rows
    assert rows[-1]["reviewer_pairs"] == 1
    assert rows[-1]["reviewer_agreement"] == 0.0  # b's scam vs a's standing not_misinformation

    # the weekly report's verdict is the latest standing one; an undone verdict leaves none
    make_task(session, priority=0.1)
    other = claim_next(session, a, settings, now)
    assert other is not None
    assert other.id != task.id
    given = decide(session, other, a, "scam", settings=settings, now=now)
    undo(session, given, a, settings, now + timedelta(seconds=1))
    session.commit()
    frame = load_week(session, Week.containing(now)).set_index("title")
    assert pd.isna(frame.loc[other.item.title, "verdict"])
    # a task reopened to collaborators with no standing verdict gives no training label
    assert other.id not in {lab.task_id for lab in review_labels(session)}


def test_an_undone_verdict_no_longer_keeps_its_reviewer_from_the_task(
    session: Session, settings: Settings
) -> None:
    now = utcnow()
    make_task(session)
    ctv = make_user(session)
    task = claim_next(session, ctv, settings, now)
    assert task is not None
    given = decide(session, task, ctv, "scam", settings=settings, now=now)
    assert claimable_count(session, ctv, now) == 0
    undo(session, given, ctv, settings, now + timedelta(seconds=1))
    expired = now + timedelta(minutes=settings.lease_minutes + 1)
    assert claimable_count(session, ctv, expired) == 1  # the lease ran out: theirs again


def test_an_analyst_sends_any_item_to_review(session: Session, settings: Settings) -> None:
    now = utcnow()
    analyst, ctv = make_user(session, "pt", "analyst"), make_user(session, "ctv")
    calm = make_item(session)
    make_analysis(session, calm, risk=0.1, misinfo="none")
    created = send_to_review(session, calm, analyst, "xem lại giúp", now=now)
    assert created.status == TaskStatus.pending
    assert created.reason == "analyst"
    assert _audit(session, "task.send_to_review").after == {
        "status": "pending",
        "item_id": calm.id,
        "note": "xem lại giúp",
    }
    with pytest.raises(Conflict) as queued:
        send_to_review(session, calm, analyst, now=now)
    assert queued.value.code == "already_queued"
    low = make_task(session, priority=0.95)  # the machine's flag comes after the analyst's
    assert created.priority > low.priority
    task = claim_next(session, ctv, settings, now)
    assert task is not None
    assert task.id == created.id
    decide(session, task, ctv, "not_misinformation", settings=settings, now=now)
    assert task.status == TaskStatus.decided
    reopened = send_to_review(session, calm, analyst, now=now + timedelta(minutes=1))
    assert reopened.id == created.id
    assert reopened.status == TaskStatus.pending
    assert _audit(session, "task.send_to_review").before == {
        "status": "decided",
        "reason": "analyst",
    }
    assert len(session.scalars(select(ReviewTask).where(ReviewTask.item_id == calm.id)).all()) == 1
