"""The names the guard needs around a search, read as plain columns.

`/docs search` guards the words typed and redacts each snippet with the board's vocabulary
(commands/common.board_vocabulary). Loading every agency and member as an ORM object to take
their names was most of the command's time outside the search itself; these are the same
names, read in one round trip each and returned as a hashable value the caller can cache on.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Agency, Board, Member


class GuardNames(NamedTuple):
    """Everything commands/common.board_vocabulary reads, in the same order it reads it."""

    board_name: str
    places: tuple[str, ...]
    venues: tuple[str, ...]
    agencies: tuple[str, ...]
    members: tuple[str, ...]
    emails: tuple[str, ...]


def guard_names(session: Session) -> GuardNames:
    board = session.execute(select(Board.name, Board.config).where(Board.id == 1)).first()
    config = (board.config or {}) if board else {}
    people = session.execute(select(Member.name, Member.email).order_by(Member.handle)).all()
    return GuardNames(
        board_name=board.name if board else "",
        places=tuple(str(p) for p in config.get("places") or ()),
        venues=tuple(str(v) for v in config.get("venues") or ()),
        agencies=tuple(session.scalars(select(Agency.name).order_by(Agency.name))),
        members=tuple(p.name for p in people),
        emails=tuple(p.email for p in people if p.email),
    )
