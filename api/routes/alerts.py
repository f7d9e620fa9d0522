"""Alerts (analyst+): the recorded alerts, and the caller's own subscription."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from alerts import service
from api.deps import MAX_ID, SessionDep, require
from api.schemas import (
    AlertRead,
    AlertRuleName,
    AlertSubscriptionRead,
    AlertSubscriptionWrite,
)
from core.permissions import Permission
from core.tables import AlertSubscription, User

router = APIRouter(prefix="/alerts", tags=["alerts"])
Subscriber = Annotated[User, Depends(require(Permission.alerts))]


@router.get("", response_model=list[AlertRead])
def list_alerts(
    session: SessionDep,
    _: Subscriber,
    rule: AlertRuleName | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Last id seen")] = None,
) -> list[AlertRead]:
    """Recorded alerts, newest first, with how each channel fared; ``before`` pages on."""
    return [
        AlertRead.model_validate(a)
        for a in service.list_alerts(session, rule=rule, limit=limit, before_id=before)
    ]


def _read(sub: AlertSubscription | None) -> AlertSubscriptionRead:
    if sub is None:
        return AlertSubscriptionRead(updated_at=None)
    return AlertSubscriptionRead(
        rules=sub.rules, channels=sub.channels, email=sub.email, updated_at=sub.updated_at
    )


@router.get("/subscription", response_model=AlertSubscriptionRead)
def get_subscription(session: SessionDep, user: Subscriber) -> AlertSubscriptionRead:
    """Which alerts the caller receives, over which channels (empty when never chosen)."""
    return _read(service.get_subscription(session, user))


@router.put("/subscription", response_model=AlertSubscriptionRead)
def put_subscription(
    body: AlertSubscriptionWrite, session: SessionDep, user: Subscriber
) -> AlertSubscriptionRead:
    """Choose the rules and channels (``email`` needs an address; ``webhook`` posts to the
    team's configured webhook); audited. Collaborators get 403."""
    return _read(service.set_subscription(session, user, body.rules, body.channels, body.email))
