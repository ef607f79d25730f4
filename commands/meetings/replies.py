"""Replies in the thread of an agenda (or of the outcome summary posted in it), read with the
shared vocabulary (commands/understanding/):

- apologies ("Apologies from me, I cannot make Thursday") are recorded as such and listed
  under Apologies on the agenda and the outcome summary;
- thanks and acknowledgements ("Thanks!", "👍") are recorded and answered with silence;
- a question that does not ask for an item is kept with the thread, and the person is told
  it did not become an agenda item;
- anything else that reads as an item becomes one;
- "undo" takes back the person's own last item or apologies in the meeting's threads.
"""

from __future__ import annotations

import re

from commands.common import safeguard
from commands.context import Context
from commands.grammar import check_text, clean
from commands.meetings import clip, label
from commands.registry import thread_reply
from commands.types import Reply
from commands.understanding import correction, read
from store import agenda as agenda_store
from store import meetings as store
from store.models import AgendaItem, Meeting, OutboxMessage, ThreadReply

USAGE = "Reply in the agenda's thread with the item to add, e.g. `Update on the neglect strategy`."
# A question that asks for an item is one ("Can we add the CSE dashboard?").
_ASKS_FOR_ITEM = re.compile(r"\b(?:add|discuss|agenda|item|cover|raise|update on|table)\b", re.I)


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
    if correction(ctx.inbound.text) == "undo":
        return _undo(ctx, root, meeting)
    intent = read(ctx.inbound.text).intent
    if intent == "ack":
        _record(ctx, root, clip(text, 1000), "ack")
        return Reply(data={"ignored": True, "interpretation": "ack", "meeting_id": meeting.id})
    if intent == "apology":
        return _apology(ctx, root, meeting, text)
    if meeting.starts_at <= ctx.now:
        _record(ctx, root, clip(text, 1000), "comment")
        return Reply(
            lines=[
                f"{label(meeting, ctx.tz)} has started, so this was kept as a comment, not an agenda item."
            ],
            data={"meeting_id": meeting.id},
        )
    if intent == "question" and not _ASKS_FOR_ITEM.search(text):
        safeguard(ctx, text, USAGE)
        _record(ctx, root, clip(text, 1000), "question")
        return Reply(
            lines=[
                "Recorded as a question, not an agenda item; the chair and the QA officer see this "
                "thread. To add an item, reply with it, e.g. “Update on the neglect strategy”."
            ],
            data={"meeting_id": meeting.id, "interpretation": "question"},
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


def _apology(ctx: Context, root: OutboxMessage, meeting: Meeting, text: str) -> Reply:
    safeguard(ctx, text, USAGE)
    already = any(handle == ctx.actor.handle for _, handle in agenda_store.apologies(ctx.session, meeting.id))
    _record(ctx, root, clip(text, 1000), "apology")
    ctx.session.flush()
    ctx.audit(
        "meeting", meeting.id, "apologies", None, {"member": ctx.actor.handle, "text": clip(text, 1000)}
    )
    return Reply(
        lines=[
            f"Recorded: apologies from {ctx.actor.name} (@{ctx.actor.handle}) for {label(meeting, ctx.tz)}"
            + (" (already noted)." if already else "; listed under Apologies on the agenda and the summary.")
        ],
        data={"meeting_id": meeting.id, "interpretation": "apology"},
    )


def _undo(ctx: Context, root: OutboxMessage, meeting: Meeting) -> Reply:
    assert ctx.actor.id is not None
    kinds = ("agenda_item", "apology")
    last = agenda_store.last_thread_reply_of(ctx.session, meeting.id, ctx.actor.id, kinds)
    _record(ctx, root, "undo", "correction")
    if last is None:
        return Reply(
            lines=[
                "There is no agenda item or apology of yours in this thread to undo; nothing has changed."
            ],
            data={"meeting_id": meeting.id, "interpretation": "correction"},
        )
    was, last.interpretation = last.interpretation, "undone"
    if was == "apology":
        # Said twice ("apologies again") is one apology: all of it is withdrawn.
        while (
            more := agenda_store.last_thread_reply_of(ctx.session, meeting.id, ctx.actor.id, ("apology",))
        ) is not None:
            more.interpretation = "undone"
            ctx.session.flush()
        ctx.audit("meeting", meeting.id, "apologies withdrawn", {"member": ctx.actor.handle}, None)
        said = f"your apologies for {label(meeting, ctx.tz)} are withdrawn."
    else:
        item = agenda_store.agenda_item_added_in_thread(ctx.session, meeting.id, ctx.actor.id, last.text)
        if item is not None:
            ctx.audit("agenda_item", item.id, "removed", {"meeting_id": meeting.id, "text": item.text}, None)
            ctx.session.delete(item)
        said = f"“{clip(last.text)}” is no longer on the agenda."
    ctx.session.flush()
    return Reply(
        title="Undone",
        lines=[said[0].upper() + said[1:]],
        data={"meeting_id": meeting.id, "interpretation": "correction"},
    )
