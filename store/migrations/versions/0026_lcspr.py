"""lcspr: a rapid review's LCSPR milestones and its recommendations as actions (docs/reviews.md).

Revision ID: 0026
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_milestones_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_milestones")),
        sa.UniqueConstraint("review_id", "name", name="uq_review_milestones_review_name"),
    )
    op.create_table(
        "review_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_review_recommendations_action_id_actions")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_recommendations_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_recommendations")),
        sa.UniqueConstraint("action_id", name=op.f("uq_review_recommendations_action_id")),
    )


def downgrade() -> None:
    op.drop_table("review_recommendations")
    op.drop_table("review_milestones")
