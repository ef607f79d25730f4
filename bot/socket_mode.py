"""`qabot run` with SLACK_APP_TOKEN: Slack over Socket Mode, no public URL needed.

Slack delivers every request over a WebSocket the bot opens, so a board can run the bot on
a machine behind its firewall. On the embedded SQLite default the clock runs in this process
too (with PostgreSQL, run `qabot clock` once per deployment instead).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("qabot.socket_mode")


def uses_embedded_database(rt: Runtime) -> bool:
    return rt.engine.dialect.name == "sqlite"


def run_socket_mode(rt: Runtime) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.scheduler import start_background
    from commands.errors import ConfigError
    from integrations.slack.app import build_app

    if rt.settings.slack_app_token is None:
        raise ConfigError("SLACK_APP_TOKEN is not set (Socket Mode needs an app-level token, xapp-…)")
    adapter = build_app(rt, socket_mode=True)
    handler = SocketModeHandler(adapter.app, app_token=rt.settings.slack_app_token.get_secret_value())
    scheduler = start_background(rt) if uses_embedded_database(rt) else None
    print("QA Bot is connecting to Slack over Socket Mode. Press Ctrl+C to stop.", flush=True)
    try:
        handler.start()  # blocks until interrupted
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
        handler.close()
        adapter.executor.wait_idle(timeout=10)
    return 0
