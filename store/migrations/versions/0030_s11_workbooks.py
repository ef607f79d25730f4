"""s11 workbooks: each version of a Section 11 workbook read from SharePoint, and its outcome
(docs/section11.md, "The workbook").

Revision ID: 0030
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0030"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "s11_workbook_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("drive_item_id", sa.String(length=200), nullable=False),
        sa.Column("version_key", sa.String(length=100), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("read_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"], ["s11_returns.id"], name=op.f("fk_s11_workbook_imports_return_id_s11_returns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_s11_workbook_imports")),
        sa.UniqueConstraint("drive_item_id", "version_key", name="uq_s11_workbook_imports_item_version"),
    )


def downgrade() -> None:
    op.drop_table("s11_workbook_imports")
