"""Flow 3: someone replies in the thread of one of the bot's posts.

The reply is matched to the outbox post that started the thread, and handed to the handler
for that kind of post (a Section 11 reminder, an agenda). Handlers register by the post's
kind prefix; a module that is not installed simply handles nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from functools import cache

from sqlalchemy.orm import Session

from commands.context import Context
from commands.types import Inbound, Reply
from store import outbox as outbox_store
from store.models import OutboxMessage

# kind prefix -> "module:function" taking (ctx, root post) and returning a Reply or None.
THREAD_HANDLERS: dict[str, str] = {
    "s11": "commands.section11.replies:handle_reply",
    "agenda": "commands.meetings.replies:handle_reply",
}

Handler = Callable[[Context, OutboxMessage], Reply | None]


@cache
def _load(spec: str) -> Handler | None:
    module, _, func = spec.partition(":")
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except ModuleNotFoundError:
        return None
    fn: Handler = getattr(importlib.import_module(module), func)
    return fn


def find_root(session: Session, inbound: Inbound) -> OutboxMessage | None:
    """The bot's post whose thread this message is in, if it is in one."""
    if not inbound.thread_id or inbound.command:
        return None
    return outbox_store.thread_root(session, inbound.platform, inbound.channel, inbound.thread_id)


def handle_reply(ctx: Context, root: OutboxMessage) -> Reply | None:
    """The reply's handling by the handler for the root post's kind, or None when no handler
    takes it (then the text is treated as an ordinary command)."""
    for prefix, spec in THREAD_HANDLERS.items():
        if root.kind.startswith(prefix) and (handler := _load(spec)) is not None:
            return handler(ctx, root)
    return None


def tie_to_meeting_of_the_day(ctx: Context) -> None:
    """Items logged in a meeting's channel on its day belong to that meeting."""
    module = "commands.meetings.today"
    try:
        if importlib.util.find_spec(module) is None:
            return
    except ModuleNotFoundError:
        return
    meeting = importlib.import_module(module).meeting_for_channel(ctx)
    if meeting is not None:
        ctx.extras["meeting_today"] = meeting
