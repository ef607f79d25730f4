"""corrections: a finding can be withdrawn, a meeting cancelled, an action or finding held.

- findings.withdrawn_at / withdrawn_reason: a withdrawn finding stays (its history is the
  record) but is left out of lists, status, summaries and reports.
- meetings.cancelled_at / cancel_reason: a cancelled meeting gets no agenda from the clock,
  one cancellation notice instead.
- actions.legal_hold / findings.legal_hold: kept by `qabot purge` whatever their age.
- s11_cycles.replanned_at: when the deadline was last moved; reminder slots that fell before
  it are not sent late (the same rule as an extension's grant time).
Plain ADD COLUMNs (no batch copy on SQLite, so no table is recreated).

Revision ID: 0014
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "findings", sa.Column("withdrawn_at", store.types.UTCDateTime(timezone=True), nullable=True)
    )
    op.add_column("findings", sa.Column("withdrawn_reason", sa.Text(), nullable=True))
    op.add_column(
        "findings", sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("actions", sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column(
        "meetings", sa.Column("cancelled_at", store.types.UTCDateTime(timezone=True), nullable=True)
    )
    op.add_column("meetings", sa.Column("cancel_reason", sa.Text(), nullable=True))
    op.add_column(
        "s11_cycles", sa.Column("replanned_at", store.types.UTCDateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("s11_cycles") as batch:
        batch.drop_column("replanned_at")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("cancel_reason")
        batch.drop_column("cancelled_at")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("legal_hold")
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("legal_hold")
        batch.drop_column("withdrawn_reason")
        batch.drop_column("withdrawn_at")
