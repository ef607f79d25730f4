"""Which Slack request goes to which listener, and what is done before the acknowledgement.

Every listener is registered as Bolt's ack/lazy pair: the `ack=` function runs on the
request's own thread (the App has `process_before_response=True`), stores the delivery in the
core's inbox (one INSERT) and acknowledges, so Slack has its answer within milliseconds however
busy the bot is, and an acknowledged request is a stored one; the `lazy=` function then works
the stored delivery on the App's listener executor (intake.py). The one exception is a modal
submission: Slack only accepts field errors in the acknowledgement, so its ack function runs
the command first (a few milliseconds, no Slack API call) and stores the reply to show.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from commands.ports import CorePort
from integrations.slack import intake, modals
from integrations.slack.interactive import SHORTCUT_ACTION, SHORTCUT_FINDING, Interactions
from integrations.slack.render import ACTION_PREFIX

log = logging.getLogger("qabot.slack")

# The slash commands the manifest declares (manifest.yml); one listener takes them all.
COMMANDS = ("/action", "/finding", "/qa", "/s11", "/docs", "/review", "/kpi")
COMMAND_NAMES = re.compile("^(" + "|".join(re.escape(c) for c in COMMANDS) + ")$")
# The Events API subscriptions (manifest.yml bot_events; message.channels, .groups and .im
# all arrive as "message"), one listener each, registered in this order in `register`.
EVENTS = ("message", "app_mention", "app_home_opened", "reaction_added")
BUTTONS = re.compile("^" + re.escape(ACTION_PREFIX))

__all__ = ["COMMANDS", "EVENTS", "SHORTCUT_ACTION", "SHORTCUT_FINDING", "register"]


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


def register(app: App, core: CorePort, interactions: Interactions) -> None:
    work = after_ack(intake.work_stored(core))

    def on(route: Callable[..., Any], kind: str) -> None:
        """Bolt's ack/lazy pair: stored and acknowledged before the response, worked after."""
        route(ack=intake.stored_then_ack(core, kind), lazy=[work])

    on(app.command(COMMAND_NAMES), intake.COMMAND)
    on(app.shortcut(SHORTCUT_ACTION), intake.SHORTCUT)
    on(app.shortcut(SHORTCUT_FINDING), intake.SHORTCUT)
    on(app.action(BUTTONS), intake.BUTTON)
    for callback_id in (modals.ADD_ACTION, modals.ADD_FINDING):
        app.view(callback_id)(ack=interactions.submit_add, lazy=[work])
    app.view(modals.REASSIGN)(ack=interactions.submit_reassign, lazy=[work])

    kinds = (intake.MESSAGE, intake.MENTION, intake.HOME, intake.REACTION)
    for name, kind in zip(EVENTS, kinds, strict=True):
        on(app.event(name), kind)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        log.error(
            "Slack listener failed (%s) on a %s request",
            type(error).__name__,
            body.get("type"),
            exc_info=error,
        )
        return None
