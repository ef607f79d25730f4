"""Slack answering 429, 500 and timeouts for a while: posts wait in the outbox and all arrive,
once each, when Slack recovers. The real SlackSender and slack_sdk client are used against
the fake Slack; time is a VirtualClock (the SDK's retry sleeps move it instead of sleeping)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from commands.board_file import import_board, parse_board_file
from commands.types import Inbound
from integrations.slack.client import make_web_client
from integrations.slack.sender import SlackSender
from store.db import transaction
from store.models import OutboxMessage
from tests.fakes.slack_api import FakeSlack
from tests.hardening.support import VirtualClock, big_board_yaml, sdk_sleeps_advance

AGENCIES = 8


@pytest.fixture
def vclock() -> VirtualClock:
    return VirtualClock(datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")))


@pytest.fixture
def rt(slack_settings: Settings, vclock: VirtualClock) -> Iterator[Runtime]:
    runtime = build_runtime(slack_settings, vclock)  # type: ignore[arg-type]
    with transaction(runtime.sessions) as s:
        import_board(s, parse_board_file(big_board_yaml(AGENCIES), name="outage"), vclock.now())
    yield runtime
    runtime.engine.dispose()


def _launch(rt: Runtime) -> None:
    reply = rt.core.handle(
        Inbound(platform="slack", user_id="U0QAOFF1", command="/s11", text="launch 2027 deadline 29/03/2027")
    )
    assert reply.ok, reply.text()


def _rows(rt: Runtime) -> list[OutboxMessage]:
    with rt.sessions() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _posted_keys(fake: FakeSlack) -> Counter[str]:
    return Counter(
        str(p["metadata"]["event_payload"]["key"])
        for p in fake.posts()
        if isinstance(p.get("metadata"), dict)
    )


def _drain(rt: Runtime, dispatcher: Dispatcher, clock: VirtualClock, max_rounds: int = 60) -> int:
    """Dispatch as the clock would, jumping to the next retry time whenever nothing is due."""
    for n in range(1, max_rounds + 1):
        dispatcher.dispatch()
        pending = [r for r in _rows(rt) if r.status != "sent"]
        assert not [r for r in pending if r.status == "failed"], [(r.key, r.last_error) for r in pending]
        if not pending:
            return n
        clock.set(min(r.next_attempt_at or clock.now() for r in pending))
    raise AssertionError(f"posts still waiting after {max_rounds} rounds")


def test_posts_wait_through_500s_and_429s_then_all_arrive_once(
    rt: Runtime, fake_slack: FakeSlack, vclock: VirtualClock
) -> None:
    _launch(rt)
    fake_slack.fail("chat.postMessage", status=500, times=3 * AGENCIES)  # an outage (no SDK resend)
    fake_slack.fail("chat.postMessage", status=503, body="<html>upstream error</html>", times=AGENCIES)
    fake_slack.fail("chat.postMessage", status=429, retry_after=30, times=AGENCIES)  # then rate limited
    with sdk_sleeps_advance(vclock):
        dispatcher = rt.dispatcher()
        first = dispatcher.dispatch()
        assert first.sent == 0 and first.retrying == AGENCIES and first.failed == 0
        assert fake_slack.posts() == []
        # Waiting in the outbox, not lost; 'sending' because a 500 may follow a post Slack took,
        # so each is looked for before it is sent again.
        assert {r.status for r in _rows(rt)} == {"sending"}
        assert all(r.last_error for r in _rows(rt))
        rounds = _drain(rt, dispatcher, vclock)
    rows = _rows(rt)
    assert len(rows) == AGENCIES and {r.status for r in rows} == {"sent"}
    assert _posted_keys(fake_slack) == Counter({r.key: 1 for r in rows})
    assert rounds > 2  # it really did wait and retry
    statuses = Counter(c.status for c in fake_slack.calls_to("chat.postMessage"))
    assert statuses[500] and statuses[503] and statuses[429] and statuses[200] == AGENCIES


def test_a_429_honours_retry_after(rt: Runtime, fake_slack: FakeSlack, vclock: VirtualClock) -> None:
    _launch(rt)
    fake_slack.fail("chat.postMessage", status=429, retry_after=45, times=1)
    with sdk_sleeps_advance(vclock):
        dispatcher = rt.dispatcher()
        result = dispatcher.dispatch()
    # The first post is told to wait 45 s; the rest of the pass stops asking (more posts now
    # would only earn more 429s) and they go out with it on the next pass.
    assert result.sent == 0 and result.retrying == 1 and result.waiting == AGENCIES - 1
    [limited] = [r for r in _rows(rt) if r.last_error]
    assert limited.next_attempt_at is not None
    assert 44 <= (limited.next_attempt_at - vclock.now()).total_seconds() <= 46
    vclock.advance(46)
    assert dispatcher.dispatch().sent == AGENCIES
    assert _posted_keys(fake_slack) == Counter({r.key: 1 for r in _rows(rt)})


def _timing_out_dispatcher(rt: Runtime, vclock: VirtualClock) -> Dispatcher:
    # The real sender with a 1-second HTTP timeout (8 s in production), so the test is quick.
    sender = SlackSender(make_web_client(rt.settings.slack, timeout=1))
    return Dispatcher(rt.sessions, {"slack": sender}, vclock)  # type: ignore[arg-type]


def test_timeouts_before_slack_answers_then_recovery(
    rt: Runtime, fake_slack: FakeSlack, vclock: VirtualClock
) -> None:
    """Slack is too slow to answer and never takes the post (the request times out and fails)."""
    _launch(rt)
    fake_slack.fail("chat.postMessage", status=500, delay=1.5, times=2)
    with sdk_sleeps_advance(vclock):
        dispatcher = _timing_out_dispatcher(rt, vclock)
        _drain(rt, dispatcher, vclock)
    assert _posted_keys(fake_slack) == Counter({r.key: 1 for r in _rows(rt)})


def test_a_timeout_after_slack_took_the_post_does_not_send_it_twice(
    rt: Runtime, fake_slack: FakeSlack, vclock: VirtualClock
) -> None:
    _launch(rt)
    fake_slack.fail("chat.postMessage", status=None, delay=1.5, times=1)  # accepted, answered late
    with sdk_sleeps_advance(vclock):
        dispatcher = _timing_out_dispatcher(rt, vclock)
        first = dispatcher.dispatch()
        assert first.retrying == 1  # the slow one timed out: we do not know whether Slack has it
        # Real time passes before the retry (15 s at least); by then Slack's late write has
        # landed. Wait for it on the fake's condition rather than sleeping.
        assert fake_slack.wait_for(lambda: len(fake_slack.posts()) == AGENCIES, timeout=5)
        _drain(rt, dispatcher, vclock)
    twice = {k: n for k, n in _posted_keys(fake_slack).items() if n > 1}
    assert twice == {}
    assert _posted_keys(fake_slack) == Counter({r.key: 1 for r in _rows(rt)})
