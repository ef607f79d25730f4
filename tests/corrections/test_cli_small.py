"""The small CLI corrections: `qabot seed --demo` never merges the demo into a loaded board
(while `qabot run`'s first start still seeds it and a second start reuses it), and `qabot
migrate` / `qabot doctor` explain an unreachable database in one line."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from store.db import make_engine, session_factory
from store.models import Board, Member

_PLATFORM_VARS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "TEAMS_ALLOW_ANONYMOUS",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID",
    "SHAREPOINT_SITE",
)


@pytest.fixture
def cli_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The CLI with no .env or platform settings around; the test sets QABOT_DATABASE_URL."""
    monkeypatch.chdir(tmp_path)
    for var in _PLATFORM_VARS:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def _board_and_members(url: str) -> tuple[str, int]:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            board = s.get_one(Board, 1)
            return board.name, s.scalar(select(func.count()).select_from(Member)) or 0
    finally:
        engine.dispose()


def test_seed_demo_refuses_a_loaded_board(
    db_url: str, board: sessionmaker[Session], cli_at: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_at.setenv("QABOT_DATABASE_URL", db_url)
    before = _board_and_members(db_url)
    assert main(["seed", "--demo"]) == 2
    err = capsys.readouterr().err
    assert "A board is already loaded (Surrey Safeguarding Children Board)" in err
    assert "qabot import board.yaml" in err and "point QABOT_DATABASE_URL at a new database" in err
    assert _board_and_members(db_url) == before


def test_run_seeds_the_demo_once_then_starts_on_it(
    tmp_path: Path, cli_at: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'run.db'}"
    cli_at.setenv("QABOT_DATABASE_URL", url)
    for start in (1, 2):
        cli_at.setattr(sys, "stdin", io.StringIO("action list\n"))
        assert main(["run", "--as", "qa"]) == 0, start
        out = capsys.readouterr().out
        assert ("starting the local console on the demo board" in out) == (start == 1)
        assert "Open actions" in out
    name, people = _board_and_members(url)
    assert name == "Surrey Safeguarding Children Board" and people > 0
    assert main(["seed", "--demo"]) == 2  # the demo is loaded: seeding again is refused too


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://qa:secret@db.nohost.invalid:5432/qabot",
            "DNS failure: the database host db.nohost.invalid does not resolve",
        ),
        ("not a url", "QABOT_DATABASE_URL is not a database URL: use sqlite:///path/qabot.db"),
        ("mysql://qa@db/qabot", "names a mysql database, which QA Bot does not support"),
    ],
)
def test_migrate_and_doctor_explain_an_unreachable_database_in_one_line(
    url: str, expected: str, cli_at: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_at.setenv("QABOT_DATABASE_URL", url)
    with pytest.raises(SystemExit) as e:
        main(["migrate"])
    said = str(e.value)
    assert said.startswith("Database: ") and expected in said
    assert "\n" not in said and "secret" not in said and "Traceback" not in said

    assert main(["doctor"]) == 1
    out = capsys.readouterr()
    [line] = [x for x in out.out.splitlines() if "Database" in x and "[FAIL]" in x]
    assert expected in line and "secret" not in out.out + out.err
    assert "Traceback" not in out.err


def test_migrate_names_a_stopped_server(
    cli_at: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_at.setenv("QABOT_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/qabot")
    with pytest.raises(SystemExit) as e:
        main(["migrate"])
    assert str(e.value) == (
        "Database: nothing accepts connections at 127.0.0.1:1 "
        "(postgresql+psycopg://postgres@127.0.0.1:1/qabot): is the database server running?"
    )


def test_the_board_file_validates_the_minimum_retention() -> None:
    from commands.board_file import parse_board_file
    from commands.errors import ConfigError
    from tests.conftest import FIXTURES

    text = (FIXTURES / "board.yaml").read_text()
    assert parse_board_file(text, name="b.yaml").retention.min_years == 6  # the default
    assert parse_board_file(text + "retention: {min_years: 7}\n", name="b.yaml").retention.min_years == 7
    for bad in ("retention: {min_years: 0}\n", "retention: {min_years: six}\n", "retention: {keep: 6}\n"):
        with pytest.raises(ConfigError) as e:
            parse_board_file(text + bad, name="b.yaml")
        assert "retention" in str(e.value), bad
