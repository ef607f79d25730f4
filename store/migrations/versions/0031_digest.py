"""digest: one row per week's digest to the chair, sent or "nothing needed action" (docs/operations.md).

Revision ID: 0031
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0031"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("due_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("computed_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("since", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("sent_to", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_runs")),
        sa.UniqueConstraint("week", name=op.f("uq_digest_runs_week")),
    )


def downgrade() -> None:
    op.drop_table("digest_runs")
