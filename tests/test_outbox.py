"""The outbox dispatcher: in order, threaded, retried, never twice, recovered after a crash."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import MAX_UNCLEAR_LOOKUPS, RESENT_NOTE, Dispatcher
from commands.clock import FixedClock
from commands.context import Scope
from commands.outbound import OutgoingPost, SendError, SentRef
from commands.posting import to_agency, to_channel
from commands.types import Reply
from store import members
from store.models import Board, OutboxMessage


class RecordingSender:
    def __init__(self) -> None:
        self.posts: list[OutgoingPost] = []
        self.fail_next: list[SendError] = []
        self.remote: dict[str, SentRef] = {}  # what the platform holds, by outbox key

    def send(self, post: OutgoingPost) -> SentRef:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.posts.append(post)
        ref = SentRef(message_id=f"m{len(self.posts)}", channel=post.channel)
        self.remote[post.key] = ref
        return ref

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        return self.remote.get(post.key)


def queue(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    key: str,
    text: str,
    agency: str,
    platforms: tuple[str, ...] = ("slack",),
) -> None:
    with sessions() as s, s.begin():
        board = s.get(Board, 1)
        assert board is not None
        scope = Scope(session=s, clock=clock, board=board, platforms=platforms)
        found = members.agency_by_name(s, agency)
        assert found is not None
        to_agency(
            scope,
            found,
            key=key,
            kind="s11_reminder",
            reply=Reply(lines=[text]),
            thread_key=f"s11:1:{found.id}",
        )


def test_sends_once_in_thread_order(board: sessionmaker[Session], clock: FixedClock) -> None:
    sender = RecordingSender()
    d = Dispatcher(board, {"slack": sender}, clock)
    queue(board, clock, "k1", "launch", "Surrey Police")
    queue(board, clock, "k1", "launch again", "Surrey Police")  # same key: queued once
    queue(board, clock, "k2", "reminder", "Surrey Police")
    assert d.dispatch().sent == 2
    assert d.dispatch().sent == 0
    assert [(p.channel, p.thread_id, p.reply.lines[0]) for p in sender.posts] == [
        ("C0POL001", None, "launch"),
        ("C0POL001", "m1", "reminder"),
    ]


def test_an_agency_without_a_channel_is_reached_through_its_lead(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    sender = RecordingSender()
    queue(board, clock, "k1", "hello", "Surrey Faith Forum", platforms=("slack", "console"))
    Dispatcher(board, {"slack": sender, "console": RecordingSender()}, clock).dispatch()
    with board() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    # Faith's lead has no Slack id and the agency no channel: only the console copy exists.
    assert [(r.platform, r.channel, r.status) for r in rows] == [("console", "#Surrey Faith Forum", "sent")]


def test_outage_waits_then_arrives(board: sessionmaker[Session], clock: FixedClock) -> None:
    sender = RecordingSender()
    sender.fail_next = [SendError("ratelimited", retry_after=30), SendError("HTTP 500")]
    d = Dispatcher(board, {"slack": sender}, clock)
    queue(board, clock, "k1", "launch", "Surrey Police")
    assert d.dispatch().retrying == 1
    assert d.dispatch().sent == 0  # not yet: Retry-After is honoured
    clock.advance(timedelta(seconds=31))
    assert d.dispatch().retrying == 1
    clock.advance(timedelta(minutes=5))
    assert d.dispatch().sent == 1
    assert len(sender.posts) == 1


def test_crash_between_send_and_record_does_not_resend(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    sender = RecordingSender()
    queue(board, clock, "k1", "launch", "Surrey Police")
    d = Dispatcher(board, {"slack": sender}, clock)
    # Simulate a process that claimed the post, sent it, and died before recording it.
    with board() as s, s.begin():
        row = s.scalars(select(OutboxMessage)).one()
        row.status, row.next_attempt_at = "sending", clock.now() + timedelta(minutes=2)
        key, channel = row.key, row.channel
    sender.remote[key] = SentRef("m-already", channel)
    assert d.dispatch().sent == 0  # the lease is still running: maybe another process is on it
    clock.advance(timedelta(minutes=3))
    result = d.dispatch()
    assert result.recovered == 1 and sender.posts == []
    with board() as s:
        row = s.scalars(select(OutboxMessage)).one()
        assert row.status == "sent" and row.message_id == "m-already"


def test_permanent_failure_is_kept_with_its_reason(board: sessionmaker[Session], clock: FixedClock) -> None:
    sender = RecordingSender()
    sender.fail_next = [SendError("channel_not_found", permanent=True)]
    with board() as s, s.begin():
        board_row = s.get(Board, 1)
        assert board_row is not None
        to_channel(
            Scope(session=s, clock=clock, board=board_row, platforms=("slack",)),
            "qa",
            key="esc",
            kind="s11_escalation",
            reply=Reply(lines=["late"]),
        )
    assert Dispatcher(board, {"slack": sender}, clock).dispatch().failed == 1
    with board() as s:
        row = s.scalars(select(OutboxMessage)).one()
        assert (row.status, row.channel, row.last_error) == ("failed", "C0QAE01", "channel_not_found")


def test_a_timed_out_send_is_looked_for_before_it_is_resent(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    sender = RecordingSender()
    queue(board, clock, "k1", "launch", "Surrey Police")
    with board() as s:
        key, channel = s.scalars(select(OutboxMessage)).one().key, "C0POL001"
    # The platform took the post but the answer never came back.
    sender.remote[key] = SentRef("m-late", channel)
    sender.fail_next = [SendError("ReadTimeout", maybe_sent=True)]
    d = Dispatcher(board, {"slack": sender}, clock)
    assert d.dispatch().retrying == 1
    clock.advance(timedelta(minutes=1))
    assert d.dispatch().recovered == 1
    assert sender.posts == []
    with board() as s:
        row = s.scalars(select(OutboxMessage)).one()
        assert (row.status, row.message_id) == ("sent", "m-late")


class UnclearSender(RecordingSender):
    """Every send's answer is lost (maybe sent) and every look-up fails as scripted."""

    def __init__(self, lookup_error: SendError) -> None:
        super().__init__()
        self.lookup_error = lookup_error
        self.lookups = 0

    def send(self, post: OutgoingPost) -> SentRef:
        self.posts.append(post)
        raise SendError("ReadTimeout", maybe_sent=True)

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        self.lookups += 1
        raise self.lookup_error


