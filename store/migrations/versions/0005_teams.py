"""teams: conversation_refs.user_id, so the bot can find its 1:1 chat with a member.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_refs") as batch:
        batch.add_column(sa.Column("user_id", sa.String(length=64), nullable=True))
        batch.create_index("ix_conversation_refs_user", ["platform", "user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversation_refs") as batch:
        batch.drop_index("ix_conversation_refs_user")
        batch.drop_column("user_id")
