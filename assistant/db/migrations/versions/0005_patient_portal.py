"""patient portal

Portal sign-in challenges (an SMS code or a signed link from a reminder text; only keyed hashes
are stored, three wrong answers lock), a rate-limit ledger of sends and failed answers per
number and per address (both hashed), and server-side portal sessions (the cookie holds a random
token, the row its hash, the record being viewed and its chat conversation).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import assistant.db.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("phone_hash", sa.String(length=32), nullable=True),
        sa.Column("ip_hash", sa.String(length=32), nullable=True),
        sa.Column("at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_attempts")),
    )
    op.create_index(
        "ix_portal_attempts_kind_ip", "portal_attempts", ["kind", "ip_hash", "at"], unique=False
    )
    op.create_index(
        "ix_portal_attempts_kind_phone",
        "portal_attempts",
        ["kind", "phone_hash", "at"],
        unique=False,
    )
    op.create_table(
        "portal_challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ip_hash", sa.String(length=32), nullable=True),
        sa.Column("created_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", assistant.db.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "method IN ('code', 'link')", name=op.f("ck_portal_challenges_method_known")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'verified', 'locked', 'expired', 'superseded')",
            name=op.f("ck_portal_challenges_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_portal_challenges_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_portal_challenges_practice_id_practices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_challenges")),
        sa.UniqueConstraint("nonce", name=op.f("uq_portal_challenges_nonce")),
    )
    op.create_index(
        op.f("ix_portal_challenges_patient_id"), "portal_challenges", ["patient_id"], unique=False
    )
    op.create_index(
        "ix_portal_challenges_phone_created",
        "portal_challenges",
        ["phone", "created_at"],
        unique=False,
    )
    op.create_table(
        "portal_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("verified_patient_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("challenge_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", assistant.db.types.UTCDateTime(), nullable=False),
        sa.Column("ended_at", assistant.db.types.UTCDateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["portal_challenges.id"],
            name=op.f("fk_portal_sessions_challenge_id_portal_challenges"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_portal_sessions_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_portal_sessions_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_portal_sessions_practice_id_practices")
        ),
        sa.ForeignKeyConstraint(
            ["verified_patient_id"],
            ["patients.id"],
            name=op.f("fk_portal_sessions_verified_patient_id_patients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_portal_sessions_token_hash")),
    )
    op.create_index(
        op.f("ix_portal_sessions_verified_patient_id"),
        "portal_sessions",
        ["verified_patient_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_portal_sessions_verified_patient_id"), table_name="portal_sessions")
    op.drop_table("portal_sessions")
    op.drop_index("ix_portal_challenges_phone_created", table_name="portal_challenges")
    op.drop_index(op.f("ix_portal_challenges_patient_id"), table_name="portal_challenges")
    op.drop_table("portal_challenges")
    op.drop_index("ix_portal_attempts_kind_phone", table_name="portal_attempts")
    op.drop_index("ix_portal_attempts_kind_ip", table_name="portal_attempts")
    op.drop_table("portal_attempts")
