"""s11_scores: a Section 11 return scored per sub-question, self-assessed and moderated
(docs/section11.md).

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "s11_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("sub", sa.String(length=16), nullable=False),
        sa.Column("self_score", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("improvement", sa.Text(), nullable=True),
        sa.Column("agency_action", sa.Text(), nullable=True),
        sa.Column("action_deadline", sa.Date(), nullable=True),
        sa.Column("moderated_score", sa.Integer(), nullable=True),
        sa.Column("moderator_note", sa.Text(), nullable=True),
        sa.Column("self_by_id", sa.Integer(), nullable=True),
        sa.Column("self_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.Column("moderated_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("carried_from_cycle_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["return_id"], ["s11_returns.id"], name=op.f("fk_s11_scores_return_id_s11_returns")
        ),
        sa.ForeignKeyConstraint(
            ["self_by_id"], ["members.id"], name=op.f("fk_s11_scores_self_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by_id"], ["members.id"], name=op.f("fk_s11_scores_moderated_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["carried_from_cycle_id"],
            ["s11_cycles.id"],
            name=op.f("fk_s11_scores_carried_from_cycle_id_s11_cycles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_s11_scores")),
        sa.UniqueConstraint("return_id", "sub", name="uq_s11_scores_return_sub"),
    )


def downgrade() -> None:
    op.drop_table("s11_scores")
