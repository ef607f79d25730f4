"""`/docs search` reads the board's vocabulary as plain columns and builds it once per process
for the same names: the vocabulary must be the one every other guard uses, and a change to the
board (a new member, a renamed agency) must show at the next search, with no restart."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from commands.common import board_vocabulary
from commands.document_search import search_vocabulary
from store.db import transaction
from store.models import Agency, Member
from tests.conftest import load_board


def test_the_search_vocabulary_is_the_boards(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    load_board(sessions, clock)
    with sessions() as s:
        assert search_vocabulary(s) == board_vocabulary(s)
        assert search_vocabulary(s).members and search_vocabulary(s).agencies


def test_a_change_to_the_board_shows_at_the_next_search(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    load_board(sessions, clock)
    with sessions() as s:
        before = search_vocabulary(s)
    with transaction(sessions) as s:
        s.add(Member(handle="newjoiner", name="Priya Okonkwo-Bell", role="member", email="pob@example.org"))
        agency = s.scalars(select(Agency).order_by(Agency.id)).first()
        assert agency is not None
        agency.name = "Renamed Agency Partnership"
    with sessions() as s:
        after = search_vocabulary(s)
        assert after == board_vocabulary(s) and after != before
        assert "Priya Okonkwo-Bell" in after.members and "pob@example.org" in after.emails
        assert "Renamed Agency Partnership" in after.agencies
