"""s11_moderation: the agencies invited to a Section 11 challenge event, with their slots
(docs/section11.md, *Challenge event*), so a second `/s11 challenge` for the day invites no one twice.

Revision ID: 0029
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0029"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "s11_challenge_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("invited_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_s11_challenge_invites_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["s11_cycles.id"], name=op.f("fk_s11_challenge_invites_cycle_id_s11_cycles")
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["members.id"], name=op.f("fk_s11_challenge_invites_invited_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_s11_challenge_invites")),
        sa.UniqueConstraint("cycle_id", "day", "agency_id", name="uq_s11_challenge_invites_cycle_day_agency"),
    )


def downgrade() -> None:
    op.drop_table("s11_challenge_invites")
