"""extension refused: the date an agency asked for and was refused, so /s11 status can say so.

`s11_returns.extension_refused_to` is set by /s11 refuse and cleared when an extension is
granted. A plain nullable column: on SQLite, `batch_alter_table("s11_returns")` is not
needed for an added column (0009's note on `documents` does not apply here).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("s11_returns", sa.Column("extension_refused_to", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("s11_returns") as batch:
        batch.drop_column("extension_refused_to")
