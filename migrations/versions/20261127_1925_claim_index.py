"""claim index: status, priority, id (walked backwards by the claim)

Revision ID: 5b1f0c2a9d47
Revises: 40dc6c0ff5e7
Create Date: 2026-11-27 19:25:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b1f0c2a9d47"
down_revision: str | None = "40dc6c0ff5e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_task", schema=None) as batch_op:
        batch_op.drop_index("ix_review_task_status_priority")
        batch_op.create_index("ix_review_task_claim", ["status", "priority", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_task", schema=None) as batch_op:
        batch_op.drop_index("ix_review_task_claim")
        batch_op.create_index(
            "ix_review_task_status_priority", ["status", "priority"], unique=False
        )
