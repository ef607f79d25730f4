"""document access: who may see each document, and the resync's generation counter.

`access` is how a document is restricted: "open" (the board), "agency" (Section 11 evidence:
the chair, the QA officer and `access_agency_id`'s leads), "unmapped" (Section 11 evidence in a
folder that names no agency: the chair and the QA officer until it is mapped) or "restricted"
(SharePoint's unique permissions or a folder the board file restricts: the roles in
`access_roles`, stored as ",chair,qa_officer,"). `unique_permissions` is what Graph said of the
item itself. `sync_generation` is the full enumeration that last saw the item: after a 410
resync, what the new generation did not see is deleted.

Plain ADD COLUMNs (no batch_alter_table): on SQLite a batch would recreate `documents` and drop
the search triggers of 0009.

Revision ID: 0017
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("access", sa.String(16), nullable=False, server_default="open"))
    op.add_column("documents", sa.Column("access_agency_id", sa.Integer(), nullable=True))
    op.add_column("documents", sa.Column("access_roles", sa.String(200), nullable=True))
    op.add_column(
        "documents",
        sa.Column("unique_permissions", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("documents", sa.Column("sync_generation", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    for name in ("sync_generation", "unique_permissions", "access_roles", "access_agency_id", "access"):
        op.drop_column("documents", name)
