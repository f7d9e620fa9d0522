"""Evaluate the rules, record each new alert once per window, deliver it to its subscribers;
subscriptions; the list of alerts."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, selectinload

from alerts import channels, load, rules
from alerts.messages import compose
from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.errors import Forbidden, Invalid
from core.permissions import Permission, allowed
from core.tables import Alert, AlertDelivery, AlertRule, AlertSubscription, User

log = logging.getLogger(__name__)

# One evaluation at a time on PostgreSQL (several workers): the dedupe check and the insert
# of an alert happen under this transaction-level advisory lock. SQLite has one writer.
_LOCK_ID = 0x616C657274  # "alert"
BATCH = 200  # deliveries tried per call at most


class InvalidSubscription(Invalid):
    """An alert subscription whose rules or channel are not known."""

    code = "invalid"


class InvalidEmail(Invalid):
    """An alert subscription's e-mail address that does not parse."""

    code = "invalid_email"


def evaluate(session: Session, settings: Settings, now: datetime) -> list[rules.Finding]:
    """Every rule over the data as of ``now``: a list of findings (not yet deduplicated)."""
    found = rules.spreading(
        load.confirmed_clusters(
            session, now, timedelta(hours=settings.alert_spread_lookback_hours)
        ),
        settings.alert_spread_min_new_sources,
    )
    new = [
        c
        for c in load.new_clusters(session, now, timedelta(hours=settings.alert_new_cluster_hours))
        if c.items >= settings.alert_growth_min_items
        or c.sources >= settings.alert_growth_min_sources
    ]  # below both minimums a cluster cannot fire (rules.unusual): no baseline needed for it
    if new:  # the baseline costs 3 queries a day of it: only read when there is a candidate
        items, sources = load.growth_baseline(session, now, settings.alert_growth_baseline_days)
        found += rules.fast_growth(
            new,
            items,
            sources,
            z_threshold=settings.alert_growth_z,
            min_items=settings.alert_growth_min_items,
            min_sources=settings.alert_growth_min_sources,
        )
    oldest, pending = load.queue_state(session)
    found += rules.queue_wait(
        oldest, pending, now, timedelta(minutes=settings.alert_queue_max_wait_minutes)
    )
    found += rules.feed_silent(
        load.feed_states(session, now, timedelta(days=30)),
        now,
        silent_intervals=settings.alert_feed_silent_intervals,
        failing_errors=settings.alert_feed_failing_errors,
    )
    return found


def _subscribers(session: Session) -> list[AlertSubscription]:
    """Subscriptions of active accounts that may still receive alerts (a role changed to
    collaborator keeps its row but receives nothing)."""
    subs = session.scalars(
        select(AlertSubscription)
        .join(User, User.id == AlertSubscription.user_id)
        .where(User.is_active.is_(True))
        .order_by(AlertSubscription.id)
    ).all()
    return [s for s in subs if allowed(s.user.role, Permission.alerts)]


