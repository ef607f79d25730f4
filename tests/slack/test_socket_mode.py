"""`qabot run` with SLACK_APP_TOKEN, end to end over a real WebSocket on loopback.

bot.socket_mode.run_socket_mode runs in a thread as `qabot run` runs it: slack-bolt's
SocketModeHandler (slack_sdk's built-in Socket Mode client) asks the fake Web API for a URL
with apps.connections.open (app-level token), connects to the fake Socket Mode server,
receives envelopes in Slack's shapes and must acknowledge each by envelope_id within 3 s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.runtime import Runtime, build_runtime
from bot.settings import load_settings
from bot.socket_mode import run_socket_mode
from commands.clock import FixedClock
from store.models import Action
from tests.conftest import load_board
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_socket import FakeSocketMode
from tests.slack.conftest import QA_CHANNEL, SLACK_TIMEOUT_SECONDS, fixture
from tests.slack.test_commands import blocks_text

APP_TOKEN = "xapp-1-A0QABOT01-4761830482-8e1f0a3b9c2d4e5f6a7b8c9d0e1f2a3b"


@pytest.fixture
def fake_socket(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as server:
        fake_slack.socket_url = server.url
        yield server


@pytest.fixture
def socket_rt(slack_env: None, monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> Iterator[Runtime]:
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    monkeypatch.delenv("SLACK_SIGNING_SECRET")  # Socket Mode needs no signing secret
    rt = build_runtime(load_settings(), clock)
    load_board(rt.sessions, clock)
    yield rt
    rt.engine.dispose()


def confirmations(fake: FakeSlack, ref: str) -> list[dict[str, Any]]:
    return [p for p in fake.posts(QA_CHANNEL) if f"Logged {ref}" in blocks_text(p)]


def test_socket_mode_acknowledges_every_envelope_logs_once_and_stops_cleanly(
    socket_rt: Runtime, fake_slack: FakeSlack, fake_socket: FakeSocketMode
) -> None:
    before = set(threading.enumerate())
    stop = threading.Event()
    exit_codes: list[int] = []
    bot = threading.Thread(
        target=lambda: exit_codes.append(run_socket_mode(socket_rt, stop)), name="test-qabot-run"
    )
    bot.start()
    try:
        # It connects with the app-level token, over the URL apps.connections.open gave it.
        assert fake_socket.wait_for(fake_socket.connected, 10), "the bot never opened the WebSocket"
        (opened,) = fake_slack.calls_to("apps.connections.open")
        assert opened.ok and opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
        assert fake_socket.connections[0].query["ticket"]  # the URL was used as given

        # 1. /action add from the QA officer in the QA channel.
        command = fixture(
            "slash_command",
            command="/action",
            # "/action add Review MASH audit @pol due 12/03/2027 #cp" as Slack sends it
            # (the manifest's should_escape turns @pol into <@U0POL001|pol>)
            text="add Review MASH audit <@U0POL001|pol> due 12/03/2027 #cp",
            user_id="U0QAOFF1",
            channel_id=QA_CHANNEL,
            trigger_id="13345224609.738474920.0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            response_url=fake_slack.response_url("socket-cmd"),
        )
        cmd = fake_socket.send(fake_socket.slash_command(command))
        with fake_slack.held():  # acknowledged without waiting for any Slack API call
            assert fake_socket.wait_for(lambda: fake_socket.ack_of(cmd) is not None, SLACK_TIMEOUT_SECONDS)
        assert fake_slack.wait_for(lambda: confirmations(fake_slack, "A-1"), 10), fake_slack.posts()
        (confirmation,) = confirmations(fake_slack, "A-1")
        assert "thread_ts" not in confirmation or confirmation["thread_ts"] is None  # in the channel
        root_ts = next(m["ts"] for m in fake_slack.messages(QA_CHANNEL) if "Logged A-1" in str(m.get("text")))

        # 2. An ACTION: line typed as a reply in the confirmation's thread (events_api) ...
        line = "ACTION: Chase the Police audit return <@U0POL001> due 19/03/2027"
        ts = fake_slack.add_message(QA_CHANNEL, line, "U0QAOFF1", thread_ts=root_ts)
        event = fixture(
            "event_message",
            event={"text": line, "ts": ts, "event_ts": ts, "thread_ts": root_ts},
            event_id="Ev0QASOCK0001",
            event_time=int(float(ts)),
        )
        first = fake_socket.send(fake_socket.events_api(event))
        with fake_slack.held():  # acknowledged without waiting for any Slack API call
            assert fake_socket.wait_for(lambda: fake_socket.ack_of(first) is not None, SLACK_TIMEOUT_SECONDS)
        # 3. ... and Slack's retry of the same event (same event_id, retry_attempt 1).
        retry = fake_socket.send(fake_socket.events_api(event, retry_attempt=1, retry_reason="timeout"))
        with fake_slack.held():  # acknowledged without waiting for any Slack API call
            assert fake_socket.wait_for(lambda: fake_socket.ack_of(retry) is not None, SLACK_TIMEOUT_SECONDS)
        assert fake_slack.wait_for(lambda: confirmations(fake_slack, "A-2"), 10), fake_slack.posts()
    finally:
        stop.set()
        bot.join(timeout=15)

    # Shut down cleanly: run_socket_mode returned 0 and every thread it started has ended.
    assert not bot.is_alive() and exit_codes == [0]
    deadline = time.monotonic() + 5
    for t in set(threading.enumerate()) - before:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    left = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    assert left == [], f"threads still running after run_socket_mode returned: {left}"
    conn = fake_socket.connections[0]
    assert fake_socket.wait_for(lambda: conn.closed_at is not None, 5), "the WebSocket was left open"

    # Every envelope acknowledged once, by its envelope_id (how fast is benchmarked, not judged here).
    assert set(fake_socket.acks) == {cmd, first, retry}
    assert fake_socket.duplicate_acks == [] and fake_socket.unknown == []
    slowest = max(a.after for a in fake_socket.acks.values())
    print(f"Socket Mode acknowledgements: {len(fake_socket.acks)}, slowest {slowest * 1000:.0f} ms")

    # What Slack shows: A-1 in the channel, A-2 once in the thread where the line was typed.
    assert len(confirmations(fake_slack, "A-1")) == 1
    (logged_line,) = confirmations(fake_slack, "A-2")
    assert logged_line["thread_ts"] == root_ts
    assert confirmations(fake_slack, "A-3") == []

    # What the database holds: each action once, despite the repeated envelope.
    with socket_rt.sessions() as s:
        actions = s.scalars(select(Action).order_by(Action.id)).all()
        assert [(a.id, a.text) for a in actions] == [
            (1, "Review MASH audit"),
            (2, "Chase the Police audit return"),
        ]
        a1 = actions[0]
        assert a1.owner is not None and a1.owner.handle == "pol"
        assert a1.source == "slack" and a1.priority == "Child Protection"
        assert a1.due_date is not None and a1.due_date.isoformat() == "2027-03-12"
        assert actions[1].source_url == fake_slack.permalink(QA_CHANNEL, ts)


def test_a_refused_app_token_stops_start_up_naming_it(socket_rt: Runtime, fake_slack: FakeSlack) -> None:
    from commands.errors import ConfigError
    from tests.slack.conftest import TOKEN

    fake_slack.valid_tokens = {TOKEN}  # the bot token is good, the app-level token is not
    with pytest.raises(ConfigError) as refused:
        run_socket_mode(socket_rt, threading.Event())
    assert "SLACK_APP_TOKEN was refused" in str(refused.value)
    assert APP_TOKEN not in str(refused.value)
