"""Where a rapid review's posts go: a board's private review channel gives every agency a
thread of its own there; an agency nobody can be reached at is named, never counted as asked
or chased, and the escalation says so rather than calling it late."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.outbox import Dispatcher
from bot.services import board_services
from bot.tick import run_tick
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from store.db import transaction
from store.models import Board
from tests.conftest import LONDON, Say
from tests.section11.conftest import RecordingSender, Sent, Tick, at, recorder, tick

__all__ = ["recorder", "tick"]


def test_a_private_review_channel_gives_each_agency_its_own_thread(
    board: sessionmaker[Session], clock: FixedClock, say: Say, tick: Tick
) -> None:
    with transaction(board) as s:
        row = s.get(Board, 1)
        assert row is not None
        row.config = {**row.config, "reviews": {"channel": "qa", "chase_days": [3]}}
    at(clock, "2027-03-25T10:00")
    assert say("qa", "/review open RR-2027-03 aware 25/03/2027 agencies Surrey Police, Surrey Health").ok
    requests = {s.post.reply.data["agency"]: s for s in tick("2027-03-25T10:00") if s.kind == "review_request"}
    assert {r.channel for r in requests.values()} == {"#qa"}
    assert requests["Surrey Police"].post.thread_id is None  # each request starts a thread
    assert "For the attention of Police Lead (@pol)." in requests["Surrey Police"].text
    assert tick("2027-03-31T09:30") == []  # WD2 is not a chase day on this board
    chased = tick("2027-04-01T09:30")  # WD3
    assert sorted((c.post.reply.data["agency"], c.post.thread_id) for c in chased) == sorted(
        (name, post.message_id) for name, post in requests.items()
    )


def test_an_agency_nobody_can_reach_is_named_and_never_counted_as_chased(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    core = BotCore(sessions=board, clock=clock, platforms=("slack",), services=board_services())
    slack = RecordingSender(clock)

    def say(handle: str, line: str) -> Reply:
        return core.handle(Inbound(platform="console", user_id=handle, text=line))

    def tick_at(when: str) -> list[Sent]:
        clock.set(datetime.fromisoformat(when).replace(tzinfo=LONDON))
        before = len(slack.sent)
        run_tick(board, clock, Dispatcher(board, {"slack": slack}, clock), ("slack",))
        return slack.sent[before:]

    clock.set(datetime(2027, 3, 25, 10, 0, tzinfo=LONDON))
    # Surrey Faith Forum has no channel, and its lead no Slack id.
    opened = say("qa", "/review open RR-2027-03 aware 25/03/2027 agencies Surrey Police, Surrey Faith Forum")
    assert opened.ok, opened.text()
    assert "Never reached, so never chased (not counted as sent): Surrey Faith Forum" in opened.text()
    sent = tick_at("2027-03-25T10:00")
    assert [s.channel for s in sent if s.kind == "review_request"] == ["C0POL001"]
    chased = tick_at("2027-03-31T09:30")
    assert [s.channel for s in chased if s.kind == "review_chaser"] == ["C0POL001"]
    late = [s for s in tick_at("2027-04-13T09:30") if s.kind == "review_escalation"]
    assert {s.channel for s in late} == {"C0QAE01", "U0CHAIR1"}
    faith = next(s.text for s in late if "Surrey Faith Forum summary" in s.text)
    assert "Surrey Faith Forum was never reached (no slack address)" in faith
    assert "this is not a late reply" in faith


def test_the_board_files_closures_and_review_settings_reach_the_clocks(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    from commands.board_file import import_board, parse_board_file
    from commands.reviews.settings import calendar, settings
    from tests.conftest import FIXTURES

    text = (FIXTURES / "board.yaml").read_text() + (
        "closures: [2027-03-30]\nreviews: {channel: qa, chase_days: [4], summaries_due: 8}\n"
    )
    with transaction(sessions) as s:
        import_board(s, parse_board_file(text, name="board.yaml"), clock.now())
    with sessions() as s:
        row = s.get(Board, 1)
        assert row is not None
        cfg, cal = settings(row), calendar(row)
    assert (cfg.channel, cfg.chase_days, cfg.summaries_due) == ("qa", [4], 8)
    # Easter 2027 and the board's closure on Tuesday 30 March: WD1 is Wednesday 31 March.
    assert cal.add(datetime(2027, 3, 25).date(), 1) == datetime(2027, 3, 31).date()
