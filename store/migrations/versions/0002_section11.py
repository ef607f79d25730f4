"""section11: when an extension was granted (reminders under the new deadline start after it).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("s11_returns") as batch:
        batch.add_column(
            sa.Column("extension_granted_at", store.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("s11_returns") as batch:
        batch.drop_column("extension_granted_at")
