"""Acknowledged means stored: every Slack request the bot acts on is written to the core's
inbox (one row, keyed by Slack's delivery id) before Bolt acknowledges it, and worked from
there. Slack never resends an acknowledged slash command or interaction, so work kept only in
memory between the acknowledgement and the reply would be lost by any restart.

`stored_then_ack` is what every listener does before the acknowledgement (listeners.py then
hands the stored row on); `SlackWork` is the function the core calls with a stored delivery,
right after the acknowledgement or, after a restart or a crash, from the recovery pass
(bot/intake.py).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any, cast

from slack_bolt import Ack, BoltContext

from commands.intake import Received
from commands.ports import CorePort
from commands.types import Inbound, Reply
from integrations.slack import inbound as slack_in
from integrations.slack.events import Events
from integrations.slack.interactive import INBOX_ID, REASSIGNED, SUBMITTED, Interactions

log = logging.getLogger("qabot.slack")

PLATFORM = "slack"
# What is stored, by the kind of request (the listener it came in on). Form submissions
# (SUBMITTED, REASSIGNED) are stored by interactive.py with the reply they got.
COMMAND, SHORTCUT, BUTTON = "command", "shortcut", "button"
MESSAGE, MENTION, HOME, REACTION = "message", "mention", "home", "reaction"
EVENT_KINDS = (MESSAGE, MENTION, HOME, REACTION)
# The bot's own user id, kept with a stored event: whoever works it (maybe after a restart)
# must tell the bot's own messages and mentions of it apart without a Bolt context.
BOT_USER = "qabot_bot_user"


def delivery_key(kind: str, body: dict[str, Any]) -> str:
    """Slack's id for this delivery: a retry of it carries the same one. (A request without
    one, a shape Slack does not send, is stored under a key of its own.)"""
    found = body.get("event_id") if kind in EVENT_KINDS else body.get("trigger_id")
    return f"slack:{kind}:{found or uuid.uuid4().hex}"


def worth_storing(kind: str, body: dict[str, Any], bot_user: str | None) -> bool:
    """Events the bot will do nothing with (bots' messages, notices, other reactions) are
    acknowledged without a row (and logged at debug by `slack_in.not_read`'s reason)."""
    event = body.get("event") or {}
    if kind == MESSAGE:
        why_not = slack_in.not_read(event, bot_user)
        if why_not is not None:
            log.debug("Slack message %s in %s not read: %s", event.get("ts"), event.get("channel"), why_not)
        return why_not is None
    if kind == REACTION:
        return event.get("reaction") == "memo"
    return True


def accept(core: CorePort, kind: str, body: dict[str, Any], context: BoltContext) -> None:
    """Store the delivery (raises if it cannot be: then Slack is not acknowledged and the
    person sees Slack's own error, not a silence)."""
    if worth_storing(kind, body, context.bot_user_id):
        if kind in EVENT_KINDS:
            body[BOT_USER] = context.bot_user_id
        context[INBOX_ID] = core.accept(PLATFORM, kind, delivery_key(kind, body), body)


def stored_then_ack(core: CorePort, kind: str) -> Callable[..., None]:
    """A listener's first half: one INSERT, then the acknowledgement."""

    def store_then_ack(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        accept(core, kind, body, context)
        ack()

    store_then_ack.__name__ = f"store_{kind}_then_ack"
    return store_then_ack


class AnswerAgain:
    """The core as a delivery worked again sees it: a command the attempt that died had
    already stored comes back marked as a duplicate, which the listeners do not show (the
    person saw it, normally); here it was never seen, so it is shown."""

    def __init__(self, core: CorePort) -> None:
        self._core = core

    def __getattr__(self, name: str) -> Any:
        return getattr(self._core, name)

    def handle(self, inbound: Inbound) -> Reply:
        reply = self._core.handle(inbound)
        reply.data.pop("duplicate", None)
        return reply


class SlackWork:
    """Works one stored Slack delivery with the listeners' own code."""

    def __init__(self, interactions: Interactions, events: Events) -> None:
        self.interactions = interactions
        self.events = events
        # For events worked again (their own replay check is in the core's delivery keys).
        self.events_again = Events(cast(CorePort, AnswerAgain(events.core)), events.delivery)

    def __call__(self, received: Received) -> Reply | None:
        body = received.payload
        kind = received.kind
        events = self.events_again if received.recovered else self.events
        if kind == COMMAND:
            return self.interactions.on_command(body, received)
        if kind == SHORTCUT:
            return self.interactions.on_shortcut(body, received)
        if kind == BUTTON:
            return self.interactions.on_button(body, (body.get("actions") or [{}])[0], received)
        if kind in (SUBMITTED, REASSIGNED):
            return self.interactions.show_submitted(body, reassigned=kind == REASSIGNED)
        event = body.get("event") or {}
        bot_user = body.get(BOT_USER)
        if kind == MESSAGE:
            events.on_message(body, event, bot_user)
        elif kind == MENTION:
            events.on_mention(body, event, bot_user)
        elif kind == HOME:
            events.on_home(event)
        elif kind == REACTION:
            events.on_reaction(event, body)
        else:
            log.error("a stored Slack delivery of an unknown kind %r was not worked", kind)
        return None
