"""The message an action (or a finding) was logged from was edited or deleted.

What was logged stays as it was: an edit or a deletion of the chat message is not a command,
and changing the record behind people's backs would surprise whoever owns it. The bot says so
in the message's thread and names the command that would change or close it.
"""

from __future__ import annotations

from commands.common import clip
from commands.context import Context
from commands.policy import BOARD
from commands.types import Reply
from store import audit, items


def source_changed(ctx: Context) -> Reply:
    """What to say in the thread of an edited or deleted message; an ignored reply when
    nothing was logged from it. Read as the board: the item was logged from this very message,
    in this thread, so the answer shows nothing that was not already there."""
    deleted = ctx.inbound.change == "deleted"
    action_id = audit.created_from(ctx.session, "action", ctx.source)
    action = items.get_action(ctx.session, action_id, BOARD) if action_id is not None else None
    if action is not None:
        ref = f"A-{action.id}"
        if deleted and action.status == "open":
            line = f"The message was deleted; {ref} stays open — close it with /action done {ref}"
        elif deleted:
            line = f"The message was deleted; {ref} stays on record (it is already closed)."
        else:
            line = (
                f"This message was edited; {ref} still reads “{clip(action.text, 200)}” — "
                f"change it with /action update {ref} text …"
            )
        return Reply(lines=[line], visibility="channel", data={"ref": ref, "change": ctx.inbound.change})
    finding_id = audit.created_from(ctx.session, "finding", ctx.source)
    finding = items.get_finding(ctx.session, finding_id, BOARD) if finding_id is not None else None
    if finding is not None:
        ref = f"F-{finding.id}"
        if deleted:
            line = f"The message was deleted; {ref} stays on record — see /finding show {ref}"
        else:
            line = (
                f"This message was edited; {ref} is kept as recorded: “{clip(finding.text, 200)}” — "
                f"see /finding show {ref}"
            )
        return Reply(lines=[line], visibility="channel", data={"ref": ref, "change": ctx.inbound.change})
    return Reply(data={"ignored": True})
