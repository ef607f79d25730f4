"""board file keys: the `id:` a board file gives an agency, a member or a meeting.

With a key, a row is found by it whatever its name, handle or date becomes, so a rename or a
moved meeting updates the row instead of adding a second one. Nullable: rows imported before
keys, and meetings from chat or a calendar, have none. Unique where set (an index, not a
constraint, so SQLite needs no table rebuild).

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0020"
branch_labels = None
depends_on = None

TABLES = ("agencies", "members", "meetings")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("file_key", sa.String(64), nullable=True))
        op.create_index(f"uq_{table}_file_key", table, ["file_key"], unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"uq_{table}_file_key", table_name=table)
        op.drop_column(table, "file_key")
