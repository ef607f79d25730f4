"""Which Slack request goes to which listener, and what is done before the acknowledgement.

Every listener runs on the request's own thread (the App has `process_before_response=True`):
it stores the delivery in the core's inbox (one INSERT) and acknowledges, so Slack has its
answer within milliseconds however busy the bot is, and an acknowledged request is a stored
one; then it hands the stored row's id to the App's listener executor, which works it
(`then_work`; intake.py). The one exception is a modal submission: Slack only accepts field
errors in the acknowledgement, so its listener runs the command first (a few milliseconds, no
Slack API call) and stores the reply to show.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse

from commands.ports import CorePort
from integrations.slack import intake, modals, s11_form
from integrations.slack.interactive import INBOX_ID, SHORTCUT_ACTION, SHORTCUT_FINDING, Interactions
from integrations.slack.render import ACTION_PREFIX
from integrations.slack.s11_form import S11FormSubmissions

log = logging.getLogger("qabot.slack")

# The slash commands the manifest declares (manifest.yml); one listener takes them all.
COMMANDS = ("/action", "/finding", "/qa", "/s11", "/docs", "/review", "/kpi")
COMMAND_NAMES = re.compile("^(" + "|".join(re.escape(c) for c in COMMANDS) + ")$")
# The Events API subscriptions (manifest.yml bot_events; message.channels, .groups and .im
# all arrive as "message"), one listener each, registered in this order in `register`.
EVENTS = ("message", "app_mention", "app_home_opened", "reaction_added")
BUTTONS = re.compile("^" + re.escape(ACTION_PREFIX))

__all__ = ["COMMANDS", "EVENTS", "SHORTCUT_ACTION", "SHORTCUT_FINDING", "register"]


def then_work(ack_half: Callable[..., None], core: CorePort, executor: Executor) -> Callable[..., None]:
    """The ack half, then its stored delivery handed to the listener executor to be worked.

    Bolt's own `lazy=` listeners would do the same, but first deep-copy the whole request for
    each one, on the acknowledgement's thread: the work needs only the stored row's id.
    `wraps` keeps the name and arguments Bolt injects by (every ack half takes `context`)."""

    @functools.wraps(ack_half)
    def ack_then_work(**kwargs: Any) -> None:
        ack_half(**kwargs)
        inbox_id = kwargs["context"].get(INBOX_ID)
        if isinstance(inbox_id, int):  # a retry stored nothing: no work
            executor.submit(work_logged, core, inbox_id)

    return ack_then_work


def work_logged(core: CorePort, inbox_id: int) -> None:
    """Work one stored delivery; a failure is logged with its traceback (the inbox keeps the
    row for the recovery pass)."""
    try:
        core.work(inbox_id)
    except Exception:
        log.exception("the Slack delivery stored as inbox %s failed after its acknowledgement", inbox_id)


def register(app: App, core: CorePort, interactions: Interactions, executor: Executor) -> None:
    def on(route: Callable[..., Any], ack_half: Callable[..., None]) -> None:
        """Stored and acknowledged before the response, worked after."""
        route(then_work(ack_half, core, executor))

    def stored(kind: str) -> Callable[..., None]:
        return intake.stored_then_ack(core, kind)

    on(app.command(COMMAND_NAMES), stored(intake.COMMAND))
    on(app.shortcut(SHORTCUT_ACTION), stored(intake.SHORTCUT))
    on(app.shortcut(SHORTCUT_FINDING), stored(intake.SHORTCUT))
    on(app.action(BUTTONS), stored(intake.BUTTON))
    for callback_id in (modals.ADD_ACTION, modals.ADD_FINDING):
        on(app.view(callback_id), interactions.submit_add)
    on(app.view(modals.REASSIGN), interactions.submit_reassign)
    on(app.view(s11_form.CALLBACK), S11FormSubmissions(interactions).submit)

    kinds = (intake.MESSAGE, intake.MENTION, intake.HOME, intake.REACTION)
    for name, kind in zip(EVENTS, kinds, strict=True):
        on(app.event(name), stored(kind))

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        log.error(
            "Slack listener failed (%s) on a %s request",
            type(error).__name__,
            body.get("type"),
            exc_info=error,
        )
        return None
