"""reviews: rapid reviews by case code, and each agency's summary (docs/reviews.md).

Revision ID: 0020
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0020"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=32), nullable=True),
        sa.Column("aware_on", sa.Date(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("meeting_on", sa.Date(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("panel_decision", sa.String(length=16), nullable=True),
        sa.Column("panel_on", sa.Date(), nullable=True),
        sa.Column("opened_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["members.id"], name=op.f("fk_reviews_opened_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("code", name=op.f("uq_reviews_code")),
    )
    op.create_table(
        "review_agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("evidence_url", sa.String(length=500), nullable=True),
        sa.Column("extension_to", sa.Date(), nullable=True),
        sa.Column("last_reply_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_review_agencies_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_agencies_review_id_reviews")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["members.id"], name=op.f("fk_review_agencies_submitted_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_agencies")),
        sa.UniqueConstraint("review_id", "agency_id", name="uq_review_agencies_review_agency"),
    )


def downgrade() -> None:
    op.drop_table("review_agencies")
    op.drop_table("reviews")
