"""Who may do what: the one permission table. Roles are cumulative in practice, but every
permission is listed per role so the table reads on its own."""

from __future__ import annotations

from enum import StrEnum

from core.tables import Role


class Permission(StrEnum):
    review = "review"  # claim tasks, read their items, give verdicts
    read_items = "read_items"  # list and read collected items and their analyses
    escalations = "escalations"  # see escalated tasks and override verdicts (with a reason)
    models = "models"  # list models, their metrics; train, promote, roll back
    reports = "reports"  # read the weekly reports
    feeds = "feeds"  # manage the feed registry
    users = "users"  # manage user accounts
    alerts = "alerts"  # read alerts and subscribe to them (e-mail, webhook)


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.collaborator: frozenset({Permission.review}),
    Role.analyst: frozenset(
        {
            Permission.review,
            Permission.read_items,
            Permission.escalations,
            Permission.models,
            Permission.reports,
            Permission.alerts,
        }
    ),
    Role.admin: frozenset(Permission),
}


def allowed(role: str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
