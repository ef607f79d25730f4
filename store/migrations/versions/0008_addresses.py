"""addresses: one table of (subject, platform, address) instead of slack_*/teams_* columns.

Copies members.slack_id/teams_id, agencies' and meetings' slack_channel/teams_channel and
the board's `channels` setting into it, then drops those columns (and the setting).

Revision ID: 0008
Revises: 0007
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The old columns: (table, subject kind, platform, column, its type, unique).
OLD_COLUMNS = [
    ("members", "member", "slack", "slack_id", sa.String(length=32), True),
    ("members", "member", "teams", "teams_id", sa.String(length=64), True),
    ("agencies", "agency", "slack", "slack_channel", sa.String(length=64), False),
    ("agencies", "agency", "teams", "teams_channel", sa.String(length=300), False),
    ("meetings", "meeting", "slack", "slack_channel", sa.String(length=64), False),
    ("meetings", "meeting", "teams", "teams_channel", sa.String(length=300), False),
]
TABLES = ("members", "agencies", "meetings")
BOARD_ID = 1
CHANNEL = "channel:"

addresses = sa.table(
    "addresses",
    sa.column("subject_kind", sa.String),
    sa.column("subject_id", sa.Integer),
    sa.column("platform", sa.String),
    sa.column("address", sa.String),
)
board = sa.table("board", sa.column("id", sa.Integer), sa.column("config", sa.JSON))


def _old_table(name: str) -> sa.TableClause:
    cols = [sa.column(column, sa.String) for table, _, _, column, _, _ in OLD_COLUMNS if table == name]
    return sa.table(name, sa.column("id", sa.Integer), *cols)


def upgrade() -> None:
    op.create_table(
        "addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=80), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
        sa.UniqueConstraint(
            "subject_kind", "subject_id", "platform", name="uq_addresses_subject_platform"
        ),
    )
    with op.batch_alter_table("addresses") as batch:
        batch.create_index("ix_addresses_platform_address", ["platform", "address"], unique=False)

    conn = op.get_bind()
    rows: list[dict[str, Any]] = []
    for table, kind, platform, column, _, _ in OLD_COLUMNS:
        old = _old_table(table)
        for subject_id, address in conn.execute(sa.select(old.c.id, old.c[column])):
            if address:
                rows.append({"subject_kind": kind, "subject_id": subject_id, "platform": platform, "address": address})
    for board_id, config in conn.execute(sa.select(board.c.id, board.c.config)):
        config = dict(config or {})
        for name, ref in (config.pop("channels", None) or {}).items():
            for platform, address in (ref or {}).items():
                if address:
                    rows.append({"subject_kind": CHANNEL + name, "subject_id": board_id, "platform": platform, "address": str(address)})
        conn.execute(board.update().where(board.c.id == board_id).values(config=config))
    if rows:
        conn.execute(addresses.insert(), rows)

    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for t, _, _, column, _, unique in OLD_COLUMNS:
                if t == table and unique:
                    batch.drop_constraint(op.f(f"uq_{table}_{column}"), type_="unique")
            for t, _, _, column, _, _ in OLD_COLUMNS:
                if t == table:
                    batch.drop_column(column)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for t, _, _, column, type_, unique in OLD_COLUMNS:
                if t == table:
                    batch.add_column(sa.Column(column, type_, nullable=True))
                    if unique:
                        batch.create_unique_constraint(op.f(f"uq_{table}_{column}"), [column])

    conn = op.get_bind()
    for table, kind, platform, column, _, _ in OLD_COLUMNS:
        old = _old_table(table)
        found = sa.select(addresses.c.subject_id, addresses.c.address).where(
            addresses.c.subject_kind == kind, addresses.c.platform == platform
        )
        for subject_id, address in conn.execute(found).all():
            conn.execute(old.update().where(old.c.id == subject_id).values({column: address}))
    channels: dict[str, dict[str, str | None]] = {}
    found = sa.select(addresses.c.subject_kind, addresses.c.platform, addresses.c.address).where(
        addresses.c.subject_kind.startswith(CHANNEL)
    )
    for kind, platform, address in conn.execute(found).all():
        channels.setdefault(kind.removeprefix(CHANNEL), {"slack": None, "teams": None})[platform] = address
    for board_id, config in conn.execute(sa.select(board.c.id, board.c.config)).all():
        config = dict(config or {})
        config["channels"] = channels
        conn.execute(board.update().where(board.c.id == board_id).values(config=config))

    with op.batch_alter_table("addresses") as batch:
        batch.drop_index("ix_addresses_platform_address")
    op.drop_table("addresses")
