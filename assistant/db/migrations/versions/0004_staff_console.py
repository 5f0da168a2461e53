"""staff console, directory and warm transfers

Departments (hours, after-hours behaviour, on-call number), staff users (console login, role,
hunt-group order, phone or Twilio Client identity), notes on staff tasks, and the record of warm
transfers with each ringing attempt.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import assistant.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("after_hours", sa.String(length=20), nullable=False),
        sa.Column("on_call_number", sa.String(length=20), nullable=True),
        sa.Column("ring_seconds", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "after_hours IN ('voicemail', 'on_call')", name=op.f("ck_departments_after_hours_mode")
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_departments_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("practice_id", "code", name=op.f("uq_departments_practice_id")),
    )
    op.create_index(
        op.f("ix_departments_practice_id"), "departments", ["practice_id"], unique=False
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("client_identity", sa.String(length=80), nullable=True),
        sa.Column("hunt_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", assistant.db.types.UTCDateTime(), nullable=True),
        sa.Column("last_login_at", assistant.db.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('front_desk', 'nurse', 'billing', 'manager')",
            name=op.f("ck_staff_users_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_staff_users_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_staff_users_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_users_email")),
    )
    op.create_index(
        op.f("ix_staff_users_department_id"), "staff_users", ["department_id"], unique=False
    )
    op.create_index(
        op.f("ix_staff_users_practice_id"), "staff_users", ["practice_id"], unique=False
    )
    op.create_table(
        "call_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("call_sid", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=80), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("started_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("ended_at", assistant.db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_call_transfers_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_call_transfers_practice_id_practices")
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_users.id"],
            name=op.f("fk_call_transfers_staff_user_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["staff_tasks.id"], name=op.f("fk_call_transfers_task_id_staff_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_transfers")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_call_transfers_call_sid")),
    )
    op.create_index(
        op.f("ix_call_transfers_conversation_id"),
        "call_transfers",
        ["conversation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_call_transfers_practice_id"), "call_transfers", ["practice_id"], unique=False
    )
    op.create_table(
        "staff_task_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_users.id"],
            name=op.f("fk_staff_task_notes_author_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["staff_tasks.id"], name=op.f("fk_staff_task_notes_task_id_staff_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_task_notes")),
    )
    op.create_index(
        op.f("ix_staff_task_notes_task_id"), "staff_task_notes", ["task_id"], unique=False
    )
    op.create_table(
        "transfer_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("call_sid", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("ended_at", assistant.db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_users.id"],
            name=op.f("fk_transfer_attempts_staff_user_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["call_transfers.id"],
            name=op.f("fk_transfer_attempts_transfer_id_call_transfers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_attempts")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_transfer_attempts_call_sid")),
        sa.UniqueConstraint(
            "transfer_id", "attempt", name=op.f("uq_transfer_attempts_transfer_id")
        ),
    )
    op.create_index(
        op.f("ix_transfer_attempts_transfer_id"), "transfer_attempts", ["transfer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_transfer_attempts_transfer_id"), table_name="transfer_attempts")
    op.drop_table("transfer_attempts")
    op.drop_index(op.f("ix_staff_task_notes_task_id"), table_name="staff_task_notes")
    op.drop_table("staff_task_notes")
    op.drop_index(op.f("ix_call_transfers_practice_id"), table_name="call_transfers")
    op.drop_index(op.f("ix_call_transfers_conversation_id"), table_name="call_transfers")
    op.drop_table("call_transfers")
    op.drop_index(op.f("ix_staff_users_practice_id"), table_name="staff_users")
    op.drop_index(op.f("ix_staff_users_department_id"), table_name="staff_users")
    op.drop_table("staff_users")
    op.drop_index(op.f("ix_departments_practice_id"), table_name="departments")
    op.drop_table("departments")
