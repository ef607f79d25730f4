"""Posts sent twice when the outcome is unclear: one scenario runner for the test
(tests/hardening/test_doubles.py) and the benchmark (benchmarks/doubles_bench.py).

Each scenario queues `posts` outbox rows to Slack and dispatches them, with the real
slack_sdk WebClient and the real Dispatcher, against the fake Slack on loopback, in virtual
time (tests/hardening/support.py), until every row has an outcome:

- lost:   5% of chat.postMessage answers are lost (Slack keeps the post, the connection drops);
- ratelimited: the same, in 4 channels, and conversations.history is limited to one call per
          channel per 30 s (429 with Retry-After), so many look-ups cannot answer at first;
- shared: the same losses, with all posts in 2 channels several agencies share (100 each), and
          the channels' members go on talking (250 messages each) before the look-ups, so a
          post looked for is far below the newest page of messages.

`legacy=True` runs the sender as it was before issue #12 (LegacySlackSender): slack_sdk's
server-error and connection-error retry handlers on chat.postMessage, one page of 100 in the
look-up, and a failed look-up taken as "not sent". A double is an outbox key that Slack holds
more than once.
"""

from __future__ import annotations

import logging
import random
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.outbox import RESENT_NOTE, Dispatcher
from bot.runtime import build_runtime
from bot.settings import Settings
from commands.outbound import OutgoingPost, SendError, SentRef
from commands.types import Reply
from integrations.slack.client import posting_retry_handlers, retry_handlers
from integrations.slack.sender import METADATA_EVENT, SlackSender
from store import outbox as outbox_store
from store.db import transaction
from store.models import OutboxMessage
from tests.fakes.slack_api import Failure, FakeSlack
from tests.hardening.support import VirtualClock, sdk_sleeps_advance

SCENARIOS = ("lost", "ratelimited", "shared")
START = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
FINAL = ("sent", "failed", "parked")


