"""meetings: indexes for the chair's status, agendas and recent escalations.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_actions_rollup", "actions", ["priority", "agency_id", "status", "due_date", "closed_at"]
    )
    op.create_index("ix_actions_meeting_status", "actions", ["meeting_id", "status", "due_date"])
    op.create_index("ix_actions_escalated", "actions", ["escalated_at"])
    op.create_index("ix_agenda_items_meeting", "agenda_items", ["meeting_id"])


def downgrade() -> None:
    op.drop_index("ix_agenda_items_meeting", table_name="agenda_items")
    op.drop_index("ix_actions_escalated", table_name="actions")
    op.drop_index("ix_actions_meeting_status", table_name="actions")
    op.drop_index("ix_actions_rollup", table_name="actions")
