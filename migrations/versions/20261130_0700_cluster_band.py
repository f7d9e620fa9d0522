"""cluster_band: the clustering's LSH index of recent leaders, kept in the database

Revision ID: 9b4d1f6e2a53
Revises: 5c2e8a4f7d31
Create Date: 2026-11-30 07:00:00

Each clustering pass rebuilt an in-memory LSH index from every cluster leader of the window
(14 days): its cost followed the clusters of the last two weeks (≈ 33 µs and 2 KB a leader,
docs/scaling.md), millions a pass at a national rate. The band keys now live in this table and a
pass looks up only its new items' keys. The table starts empty: the first pass after this
migration fills it from the leaders still inside the window (``collector.cluster``), so the
migration does not depend on the clustering code.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9b4d1f6e2a53"
down_revision: str | None = "5c2e8a4f7d31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cluster_band",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["cluster.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "cluster_id"),
    )
    op.create_index("ix_cluster_band_seen_at", "cluster_band", ["seen_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cluster_band_seen_at", table_name="cluster_band")
    op.drop_table("cluster_band")
