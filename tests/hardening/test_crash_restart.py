"""Crash and restart: `qabot tick` (a real subprocess) is SIGKILLed at random points while a
Section 11 cycle's launch posts and reminders are being sent, then started again, many times.
Every post must reach Slack exactly once, each reminder in its agency's launch thread.

The kill is triggered by the fake Slack itself at the n-th Web API call of a run, either
before it handles the call (the post never reached Slack) or just after (Slack has the post,
the bot never heard back: the case the outbox recovers by finding its own message through
the metadata key in conversations.history / conversations.replies). No sleeping: each run
ends when the process dies or finishes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.runtime import build_runtime
from bot.settings import Settings
from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from commands.types import Inbound
from store.db import transaction
from store.models import OutboxMessage
from tests.fakes.slack_api import FakeSlack
from tests.hardening.support import big_board_yaml

LONDON = ZoneInfo("Europe/London")
AGENCIES = 20
MAX_ROUNDS = 30
MIN_KILLS = 10
QABOT = str(Path(sys.executable).parent / "qabot")


class KillingSlack(FakeSlack):
    """Kills `victim` at the `plan[0]`-th Web API call of a run, before or after handling it."""

    def __init__(self) -> None:
        super().__init__()
        self.victim: int | None = None
        self.plan: tuple[int, str] | None = None
        self.count = 0
        self.kills: list[tuple[int, str, str]] = []  # (call number, before/after, method)

    def arm(self, pid: int, plan: tuple[int, str] | None) -> None:
        with self.lock:
            self.victim, self.plan, self.count = pid, plan, 0

    def handle(
        self, method: str, params: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], str]:
        with self.lock:
            hit = None
            if method != "auth.test" and self.victim is not None and self.plan is not None:
                self.count += 1
                if self.count == self.plan[0]:
                    hit = self.plan[1]
            victim = self.victim
        if hit == "before" and victim is not None:
            self._kill(victim, method, "before")
        answer = super().handle(method, params, headers)
        if hit == "after" and victim is not None:
            self._kill(victim, method, "after")
        return answer

    def _kill(self, pid: int, method: str, when: str) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        with self.lock:
            self.kills.append((self.count, when, method))

    def keys(self) -> Counter[str]:
        with self.lock:
            return Counter(
                str(((m.get("metadata") or {}).get("event_payload") or {}).get("key"))
                for msgs in self.conversations.values()
                for m in msgs
                if m.get("metadata")
            )


@pytest.fixture
def fake() -> Iterator[KillingSlack]:
    f = KillingSlack()
    with f:
        yield f


@pytest.mark.slow
def test_the_clock_killed_at_random_points_sends_every_reminder_exactly_once(
    fake: KillingSlack, tmp_path: Path
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CONNECTIONS__", "TEAMS_", "QABOT_"))
    }
    env.update(
        QABOT_DATABASE_URL=f"sqlite:///{tmp_path / 'crash.db'}",
        SLACK_BOT_TOKEN="xoxb-0000-crash-test",
        SLACK_SIGNING_SECRET="crash-test-secret",
        SLACK_API_URL=fake.api_url,
        QABOT_LOG_LEVEL="WARNING",
    )
    settings = Settings(**{k: v for k, v in env.items() if k.startswith(("SLACK_", "QABOT_"))})  # type: ignore[arg-type]
    launch_at = datetime(2027, 3, 1, 10, 0, tzinfo=LONDON)
    rt = build_runtime(settings, FixedClock(launch_at))
    with transaction(rt.sessions) as s:
        import_board(s, parse_board_file(big_board_yaml(AGENCIES), name="crash"), launch_at)
    reply = rt.core.handle(
        Inbound(platform="slack", user_id="U0QAOFF1", command="/s11", text="launch 2027 deadline 29/03/2027")
    )
    assert reply.ok, reply.text()
    # Nothing is sent yet: the launch posts and, at 09:31 on 15 March (14 days before the
    # deadline), the reminders all go out from the ticks that are killed below.
    rng = random.Random(
        int(os.environ.get("QABOT_CRASH_SEED", "20270315"))
    )  # vary it to try other crash points
    now = datetime(2027, 3, 15, 9, 31, tzinfo=LONDON)
    outcomes: list[int] = []
    for _ in range(MAX_ROUNDS):
        with rt.sessions() as s:
            left = len(list(s.scalars(select(OutboxMessage.id).where(OutboxMessage.status != "sent"))))
        if left == 0 and len(outcomes) > 0:
            break
        # Kill within the next few calls, so that each run gets a little further: many crashes.
        plan = (rng.randint(1, min(5, left + 2)), rng.choice(["before", "after", "after"]))
        proc = subprocess.Popen(
            [QABOT, "tick", "--now", now.isoformat()],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        fake.arm(proc.pid, plan)
        outcomes.append(proc.wait(timeout=120))
        fake.arm(0, None)
        # A restarted clock comes back a few minutes later: a post left 'sending' by the dead
        # process has a two-minute lease before it is looked for and, if not found, resent.
        now += timedelta(minutes=3)
    for _ in range(3):  # then the clock runs undisturbed
        subprocess.run(
            [QABOT, "tick", "--now", now.isoformat()],
            env=env,
            cwd=tmp_path,
            check=True,
            capture_output=True,
            timeout=120,
        )
        now += timedelta(minutes=3)

    killed = [rc for rc in outcomes if rc == -signal.SIGKILL]
    assert len(killed) >= MIN_KILLS, (outcomes, fake.kills)
    assert any(when == "after" and m == "chat.postMessage" for _, when, m in fake.kills), fake.kills

    with rt.sessions() as s:
        rows = list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    rt.engine.dispose()
    launches = [r for r in rows if r.kind == "s11_launch"]
    reminders = [r for r in rows if r.kind == "s11_reminder"]
    assert len(launches) == AGENCIES and len(reminders) == AGENCIES
    assert {r.status for r in rows} == {"sent"}, [
        (r.key, r.status, r.last_error) for r in rows if r.status != "sent"
    ]

    keys = fake.keys()
    assert {r.key for r in rows} == set(keys), "a post in Slack that the outbox does not know, or the reverse"
    twice = {k: n for k, n in keys.items() if n != 1}
    assert twice == {}, f"sent more than once: {twice}"
    # Each reminder is in its agency's channel, in the thread of that agency's launch post.
    launch_ts = {r.thread_key: r.message_id for r in launches}
    for r in reminders:
        [msg] = [
            m
            for m in fake.messages(r.channel)
            if (m.get("metadata") or {}).get("event_payload", {}).get("key") == r.key
        ]
        assert msg.get("thread_ts") == launch_ts[r.thread_key] == r.thread_message_id
    # The recovery path was exercised: the bot looked for its own posts after a crash.
    lookups = fake.calls_to("conversations.history") + fake.calls_to("conversations.replies")
    assert lookups, "no crash left a post in flight; the recovery path was not exercised"
