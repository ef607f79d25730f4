"""`qabot run` with SLACK_APP_TOKEN: Slack over Socket Mode, no public URL needed.

Slack delivers every request over a WebSocket the bot opens, so a board can run the bot on
a machine behind its firewall. On the embedded SQLite default the clock runs in this process
too (with PostgreSQL, run `qabot clock` once per deployment instead).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("qabot.socket_mode")


def uses_embedded_database(rt: Runtime) -> bool:
    return rt.engine.dialect.name == "sqlite"


def run_socket_mode(rt: Runtime, stop: threading.Event | None = None) -> int:
    """Connect and serve until Ctrl+C, or until `stop` is set (from another thread). On the
    way out the WebSocket is closed, after-the-ack work is finished and the listener threads
    are shut down, so nothing this started keeps running."""
    from bot.scheduler import start_background
    from commands.errors import ConfigError
    from integrations.slack.connector import SlackConnector

    settings = rt.settings.slack
    if settings.slack_app_token is None:
        raise ConfigError("SLACK_APP_TOKEN is not set (Socket Mode needs an app-level token, xapp-…)")
    slack = SlackConnector(settings)
    scheduler = None
    try:
        print("QA Bot is connecting to Slack over Socket Mode. Press Ctrl+C to stop.", flush=True)
        slack.start(rt.core)  # raises ConfigError naming a refused token
        scheduler = start_background(rt) if uses_embedded_database(rt) else None
        (stop or threading.Event()).wait()  # Ctrl+C interrupts the wait in the main thread
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
        slack.stop()
    return 0
