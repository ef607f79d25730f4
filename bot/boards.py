"""Loading board files into the store (import and the shipped demo board)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from commands.board_file import import_board, parse_board_file
from commands.clock import Clock
from store.db import transaction
from store.models import Board


def import_file(sessions: sessionmaker[Session], clock: Clock, path: Path) -> dict[str, int]:
    text = path.read_text(encoding="utf-8")
    bf = parse_board_file(text, name=str(path))
    with transaction(sessions) as s:
        return import_board(s, bf, clock.now(), source=f"import:{path.name}")


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
