"""The board file's `places:` and `venues:` join the guard's allow-list (never single words of
them), are validated, and the board file's own free text (meeting titles) is guarded."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from commands.errors import ConfigError
from commands.types import Inbound
from store.db import transaction
from tests.conftest import FIXTURES

BOARD = (FIXTURES / "board.yaml").read_text()
WITH_PLACES = BOARD + "places: [Ashley Green]\nvenues: [Grace Hall]\n"
TEXT = "Drop-in at Ashley Green HP5 3PL"


def core_for(sessions: sessionmaker[Session], clock: FixedClock, text: str) -> BotCore:
    with transaction(sessions) as s:
        import_board(s, parse_board_file(text, name="board.yaml"), clock.now())
    return BotCore(sessions=sessions, clock=clock)


def test_a_place_the_board_lists_is_not_read_as_a_person(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    core = core_for(sessions, clock, WITH_PLACES)
    r = core.handle(Inbound(platform="console", user_id="qa", text=f"/action add {TEXT}"))
    assert r.ok, r.lines
    # A single word of a listed place is no whitelist for a child's name.
    refused = core.handle(Inbound(platform="console", user_id="qa", text="/action add Visit Ashley Smith, 7"))
    assert not refused.ok and "could identify a child" in refused.text()


def test_without_the_list_the_same_text_is_refused_with_the_boards_own_area(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    core = core_for(sessions, clock, BOARD)
    r = core.handle(Inbound(platform="console", user_id="qa", text=f"/action add {TEXT}"))
    assert not r.ok and "a family in Surrey" in r.text() and "HP5 3PL" not in r.text()


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("places: ['" + "x" * 121 + "']\n", "is not a place name of 1 to 120 characters"),
        ('places: ["Ashley\\nGreen"]\n', "on one line"),
    ],
)
def test_place_names_are_validated(extra: str, says: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_board_file(BOARD + extra, name="board.yaml")
    assert says in str(e.value)


def test_a_meeting_title_that_identifies_a_child_stops_the_import() -> None:
    text = BOARD.replace("title: Section 11 scrutiny panel", 'title: "Review for Jayden Smith, 7"')
    with pytest.raises(ConfigError) as e:
        parse_board_file(text, name="board.yaml")
    assert "could identify a child or family" in str(e.value) and "Jayden" not in str(e.value)
