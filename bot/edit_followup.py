"""After `/qa redact` committed: make the edits it queued of the bot's own posts now, and add
to its reply what was edited, what could not be, and what is still being tried."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands import redaction_edits
from commands.types import Reply

if TYPE_CHECKING:
    from bot.core import AfterHook, BotCore


def edit_followup(core: BotCore) -> AfterHook:
    def hook(reply: Reply) -> Reply:
        edit_ids = reply.data.get("edits")
        if not isinstance(edit_ids, list) or not edit_ids:
            return reply
        core.send_queued()
        with core.sessions() as s:
            lines = redaction_edits.outcomes(s, [int(i) for i in edit_ids])
        return reply.model_copy(update={"lines": [*reply.lines, *lines]})

    return hook
