from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.errors import DomainError
from core.tables import AuditEvent, ReviewTask, TaskStatus, User, Verdict
from review.queue import (
    LeaseError,
    claim_next,
    decide,
    enqueue_flagged,
    escalations,
    override,
    priority,
    release,
    renew,
    skip,
)
from tests.factories import make_analysis, make_item, make_task, make_user

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_enqueue_takes_the_latest_analysis_over_the_threshold(
    session: Session, settings: Settings
) -> None:
    settings = settings.model_copy(
        update={"review_uncertain_share": 0.0, "review_audit_share": 0.0}
    )
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


def test_uncertain_and_audit_shares_and_one_task_per_cluster(
    session: Session, settings: Settings
) -> None:
    from core.tables import Cluster

    settings = settings.model_copy(
        update={"review_uncertain_share": 0.1, "review_audit_share": 0.05}
    )
    story = Cluster(item_count=3, source_count=3)
    session.add(story)
    session.flush()
    carried = [make_item(session, cluster_id=story.id, source=f"Báo {i}") for i in range(3)]
    for item in carried:
        make_analysis(session, item, risk=0.9)
    calm = [make_item(session) for _ in range(40)]
    for i, item in enumerate(calm):
        # item 7 is the one the model is unsure about (just below the review threshold)
        p = settings.review_risk_threshold - 0.05 if i == 7 else 0.01
        make_analysis(
            session, item, risk=p, misinfo="none", misinfo_scores={"distortion": p, "scam": 0.0}
        )
    created = enqueue_flagged(session, settings, NOW)
    tasks = session.scalars(select(ReviewTask).order_by(ReviewTask.priority.desc())).all()
    assert created == len(tasks)
    by_reason = {}
    for t in tasks:
        by_reason.setdefault(t.reason, []).append(t)
    assert [t.item_id for t in by_reason["risk"]] == [carried[0].id]  # one task for the cluster
    assert by_reason["risk"][0].cluster_id == story.id
    assert [t.item_id for t in by_reason["uncertain"]] == [
        calm[7].id,
        *[t.item_id for t in by_reason["uncertain"][1:]],
    ]
    assert len(by_reason["uncertain"]) == 4  # 10 % of 40
    assert all(t.priority < by_reason["risk"][0].priority for t in tasks if t.reason != "risk")
    assert enqueue_flagged(session, settings, NOW) == 0
    later = make_item(session, cluster_id=story.id, source="Báo 9")
    make_analysis(session, later, risk=0.95)
    assert enqueue_flagged(session, settings, NOW) == 0  # the cluster is already queued


def test_reach_raises_priority() -> None:
    assert priority(0.8, NOW, NOW, source_count=4) > priority(0.8, NOW, NOW, source_count=1)


def test_renew_skip_and_the_skipper_is_not_offered_it_again(
    session: Session, settings: Settings
) -> None:
    task = make_task(session, priority=0.9)
    other = make_task(session, priority=0.1)
    a, b = make_user(session, "ctva"), make_user(session, "ctvb")
    assert claim_next(session, a, settings, NOW).id == task.id
    renewed = renew(session, task, a, settings, NOW + timedelta(minutes=8))
    assert renewed.lease_expires_at == NOW + timedelta(minutes=8 + settings.lease_minutes)
    with pytest.raises(DomainError, match="lý do"):
        skip(session, task, a, "  ", NOW)
    skip(session, task, a, "không đủ thông tin để đánh giá", NOW)
    assert claim_next(session, a, settings, NOW).id == other.id  # not the skipped one
    assert claim_next(session, b, settings, NOW).id == task.id  # others still get it
    assert session.scalar(select(AuditEvent.after).where(AuditEvent.action == "task.skip"))[
        "reason"
    ]


