"""Replies sent again through the outbox (CorePort.post_later): the answer to a command a
platform would not take at once. An answer in their thread is conversation, not a command."""

from __future__ import annotations

from commands.intake import REPLY_RETRY
from commands.registry import no_thread_reply

no_thread_reply(REPLY_RETRY, "the answer to a command, sent again to the person; replies are conversation")
