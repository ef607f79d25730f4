"""The neutral contract between the outbox dispatcher and each platform's sender."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from commands.types import Reply


@dataclass(frozen=True)
class OutgoingPost:
    key: str  # the outbox key: unique, carried in the post's metadata where the platform allows
    outbox_id: int
    channel: str  # the platform address
    reply: Reply
    kind: str
    thread_id: str | None = None  # the platform id of the thread's first post, when replying in it


@dataclass(frozen=True)
class SentRef:
    message_id: str
    channel: str


class SendError(Exception):
    """Sending failed. `retry_after` seconds (if known) before trying again; `maybe_sent` when
    the platform may have taken the post anyway (a timeout), so it must be looked for first."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
        self.maybe_sent = maybe_sent


class Sender(Protocol):
    def send(self, post: OutgoingPost) -> SentRef:
        """Post it, or raise SendError."""
        ...

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        """After a crash mid-send: the post if the platform already has it (by its key)."""
        ...
