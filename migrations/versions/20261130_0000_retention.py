"""retention: items whose text was blanked keep the labels the weekly report needs

Revision ID: 7e3b9c1d5a42
Revises: c0f570402750
Create Date: 2026-11-30 00:00:00

Two nullable columns on ``item``: ``purged_at`` (when ``core.retention.purge`` blanked its text)
and ``retained`` (the newest analysis' labels, frozen then). Existing items are all kept (NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7e3b9c1d5a42"
down_revision: str | None = "c0f570402750"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("retained", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_column("retained")
        batch_op.drop_column("purged_at")
