"""How late an answer to a stored Slack request is, and what that changes: a trigger_id
lasts 3 seconds (no form can be opened later), a response_url 30 minutes (later the answer goes
as an ephemeral or a direct message), and an answer worked after a restart says why it is late.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from commands.intake import RESPONSE_URL_LIFETIME, Received
from commands.ports import CorePort
from commands.types import Reply

# Slack's trigger_id opens a modal only within 3 seconds of the click or command.
TRIGGER_LIFETIME = timedelta(seconds=3)
# An answer later than this says why (the bot was restarting when it arrived).
LATE = timedelta(seconds=20)
TOO_LATE_FOR_FORM = (
    "I was restarting when you asked, and the form can no longer be opened. "
    "Nothing was changed: please ask again."
)
LATE_NOTE = "Sorry this answer is late: I was busy or restarting when your request arrived."


def trigger_expired(core: CorePort, received: Received | None) -> bool:
    return received is not None and received.age(core.clock.now()) > TRIGGER_LIFETIME


def answered_late(core: CorePort, reply: Reply, received: Received | None) -> Reply:
    """A reply to a delivery worked again after a restart: shown even when the command had
    already been stored by the attempt that died (the person never saw that answer), and
    saying why it is late."""
    if received is None:
        return reply
    if received.recovered and reply.data.get("duplicate"):
        reply = reply.model_copy(update={"data": {k: v for k, v in reply.data.items() if k != "duplicate"}})
    if received.age(core.clock.now()) > LATE and not reply.data.get("ignored"):
        reply = reply.model_copy(update={"lines": [*reply.lines, LATE_NOTE]})
    return reply


def live_response_url(core: CorePort, body: dict[str, Any], received: Received | None) -> str | None:
    """The response_url while Slack still takes it (30 minutes); after that the reply goes
    to the person as an ephemeral message or a direct message."""
    if received is not None and received.age(core.clock.now()) >= RESPONSE_URL_LIFETIME:
        return None
    url = body.get("response_url")
    return str(url) if url else None
