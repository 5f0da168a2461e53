"""reminders

Reminder campaigns: one `reminders` row per (appointment, days before, channel), claimed
atomically by the reminder worker; `undeliverable_numbers` for numbers Twilio refused for good
(invalid, landline); `patients.time_zone` for quiet hours in the patient's own zone.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import assistant.db.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("patients", sa.Column("time_zone", sa.String(length=64), nullable=True))
    op.create_table(
        "undeliverable_numbers",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("error_code", sa.String(length=10), nullable=False),
        sa.Column("marked_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_undeliverable_numbers")),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("claimed_at", assistant.db.types.UTCDateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("outbound_message_id", sa.Integer(), nullable=True),
        sa.Column("twilio_sid", sa.String(length=64), nullable=True),
        sa.Column("includes_prep", sa.Boolean(), nullable=False),
        sa.Column("skip_reason", sa.String(length=40), nullable=True),
        sa.Column("error_code", sa.String(length=10), nullable=True),
        sa.Column("delivery_status", sa.String(length=20), nullable=True),
        sa.Column("sent_at", assistant.db.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'claimed', 'sent', 'skipped', 'failed')",
            name=op.f("ck_reminders_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_reminders_appointment_id_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["outbound_message_id"],
            ["outbound_messages.id"],
            name=op.f("fk_reminders_outbound_message_id_outbound_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_reminders_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "appointment_id", "offset_days", "channel", name=op.f("uq_reminders_appointment_id")
        ),
    )
    op.create_index("ix_reminders_patient_sent", "reminders", ["patient_id", "sent_at"])
    op.create_index("ix_reminders_status_due", "reminders", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_reminders_status_due", table_name="reminders")
    op.drop_index("ix_reminders_patient_sent", table_name="reminders")
    op.drop_table("reminders")
    op.drop_table("undeliverable_numbers")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite >= 3.35 drops a column in place (a batch copy would recreate `patients`).
        op.execute("ALTER TABLE patients DROP COLUMN time_zone")
    else:
        op.drop_column("patients", "time_zone")
