"""Items belong to meetings: named with `meeting <date>`, or logged in the meeting's channel
on its day."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.clock import FixedClock
from commands.types import Inbound
from store.models import Action, Finding
from tests.conftest import Say
from tests.meetings.conftest import london


def meeting_of(sessions: sessionmaker[Session], model: type[Action] | type[Finding], ref: int) -> int | None:
    with sessions() as s:
        row = s.get(model, ref)
        assert row is not None
        return row.meeting_id


def test_named_meeting(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Bring the CSE dataset @pol meeting 14/01/2027").ok
    assert say("ic", "/finding add Good multi-agency attendance rag green meeting 20/05/2027").ok
    assert meeting_of(board, Action, 1) == 1
    assert meeting_of(board, Finding, 1) == 2


def test_logged_in_the_meetings_channel_on_its_day(
    core: BotCore, board: sessionmaker[Session], clock: FixedClock
) -> None:
    def slack(text: str, channel: str) -> None:
        r = core.handle(Inbound(platform="slack", user_id="U0QAOFF1", text=text, channel=channel))
        assert r.ok, r.text()

    clock.set(london(2027, 1, 14, 11, 15))  # during the QA&E sub-group, held in C0QAE01
    slack("/action add Circulate the revised threshold guidance @cs", "C0QAE01")  # tied
    slack("/finding add Thresholds applied inconsistently rag amber #cp", "C0QAE01")  # F-1: tied
    slack("/action add Unrelated piece of work @pol", "C0POL001")  # another channel
    clock.set(london(2027, 1, 15, 11, 0))
    slack("/action add The day after @pol", "C0QAE01")  # not the meeting's day
    assert meeting_of(board, Action, 1) == 1
    assert meeting_of(board, Finding, 1) == 1
    assert meeting_of(board, Action, 2) is None
    assert meeting_of(board, Action, 3) is None
    # The Section 11 panel has no channel of its own: its posts, and so its day's items, are
    # in the board's QA channel.
    clock.set(london(2027, 5, 20, 10, 30))
    slack("/action add Chase the two missing returns @qa", "C0QAE01")
    slack("/action add Elsewhere @pol", "C0POL001")
    with board() as s:
        assert dict(s.execute(select(Action.id, Action.meeting_id).where(Action.id >= 4)).all()) == {
            4: 2,
            5: None,
        }
