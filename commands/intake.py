"""What arrives from a platform, as the core stores it before it is acknowledged.

An integration hands the core a neutral `Received` payload through `CorePort.accept` (one
row in the inbox, keyed by the platform's delivery id) and registers, once, the function
that works its platform's deliveries (`CorePort.on_received`). The worker in bot/intake.py
calls that function right after the acknowledgement, and again after a restart or a crash
for whatever a previous process left unanswered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from commands.types import Reply

# The outbox kind of a reply the platform would not take at once (CorePort.post_later;
# declared as having no thread handler in commands/late_replies.py).
REPLY_RETRY = "reply_retry"

# Slack accepts a slash command's response_url for 30 minutes; after that the answer goes
# to the person another way (integrations/slack/interactive.py).
RESPONSE_URL_LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class Received:
    """One stored delivery, handed back to its integration to work."""

    platform: str
    kind: str  # the integration's own name for it ("command", "event", "activity", ...)
    key: str
    payload: dict[str, Any]
    received_at: datetime
    attempts: int = 1

    @property
    def recovered(self) -> bool:
        """Worked again: a previous attempt (maybe in a process that died) did not finish,
        so the person may not have had the answer even if the command was stored."""
        return self.attempts > 1

    def age(self, now: datetime) -> timedelta:
        return now - self.received_at


# Works one delivery; returns what the person was shown (stored as the inbox row's reply).
ReceivedWork = Callable[[Received], Reply | None]
