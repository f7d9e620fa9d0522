"""ix_item_cluster_source: a cluster's counts grow with each new item, not with the cluster

Revision ID: 5c2e8a4f7d31
Revises: 3a9d5e7c1b20
Create Date: 2026-11-30 06:00:00

Each clustering pass recounted the clusters it touched from every item they hold
(``count(DISTINCT source)`` over the cluster): a story carried by a million items cost a scan of
the million on every pass (docs/scaling.md). The pass now adds its new items to the counts and
asks, per new (cluster, source) pair, whether the source already carries the cluster: a lookup in
this index, which also serves every query by ``cluster_id`` (it replaces ``ix_item_cluster_id``).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5c2e8a4f7d31"
down_revision: str | None = "3a9d5e7c1b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_item_cluster_source", "item", ["cluster_id", "source"], unique=False)
    op.drop_index("ix_item_cluster_id", table_name="item")


def downgrade() -> None:
    op.create_index("ix_item_cluster_id", "item", ["cluster_id"], unique=False)
    op.drop_index("ix_item_cluster_source", table_name="item")
