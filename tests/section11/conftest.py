"""Section 11 test helpers: a recording sender, a tick that moves the clock, thread replies."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.outbox import Dispatcher
from bot.tick import run_tick
from commands.clock import FixedClock
from commands.outbound import OutgoingPost, SentRef
from commands.types import Inbound, Reply
from tests.conftest import LONDON

Agencies = ("Surrey Police", "Surrey Children's Services", "Surrey Health")
NonCohort = ("Surrey Faith Forum", "Surrey Schools and Colleges")


@dataclass
class Sent:
    at: datetime  # the clock's instant when it was sent
    post: OutgoingPost
    message_id: str

    @property
    def day(self) -> date:
        return self.at.astimezone(LONDON).date()

    @property
    def kind(self) -> str:
        return self.post.kind

    @property
    def channel(self) -> str:
        return self.post.channel

    @property
    def text(self) -> str:
        return self.post.reply.text()


@dataclass
class RecordingSender:
    """A fake chat platform: keeps every post with the instant it was sent."""

    clock: FixedClock
    sent: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, post: OutgoingPost) -> SentRef:
        with self.lock:
            message_id = f"m{post.outbox_id}"
            self.sent.append(Sent(self.clock.now(), post, message_id))
            return SentRef(message_id=message_id, channel=post.channel)

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        return None

    def to(self, channel: str, kind: str | None = None) -> list[Sent]:
        return [s for s in self.sent if s.channel == channel and (kind is None or s.kind == kind)]

    def launch_of(self, agency: str) -> Sent:
        (found,) = self.to(f"#{agency}", "s11_launch")
        return found


@pytest.fixture
def recorder(clock: FixedClock) -> RecordingSender:
    return RecordingSender(clock)


Tick = Callable[[str], list[Sent]]


@pytest.fixture
def tick(board: sessionmaker[Session], clock: FixedClock, recorder: RecordingSender) -> Tick:
    """tick("2027-04-06T09:30") → the posts sent by that tick (London time), but the chair's
    weekly digest (tests/test_digest.py has its own tick that keeps it): the other clocks'
    tests compare a tick's posts exactly, and a week with anything late has a digest."""

    def _tick(at: str) -> list[Sent]:
        clock.set(datetime.fromisoformat(at).replace(tzinfo=LONDON))
        before = len(recorder.sent)
        run_tick(board, clock, Dispatcher(board, {"console": recorder}, clock), ("console",))
        return [s for s in recorder.sent[before:] if not s.kind.startswith("digest")]

    return _tick


Answer = Callable[[str, Sent, str], Reply]


@pytest.fixture
def answer(core: BotCore) -> Answer:
    """answer("pol", post, "submitted https://…"): a reply in the thread of a post."""

    def _answer(handle: str, post: Sent, text: str) -> Reply:
        root = post.post.thread_id or post.message_id
        return core.handle(
            Inbound(platform="console", user_id=handle, text=text, channel=post.channel, thread_id=root)
        )

    return _answer


def at(clock: FixedClock, when: str) -> None:
    """Move the clock to a London wall-clock time."""
    clock.set(datetime.fromisoformat(when).replace(tzinfo=LONDON))
