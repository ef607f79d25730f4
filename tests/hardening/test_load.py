"""Fifty members at once through the real web app (uvicorn on loopback): slash commands and
replies in Section 11 threads, all at the same moment. No errors, every command answered
exactly once, every thread reply recorded once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from commands.types import Inbound
from store.db import transaction
from store.models import Action, OutboxMessage, S11Return, ThreadReply
from tests.fakes.slack_api import FakeSlack
from tests.hardening.conftest import half_written, message_event, serve_web, slash_form
from tests.hardening.support import big_board_yaml

MEMBERS = 50
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def rt(slack_settings: Settings, clock: FixedClock) -> Iterator[Runtime]:
    runtime = build_runtime(slack_settings, clock)
    with transaction(runtime.sessions) as s:
        import_board(s, parse_board_file(big_board_yaml(MEMBERS), name="load"), clock.now())
    yield runtime
    runtime.engine.dispose()


def _marker(i: int) -> str:
    return f"Loaditem{i:03d}x"


@pytest.mark.slow
def test_fifty_members_at_once_every_command_answered_once(rt: Runtime, fake_slack: FakeSlack) -> None:
    launch = rt.core.handle(
        Inbound(platform="slack", user_id="U0QAOFF1", command="/s11", text="launch 2027 deadline 29/03/2027")
    )
    assert launch.ok, launch.text()
    assert rt.dispatcher().dispatch().sent == MEMBERS
    with rt.sessions() as s:
        roots = {r.channel: str(r.message_id) for r in s.scalars(select(OutboxMessage))}
    fake_slack.calls.clear()

    with serve_web(rt, fake_slack) as web:
        start = threading.Barrier(MEMBERS)

        def member(i: int) -> list[int]:
            user, channel = f"U0L{i:06d}", f"C0A{i:06d}"
            statuses = []
            with httpx.Client(timeout=30) as client:
                start.wait()
                bodies = [
                    slash_form(
                        user,
                        "/action",
                        f"add Review {_marker(i)} audit @lead{i:03d} due 12/03/2027",
                        channel=channel,
                        trigger=f"{i}.1.load",
                        response_url=fake_slack.response_url(f"{i}a"),
                    ),
                    slash_form(
                        user,
                        "/action",
                        "list mine",
                        channel=channel,
                        trigger=f"{i}.2.load",
                        response_url=fake_slack.response_url(f"{i}b"),
                    ),
                    slash_form(
                        user,
                        "/qa",
                        "help",
                        channel=channel,
                        trigger=f"{i}.3.load",
                        response_url=fake_slack.response_url(f"{i}c"),
                    ),
                ]
                for body in bodies:
                    statuses.append(web.post_signed(body, FORM, client=client).status_code)
                ts = fake_slack.add_message(
                    channel, f"submitted https://sharepoint.example/s11/{i}", user, thread_ts=roots[channel]
                )
                event = message_event(
                    user,
                    f"submitted https://sharepoint.example/s11/{i}",
                    channel=channel,
                    ts=ts,
                    thread_ts=roots[channel],
                    event_id=f"EvLoad{i:06d}",
                )
                statuses.append(web.post_signed(event, "application/json", client=client).status_code)
            return statuses

        with ThreadPoolExecutor(MEMBERS) as pool:
            results = list(pool.map(member, range(MEMBERS)))
        assert all(code == 200 for codes in results for code in codes), results
        assert web.idle(timeout=120)

    calls = fake_slack.calls
    assert not [c for c in calls if not c.ok and c.method != "auth.test"], "a Slack call failed"
    shown = [
        str(c.params.get("text")) for c in calls if c.method in ("chat.postMessage", "chat.postEphemeral")
    ]
    assert not [t for t in shown if "went wrong" in t.lower()], "an internal error reached a member"
    for i in range(MEMBERS):
        user, channel = f"U0L{i:06d}", f"C0A{i:06d}"
        logged = [t for t in shown if _marker(i) in t and t.startswith("Logged A-")]
        assert len(logged) == 1, (i, logged)
        private = [
            c
            for c in calls
            if c.method == "chat.postEphemeral"
            and c.params.get("user") == user
            and not c.params.get("thread_ts")
        ]
        assert len(private) == 2, (
            i,
            [str(c.params.get("text"))[:60] for c in private],
        )  # the list and the help
        in_thread = [
            c
            for c in calls
            if c.method in ("chat.postMessage", "chat.postEphemeral")
            and c.params.get("channel") == channel
            and c.params.get("thread_ts") == roots[channel]
        ]
        assert len(in_thread) == 1, (i, [str(c.params.get("text"))[:80] for c in in_thread])

    with rt.sessions() as s:
        actions = list(s.scalars(select(Action)))
        replies = list(s.scalars(select(ThreadReply)))
        returns = list(s.scalars(select(S11Return)))
    assert len(actions) == MEMBERS
    assert len(replies) == MEMBERS
    assert {r.status for r in returns} == {"submitted"}
    assert half_written(rt.sessions) == []
