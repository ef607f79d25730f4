"""sharepoint: indexes for /docs recent, a meeting's papers and a return's evidence.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index("ix_documents_modified", ["modified_at"], unique=False)
        batch_op.create_index("ix_documents_meeting", ["meeting_id"], unique=False)
        batch_op.create_index("ix_documents_s11_return", ["s11_return_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_s11_return")
        batch_op.drop_index("ix_documents_meeting")
        batch_op.drop_index("ix_documents_modified")
