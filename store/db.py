"""Engines, sessions and migrations. SQLite is the embedded default; PostgreSQL in production."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from store.write_gate import GatedConnection, WriteGate, begin_immediate

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_private(database: Path) -> None:
    """The database file exists and only its owner may read it (0600; its directory 0700 when
    we create it). SQLite gives the -wal and -shm files the database file's own mode, and any
    left by an older, laxer start are tightened too: the board's records are in them."""
    if not database.parent.exists():
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(database, os.O_CREAT | os.O_RDWR, 0o600))
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), Path(f"{database}-journal")):
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            make_private(Path(parsed.database))
        # Enough connections for every web thread and worker at once: a transaction waiting
        # for the write lock holds one, and an acknowledgement must not wait for a free one.
        file_db = parsed.database not in (None, "", ":memory:") and "mode=memory" not in url
        pool = {"pool_size": 10, "max_overflow": 40} if file_db else {}
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30, "factory": GatedConnection}, **pool
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # Take the write lock at BEGIN so concurrent writers queue instead of failing
        # mid-transaction; within this process they queue at a gate, the inbox INSERT an
        # acknowledgement waits on first (store/write_gate.py).
        event.listen(engine, "begin", begin_immediate(WriteGate()))

        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def inbox_engine(engine: Engine) -> Engine:
    """The engine the inbox INSERT before each acknowledgement uses on PostgreSQL: a pool of
    its own (acknowledgements never wait for a connection the workers hold), autocommit (the
    one statement is its own transaction, so nothing to roll back when a connection is
    returned), and no ping on checkout (a round trip before every acknowledgement): a
    connection found dead is replaced and the INSERT tried once more
    (`store.inbox.accept_alone`). Disposed with `engine`. SQLite: `engine` itself."""
    if engine.dialect.name != "postgresql":
        return engine
    own = create_engine(
        engine.url,
        isolation_level="AUTOCOMMIT",
        pool_pre_ping=False,
        pool_reset_on_return=None,  # autocommit: never a transaction to roll back
        pool_size=5,
        max_overflow=15,
    )
    event.listen(engine, "engine_disposed", lambda _engine: own.dispose())
    return own


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


# The newest migration (tests/test_migrations.py checks it is alembic's head). A database
# already there is not handed to alembic at all: every start of every process checks, and
# alembic with the migration scripts loaded would stay in a long-running process's memory
# (~16 MB measured in the web process, benchmarks/RESULTS.md).
HEAD = "0032_trustfix"


def at_head(engine: Engine) -> bool:
    """Whether the database's schema is at HEAD (False for a new one: no version table yet)."""
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:
        return False
    return versions == [HEAD]


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest migration (idempotent; safe to run at every start)."""
    if revision == "head" and at_head(engine):
        return
    from alembic import command

    _run_alembic(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    _run_alembic(engine, lambda cfg: command.downgrade(cfg, revision))


def _run_alembic(engine: Engine, step: Callable[[Any], None]) -> None:
    """One migration step in one transaction. On SQLite, altering a table rebuilds it (copy,
    drop, rename), and dropping a table other rows point at fails while foreign keys are
    enforced; so enforcement is off for the step (it can only change outside a transaction)
    and every reference is checked before the step commits."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                cfg = alembic_config(engine)
                cfg.attributes["connection"] = conn
                step(cfg)
                if sqlite and (broken := conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                    raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed whole, or rolled back whole."""
    session = factory()
    try:
        with session.begin():
            yield session
    finally:
        session.close()
