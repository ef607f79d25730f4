"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import store.db
from store.db import HEAD, at_head, downgrade, migrate
from store.models import Base
from store.search import outside_search_index


def test_models_match_migrations(engine: Engine) -> None:
    # The full-text index (SQLite's FTS5 tables, PostgreSQL's tsvector column and GIN index) is
    # built by migration 0009 and is deliberately not in the models: skipped, by name, here.
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False, "include_object": outside_search_index})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], diff


def test_migrate_is_idempotent(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"actions", "findings", "outbox", "audit_log", "processed_deliveries", "s11_returns"} <= tables


def test_head_is_the_newest_migration_and_a_database_there_is_left_alone(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`store.db.HEAD` names alembic's head (a new migration must move it), and a database at
    it is not handed to alembic; one below it is migrated up."""
    from alembic.script import ScriptDirectory

    from store.db import alembic_config

    assert ScriptDirectory.from_config(alembic_config(engine)).get_heads() == [HEAD]
    assert at_head(engine)
    with monkeypatch.context() as m:
        m.setattr(store.db, "_run_alembic", lambda *_: pytest.fail("alembic run for a database at head"))
        migrate(engine)
    downgrade(engine, "-1")
    assert not at_head(engine)
    migrate(engine)
    assert at_head(engine)
