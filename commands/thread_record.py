"""What every agency thread reply does first, whichever clock asked (a Section 11 return, a
rapid review summary): keep the reply as a thread_replies row, and tell someone who does not
act for the agency that their reply changes nothing."""

from __future__ import annotations

from commands.context import Context
from commands.types import Reply
from store.models import OutboxMessage, ThreadReply


def record(ctx: Context, root: OutboxMessage, text: str) -> ThreadReply:
    """The reply as received, 'ignored' until the handler says what it was."""
    row = ThreadReply(
        outbox_id=root.id,
        platform=ctx.inbound.platform,
        platform_user=ctx.inbound.user_id[:64],
        member_id=ctx.actor.id,
        text=text,
        interpretation="ignored",
        message_id=ctx.inbound.message_id,
        received_at=ctx.now,
    )
    ctx.session.add(row)
    return row


def not_theirs(ctx: Context, agency_name: str, changes_nothing_of: str, data: dict[str, object]) -> Reply:
    """A reply from someone who does not act for the agency: recorded, and it changes nothing."""
    ctx.session.flush()
    who = (
        "you are not on this board's member list"
        if ctx.actor.id is None
        else f"you are not with {agency_name}"
    )
    return Reply(
        lines=[f"Noted — but {who}, so this does not change {changes_nothing_of}."],
        visibility="channel",
        data={"interpretation": "ignored", **data},
    )
