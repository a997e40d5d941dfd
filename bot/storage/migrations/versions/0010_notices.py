"""notices: topic subscriptions, notices, their LINE multicast batches and per-person deliveries

Revision ID: 0010_notices
Revises: 0009_events
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.models import UTCDateTime

revision: str = "0010_notices"
down_revision: str | None = "0009_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notice_subscriptions",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("topic", sa.String(32), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=True),
        sa.Column("segment", sa.JSON(), nullable=False),
        sa.Column("aggregation_unit", sa.String(30), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("thread_ref", sa.String(128), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "notice_batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("notice_id", sa.Integer(), sa.ForeignKey("notices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("retry_key", sa.String(36), nullable=True, unique=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("first_sent_at", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_notice_batches_notice_status", "notice_batches", ["notice_id", "status"])
    op.create_table(
        "notice_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("notice_id", sa.Integer(), sa.ForeignKey("notices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "batch_id", sa.Integer(), sa.ForeignKey("notice_batches.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("notice_id", "user_id", name="uq_notice_deliveries_notice_user"),
    )
    op.create_index("ix_notice_deliveries_batch", "notice_deliveries", ["batch_id"])
    op.create_index("ix_notice_deliveries_user_id", "notice_deliveries", ["user_id"])


def downgrade() -> None:
    op.drop_table("notice_deliveries")
    op.drop_table("notice_batches")
    op.drop_table("notices")
    op.drop_table("notice_subscriptions")
