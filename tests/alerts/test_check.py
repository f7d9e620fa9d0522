"""``alerts.check_and_send`` on SQLite and PostgreSQL: each rule from stored data, dedupe within
the window, deliveries to a local SMTP server and a local webhook, failures recorded and retried,
subscriptions and who may have one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts import check_and_send, set_subscription
from core.config import Settings
from core.errors import DomainError
from core.tables import (
    Alert,
    AlertDelivery,
    AlertRule,
    AuditEvent,
    Cluster,
    Item,
    ReviewTask,
    TaskStatus,
    User,
    Verdict,
)
from tests.alerts.servers import free_port, smtp_server, webhook_server
from tests.factories import make_analysis, make_feed, make_item, make_user

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
REVIEWER = "nguyenvana"  # a reviewer's name must never appear in an alert


def _quiet(settings: Settings, **kw: object) -> Settings:
    """The test settings with the unrelated rules out of the way."""
    return settings.model_copy(update={"alert_queue_max_wait_minutes": 10**6, **kw})


def _cluster(
    session: Session, sources: list[tuple[str, datetime]], title: str = "Nhận quà tri ân"
) -> Cluster:
    cluster = Cluster(first_seen_at=sources[0][1], item_count=0, source_count=0)
    session.add(cluster)
    session.flush()
    for n, (source, at) in enumerate(sources):
        item = make_item(
            session,
            title=f"{title} {n}",
            text=f"Bấm vào đường link để nhận quà tri ân khách hàng, nhập mã OTP. Bản {cluster.id}.{n}",
            source=source,
            fetched_at=at,
            published_at=at,
            cluster_id=cluster.id,
        )
        if n == 0:
            cluster.first_item_id = item.id
    cluster.item_count = len(sources)
    cluster.source_count = len({s for s, _ in sources})
    session.flush()
    return cluster


def _decide(
    session: Session, cluster: Cluster, verdict: str, at: datetime, status: str = "decided"
) -> Verdict:
    item = session.scalars(select(Item).where(Item.id == cluster.first_item_id)).one()
    reviewer = session.scalar(select(User).where(User.username == REVIEWER)) or make_user(
        session, REVIEWER, "collaborator", "password-123"
    )
    task = ReviewTask(
        item_id=item.id,
        analysis_id=make_analysis(session, item).id,
        cluster_id=cluster.id,
        status=status,
        created_at=at - timedelta(hours=1),
    )
    session.add(task)
    session.flush()
    row = Verdict(task_id=task.id, reviewer_id=reviewer.id, label=verdict, created_at=at)
    session.add(row)
    session.flush()
    return row


def _alerts(session: Session, rule: str | None = None) -> list[Alert]:
    query = select(Alert).order_by(Alert.id)
    if rule:
        query = query.where(Alert.rule == rule)
    return list(session.scalars(query))


# --- (a) spreading ------------------------------------------------------------------------------


def test_a_confirmed_scam_that_gains_new_sources_is_an_alert(
    session: Session, settings: Settings
) -> None:
    decided = NOW - timedelta(hours=3)
    cluster = _cluster(
        session,
        [
            ("Trang A", decided - timedelta(hours=2)),
            ("Trang B", decided - timedelta(hours=1)),
            ("Nhóm C", decided + timedelta(hours=1)),
            ("Trang A", decided + timedelta(hours=2)),  # a known source again: not new
        ],
    )
    _decide(session, cluster, "scam", decided)
    session.commit()
    (alert,) = check_and_send(session, _quiet(settings), NOW)
    assert alert.rule == AlertRule.spreading
    assert (alert.subject_kind, alert.subject_id) == ("cluster", cluster.id)
    assert alert.details["new_sources"] == ["Nhóm C"]
    assert "lừa đảo" in alert.title
    assert "Nhóm C" in alert.text
    assert "Nhận quà tri ân 0" in alert.text  # the content, named
    assert f"/items/{cluster.first_item_id}" in alert.text  # a link to its page
    assert "4 tin từ 3 nguồn" in alert.text
    assert REVIEWER not in alert.title + alert.text + str(alert.details)
    # nothing new since: the next run (after the window) stays quiet
    later = NOW + timedelta(minutes=settings.alert_window_minutes + 1)
    assert check_and_send(session, _quiet(settings), later) == []
    # a new source after the alert: a new alert, naming only the newcomer
    make_item(
        session,
        title="Nhận quà tri ân 9",
        text="Bấm vào đường link để nhận quà",
        source="Trang D",
        fetched_at=later + timedelta(minutes=5),
        cluster_id=cluster.id,
    )
    session.commit()
    (again,) = check_and_send(
        session, _quiet(settings), later + timedelta(minutes=settings.alert_window_minutes + 10)
    )
    assert again.details["new_sources"] == ["Trang D"]


@pytest.mark.parametrize("case", ["withdrawn", "not_misinformation", "two_person_pending"])
def test_only_a_standing_confirmed_verdict_counts(
    session: Session, settings: Settings, case: str
) -> None:
    decided = NOW - timedelta(hours=3)
    cluster = _cluster(
        session, [("Trang A", decided - timedelta(hours=1)), ("Nhóm C", NOW - timedelta(hours=1))]
    )
    if case == "withdrawn":
        _decide(session, cluster, "distortion", decided).withdrawn_at = decided
    elif case == "not_misinformation":
        _decide(session, cluster, "not_misinformation", decided)
    else:  # one of the two reviewers the two-person rule needs
        _decide(session, cluster, "scam", decided, status=TaskStatus.pending)
    session.commit()
    assert check_and_send(session, _quiet(settings), NOW) == []


# --- (b) fast growth ----------------------------------------------------------------------------


def test_a_new_cluster_growing_faster_than_stories_usually_do_is_an_alert(
    session: Session, settings: Settings
) -> None:
    # previous days: around this hour the busiest story gained 2 items from 2 sources an hour
    for day in range(1, 8):
        for shift in (-1, 0, 1):
            end = NOW - timedelta(days=day) + timedelta(hours=shift)
            _cluster(
                session,
                [("Báo X", end - timedelta(minutes=40)), ("Báo Y", end - timedelta(minutes=20))],
            )
    # a story that began 2 hours ago: 2 items in its first hour, then 12 from 8 sources
    start = NOW - timedelta(hours=2)
    steady = _cluster(session, [("Báo X", start), ("Báo Y", start + timedelta(minutes=30))])
    fast = _cluster(
        session,
        [("Báo Z", start)]
        + [(f"Trang {n % 8}", NOW - timedelta(minutes=5 * n + 1)) for n in range(12)],
        title="Tin đồn thu hồi sim",
    )
    session.commit()
    alerts = check_and_send(session, _quiet(settings), NOW)
    assert [(a.rule, a.subject_id) for a in alerts] == [(AlertRule.fast_growth, fast.id)]
    details = alerts[0].details
    assert details["items"] == 12
    assert details["sources"] == 8
    assert details["baseline_items_mean"] == 2.0
    assert details["z_items"] >= settings.alert_growth_z
    assert "Tin đồn thu hồi sim" in alerts[0].text
    assert steady.id != fast.id


# --- (c) queue and feeds ------------------------------------------------------------------------


def test_the_queue_alert_is_deduplicated_within_the_window_and_fires_again_after(
    session: Session, settings: Settings
) -> None:
    item = make_item(session)
    session.add(
        ReviewTask(
            item_id=item.id,
            analysis_id=make_analysis(session, item).id,
            status=TaskStatus.pending,
            created_at=NOW - timedelta(minutes=95),
        )
    )
    session.commit()
    settings = settings.model_copy(update={"alert_queue_max_wait_minutes": 60})
    (first,) = check_and_send(session, settings, NOW)
    assert first.rule == AlertRule.queue_wait
    assert "1 giờ 35 phút" in first.title
    window = timedelta(minutes=settings.alert_window_minutes)
    assert check_and_send(session, settings, NOW + timedelta(minutes=10)) == []
    assert check_and_send(session, settings, NOW + window - timedelta(minutes=1)) == []
    (second,) = check_and_send(session, settings, NOW + window + timedelta(minutes=1))
    assert second.id != first.id
    assert len(_alerts(session, AlertRule.queue_wait)) == 2


def test_silent_and_failing_feeds_are_alerts_an_admins_choice_is_not(
    session: Session, settings: Settings
) -> None:
    created = NOW - timedelta(days=20)
    silent = make_feed(session, name="Báo im lặng", created_at=created)
    make_item(session, feed_id=silent.id, fetched_at=NOW - timedelta(days=2))
    lively = make_feed(session, name="Báo đều đặn", created_at=created)
    make_item(session, feed_id=lively.id, fetched_at=NOW - timedelta(hours=1))
    failing = make_feed(
        session, name="Báo lỗi", created_at=created, error_count=4, last_error="HTTP 503"
    )
    make_item(session, feed_id=failing.id, fetched_at=NOW - timedelta(hours=1))
    make_feed(session, name="Đã tắt", enabled=False, created_at=created)
    make_feed(session, name="Nhập tay", kind="import", created_at=created)
    session.commit()
    alerts = check_and_send(session, _quiet(settings), NOW)
    assert {(a.subject_id, a.details["why"]) for a in alerts} == {
        (silent.id, "silent"),
        (failing.id, "failing"),
    }
    failing_alert = next(a for a in alerts if a.subject_id == failing.id)
    assert "Máy chủ nguồn tin đang lỗi (HTTP 503)" in failing_alert.text
    assert (
        "không có tin mới trong 48 giờ" in next(a for a in alerts if a.subject_id == silent.id).text
    )


# --- delivery -----------------------------------------------------------------------------------


def _subscribe_both(session: Session) -> None:
    analyst = make_user(session, "pt1", "analyst", "password-123")
    admin = make_user(session, "qt1", "admin", "password-123")
    set_subscription(session, analyst, ["queue_wait"], ["email", "webhook"], "pt1@example.org")
    set_subscription(session, admin, ["queue_wait", "spreading"], ["webhook"], None)
    ctv = make_user(session, "ctv9", "analyst", "password-123")
    set_subscription(session, ctv, ["queue_wait"], ["email"], "ctv9@example.org")
    ctv.role = "collaborator"  # demoted since: receives nothing


def _waiting_task(session: Session, minutes: int = 120) -> None:
    item = make_item(session, title="Tin chờ", text="Nội dung chờ rà soát")
    session.add(
        ReviewTask(
            item_id=item.id,
            analysis_id=make_analysis(session, item).id,
            status=TaskStatus.pending,
            created_at=NOW - timedelta(minutes=minutes),
        )
    )


def test_an_alert_fires_once_to_the_smtp_server_and_once_to_the_webhook(
    session: Session, settings: Settings
) -> None:
    _subscribe_both(session)
    _waiting_task(session)
    session.commit()
    with smtp_server() as (port, inbox), webhook_server() as (url, hook):
        configured = settings.model_copy(
            update={
                "alert_smtp_host": "127.0.0.1",
                "alert_smtp_port": port,
                "alert_smtp_from": "canhbao@duluan.example",
                "alert_webhook_url": url,
                "public_url": "https://duluan.example",
                "alert_queue_max_wait_minutes": 60,
            }
        )
        (alert,) = check_and_send(session, configured, NOW)
        # again, within the window and after it with the alert already delivered: no resend
        assert check_and_send(session, configured, NOW + timedelta(minutes=5)) == []
        assert len(inbox.received) == 1
        assert len(hook.bodies) == 1
    recipients, mail = inbox.received[0]
    assert recipients == ["pt1@example.org"]
    assert mail["Subject"] == f"[Dư luận] {alert.title}"
    assert mail["From"] == "canhbao@duluan.example"
    body = mail.get_content()
    assert "1 tin đang chờ rà soát; tin chờ lâu nhất đã chờ 2 giờ 0 phút." in body
    assert "https://duluan.example/queue" in body
    assert "https://duluan.example/alerts" in body
    sent = hook.bodies[0]
    assert sent["alert_id"] == alert.id
    assert sent["rule"] == "queue_wait"
    assert sent["subject"] == {"kind": "queue", "id": 0}
    assert sent["title"] == alert.title
    assert sent["text"].startswith(alert.title)
    assert sent["details"] == {"pending": 1, "oldest_minutes": 120}
    for text in (body, str(sent)):
        assert "pt1" not in text.replace("pt1@example.org", "")
        assert "qt1" not in text
    deliveries = session.scalars(select(AlertDelivery).order_by(AlertDelivery.channel)).all()
    assert [(d.channel, d.target, d.status, d.attempts) for d in deliveries] == [
        ("email", "pt1@example.org", "sent", 1),
        ("webhook", "webhook", "sent", 1),
    ]


def test_a_failing_channel_is_recorded_and_retried_later_never_raised(
    session: Session, settings: Settings
) -> None:
    _subscribe_both(session)
    _waiting_task(session)
    session.commit()
    closed = free_port()  # nothing listens there
    with webhook_server() as (url, hook):
        hook.statuses = [503]
        configured = settings.model_copy(
            update={
                "alert_smtp_host": "127.0.0.1",
                "alert_smtp_port": closed,
                "alert_webhook_url": url,
                "alert_queue_max_wait_minutes": 60,
                "alert_send_timeout_s": 2.0,
            }
        )
        (alert,) = check_and_send(session, configured, NOW)
        failed = {d.channel: d for d in session.scalars(select(AlertDelivery))}
        assert failed["webhook"].status == "failed"
        assert "HTTP 503" in (failed["webhook"].last_error or "")
        assert failed["email"].status == "failed"
        assert failed["email"].last_error
        # not yet due (1 minute backoff): nothing is tried
        check_and_send(session, configured, NOW + timedelta(seconds=30))
        assert hook.bodies == []
        with smtp_server() as (port, inbox):
            fixed = configured.model_copy(update={"alert_smtp_port": port})
            assert check_and_send(session, fixed, NOW + timedelta(minutes=2)) == []
            assert len(inbox.received) == 1
        assert len(hook.bodies) == 1
        assert hook.bodies[0]["alert_id"] == alert.id
    session.expire_all()
    states = {
        d.channel: (d.status, d.attempts, d.last_error)
        for d in session.scalars(select(AlertDelivery))
    }
    assert states == {"email": ("sent", 2, None), "webhook": ("sent", 2, None)}


def test_a_delivery_gives_up_after_the_last_attempt_and_keeps_its_error(
    session: Session, settings: Settings
) -> None:
    _subscribe_both(session)
    _waiting_task(session)
    session.commit()
    configured = settings.model_copy(
        update={"alert_max_attempts": 2, "alert_queue_max_wait_minutes": 60}
    )  # no SMTP host, no webhook URL: both fail, saying why
    check_and_send(session, configured, NOW)
    check_and_send(session, configured, NOW + timedelta(hours=1))
    check_and_send(session, configured, NOW + timedelta(hours=2))
    session.expire_all()
    rows = session.scalars(select(AlertDelivery).order_by(AlertDelivery.channel)).all()
    assert [(d.status, d.attempts, d.next_attempt_at) for d in rows] == [
        ("failed", 2, None),
        ("failed", 2, None),
    ]
    assert "DULUAN_ALERT_SMTP_HOST" in (rows[0].last_error or "")
    assert "DULUAN_ALERT_WEBHOOK_URL" in (rows[1].last_error or "")


# --- subscriptions ------------------------------------------------------------------------------


def test_subscriptions_are_for_analysts_and_admins_validated_and_audited(
    session: Session,
) -> None:
    ctv = make_user(session, "ctv1", "collaborator", "password-123")
    with pytest.raises(DomainError) as refused:
        set_subscription(session, ctv, ["queue_wait"], ["email"], "ctv1@example.org")
    assert refused.value.status_code == 403
    analyst = make_user(session, "pt1", "analyst", "password-123")
    for rules_, channels_, email, code in (
        (["queue_wait"], ["email"], None, "invalid_email"),
        (["queue_wait"], ["email"], "không phải địa chỉ", "invalid_email"),
        (["who_said_it"], ["email"], "pt1@example.org", "invalid"),
        (["queue_wait"], ["sms"], "pt1@example.org", "invalid"),
    ):
        with pytest.raises(DomainError) as bad:
            set_subscription(session, analyst, rules_, channels_, email)
        assert bad.value.code == code
    sub = set_subscription(
        session, analyst, ["spreading", "feed_silent"], ["email"], " pt1@example.org "
    )
    assert (sub.rules, sub.channels, sub.email) == (
        ["feed_silent", "spreading"],
        ["email"],
        "pt1@example.org",
    )
    set_subscription(session, analyst, [], [], None)  # nothing: allowed, and kept as such
    session.commit()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "alert.subscribe").order_by(AuditEvent.id)
    ).all()
    assert [e.actor_id for e in events] == [analyst.id, analyst.id]
    assert events[1].before == {
        "rules": ["feed_silent", "spreading"],
        "channels": ["email"],
        "email": "pt1@example.org",
    }
