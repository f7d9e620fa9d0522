"""Write audit events. Callers flush; the unit of work at the edge commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.tables import AuditEvent, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event: who did what to which entity, from which state to which."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(event)
    return event
