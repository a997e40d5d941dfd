"""forgetting a person reaches the outbox, Slack and the question statistics

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

- ``outbox.user_id``: whose alert a row is, so forgetting a person cancels their pending alerts
  and redacts their posted ones. Filled in from the lead or handoff each row names. Rows already
  sent keep only ids. A pending row whose person is already gone is cancelled; a sent one gets
  a ``redact`` row, so what Slack shows of people deleted before this release is redacted too.
- ``question_stats`` is tied to the person who asked (deleted with them, purged with the message
  log). The old rows hold free text that can't be traced to anyone, so they can't honour a
  deletion: they are dropped, and the statistics start afresh.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.storage.models import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OUTBOX = sa.table(
    "outbox",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("payload", sa.JSON()),
    sa.column("lead_id", sa.Integer()),
    sa.column("user_id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("attempts", sa.Integer()),
    sa.column("next_attempt_at", UTCDateTime()),
    sa.column("delivered_ref", sa.String()),
    sa.column("created_at", UTCDateTime()),
)
_PERSONAL_KINDS = ("lead_new", "lead_updated", "handoff", "handoff_message")


def _ids_only(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key.endswith("_id")}


def _scrub_outbox() -> None:
    bind = op.get_bind()
    lead_owner: dict[int, int] = {i: u for i, u in bind.execute(sa.text("SELECT id, user_id FROM leads"))}
    handoff_owner: dict[int, int] = {
        i: u for i, u in bind.execute(sa.text("SELECT id, user_id FROM handoffs"))
    }
    now = datetime.now(UTC)
    rows = bind.execute(
        sa.select(_OUTBOX.c.id, _OUTBOX.c.kind, _OUTBOX.c.payload, _OUTBOX.c.lead_id, _OUTBOX.c.status)
    ).all()
    for row in rows:
        payload = dict(row.payload or {})
        if row.kind in ("lead_new", "lead_updated"):
            owner = lead_owner.get(row.lead_id or 0)
        elif row.kind in ("handoff", "handoff_message"):
            owner = handoff_owner.get(int(payload.get("handoff_id") or 0))
        else:
            continue
        values: dict[str, Any] = {"user_id": owner}
        if row.status != "pending" or owner is None:
            values["payload"] = _ids_only(payload)
        if row.status == "pending" and owner is None:
            values["status"] = "cancelled"
        bind.execute(sa.update(_OUTBOX).where(_OUTBOX.c.id == row.id).values(**values))
    gone = bind.execute(
        sa.select(_OUTBOX.c.delivered_ref).where(
            _OUTBOX.c.kind.in_(_PERSONAL_KINDS),
            _OUTBOX.c.status == "sent",
            _OUTBOX.c.user_id.is_(None),
            _OUTBOX.c.delivered_ref.is_not(None),
        )
    ).scalars()
    redactions = [
        {
            "kind": "redact",
            "payload": {"ref": ref, "reason": "request"},
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for ref in gone
    ]
    if redactions:
        bind.execute(sa.insert(_OUTBOX), redactions)
    bind.execute(
        sa.update(_OUTBOX)
        .where(_OUTBOX.c.user_id.is_(None), _OUTBOX.c.kind.in_(_PERSONAL_KINDS))
        # The post is being redacted: the reference is no longer needed beside the ids.
        .values(delivered_ref=None)
    )


def _question_stats(with_user: bool) -> None:
    op.drop_table("question_stats")
    columns: list[Any] = [sa.Column("id", sa.Integer(), primary_key=True)]
    if with_user:
        columns.append(
            sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
        )
    keys = ("question", "outcome", "user_id") if with_user else ("question", "outcome")
    name = "uq_question_stats_question_outcome" + ("_user" if with_user else "")
    op.create_table(
        "question_stats",
        *columns,
        sa.Column("question", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.UniqueConstraint(*keys, name=name),
    )
    if with_user:
        op.create_index("ix_question_stats_user_id", "question_stats", ["user_id"])


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_outbox_user_id_users", "users", ["user_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_outbox_user_id", ["user_id"])
    _scrub_outbox()
    _question_stats(with_user=True)


def downgrade() -> None:
    _question_stats(with_user=False)
    op.execute("DELETE FROM outbox WHERE kind = 'redact'")
    op.execute("UPDATE outbox SET status = 'sent' WHERE status = 'cancelled'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_user_id")
        batch.drop_constraint("fk_outbox_user_id_users", type_="foreignkey")
        batch.drop_column("user_id")
