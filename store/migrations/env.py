"""Alembic environment: the connection is handed in by store.db.migrate (or the alembic CLI)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from store.db import normalise_url
from store.models import Base
from store.search import outside_search_index


config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_object=outside_search_index,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = normalise_url(config.get_main_option("sqlalchemy.url") or "sqlite:///qabot.db")
    engine = create_engine(url)
    with engine.begin() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_object=outside_search_index,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