class LossySlack(FakeSlack):
    """The fake Slack, losing the answer to a seeded fraction of chat.postMessage calls."""

    def __init__(self, *, lose: float, seed: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.lose = lose
        self.rng = random.Random(seed)
        self.lost = 0

    def _take_failure(self, method: str, channel: str | None) -> Failure | None:
        found = super()._take_failure(method, channel)
        if found is None and method == "chat.postMessage" and self.rng.random() < self.lose:
            self.lost += 1
            return Failure(method, status=None, lost=True)
        return found

    def keys_posted(self) -> Counter[str]:
        with self.lock:
            return Counter(
                str(m["metadata"]["event_payload"]["key"])
                for msgs in self.conversations.values()
                for m in msgs
                if (m.get("metadata") or {}).get("event_type") == METADATA_EVENT
            )

    def resent_visibly(self) -> int:
        with self.lock:
            return sum(
                RESENT_NOTE in str(m.get("text")) for msgs in self.conversations.values() for m in msgs
            )


class LegacySlackSender(SlackSender):
    """The sender before issue #12, for the baseline: the SDK resends on 5xx and dropped
    connections, the look-up reads one page of 100, and a failed look-up means "not sent"."""

    def send(self, post: OutgoingPost) -> SentRef:
        try:
            resp = self._post(post)
        except SlackApiError as e:
            status = getattr(e.response, "status_code", 200) or 200
            if status == 429:
                raise SendError("rate limited", retry_after=30) from None
            raise SendError(f"HTTP {status}", maybe_sent=status in (502, 504)) from None
        except Exception as e:
            raise SendError(type(e).__name__, maybe_sent=True) from None
        return SentRef(message_id=str(resp["ts"]), channel=str(resp.get("channel") or post.channel))

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        try:
            resp = self.client.conversations_history(
                channel=post.channel, include_all_metadata=True, limit=100
            )
        except Exception:
            return None  # the old dispatcher's _safe_find: a failed look-up was "not there"
        for msg in resp.get("messages") or []:
            meta = msg.get("metadata") or {}
            if (meta.get("event_payload") or {}).get("key") == post.key:
                return SentRef(message_id=str(msg["ts"]), channel=post.channel)
        return None


@dataclass
class Outcome:
    scenario: str
    legacy: bool
    posts: int
    lost_answers: int
    doubles: int  # posts Slack holds more than once
    missing: int  # posts Slack never got
    resent_visibly: int
    parked: int
    failed: int
    lookups: int
    rate_limited_lookups: int
    virtual_minutes: float


def run(
    scenario: str, *, legacy: bool = False, sdk_resends: bool = True, posts: int = 200, seed: int = 12
) -> Outcome:
    """One scenario. legacy=True: the sender before issue #12; with sdk_resends=False its client
    keeps only the rate-limit retry, to show what its look-up alone does."""
    assert scenario in SCENARIOS, scenario
    # Hundreds of expected warnings; the levels are put back so later tests see the usual logs.
    quiet = [logging.getLogger(name) for name in ("qabot", "slack_sdk")]
    saved = [q.level for q in quiet]
    for q in quiet:
        q.setLevel(logging.CRITICAL)
    try:
        return _run(scenario, legacy=legacy, sdk_resends=sdk_resends, posts=posts, seed=seed)
    finally:
        for q, level in zip(quiet, saved, strict=True):
            q.setLevel(level)


def _run(scenario: str, *, legacy: bool, sdk_resends: bool, posts: int, seed: int) -> Outcome:
    clock = VirtualClock(START)
    fake = LossySlack(lose=0.05, seed=seed, now=clock.seconds, wall=lambda: clock.now().timestamp())
    if scenario == "ratelimited":
        fake.rate_limit("conversations.history", seconds=30.0)
    spread = {"lost": 20, "ratelimited": 4, "shared": 2}[scenario]
    channels = [f"C0CHAN{i:03d}" for i in range(spread)]
    with tempfile.TemporaryDirectory(prefix="qabot-doubles-") as tmp, fake, sdk_sleeps_advance(clock):
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            QABOT_DATABASE_URL=f"sqlite:///{Path(tmp) / 'doubles.db'}",
            SLACK_BOT_TOKEN="xoxb-0000-doubles",
            SLACK_SIGNING_SECRET="doubles-secret",
            SLACK_API_URL=fake.api_url,
        )
        rt = build_runtime(settings, clock)  # type: ignore[arg-type]
        with transaction(rt.sessions) as s:
            for n in range(posts):
                outbox_store.enqueue(
                    s,
                    key=f"s11:1:{n}:launch:slack",
                    platform="slack",
                    channel=channels[n % len(channels)],
                    kind="s11_launch",
                    payload=Reply(title=f"Section 11 launch {n}").model_dump(mode="json"),
                    now=clock.now(),
                )
        if legacy:
            client = WebClient(
                token="xoxb-0000-doubles",
                base_url=fake.api_url,
                timeout=8,
                retry_handlers=retry_handlers() if sdk_resends else posting_retry_handlers(),
            )
            dispatcher = Dispatcher(rt.sessions, {"slack": LegacySlackSender(client)}, clock)  # type: ignore[arg-type]
        else:
            dispatcher = rt.dispatcher()
        for round_ in range(500):
            dispatcher.dispatch()
            if scenario == "shared" and round_ == 0:
                for channel in channels:
                    for n in range(250):
                        fake.add_message(channel, f"a member's message {n}", "U0MEMBER1")
            with rt.sessions() as s:
                waiting = [r for r in s.scalars(select(OutboxMessage)) if r.status not in FINAL]
            if not waiting:
                break
            clock.set(max(clock.now(), min(r.next_attempt_at or clock.now() for r in waiting)))
        else:
            raise AssertionError(f"{len(waiting)} posts still without an outcome")
        with rt.sessions() as s:
            statuses = Counter(r.status for r in s.scalars(select(OutboxMessage)))
        rt.engine.dispose()
    keys = fake.keys_posted()
    lookups = fake.calls_to("conversations.history")
    return Outcome(
        scenario=scenario,
        legacy=legacy,
        posts=posts,
        lost_answers=fake.lost,
        doubles=sum(n - 1 for n in keys.values() if n > 1),
        missing=posts - len(keys),
        resent_visibly=fake.resent_visibly(),
        parked=statuses["parked"],
        failed=statuses["failed"],
        lookups=len(lookups),
        rate_limited_lookups=sum(c.status == 429 for c in lookups),
        virtual_minutes=round((clock.now() - START).total_seconds() / 60, 1),
    )
