"""short-notice reminders

`reminders.short_notice`: the row is the one reminder of a visit booked after all the offsets of
its channel had passed (planned for the morning after the booking, or at once for a same-day
visit). It keeps the smallest offset's key (appointment, days before, channel); existing rows
are ordinary reminders (false).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "reminders",
        sa.Column("short_notice", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite >= 3.35 drops a column in place (a batch copy would recreate the table).
        op.execute("ALTER TABLE reminders DROP COLUMN short_notice")
    else:
        op.drop_column("reminders", "short_notice")
