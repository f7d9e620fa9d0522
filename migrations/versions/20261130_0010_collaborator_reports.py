"""collaborator reports: what a collaborator hands in, its screenshots, and (apart) who

Revision ID: 7e1b3c5d9a42
Revises: 7e3b9c1d5a42
Create Date: 2026-11-30 00:10:00

Three new tables: ``report`` (the item a report became, the place it was seen, a note, the
link and why it could not be read), ``report_image`` (screenshots, stored without metadata,
with their OCR text and a reviewer's correction) and ``report_submitter`` (report → account,
read only by "Phản ánh của tôi" and the claim's "not the submitter" rule).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7e1b3c5d9a42"
down_revision: str | None = "7e3b9c1d5a42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("link_url", sa.String(length=2048), nullable=True),
        sa.Column("link_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_report_item_id_item"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    op.create_index(op.f("ix_report_item_id"), "report", ["item_id"], unique=False)
    op.create_table(
        "report_submitter",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_report_submitter_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_report_submitter_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_report_submitter")),
    )
    op.create_index(
        op.f("ix_report_submitter_user_id"), "report_submitter", ["user_id"], unique=False
    )
    op.create_table(
        "report_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("ocr_text", sa.Text(), nullable=True),
        sa.Column("ocr_error", sa.Text(), nullable=True),
        sa.Column("corrected_text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_report_image_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_image")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_report_image_stored_name")),
    )
    op.create_index(op.f("ix_report_image_report_id"), "report_image", ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_report_image_report_id"), table_name="report_image")
    op.drop_table("report_image")
    op.drop_index(op.f("ix_report_submitter_user_id"), table_name="report_submitter")
    op.drop_table("report_submitter")
    op.drop_index(op.f("ix_report_item_id"), table_name="report")
    op.drop_table("report")
