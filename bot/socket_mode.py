"""`qabot run` with SLACK_APP_TOKEN: Slack over Socket Mode, no public URL needed.

Slack delivers every request over a WebSocket the bot opens, so a board can run the bot on
a machine behind its firewall. No web app is served: each configured connector is started
(Slack's `start` opens the WebSocket) and stopped on the way out. On the embedded SQLite
default the clock runs in this process too (with PostgreSQL, run `qabot clock` once per
deployment instead).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from integrations.connector import Lifecycle

log = logging.getLogger("qabot.socket_mode")


def uses_embedded_database(rt: Runtime) -> bool:
    return rt.engine.dialect.name == "sqlite"


def run_socket_mode(rt: Runtime, stop: threading.Event | None = None) -> int:
    """Connect and serve until Ctrl+C, or until `stop` is set (from another thread). On the
    way out every connector is stopped (Slack closes the WebSocket, finishes after-the-ack
    work and shuts its listener pools down), so nothing this started keeps running."""
    from bot.scheduler import start_background
    from commands.errors import ConfigError

    if rt.settings.slack.slack_app_token is None:
        raise ConfigError("SLACK_APP_TOKEN is not set (Socket Mode needs an app-level token, xapp-…)")
    scheduler = start_background(rt) if uses_embedded_database(rt) else None
    print("QA Bot is connecting to Slack over Socket Mode. Press Ctrl+C to stop.", flush=True)
    started: list[Lifecycle] = []
    try:
        for connector in rt.connectors.enabled():
            started.append(connector)  # stopped even when its start fails half-way
            connector.start(rt.core)
        rt.core.intake.start()  # finish what a previous process left unanswered
        (stop or threading.Event()).wait()  # Ctrl+C interrupts the wait in the main thread
    except KeyboardInterrupt:
        pass
    finally:
        rt.core.intake.stop()
        if scheduler is not None:
            scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
        for connector in reversed(started):
            connector.stop()
    return 0