def _deliveries(
    alert: Alert, subs: Iterable[AlertSubscription], now: datetime
) -> list[AlertDelivery]:
    """One pending delivery per distinct e-mail address and one for the webhook, among the
    subscriptions that chose ``alert``'s rule."""
    targets: dict[tuple[str, str], str] = {}
    for sub in subs:
        if alert.rule not in (sub.rules or []):
            continue
        chosen = set(sub.channels or [])
        if "email" in chosen and sub.email:
            targets.setdefault(("email", sub.email.lower()), sub.email)
        if "webhook" in chosen:
            targets.setdefault(("webhook", "webhook"), "webhook")
    return [
        AlertDelivery(
            channel=channel,
            target=target,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for (channel, _), target in targets.items()
    ]


def record_new(
    session: Session, settings: Settings, findings: Iterable[rules.Finding], now: datetime
) -> list[Alert]:
    """Store an alert for each finding whose (rule, subject) had none within the window
    (``DULUAN_ALERT_WINDOW_MINUTES`` before ``now``), with one pending delivery per subscriber
    e-mail address and one for the webhook when any subscriber chose it; flushes. On
    PostgreSQL it first takes the alerts' advisory lock (held until the caller commits)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
    window_start = now - timedelta(minutes=settings.alert_window_minutes)
    subs = _subscribers(session)
    views: dict[int, dict[str, object]] = {}
    created = []
    for finding in findings:
        recent = session.scalar(
            select(Alert.id)
            .where(
                Alert.rule == finding.rule,
                Alert.subject_kind == finding.subject_kind,
                Alert.subject_id == finding.subject_id,
                Alert.created_at > window_start,
            )
            .limit(1)
        )
        if recent is not None:
            continue
        view = None
        details = dict(finding.details)
        if finding.subject_kind == "cluster":
            if finding.subject_id not in views:
                views[finding.subject_id] = load.cluster_view(session, finding.subject_id)
            view = views[finding.subject_id]
            details["item_id"] = view["item_id"]
            details["source_names"] = view["source_names"]
        title, body = compose(finding.rule, details, view, settings.public_url)
        alert = Alert(
            rule=str(finding.rule),
            subject_kind=finding.subject_kind,
            subject_id=finding.subject_id,
            title=title,
            text=body,
            details=details,
            created_at=now,
        )
        alert.deliveries = _deliveries(alert, subs, now)
        session.add(alert)
        created.append(alert)
    session.flush()
    return created


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4… minutes after the n-th failed attempt, at most an hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def deliver_due(session: Session, settings: Settings, now: datetime) -> tuple[int, int]:
    """Try every delivery that is due (pending or failed, fewer than
    ``DULUAN_ALERT_MAX_ATTEMPTS`` attempts, ``next_attempt_at`` ≤ ``now``), at most ``BATCH``.

    Each attempt is first claimed with a compare-and-set UPDATE that also pushes
    ``next_attempt_at`` out by the backoff, and committed: two workers never send the same
    attempt, and a worker killed mid-send leaves the delivery to be retried later. The outcome
    is committed at once. A channel's failure is recorded (``last_error``), never raised.
    Returns (sent, failed)."""
    due = session.execute(
        select(AlertDelivery.id, AlertDelivery.attempts)
        .where(
            AlertDelivery.status != "sent",
            AlertDelivery.attempts < settings.alert_max_attempts,
            AlertDelivery.next_attempt_at <= now,
        )
        .order_by(AlertDelivery.id)
        .limit(BATCH)
    ).all()
    session.commit()
    sent = failed = 0
    for delivery_id, attempts in due:
        claimed = session.execute(
            update(AlertDelivery)
            .where(
                AlertDelivery.id == delivery_id,
                AlertDelivery.attempts == attempts,
                AlertDelivery.status != "sent",
            )
            .values(attempts=attempts + 1, next_attempt_at=now + _backoff(attempts + 1))
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        session.commit()
        if claimed != 1:
            continue  # another worker took this attempt
        delivery = session.get(AlertDelivery, delivery_id, populate_existing=True)
        if delivery is None:
            continue
        try:
            if delivery.channel == "email":
                channels.send_email(settings, delivery.alert, delivery.target)
            elif delivery.channel == "webhook":
                channels.send_webhook(settings, delivery.alert)
            else:
                raise channels.DeliveryError(f"unknown channel {delivery.channel!r}")
        except Exception as exc:  # noqa: BLE001 - a channel's failure is recorded, not raised
            delivery.status = "failed"
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            if delivery.attempts >= settings.alert_max_attempts:
                delivery.next_attempt_at = None  # given up: stays visible with its error
            failed += 1
            log.warning(
                "alert %s: %s delivery failed (attempt %s): %s",
                delivery.alert_id,
                delivery.channel,
                delivery.attempts,
                delivery.last_error,
            )
        else:
            delivery.status, delivery.sent_at, delivery.last_error = "sent", utcnow(), None
            delivery.next_attempt_at = None
            sent += 1
        session.commit()
    return sent, failed


def check_and_send(
    session: Session, settings: Settings, now: datetime | None = None
) -> list[Alert]:
    """Evaluate every rule as of ``now`` (default: the current time, UTC), record the alerts
    that are new within the window, commit them, then deliver what is due — these alerts and
    earlier failed deliveries — committing each outcome. Returns the alerts recorded by this
    call (possibly none). A failing channel never raises here; a database error does (the
    alerts are committed before anything is sent, so a crash while sending loses nothing)."""
    now = now or utcnow()
    created = record_new(session, settings, evaluate(session, settings, now), now)
    session.commit()
    deliver_due(session, settings, now)
    return created


# --- subscriptions -----------------------------------------------------------------------------

EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


def _may_subscribe(user: User) -> None:
    if not allowed(user.role, Permission.alerts):
        raise Forbidden(
            "Chỉ chuyên viên phân tích và quản trị mới đăng ký nhận cảnh báo. "
            "(Only analysts and admins may subscribe to alerts.)",
        )


def get_subscription(session: Session, user: User) -> AlertSubscription | None:
    """``user``'s subscription, ``None`` when they never chose any."""
    return session.scalar(select(AlertSubscription).where(AlertSubscription.user_id == user.id))


def set_subscription(
    session: Session,
    user: User,
    chosen_rules: Iterable[str],
    chosen_channels: Iterable[str],
    email: str | None,
) -> AlertSubscription:
    """Set which rules (``AlertRule`` values) ``user`` is told about, over which channels
    (``email``, ``webhook``), and the address for e-mail; audited (``alert.subscribe``) and
    flushed. No rule or no channel means nothing is sent.

    Raises ``DomainError`` 403 for a role without alerts (collaborators), 422 ``invalid`` for
    an unknown rule or channel, ``invalid_email`` when e-mail is chosen without a plausible
    address (≤ 320 characters)."""
    _may_subscribe(user)
    picked_rules = sorted(set(chosen_rules))
    picked_channels = sorted(set(chosen_channels))
    unknown = [r for r in picked_rules if r not in set(AlertRule)] + [
        c for c in picked_channels if c not in channels.CHANNELS
    ]
    if unknown:
        raise InvalidSubscription(
            f"Loại cảnh báo hoặc kênh không hợp lệ: {', '.join(unknown)}. (Unknown rule or channel.)",
        )
    address = (email or "").strip() or None
    if address is not None and (len(address) > 320 or not EMAIL.match(address)):
        raise InvalidEmail(
            "Địa chỉ e-mail không hợp lệ. (Invalid e-mail address.)",
        )
    if "email" in picked_channels and address is None:
        raise InvalidEmail(
            "Hãy nhập địa chỉ e-mail để nhận cảnh báo qua e-mail. (An e-mail address is needed.)",
        )
    sub = get_subscription(session, user)
    before = (
        {"rules": sub.rules, "channels": sub.channels, "email": sub.email}
        if sub is not None
        else None
    )
    if sub is None:
        sub = AlertSubscription(user_id=user.id)
        session.add(sub)
    sub.rules, sub.channels, sub.email, sub.updated_at = (
        picked_rules,
        picked_channels,
        address,
        utcnow(),
    )
    session.flush()
    record(
        session,
        user,
        "alert.subscribe",
        "alert_subscription",
        sub.id,
        before=before,
        after={"rules": picked_rules, "channels": picked_channels, "email": address},
    )
    session.flush()
    return sub


# --- reading -----------------------------------------------------------------------------------


def list_alerts(
    session: Session, *, rule: str | None = None, limit: int = 50, before_id: int | None = None
) -> list[Alert]:
    """The newest alerts first (with their deliveries), optionally of one ``rule``; keyset
    pages: pass the last id seen as ``before_id``."""
    query = select(Alert).options(selectinload(Alert.deliveries)).order_by(Alert.id.desc())
    if rule:
        query = query.where(Alert.rule == rule)
    if before_id is not None:
        query = query.where(Alert.id < before_id)
    return list(session.scalars(query.limit(limit)))
