"""Replies in the thread of an agenda: each becomes an item on that meeting's agenda."""

from __future__ import annotations

from commands.common import safeguard
from commands.context import Context
from commands.grammar import check_text, clean
from commands.meetings import clip, label
from commands.registry import thread_reply
from commands.types import Reply
from store import meetings as store
from store.models import AgendaItem, OutboxMessage, ThreadReply

USAGE = "Reply in the agenda's thread with the item to add, e.g. `Update on the neglect strategy`."


def _record(ctx: Context, root: OutboxMessage, text: str, interpretation: str) -> None:
    ctx.session.add(
        ThreadReply(
            outbox_id=root.id,
            platform=ctx.inbound.platform,
            platform_user=ctx.inbound.user_id,
            member_id=ctx.actor.id,
            text=text,
            interpretation=interpretation,
            message_id=ctx.inbound.message_id,
            received_at=ctx.now,
        )
    )


@thread_reply("agenda")  # the agenda and the outcome summary posted in its thread
def handle_reply(ctx: Context, root: OutboxMessage) -> Reply | None:
    text = clean(ctx.inbound.text)
    if not text or text.startswith("/"):
        return None  # a command typed in the thread runs as a command
    meeting = (
        store.get(ctx.session, root.subject_id)
        if root.subject_type == "meeting" and root.subject_id
        else None
    )
    if meeting is None:
        return None
    if ctx.actor.id is None:
        # Someone outside the board: kept for the record, the agenda is unchanged.
        _record(ctx, root, clip(text, 1000), "ignored")
        return Reply(
            lines=["Thanks — only board members can add agenda items; your note is kept with the thread."],
            data={"ignored": True},
        )
    if meeting.starts_at <= ctx.now:
        _record(ctx, root, clip(text, 1000), "comment")
        return Reply(
            lines=[
                f"{label(meeting, ctx.tz)} has started, so this was kept as a comment, not an agenda item."
            ],
            data={"meeting_id": meeting.id},
        )
    text = check_text(text, "agenda item", USAGE)
    safeguard(ctx, text, USAGE)
    item = AgendaItem(
        meeting_id=meeting.id,
        text=text,
        added_by_id=ctx.actor.id,
        source=f"thread:{ctx.inbound.platform}",
        created_at=ctx.now,
    )
    ctx.session.add(item)
    ctx.session.flush()
    _record(ctx, root, text, "agenda_item")
    ctx.audit("agenda_item", item.id, "created", None, {"meeting_id": meeting.id, "text": text})
    return Reply(
        title="Added to the agenda",
        lines=[f"{label(meeting, ctx.tz)}: {clip(text)}"],
        data={"meeting_id": meeting.id, "agenda_item": item.id},
    )
