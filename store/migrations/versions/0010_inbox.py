"""inbox: every platform delivery is stored before it is acknowledged, and worked from there.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted_by", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reply", sa.JSON(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("key", name=op.f("uq_inbox_key")),
    )
    op.create_index("ix_inbox_status", "inbox", ["status", "received_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_inbox_status", table_name="inbox")
    op.drop_table("inbox")