def _drain(d: Dispatcher, sessions: sessionmaker[Session], clock: FixedClock, rounds: int = 40) -> None:
    for _ in range(rounds):
        d.dispatch()
        with sessions() as s:
            row = s.scalars(select(OutboxMessage)).one()
            if row.status != "sending":
                return
            assert row.next_attempt_at is not None
            clock.set(max(clock.now(), row.next_attempt_at))


def test_an_unclear_post_is_resent_once_visibly_then_parked_never_sent_a_third_time(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    sender = UnclearSender(SendError("conversations.history: Slack answered HTTP 503", maybe_sent=True))
    queue(board, clock, "k1", "launch", "Surrey Police")
    _drain(Dispatcher(board, {"slack": sender}, clock), board, clock)
    assert [p.reply.lines for p in sender.posts] == [
        ["launch"],
        ["launch", "(resent — the first attempt's outcome was unknown)"],
    ]
    assert sender.lookups == 2 * MAX_UNCLEAR_LOOKUPS
    with board() as s:
        row = s.scalars(select(OutboxMessage)).one()
        assert (row.status, row.resent_unclear) == ("parked", True)
        assert "not sent a third time" in (row.last_error or "")


def test_a_rate_limited_look_up_waits_without_using_up_the_tries(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    sender = UnclearSender(SendError("conversations.history: rate limited", retry_after=30))
    queue(board, clock, "k1", "launch", "Surrey Police")
    d = Dispatcher(board, {"slack": sender}, clock)
    for _ in range(3 * MAX_UNCLEAR_LOOKUPS):
        d.dispatch()
        clock.advance(timedelta(seconds=31))
    assert len(sender.posts) == 1  # never resent: Slack answered "later", not "unknown"
    with board() as s:
        row = s.scalars(select(OutboxMessage)).one()
        assert (row.status, row.unclear_lookups) == ("sending", 0)


def test_a_platform_that_cannot_look_resends_visibly_at_once(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    """Teams: no search by our key, so a timed-out post is resent once, saying so."""
    sender = UnclearSender(SendError("Teams cannot look a post up by its key", permanent=True))
    queue(board, clock, "k1", "launch", "Surrey Police")
    d = Dispatcher(board, {"slack": sender}, clock)
    d.dispatch()
    clock.advance(timedelta(minutes=1))
    assert d.dispatch().resent_visibly == 1
    assert sender.posts[-1].reply.lines[-1] == RESENT_NOTE
