"""an event's decided reply is kept until it is delivered

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

The turn and the claim now commit together, with the reply stored beside the event, so a crash
between deciding and delivering delivers the stored reply instead of running the turn again.
The old in-between status "processing" (claimed, turn not known to have run) becomes "pending".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.add_column(sa.Column("reply", sa.Text(), nullable=True))
    op.execute("UPDATE inbound_events SET status = 'pending' WHERE status = 'processing'")


def downgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.drop_column("reply")
