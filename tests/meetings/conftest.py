"""Fixtures for the meetings tests: a recording sender standing in for the console, and a
`tick` that runs the real clock tick (producers + outbox dispatcher) at a given instant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import Dispatcher
from bot.tick import TickResult, run_tick
from commands.clock import FixedClock
from commands.outbound import OutgoingPost, SentRef
from tests.conftest import LONDON


@dataclass
class Sent:
    message_id: str
    channel: str
    thread_id: str | None
    kind: str
    key: str
    title: str | None
    lines: list[str]
    text: str


@dataclass
class RecordingSender:
    """What the platform received, in order."""

    posts: list[Sent] = field(default_factory=list)

    def send(self, post: OutgoingPost) -> SentRef:
        mid = f"m-{len(self.posts) + 1}"
        r = post.reply
        self.posts.append(
            Sent(mid, post.channel, post.thread_id, post.kind, post.key, r.title, r.lines, r.text())
        )
        return SentRef(message_id=mid, channel=post.channel)

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        return None

    def of_kind(self, prefix: str) -> list[Sent]:
        return [p for p in self.posts if p.kind.startswith(prefix)]


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


Tick = Callable[..., TickResult]


@pytest.fixture
def tick(board: sessionmaker[Session], clock: FixedClock, sender: RecordingSender) -> Tick:
    """tick(2027, 1, 11, 9, 0): move the clock to that London time and run one tick."""

    def _tick(*at: int) -> TickResult:
        if at:
            clock.set(datetime(*at, tzinfo=LONDON))  # type: ignore[misc]
        dispatcher = Dispatcher(board, {"console": sender}, clock)
        return run_tick(board, clock, dispatcher, ("console",))

    return _tick


def london(*at: int) -> datetime:
    return datetime(*at, tzinfo=LONDON)  # type: ignore[misc]
