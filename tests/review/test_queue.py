from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import AuditEvent, ReviewTask, TaskStatus, User
from review.queue import LeaseError, claim_next, decide, enqueue_flagged, priority, release
from tests.factories import make_analysis, make_item, make_task, make_user

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_enqueue_takes_the_latest_analysis_over_the_threshold(
    session: Session, settings: Settings
) -> None:
    risky, calm, rescored = make_item(session), make_item(session), make_item(session)
    make_analysis(session, risky, risk=0.9)
    make_analysis(session, calm, risk=0.2, misinfo="none")
    make_analysis(session, rescored, risk=0.95)
    make_analysis(session, rescored, risk=0.1, misinfo="none")  # a newer analysis cleared it
    assert enqueue_flagged(session, settings, NOW) == 1
    assert enqueue_flagged(session, settings, NOW) == 0  # idempotent
    assert session.scalar(select(ReviewTask.item_id)) == risky.id


def test_priority_prefers_risk_and_recency() -> None:
    assert priority(0.9, NOW, NOW) > priority(0.9, NOW - timedelta(days=7), NOW)
    assert priority(0.9, NOW, NOW) > priority(0.6, NOW, NOW)
    assert priority(0.8, NOW - timedelta(days=365), NOW) >= 0.4


def test_claim_decide_and_audit(session: Session, settings: Settings) -> None:
    low, high = make_task(session, priority=0.2), make_task(session, priority=0.9)
    user = make_user(session)
    task = claim_next(session, user, settings, NOW)
    assert task is not None
    assert task.id == high.id
    assert claim_next(session, user, settings, NOW).id == high.id  # a live lease comes back
    verdict = decide(session, task, user, "scam", note="link giả", now=NOW)
    session.commit()
    assert task.status == TaskStatus.decided
    assert task.lease_holder_id is None
    assert verdict.reviewer_id == user.id
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["task.claim", "task.verdict"]
    assert claim_next(session, user, settings, NOW).id == low.id


def test_only_the_lease_holder_decides_and_leases_expire(
    session: Session, settings: Settings
) -> None:
    make_task(session)
    a, b = make_user(session, "ctva"), make_user(session, "ctvb")
    task = claim_next(session, a, settings, NOW)
    assert claim_next(session, b, settings, NOW) is None  # nothing else to claim
    with pytest.raises(LeaseError):
        decide(session, task, b, "scam", now=NOW)
    later = NOW + timedelta(minutes=settings.lease_minutes + 1)
    with pytest.raises(LeaseError, match="hết"):
        decide(session, task, a, "scam", now=later)
    again = claim_next(session, b, settings, later)
    assert again.id == task.id
    assert again.lease_holder_id == b.id
    release(session, again, b, later)
    assert again.status == TaskStatus.pending


def test_escalate_and_unknown_verdict(session: Session, settings: Settings) -> None:
    make_task(session)
    user = make_user(session)
    task = claim_next(session, user, settings, NOW)
    with pytest.raises(Exception, match="unknown verdict"):
        decide(session, task, user, "maybe", now=NOW)
    decide(session, task, user, "escalate", now=NOW)
    assert task.status == TaskStatus.escalated


def test_concurrent_claims_never_share_a_task(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    with factory() as s:
        for i in range(40):
            make_task(s, priority=i / 40)
        users = [make_user(s, f"ctv{i}") for i in range(8)]
        s.commit()
        user_ids = [u.id for u in users]

    def drain(user_id: int) -> list[int]:
        got = []
        with factory() as s:
            user = s.get(User, user_id)
            while True:
                task = claim_next(s, user, settings, NOW)
                if task is None:
                    return got
                got.append(task.id)
                decide(s, task, user, "not_misinformation", now=NOW)
                s.commit()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(drain, user_ids))
    claimed = [t for r in results for t in r]
    assert len(claimed) == 40
    assert len(set(claimed)) == 40
