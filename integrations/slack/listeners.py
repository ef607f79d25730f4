"""Which Slack request goes to which listener, and what is done before the acknowledgement.

Every listener is registered as Bolt's ack/lazy pair: the `ack=` function runs on the
request's own thread (the App has `process_before_response=True`) and only acknowledges,
so Slack has its answer within milliseconds however busy the bot is; the `lazy=` functions
run afterwards on the App's listener executor. The one exception is a modal submission:
Slack only accepts field errors in the acknowledgement, so its ack function runs the command
first (a few milliseconds) and its lazy function shows the reply.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltResponse

from integrations.slack import modals
from integrations.slack.events import Events
from integrations.slack.interactive import SHORTCUT_ACTION, SHORTCUT_FINDING, Interactions
from integrations.slack.render import ACTION_PREFIX

log = logging.getLogger("qabot.slack")

# The slash commands the manifest declares (manifest.yml); one listener takes them all.
COMMANDS = ("/action", "/finding", "/qa", "/s11", "/docs")
COMMAND_NAMES = re.compile("^(" + "|".join(re.escape(c) for c in COMMANDS) + ")$")
# The Events API subscriptions (manifest.yml bot_events; message.channels, .groups and .im
# all arrive as "message"), one listener each, registered in this order in `register`.
EVENTS = ("message", "app_mention", "app_home_opened", "reaction_added")
BUTTONS = re.compile("^" + re.escape(ACTION_PREFIX))

__all__ = ["COMMANDS", "EVENTS", "SHORTCUT_ACTION", "SHORTCUT_FINDING", "register"]


def acknowledge(ack: Ack) -> None:
    """Acknowledge at once: everything else happens in the lazy listeners."""
    ack()


def after_ack(work: Callable[..., None]) -> Callable[..., None]:
    """A lazy listener whose failure is logged with its traceback (Bolt's lazy runner logs
    one line without it). `wraps` keeps the name and arguments Bolt injects by."""

    @functools.wraps(work)
    def lazily(*args: Any, **kwargs: Any) -> None:
        try:
            work(*args, **kwargs)
        except Exception:
            log.exception("a Slack listener (%s) failed after its acknowledgement", work.__name__)

    return lazily


def register(app: App, interactions: Interactions, events: Events) -> None:
    def on(
        route: Callable[..., Any], *work: Callable[..., None], ack: Callable[..., None] = acknowledge
    ) -> None:
        """Bolt's ack/lazy pair: `ack` before the response, `work` after it."""
        route(ack=ack, lazy=[after_ack(f) for f in work])

    on(app.command(COMMAND_NAMES), interactions.on_command)
    on(app.shortcut(SHORTCUT_ACTION), interactions.on_shortcut)
    on(app.shortcut(SHORTCUT_FINDING), interactions.on_shortcut)
    on(app.action(BUTTONS), interactions.on_button)
    for callback_id in (modals.ADD_ACTION, modals.ADD_FINDING):
        on(app.view(callback_id), interactions.show_add_submitted, ack=interactions.submit_add)
    on(app.view(modals.REASSIGN), interactions.show_reassigned, ack=interactions.submit_reassign)

    event_work: tuple[Callable[..., None], ...] = (
        events.on_message,
        events.on_mention,
        events.on_home,
        events.on_reaction,
    )
    for name, work in zip(EVENTS, event_work, strict=True):
        on(app.event(name), work)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        log.error(
            "Slack listener failed (%s) on a %s request",
            type(error).__name__,
            body.get("type"),
            exc_info=error,
        )
        return None
