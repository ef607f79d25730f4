"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from store.db import migrate
from store.models import Base


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], diff


def test_migrate_is_idempotent(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"actions", "findings", "outbox", "audit_log", "processed_deliveries", "s11_returns"} <= tables
