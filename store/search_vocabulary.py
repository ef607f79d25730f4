"""The names the guard needs around a search, read as plain columns.

`/docs search` guards the words typed and redacts each snippet with the board's vocabulary
(commands/common.board_vocabulary). Loading every agency and member as an ORM object to take
their names was most of the command's time outside the search itself; these are the same
names, read in one round trip (the board is already in the session) and returned as a
hashable value the caller can cache on.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Integer, literal_column, select, union_all
from sqlalchemy.orm import Session

from store.models import Agency, Board, Member, SyncState


class GuardNames(NamedTuple):
    """Everything commands/common.board_vocabulary reads, in the same order it reads it."""

    board_name: str
    places: tuple[str, ...]
    venues: tuple[str, ...]
    agencies: tuple[str, ...]
    members: tuple[str, ...]
    emails: tuple[str, ...]


@lru_cache(maxsize=8)
def _statement(fact_keys: tuple[str, ...]) -> Any:
    """Members by handle, agencies by name and the facts asked for, as one statement; built once
    per set of facts (it holds nothing else that changes)."""
    kind = literal_column("0", Integer).label("kind")
    parts: list[Any] = [
        select(kind, Member.handle.label("key"), Member.name, Member.email),
        select(literal_column("1", Integer), Agency.name, Agency.name, Agency.name),
    ]
    if fact_keys:
        facts = select(literal_column("2", Integer), SyncState.key, SyncState.value, SyncState.value)
        parts.append(facts.where(SyncState.key.in_(fact_keys)))
    return union_all(*parts).order_by("kind", "key")


def guard_names(session: Session) -> GuardNames:
    return reply_reads(session)[0]


def reply_reads(
    session: Session, fact_keys: tuple[str, ...] = ()
) -> tuple[GuardNames, dict[str, str | None]]:
    """The guard's names and the sync facts (store/state) a reply shows, in one round trip: every
    /docs search reads them (the board is already in the session)."""
    board = session.get(Board, 1)
    config = (board.config or {}) if board else {}
    rows: list[Any] = list(session.execute(_statement(fact_keys)))
    people = [(name, email) for k, _, name, email in rows if k == 0]
    names = GuardNames(
        board_name=board.name if board else "",
        places=tuple(str(p) for p in config.get("places") or ()),
        venues=tuple(str(v) for v in config.get("venues") or ()),
        agencies=tuple(name for k, _, name, _ in rows if k == 1),
        members=tuple(name for name, _ in people),
        emails=tuple(email for _, email in people if email),
    )
    found: dict[str, str | None] = dict.fromkeys(fact_keys)
    found.update({key: value for k, key, value, _ in rows if k == 2})
    return names, found