def test_two_person_rule(session: Session, settings: Settings) -> None:
    settings = settings.model_copy(update={"two_person_rule": True})
    agreed, disputed = make_task(session, priority=0.9), make_task(session, priority=0.5)
    a, b = make_user(session, "ctva"), make_user(session, "ctvb")
    t = claim_next(session, a, settings, NOW)
    decide(session, t, a, "scam", settings=settings, now=NOW)
    assert t.status == TaskStatus.pending  # one vote is not enough
    assert claim_next(session, a, settings, NOW).id == disputed.id  # a is not asked twice
    decide(session, disputed, a, "distortion", settings=settings, now=NOW)
    t = claim_next(session, b, settings, NOW)
    assert t.id == agreed.id
    decide(session, t, b, "scam", settings=settings, now=NOW)
    assert agreed.status == TaskStatus.decided
    t = claim_next(session, b, settings, NOW)
    decide(session, t, b, "not_misinformation", settings=settings, now=NOW)
    assert disputed.status == TaskStatus.escalated  # disagreement goes to an analyst


def test_override_needs_a_reason_and_is_audited(session: Session, settings: Settings) -> None:
    task = make_task(session)
    collaborator, analyst = make_user(session, "ctv"), make_user(session, "pt1", "analyst")
    decide(
        session, claim_next(session, collaborator, settings, NOW), collaborator, "escalate", now=NOW
    )
    assert [t.id for t in escalations(session)] == [task.id]
    with pytest.raises(DomainError, match="lý do"):
        override(session, task, analyst, "scam", "", now=NOW)
    row = override(
        session,
        task,
        analyst,
        "not_misinformation",
        "Đây là cảnh báo của công an, không phải lừa đảo",
        now=NOW,
    )
    assert row.kind == "override"
    assert task.status == TaskStatus.decided
    assert escalations(session) == []
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "task.override"))
    assert event.before["status"] == "escalated"
    assert event.after["reason"].startswith("Đây là cảnh báo")
    assert [v.label for v in task.verdicts] == [
        "escalate",
        "not_misinformation",
    ]  # nothing deleted


@pytest.mark.slow
@pytest.mark.parametrize(("claimers", "tasks"), [(50, 2000)], ids=["50x2000"])
def test_fifty_claimers_drain_two_thousand_tasks_on_postgresql(
    pg_url: str, claimers: int, tasks: int
) -> None:
    """Every task claimed exactly once, none lost (SQLite's version: test_concurrent_claims…)."""
    settings = Settings(_env_file=None)
    from core.db import make_engine, make_sessionmaker

    engine = make_engine(pg_url, pool_size=claimers + 5, max_overflow=0)
    factory = make_sessionmaker(engine)
    with factory() as s:
        for i in range(tasks):
            make_task(s, priority=(i % 97) / 97)
        user_ids = [make_user(s, f"ctv{i}").id for i in range(claimers)]
        s.commit()
    claimed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def drain(user_id: int) -> None:
        try:
            with factory() as s:
                user = s.get(User, user_id)
                while (task := claim_next(s, user, settings, NOW)) is not None:
                    with lock:
                        claimed.append(task.id)
                    decide(s, task, user, "not_misinformation", now=NOW)
                    s.commit()
        except BaseException as exc:  # a claimer that dies must fail the test, not vanish
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=drain, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(claimed) == tasks
    assert len(set(claimed)) == tasks
    with factory() as s:
        assert (
            s.scalar(
                select(func.count(ReviewTask.id)).where(ReviewTask.status != TaskStatus.decided)
            )
            == 0
        )
        assert s.scalar(select(func.count(Verdict.id))) == tasks
    engine.dispose()


def test_expired_leases_return_to_the_queue_under_contention(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    with factory() as s:
        for _ in range(20):
            make_task(s)
        users = [make_user(s, f"ctv{i}").id for i in range(4)]
        s.commit()
    with factory() as s:  # four reviewers take a task each and walk away
        for uid in users:
            assert claim_next(s, s.get(User, uid), settings, NOW) is not None
            s.commit()
    later = NOW + timedelta(minutes=settings.lease_minutes + 1)
    seen: list[int] = []
    with factory() as s:
        user = s.get(User, users[0])
        while (task := claim_next(s, user, settings, later)) is not None:
            seen.append(task.id)
            decide(s, task, user, "not_misinformation", now=later)
            s.commit()
    assert len(seen) == 20  # the four expired leases came back with the rest
