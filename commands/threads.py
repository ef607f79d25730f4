"""Flow 3: someone replies in the thread of one of the bot's posts.

The reply is matched to the outbox post that started the thread, and handed to the handler
registered for that kind of post (`@thread_reply` in commands/registry.py: a Section 11
reminder, an agenda).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from commands import catalog, unclear_threads
from commands.actions import source as actions_source
from commands.common import safeguard
from commands.context import Context, Scope
from commands.meetings.today import meeting_for_channel
from commands.types import Inbound, Reply
from store import outbox as outbox_store
from store.models import OutboxMessage

REPLY_AGAIN = "Reply again in the thread without the identifying details."


def find_root(session: Session, inbound: Inbound) -> OutboxMessage | None:
    """The bot's post whose thread this message is in, if it is in one and is answering it.
    A command said to the bot (a slash command; an @mention or direct message starting with a
    command word) is not an answer to the thread: "@QA Bot action list" under a Section 11
    reminder lists actions rather than being kept as the agency's comment."""
    if not inbound.thread_id or inbound.command or names_a_command(inbound):
        return None
    found = outbox_store.thread_root(session, inbound.platform, inbound.channel, inbound.thread_id)
    # Not one of the bot's known threads: maybe the copy of a post sent twice after a timeout.
    return found if found is not None else unclear_threads.duplicate_root(session, inbound)


def names_a_command(inbound: Inbound) -> bool:
    """Said to the bot and starting with a command group's word (or help)."""
    if not inbound.addressed:
        return False
    words = inbound.text.split(maxsplit=1)
    first = words[0].lstrip("/").lower() if words else ""
    return first in ("help", "?") or catalog.load().group(first) is not None


def source_changed(ctx: Context) -> Reply:
    """An edited or deleted message: what it had logged stays, and the thread is told so."""
    return actions_source.source_changed(ctx)


def handle_reply(ctx: Context, root: OutboxMessage) -> Reply | None:
    """The reply's handling by the handler for the root post's kind, or None when no handler
    takes it (then the text is treated as an ordinary command)."""
    handler = catalog.load().thread_handler(root.kind)
    if handler is None:
        return None
    if not ctx.inbound.text.lstrip().startswith("/"):  # a "/command" here is guarded as a command
        # Every reply, whoever sends it and whenever (a guest, after the meeting started) and
        # whatever the handler makes of it, passes the guard before anything keeps it.
        safeguard(ctx, ctx.inbound.text, REPLY_AGAIN)
    reply = handler(ctx, root)
    if reply is not None and unclear_threads.in_duplicate(ctx.inbound, root):
        reply.lines.append(unclear_threads.DUPLICATE_NOTE)
    return reply


def note_thread_start(session: Session, now: datetime, inbound: Inbound) -> None:
    """A person's top-level post where the bot posts: replies under it are theirs."""
    unclear_threads.note_thread_start(session, now, inbound)


def unmatched(scope: Scope, inbound: Inbound) -> Reply:
    """A reply in a thread that is none of the bot's: answered and told, or left alone."""
    return unclear_threads.unmatched(scope, inbound)


def tie_to_meeting_of_the_day(ctx: Context) -> None:
    """Items logged in a meeting's channel on its day belong to that meeting."""
    meeting = meeting_for_channel(ctx)
    if meeting is not None:
        ctx.extras["meeting_today"] = meeting
