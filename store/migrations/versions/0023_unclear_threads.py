"""unclear threads: where and when an outbox post's outcome was unknown, so a reply in the
thread of a copy Teams kept without telling us can be matched to the post.

- `unclear_from`, `unclear_until`: the time window of the attempts whose outcome was unknown
  (a timeout, a lost answer, a process that died while sending).
- `duplicate_message_id`: the root message id of that copy's thread, once a reply in it has
  been matched (later replies there are then matched directly).
- `person_threads`: the ids (never the text) of top-level posts people made in a channel the
  bot posts into: a reply under one is their own conversation, not a lost thread of the bot's.

Revision ID: 0023
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0023"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("unclear_from", store.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("unclear_until", store.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("duplicate_message_id", sa.String(length=300), nullable=True))
        batch.create_index("ix_outbox_duplicate", ["platform", "duplicate_message_id"])
    op.create_table(
        "person_threads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=300), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("seen_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "channel", "message_id", name="uq_person_threads_message"),
    )


def downgrade() -> None:
    op.drop_table("person_threads")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_duplicate")
        batch.drop_column("duplicate_message_id")
        batch.drop_column("unclear_until")
        batch.drop_column("unclear_from")
