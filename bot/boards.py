"""Loading board files into the store (import and the shipped demo board)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from commands.board_file import ImportReport, import_board, import_board_report, parse_board_file
from commands.clock import Clock
from commands.errors import ConfigError
from store.db import transaction
from store.models import Board


def import_file(sessions: sessionmaker[Session], clock: Clock, path: Path) -> dict[str, int]:
    return import_file_report(sessions, clock, path).counts()


def import_file_report(
    sessions: sessionmaker[Session], clock: Clock, path: Path, *, dry_run: bool = False
) -> ImportReport:
    """Import the file in one transaction; a dry run works out the same plan and rolls it back."""
    bf = parse_board_file(read_board_text(path), name=str(path))
    if dry_run:
        with sessions() as s:
            try:
                return import_board_report(s, bf, clock.now(), source=f"import:{path.name}")
            finally:
                s.rollback()
    with transaction(sessions) as s:
        return import_board_report(s, bf, clock.now(), source=f"import:{path.name}")


def read_board_text(path: Path) -> str:
    """The file's text, or one line saying why it cannot be read (never a traceback)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        missing = f"{path}: no such file (give the path of your board file, e.g. board.yaml)"
        raise ConfigError(missing) from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a board file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file in UTF-8 (save it as UTF-8 and try again)") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot be read ({e.strerror or e})") from None


def demo_text() -> str:
    return (resources.files("bot") / "demo" / "board.yaml").read_text(encoding="utf-8")


def seed_demo(sessions: sessionmaker[Session], clock: Clock) -> dict[str, int]:
    bf = parse_board_file(demo_text(), name="demo board")
    with transaction(sessions) as s:
        return import_board(s, bf, clock.now(), source="seed:demo")


def has_board(sessions: sessionmaker[Session]) -> bool:
    with sessions() as s:
        return s.get(Board, 1) is not None


def loaded_board_name(sessions: sessionmaker[Session]) -> str | None:
    with sessions() as s:
        board = s.get(Board, 1)
        return board.name if board is not None else None
