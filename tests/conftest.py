"""Shared fixtures: a migrated database on SQLite and on a real PostgreSQL server, a clock
that tests move, the test board, and a `say` helper that drives the command core."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.services import board_services
from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from store.db import make_engine, migrate, normalise_url, session_factory, transaction

FIXTURES = Path(__file__).parent / "fixtures"
LONDON = ZoneInfo("Europe/London")
_PG_PROBLEM: list[str] = []


def postgres_server_url() -> str | None:
    """The PostgreSQL server to test on: $QABOT_TEST_POSTGRES_URL, else 127.0.0.1:5432."""
    url = os.environ.get("QABOT_TEST_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        eng = create_engine(
            normalise_url(url), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with eng.connect() as c:
            c.execute(text("select 1"))
        eng.dispose()
        return url
    except Exception as e:  # pragma: no cover - depends on the machine
        _PG_PROBLEM.append(f"{url}: {type(e).__name__}: {e}".splitlines()[0])
        return None


@pytest.fixture(scope="session")
def pg_server() -> str | None:
    return postgres_server_url()


@pytest.fixture
def pg_url(pg_server: str | None) -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if pg_server is None:
        pytest.skip("PostgreSQL could not be reached: " + "; ".join(_PG_PROBLEM))
    name = f"qabot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(pg_server), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(pg_server)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'qabot.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For platform tests that need a store but not both databases."""
    return f"sqlite:///{tmp_path / 'qabot.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def clock() -> FixedClock:
    """Thursday 26 November 2026, 10:00 in London."""
    return FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=LONDON))


def load_board(sessions: sessionmaker[Session], clock: FixedClock, name: str = "board.yaml") -> None:
    bf = parse_board_file((FIXTURES / name).read_text(), name=name)
    with transaction(sessions) as s:
        import_board(s, bf, clock.now())


@pytest.fixture
def board(sessions: sessionmaker[Session], clock: FixedClock) -> sessionmaker[Session]:
    load_board(sessions, clock)
    return sessions


@pytest.fixture
def core(board: sessionmaker[Session], clock: FixedClock) -> BotCore:
    return BotCore(sessions=board, clock=clock, platforms=("console",), services=board_services())


Say = Callable[..., Reply]


@pytest.fixture
def say(core: BotCore) -> Say:
    """say("qa", "/action add …") → the Reply the member would see."""

    def _say(handle: str, line: str, **kw: object) -> Reply:
        return core.handle(Inbound(platform="console", user_id=handle, text=line, **kw))  # type: ignore[arg-type]

    return _say


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _PG_PROBLEM:
        bar = "!" * 78
        terminalreporter.write_line(bar, red=True, bold=True)
        terminalreporter.write_line(
            "PostgreSQL COULD NOT BE REACHED: the PostgreSQL half of the store and command tests "
            "was SKIPPED.",
            red=True,
            bold=True,
        )
        for p in _PG_PROBLEM:
            terminalreporter.write_line("  " + p, red=True)
        terminalreporter.write_line(bar, red=True, bold=True)
