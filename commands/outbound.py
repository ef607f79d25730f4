"""The neutral contract between the outbox dispatcher and each platform's sender."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
    created_at: datetime | None = None  # when it was queued: a look-up need not search further back


@dataclass(frozen=True)
class SentRef:
    message_id: str
    channel: str


class SendError(Exception):
    """Sending failed. `retry_after` seconds (if known) before trying again; `maybe_sent` when
    the platform may have taken the post anyway (a timeout, a lost answer, Slack's
    internal_error), so it must be looked for first; `permanent` when waiting cannot help.

    Raised by find_sent it means the look-up could not answer ("try again later", never "not
    sent"); `permanent` there means this platform can never look a post up."""

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
        """After a crash mid-send or an unclear answer: the post if the platform already has it
        (by its key), None if it certainly has not; SendError if the look-up cannot tell."""
        ...


@dataclass(frozen=True)
class EditedPost:
    """New content for a post the bot already sent: where it is and what it must now say."""

    key: str  # the edit's own outbox key
    outbox_id: int  # the edit's own outbox row
    post_id: int  # the outbox row of the post being edited
    channel: str  # where the post was sent (its sent_channel)
    message_id: str  # Slack ts / Teams activity id
    reply: Reply
    thread_id: str | None = None  # the platform id of the thread's first post, if it was a reply


class Editor(Protocol):
    def edit(self, post: EditedPost) -> None:
        """Replace the post's content, or raise SendError (`permanent` when it cannot be edited:
        gone, not the bot's, no access)."""
        ...
