"""voice reminders

`appointment_types.voice_reminder_offsets_days`: the days before a visit on which the patient
is also called (an outbound call with a keypad menu); null or empty: no calls for that type.
Voice reminders are `reminders` rows with channel 'voice'.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "appointment_types", sa.Column("voice_reminder_offsets_days", sa.JSON(), nullable=True)
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite >= 3.35 drops a column in place (a batch copy would recreate the table).
        op.execute("ALTER TABLE appointment_types DROP COLUMN voice_reminder_offsets_days")
    else:
        op.drop_column("appointment_types", "voice_reminder_offsets_days")
