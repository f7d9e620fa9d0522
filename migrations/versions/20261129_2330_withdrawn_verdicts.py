"""withdrawn verdicts: an undone or replaced verdict is kept and marked, never deleted

Revision ID: 5c8a1e3f7b20
Revises: 9d2e4f6a8b13
Create Date: 2026-11-29 23:30:00

Two nullable columns on ``verdict``: ``withdrawn_at`` (when its reviewer undid or replaced it)
and ``replaced_by_id`` (the verdict that replaced it). Existing verdicts all stand (NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c8a1e3f7b20"
down_revision: str | None = "9d2e4f6a8b13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("replaced_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_verdict_replaced_by_id_verdict"),
            "verdict",
            ["replaced_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_verdict_replaced_by_id_verdict"), type_="foreignkey"
        )
        batch_op.drop_column("replaced_by_id")
        batch_op.drop_column("withdrawn_at")
