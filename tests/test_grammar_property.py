"""Property: no input line makes the command core raise anything but a usage answer, and a
refused line leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from commands import router
from commands.clock import FixedClock
from commands.context import Context
from commands.errors import QABotError
from commands.types import Inbound, Reply
from store import members
from store.db import make_engine, migrate, session_factory
from store.models import Action, AuditEvent, Board, Finding
from tests.conftest import load_board

WORDS = [
    "/action",
    "/finding",
    "/qa",
    "add",
    "list",
    "show",
    "done",
    "update",
    "snooze",
    "status",
    "help",
    "due",
    "agency",
    "meeting",
    "owner",
    "rag",
    "text",
    "@pol",
    "@nobody",
    "#cp",
    "#zz",
    "A-1",
    "A-",
    "F-2",
    "31/02/2027",
    "12/03/2027",
    "next",
    "Friday",
    "end",
    "of",
    "March",
    "Surrey",
    "Police",
    "red",
    "amber",
    "escalate",
    '"',
    "<@U0POL001>",
    "<!channel>",
    "\x00",
    "mine",
    "overdue",
]

lines = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=14).map(" ".join),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'qabot.db'}")
    migrate(engine)
    sessions = session_factory(engine)
    clock = FixedClock(datetime(2026, 11, 26, 10, tzinfo=UTC))
    load_board(sessions, clock)
    with sessions() as s, s.begin():
        ctx = _ctx(s, clock, "qa")
        router.dispatch(ctx, "/action add Seed action @pol due 12/03/2027")
    yield sessions
    engine.dispose()


def _ctx(s: Session, clock: FixedClock, handle: str) -> Context:
    board = s.get(Board, 1)
    actor = members.by_handle(s, handle)
    assert board is not None and actor is not None
    return Context(
        session=s,
        clock=clock,
        board=board,
        actor=actor,
        inbound=Inbound(platform="console", user_id=handle, text=""),
    )


def _counts(s: Session) -> tuple[int, ...]:
    return tuple(s.scalar(select(func.count()).select_from(t)) or 0 for t in (Action, Finding, AuditEvent))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=lines, handle=st.sampled_from(["qa", "pol", "bm"]))
def test_any_line_gives_a_reply_or_a_usage_error(
    store: sessionmaker[Session], line: str, handle: str
) -> None:
    clock = FixedClock(datetime(2026, 11, 26, 10, tzinfo=UTC))
    with store() as s:
        s.begin()
        before = _counts(s)
        try:
            reply = router.dispatch(_ctx(s, clock, handle), line)
            assert isinstance(reply, Reply)
            if reply.data.get("ref"):
                # Something was created: it is whole, with its audit event.
                after = _counts(s)
                assert after[2] > before[2]
        except QABotError:
            s.flush()
            assert _counts(s) == before  # a refusal wrote nothing
        finally:
            s.rollback()
