"""The embedded SQLite database holds the board's records: its file and the -wal/-shm files
beside it are readable by their owner only, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from store.db import make_engine, migrate


@pytest.fixture
def lax_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: new files 0644
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_and_shm_files_are_private(tmp_path: Path, lax_umask: None) -> None:
    db = tmp_path / "data" / "qabot.db"
    engine = make_engine(f"sqlite:///{db}")
    try:
        migrate(engine)
        with engine.connect() as conn:  # the WAL and shared-memory files exist while it is open
            conn.execute(text("select count(*) from alembic_version"))
            files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
            assert all(p.exists() for p in files)
            assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
        assert _mode(db.parent) == 0o700
    finally:
        engine.dispose()


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path, lax_umask: None) -> None:
    db = tmp_path / "qabot.db"
    for path in (db, Path(f"{db}-wal")):
        path.touch()
        path.chmod(0o644)
    make_engine(f"sqlite:///{db}").dispose()
    assert _mode(db) == 0o600
    assert _mode(Path(f"{db}-wal")) == 0o600
