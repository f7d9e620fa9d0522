"""analysis index: item_id, id (an item's newest analysis in one lookup)

Revision ID: e41b7d09a3c6
Revises: 7c3e9a1d2f80
Create Date: 2026-11-27 22:35:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e41b7d09a3c6"
down_revision: str | None = "7c3e9a1d2f80"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("analysis", schema=None) as batch_op:
        batch_op.drop_index("ix_analysis_item_id")
        batch_op.create_index("ix_analysis_item_latest", ["item_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("analysis", schema=None) as batch_op:
        batch_op.drop_index("ix_analysis_item_latest")
        batch_op.create_index("ix_analysis_item_id", ["item_id"], unique=False)
