"""Reading every table whole, for `qabot export` (a subject-access request, or a move).

The tables come from the models' metadata, so a table added later is exported without any
change here. Rows are read in primary-key order inside one consistent snapshot.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from store.models import Base


def tables() -> list[Table]:
    """Every table the bot owns, parents before children."""
    return list(Base.metadata.sorted_tables)


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that sees one instant of the database for the whole export
    (REPEATABLE READ on PostgreSQL; SQLite's read transaction already is one)."""
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


def jsonable(value: Any) -> Any:
    """A column value as plain JSON (dates and instants as ISO 8601 text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def rows(conn: Connection, table: Table, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """The table's rows as JSON-ready dicts, in primary-key order, fetched in batches."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execute(select(table).order_by(*order).execution_options(yield_per=batch))
    for row in result.mappings():
        yield {key: jsonable(value) for key, value in row.items()}


def count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (None if it was never migrated)."""
    try:
        with conn.begin_nested():
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def row_snapshot(obj: Any) -> dict[str, Any]:
    """Every column of an ORM object, JSON-ready (for audit snapshots of removed rows)."""
    table: Table = obj.__table__
    return {c.key: jsonable(getattr(obj, c.key)) for c in table.columns}
