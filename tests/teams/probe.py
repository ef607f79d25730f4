"""A thread-reply handler for tests: records what the core handed it."""

from __future__ import annotations

from commands.context import Context
from commands.types import Reply
from store.models import OutboxMessage

RECEIVED: list[dict[str, object]] = []


def handle_reply(ctx: Context, root: OutboxMessage) -> Reply | None:
    RECEIVED.append(
        {
            "root_id": root.id,
            "text": ctx.inbound.text,
            "actor": ctx.actor.handle,
            "thread_id": ctx.inbound.thread_id,
            "channel": ctx.inbound.channel,
        }
    )
    return Reply(lines=[f"Noted your reply to post {root.id}."], visibility="channel")
