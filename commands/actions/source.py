"""The message an action was logged from was edited or deleted.

The action stays as it was logged: an edit or a deletion of the chat message is not a command,
and changing the record behind people's backs would surprise whoever owns it. The bot says so
in the message's thread and names the command that would change or close it.
"""

from __future__ import annotations

from commands.common import clip
from commands.context import Context
from commands.types import Reply
from store import audit, items


def source_changed(ctx: Context) -> Reply:
    """What to say in the thread of an edited or deleted message; an ignored reply when no
    action was logged from it."""
    action_id = audit.created_from(ctx.session, "action", ctx.source)
    action = items.get_action(ctx.session, action_id) if action_id is not None else None
    if action is None:
        return Reply(data={"ignored": True, "why": "no action was logged from this message"})
    ref = f"A-{action.id}"
    data = {"ref": ref, "change": ctx.inbound.change}
    if ctx.inbound.change == "deleted":
        if action.status == "open":
            line = f"The message was deleted; {ref} stays open — close it with /action done {ref}"
        else:
            line = f"The message was deleted; {ref} stays on record (it is already closed)."
    else:
        line = (
            f"This message was edited; {ref} still reads “{clip(action.text, 200)}” — "
            f"change it with /action update {ref} text …"
        )
    return Reply(lines=[line], visibility="channel", data=data)
