"""Pieces the fault tests and the fan-out benchmark share: a virtual clock, a fake Slack that
also enforces a workspace-wide rate limit, and a generated board with many agencies."""

from __future__ import annotations

import math
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.slack_api import FakeSlack


class VirtualClock:
    """One instant shared by the bot (a commands.clock.Clock) and the fake Slack (seconds).
    Nothing sleeps: time moves when the test or benchmark moves it (or when the Slack SDK's
    retry handler would have slept; see `sdk_sleeps_advance`)."""

    def __init__(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._start + timedelta(seconds=self._offset)

    def seconds(self) -> float:
        with self._lock:
            return self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += max(0.0, float(seconds))

    def set(self, at: datetime) -> None:
        with self._lock:
            self._offset = max(self._offset, (at.astimezone(UTC) - self._start).total_seconds())


@contextmanager
def sdk_sleeps_advance(clock: VirtualClock) -> Iterator[list[float]]:
    """slack_sdk's retry handlers sleep before retrying (e.g. for a short Retry-After). Here that
    sleep moves the virtual clock instead, so the SDK behaves exactly as configured, at no cost
    in real time. Yields the list of sleeps asked for."""
    from slack_sdk.http_retry import builtin_handlers, handler

    asked: list[float] = []

    def sleep(seconds: float) -> None:
        asked.append(seconds)
        clock.advance(seconds)

    shim = types.SimpleNamespace(**{k: getattr(time, k) for k in dir(time) if not k.startswith("__")})
    shim.sleep = sleep
    saved = builtin_handlers.time, handler.time
    builtin_handlers.time, handler.time = shim, shim  # type: ignore[assignment]
    try:
        yield asked
    finally:
        builtin_handlers.time, handler.time = saved


class LimitedSlack(FakeSlack):
    """The fake Slack Web API with Slack's two chat.postMessage limits at once: one post per
    channel per `per_channel` seconds, and at most `workspace_posts` posts per
    `workspace_window` seconds across the workspace (fixed windows). Over either limit it
    answers HTTP 429 with Retry-After (whole seconds, as Slack does)."""

    def __init__(
        self,
        *,
        now: Any,
        per_channel: float = 1.0,
        workspace_posts: int = 120,
        workspace_window: float = 60.0,
    ) -> None:
        super().__init__(now=now)
        self.per_channel = per_channel
        self.workspace_posts = workspace_posts
        self.workspace_window = workspace_window
        self._window_counts: dict[int, int] = {}
        self.limited: dict[str, int] = {"channel": 0, "workspace": 0}

    def _rate_limited(self, method: str, channel: str | None) -> int | None:
        if method != "chat.postMessage" or channel is None:
            return None
        with self.lock:
            now = self.now()
            last = self._last_post.get((method, channel))
            if last is not None and now - last < self.per_channel:
                self.limited["channel"] += 1
                return max(1, math.ceil(self.per_channel - (now - last)))
            window = int(now // self.workspace_window)
            if self._window_counts.get(window, 0) >= self.workspace_posts:
                self.limited["workspace"] += 1
                return max(1, math.ceil((window + 1) * self.workspace_window - now))
            self._window_counts[window] = self._window_counts.get(window, 0) + 1
            self._last_post[(method, channel)] = now
        return None

    def keys_posted(self) -> list[str]:
        """The outbox key of every message the bot has in Slack (from its metadata), with repeats."""
        with self.lock:
            out = []
            for msgs in self.conversations.values():
                for m in msgs:
                    key = ((m.get("metadata") or {}).get("event_payload") or {}).get("key")
                    if key:
                        out.append(str(key))
            return out


def big_board_yaml(agencies: int, *, shared_channel_every: int = 0, shared_channel: str = "C0SHARED") -> str:
    """A board with `agencies` statutory agencies, each with a lead on Slack. Every agency has its
    own channel, except that every `shared_channel_every`-th one posts to one shared channel
    (so the per-channel limit matters too)."""
    lines = [
        "board: {name: Load Test Safeguarding Children Board, timezone: Europe/London}",
        "channels: {qa: {slack: C0QAE01}}",
        "section11: {statutory_years: odd}",
        "members:",
        "  - {handle: ic, name: Independent Chair, role: chair, slack: U0CHAIR1}",
        "  - {handle: qa, name: QA Officer, role: qa_officer, slack: U0QAOFF1}",
    ]
    for i in range(agencies):
        lines.append(
            f"  - {{handle: lead{i:03d}, name: Lead {i:03d}, role: agency_lead, "
            f"agency: Partner Agency {i:03d}, slack: U0L{i:06d}}}"
        )
    lines.append("agencies:")
    for i in range(agencies):
        shared = shared_channel_every and i % shared_channel_every == 0
        channel = shared_channel if shared else f"C0A{i:06d}"
        lines.append(
            f"  - {{name: Partner Agency {i:03d}, sector: statutory, lead: lead{i:03d}, channel: {{slack: {channel}}}}}"
        )
    return "\n".join(lines) + "\n"
