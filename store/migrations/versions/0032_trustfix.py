"""trustfix: a rapid review's legal hold and what its retention purge leaves (docs/reviews.md).

- reviews.legal_hold: kept by `qabot purge` whatever its age (`/review hold`).
- reviews.purged_on: the day `qabot purge` removed its private details.
- reviews.purged_counts: the timeline's counts kept after the purge (working days, deadlines
  met, agencies, recommendations).

Revision ID: 0032_trustfix
Revises: 0031
"""

import sqlalchemy as sa
from alembic import op

revision = "0032_trustfix"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("purged_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("purged_counts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("purged_counts")
        batch.drop_column("purged_on")
        batch.drop_column("legal_hold")
