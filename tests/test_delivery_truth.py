"""Nothing silent (issue #12): an agency the bot cannot reach is reported, never counted as
sent or chased, and a post that fails for good is told to the QA officer once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.outbox import Dispatcher
from bot.services import board_services
from bot.tick import run_tick
from commands.clock import FixedClock
from commands.outbound import OutgoingPost, SendError, SentRef
from commands.types import Inbound, Reply
from store.models import OutboxMessage
from tests.conftest import LONDON

LAUNCH = "/s11 launch 2027 non-statutory deadline 04/05/2027"
SCHOOLS = "C0SCHL01"
QA_CHANNEL = "C0QAE01"


class SlackLike:
    """A recording sender for "slack"; a channel in `refuse` fails for good, like a channel the
    bot was removed from (Slack: not_in_channel)."""

    def __init__(self) -> None:
        self.posts: list[OutgoingPost] = []
        self.refuse: set[str] = set()

    def send(self, post: OutgoingPost) -> SentRef:
        if post.channel in self.refuse:
            raise SendError(f"chat.postMessage to {post.channel}: not_in_channel", permanent=True)
        self.posts.append(post)
        return SentRef(message_id=f"m{post.outbox_id}", channel=post.channel)

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        return None

    def to(self, channel: str) -> list[OutgoingPost]:
        return [p for p in self.posts if p.channel == channel]


def _core(board: sessionmaker[Session], clock: FixedClock, sender: SlackLike) -> BotCore:
    core = BotCore(sessions=board, clock=clock, platforms=("slack",), services=board_services())
    core.send_due = lambda: Dispatcher(board, {"slack": sender}, clock).dispatch()
    return core


def _say(core: BotCore, handle: str, text: str) -> Reply:
    return core.handle(Inbound(platform="console", user_id=handle, text=text))


def _tick(board: sessionmaker[Session], clock: FixedClock, sender: SlackLike, at: datetime) -> None:
    clock.set(at)
    run_tick(board, clock, Dispatcher(board, {"slack": sender}, clock), ("slack",))


def _rows(board: sessionmaker[Session]) -> list[OutboxMessage]:
    with board() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_launch_names_who_was_not_reached_and_they_are_never_chased_as_late(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    sender = SlackLike()
    core = _core(board, clock, sender)
    reply = _say(core, "qa", LAUNCH)
    # Surrey Faith Forum has no channel, and its lead no Slack id.
    assert (
        "Sent to 1 agency; 1 has no Slack address and was NOT sent the launch (nor will be chased): "
        "Surrey Faith Forum." in reply.text()
    )
    core.send_queued()
    assert [p.kind for p in sender.to(SCHOOLS)] == ["s11_launch"]
    faith = [r for r in _rows(board) if r.channel == "Surrey Faith Forum"]
    assert [(r.platform, r.status, r.kind) for r in faith] == [("slack", "unreachable", "s11_launch")]

    # The QA officer hears of it in the QA channel, once, however many ticks and reminders follow.
    _tick(board, clock, sender, clock.now() + timedelta(minutes=1))
    (notice,) = sender.to(QA_CHANNEL)
    assert notice.kind == "delivery_problem"
    assert notice.reply.title == "Not reached: Surrey Faith Forum"
    assert "no Slack address" in notice.reply.text()
    for day in ("2027-04-06T09:30", "2027-04-20T09:30", "2027-04-27T09:30"):
        _tick(board, clock, sender, datetime.fromisoformat(day).replace(tzinfo=LONDON))
    assert len([p for p in sender.to(QA_CHANNEL) if p.kind == "delivery_problem"]) == 1
    assert len([r for r in _rows(board) if r.channel == "Surrey Faith Forum"]) > 1  # reminders, unreachable

    status = _say(core, "qa", "/s11 status 2027").text()
    assert "Not reached, so not chased: Surrey Faith Forum (no Slack address)" in status

    # A week after the deadline the chair hears who is late; the unreached agency is named
    # apart, never "N days late" as if it had been chased.
    _tick(board, clock, sender, datetime(2027, 5, 11, 9, 30, tzinfo=LONDON))
    (escalation,) = [p for p in sender.to(QA_CHANNEL) if p.kind == "s11_escalation"]
    assert escalation.reply.data["late"] == {"Surrey Schools and Colleges": 7}
    assert escalation.reply.data["not_reached"] == ["Surrey Faith Forum"]
    assert (
        "Never reached, so never chased (not counted as late): Surrey Faith Forum (no Slack address)"
        in escalation.reply.text()
    )


def test_a_post_that_fails_for_good_is_told_once_and_shown_on_status(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    sender = SlackLike()
    sender.refuse.add(SCHOOLS)  # the bot was removed from the schools' channel
    core = _core(board, clock, sender)
    _say(core, "qa", LAUNCH)
    core.send_queued()
    (failed,) = [r for r in _rows(board) if r.status == "failed"]
    assert failed.channel == SCHOOLS

    for minutes in (1, 2, 3):
        _tick(board, clock, sender, clock.now() + timedelta(minutes=minutes))
    notices = [p for p in sender.to(QA_CHANNEL) if p.kind == "delivery_problem"]
    titles = sorted(p.reply.title or "" for p in notices)
    assert titles == [f"A post to {SCHOOLS} failed for good", "Not reached: Surrey Faith Forum"]
    (schools,) = [p for p in notices if SCHOOLS in (p.reply.title or "")]
    assert "failed on Slack: not_in_channel" in schools.reply.text()
    assert "/invite @QA Bot" in schools.reply.text()

    status = _say(core, "qa", "/s11 status 2027").text()
    assert "Surrey Schools and Colleges (failed on Slack: not_in_channel)" in status
    board_status = _say(core, "ic", "/qa status").text()
    assert "Posts not delivered in the last 30 days (2):" in board_status
    assert f"s11_launch to {SCHOOLS}" in board_status and "not_in_channel" in board_status
