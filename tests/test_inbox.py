"""The inbox (store/inbox.py, bot/intake.py): a delivery is stored once before it is
acknowledged, worked once, and finished by the next process when the one that took it died.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.intake import MAX_ATTEMPTS, Intake
from commands.clock import FixedClock
from commands.intake import Received
from commands.types import Inbound, Reply
from store import inbox
from store.models import Action, InboxItem


class Worker:
    """Records what it was given; fails while `failures` is above zero."""

    def __init__(self, failures: int = 0) -> None:
        self.seen: list[Received] = []
        self.failures = failures

    def __call__(self, received: Received) -> Reply | None:
        self.seen.append(received)
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("the platform was not reachable")
        return Reply(lines=[f"done {received.payload['n']}"])


def rows(sessions: sessionmaker[Session]) -> list[InboxItem]:
    with sessions() as s:
        return list(s.scalars(select(InboxItem).order_by(InboxItem.id)))


def test_a_retried_delivery_is_stored_once_and_worked_once(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    intake = Intake(sessions, clock)
    worker = Worker()
    intake.on_received("slack", worker)
    first = intake.accept("slack", "command", "slack:command:T1", {"n": 1})
    again = intake.accept("slack", "command", "slack:command:T1", {"n": 1})
    assert first is not None and again is None
    assert intake.work(first) is True
    assert intake.work(first) is False  # done: a second call does nothing
    [row] = rows(sessions)
    assert (row.status, row.reply, row.attempts) == (
        "done",
        Reply(lines=["done 1"]).model_dump(mode="json"),
        1,
    )
    assert row.payload == {}  # what was typed is not kept once answered
    assert [r.key for r in worker.seen] == ["slack:command:T1"]


def test_what_a_dead_process_held_is_finished_after_its_lease(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    dead = Intake(sessions, clock, lease=timedelta(seconds=60))
    dead.on_received("slack", Worker())
    row_id = dead.accept("slack", "command", "slack:command:T2", {"n": 2})
    assert row_id is not None
    with sessions() as s, s.begin():  # it took the delivery, then was killed
        assert inbox.claim(s, row_id, clock.now(), dead.lease, platforms={"slack"}) is not None

    restarted = Intake(sessions, clock)
    worker = Worker()
    restarted.on_received("slack", worker)
    assert restarted.recover() == 0  # the lease still runs: it may yet be working
    clock.advance(timedelta(seconds=61))
    assert restarted.recover() == 1
    assert [(r.key, r.attempts, r.recovered) for r in worker.seen] == [("slack:command:T2", 2, True)]
    assert [r.status for r in rows(sessions)] == ["done"]


def test_a_pending_delivery_is_taken_soon_by_the_next_process_later_by_its_own(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    stopped = Intake(sessions, clock)  # a deploy's SIGTERM: stored and acknowledged, never started
    stopped.on_received("slack", Worker())
    stopped.accept("slack", "command", "slack:command:T3", {"n": 3})
    assert stopped.recover() == 0  # its own: the lazy listener is about to work it

    restarted = Intake(sessions, clock)
    worker = Worker()
    restarted.on_received("slack", worker)
    assert restarted.recover() == 0  # a live process may be about to work it
    clock.advance(restarted.handoff)
    assert restarted.recover() == 1
    assert [(r.attempts, r.recovered) for r in worker.seen] == [(1, False)]

    stopped.accept("slack", "command", "slack:command:T4", {"n": 4})
    clock.advance(stopped.grace + timedelta(seconds=1))
    assert stopped.recover() == 1  # its own work was lost (e.g. the pool was shut down)


def test_a_delivery_for_a_platform_this_process_does_not_serve_is_left_alone(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    slack_only = Intake(sessions, clock)
    slack_only.on_received("slack", Worker())
    teams_row = Intake(sessions, clock).accept("teams", "activity", "teams:c1:a1", {"n": 5})
    assert teams_row is not None
    assert slack_only.recover() == 0 and slack_only.work(teams_row) is False
    assert [r.status for r in rows(sessions)] == ["pending"]


def test_a_failing_delivery_is_retried_then_given_up_loudly(
    sessions: sessionmaker[Session], clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    intake = Intake(sessions, clock)
    worker = Worker(failures=MAX_ATTEMPTS + 1)
    intake.on_received("slack", worker)
    row_id = intake.accept("slack", "command", "slack:command:T6", {"n": 6})
    assert row_id is not None
    intake.work(row_id)
    [row] = rows(sessions)
    assert (row.status, row.last_error) == ("pending", "RuntimeError")
    assert intake.recover() == 0  # it waits for its back-off
    for _ in range(MAX_ATTEMPTS):
        clock.advance(timedelta(minutes=11))
        intake.recover()
    [row] = rows(sessions)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(worker.seen) == MAX_ATTEMPTS
    with sessions() as s:
        assert inbox.counts(s) == {"failed": 1}
    assert "giving up" in caplog.text


def test_answered_rows_are_forgotten_after_a_week(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    intake = Intake(sessions, clock)
    intake.on_received("slack", Worker())
    row_id = intake.accept("slack", "command", "slack:command:T7", {"n": 7})
    assert row_id is not None and intake.work(row_id)
    clock.advance(timedelta(days=6))
    assert intake.prune() == 0
    clock.advance(timedelta(days=2))
    assert intake.prune() == 1 and rows(sessions) == []


def test_a_command_worked_again_after_a_crash_is_stored_once_and_answered(
    core: BotCore, clock: FixedClock
) -> None:
    shown: list[Reply] = []
    crash = [True]

    def work(received: Received) -> Reply:
        inbound = Inbound(
            platform="console",
            user_id="qa",
            text="action add Review the referral audit @pol due 12/03/2027",
            delivery_key=received.key,
        )
        reply = core.handle(inbound)
        if crash.pop() if crash else False:
            raise SystemExit("killed after the command committed, before the reply was shown")
        shown.append(reply)
        return reply

    core.on_received("console", work)
    row_id = core.accept("console", "command", "console:T8", {"n": 8})
    assert row_id is not None
    with pytest.raises(SystemExit):
        core.work(row_id)
    clock.advance(core.intake.lease + timedelta(seconds=1))
    assert core.intake.recover() == 1
    with core.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 1
    [reply] = shown
    assert reply.data.get("duplicate") is True and reply.text().startswith("Logged A-1")


def test_the_doctor_names_deliveries_given_up_on() -> None:
    from bot.cli_doctor import WARN, check_inbox

    assert check_inbox({"done": 40}) == []
    [check] = check_inbox({"done": 40, "failed": 2})
    assert check.status == WARN and check.detail.startswith("2 delivery(ies)")
