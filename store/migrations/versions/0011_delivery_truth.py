"""delivery truth: an outbox post whose outcome is unclear is counted, resent at most once
visibly, and every problem row says when the QA officer was told.

- `unclear_lookups`: look-ups (find_sent) for a maybe-sent post that could not answer.
- `resent_unclear`: the post was resent with "(resent — the first attempt's outcome was
  unknown)"; a second unclear outcome parks it instead of sending a third time.
- `told_at`: when the QA officer was told of a failed, parked or unreachable post.

Posts that earlier code queued for the console as '#unaddressed' (nobody's address) become
'unreachable': they were never going to reach anyone.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("unclear_lookups", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("resent_unclear", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("told_at", store.types.UTCDateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE outbox SET status = 'unreachable', next_attempt_at = NULL "
        "WHERE platform = 'console' AND channel = '#unaddressed' AND status IN ('pending', 'sending')"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("told_at")
        batch.drop_column("resent_unclear")
        batch.drop_column("unclear_lookups")
