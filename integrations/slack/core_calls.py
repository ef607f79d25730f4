"""What the Slack listeners ask of the core, beyond one command's reply.

Everything goes through the CorePort the wiring handed in: this package never opens a
database session and never imports `bot`.
"""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel

from commands.ports import CorePort
from commands.types import Inbound, Reply
from integrations.slack import inbound as slack_in

log = logging.getLogger("qabot.slack")

PLATFORM = "slack"


def run(core: CorePort, inbound: Inbound) -> Reply:
    """Run a command. Posts it queued (e.g. a Section 11 launch) go out now, not at the next
    tick; if that fails the clock sends them later, and the person still gets the reply."""
    return _sent_on(core, core.handle(inbound))


def run_request(core: CorePort, inbound: Inbound, request: BaseModel) -> Reply:
    """Run a form's typed request (a modal), as `run` runs a typed line."""
    return _sent_on(core, core.handle_request(inbound, request))


def _sent_on(core: CorePort, reply: Reply) -> Reply:
    if reply.data.get("queued") and not reply.data.get("duplicate"):
        try:
            core.send_queued()
        except Exception:
            log.exception("outbox dispatch after a Slack command failed; the clock will retry")
    return reply


def is_member(core: CorePort, user_id: str) -> bool:
    return core.member(PLATFORM, user_id) is not None


def qa_channel(core: CorePort) -> str | None:
    return core.channel_of(PLATFORM, "qa")


def handles_for(core: CorePort, text: str) -> str:
    """Slack mentions in a message as @handles, for prefilling a modal."""
    names: dict[str, str] = {}
    for uid in slack_in.mentioned_ids(text):
        if uid not in names:
            found = core.member(PLATFORM, uid)
            names[uid] = f"@{found.handle}" if found else "@someone"
    plain = slack_in.unslack(text)
    return re.sub(r"<@([A-Z0-9]+)>", lambda m: names.get(m.group(1), "@someone"), plain)
