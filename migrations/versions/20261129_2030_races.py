"""races: one lease per reviewer, idempotent verdicts, login failures shared by every process,
idle sessions

Revision ID: 9d2e4f6a8b13
Revises: 3f9b1c7d2a64
Create Date: 2026-11-29 20:30:00

Before the unique index, a reviewer who holds several leases (the race this closes) keeps the one
that runs longest; the others go back to the queue (pending), as an expired lease would. Nothing
else changes: no verdict or task is removed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d2e4f6a8b13"
down_revision: str | None = "3f9b1c7d2a64"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _one_lease_each() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE review_task SET lease_holder_id = NULL, lease_expires_at = NULL "
            "WHERE lease_holder_id IS NOT NULL AND status <> 'claimed'"
        )
    )
    rows = conn.execute(
        sa.text(
            "SELECT id, lease_holder_id FROM review_task WHERE lease_holder_id IS NOT NULL "
            "ORDER BY lease_holder_id, lease_expires_at DESC, id DESC"
        )
    ).all()
    seen: set[int] = set()
    extra = []
    for task_id, holder in rows:
        if holder in seen:
            extra.append(task_id)
        seen.add(holder)
    for task_id in extra:
        conn.execute(
            sa.text(
                "UPDATE review_task SET status = 'pending', lease_holder_id = NULL, "
                "lease_expires_at = NULL WHERE id = :id"
            ),
            {"id": task_id},
        )


def upgrade() -> None:
    _one_lease_each()
    with op.batch_alter_table("review_task", schema=None) as batch_op:
        batch_op.create_index(
            "uq_review_task_one_lease",
            ["lease_holder_id"],
            unique=True,
            sqlite_where=sa.text("lease_holder_id IS NOT NULL"),
            postgresql_where=sa.text("lease_holder_id IS NOT NULL"),
        )
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "uq_verdict_idempotency", ["reviewer_id", "idempotency_key"], unique=True
        )
    with op.batch_alter_table("auth_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("failed_logins")
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("auth_token", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.drop_index("uq_verdict_idempotency")
        batch_op.drop_column("idempotency_key")
    with op.batch_alter_table("review_task", schema=None) as batch_op:
        batch_op.drop_index("uq_review_task_one_lease")
