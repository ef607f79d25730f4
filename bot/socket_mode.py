"""`qabot run` with SLACK_APP_TOKEN: Slack over Socket Mode, no public URL needed.

Slack delivers every request over a WebSocket the bot opens, so a board can run the bot on
a machine behind its firewall. On the embedded SQLite default the clock runs in this process
too (with PostgreSQL, run `qabot clock` once per deployment instead).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger("qabot.socket_mode")


class _Connection(Protocol):
    """What this module uses of Bolt's SocketModeHandler (which leaves these untyped)."""

    def connect(self) -> None: ...

    def close(self) -> None: ...


def uses_embedded_database(rt: Runtime) -> bool:
    return rt.engine.dialect.name == "sqlite"


def run_socket_mode(rt: Runtime, stop: threading.Event | None = None) -> int:
    """Connect and serve until Ctrl+C, or until `stop` is set (from another thread). On the
    way out the WebSocket is closed, after-the-ack work is finished and the listener pools
    are shut down, so nothing this started keeps running."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    from bot.scheduler import start_background
    from commands.errors import ConfigError
    from integrations.slack.app import build_app

    if rt.settings.slack_app_token is None:
        raise ConfigError("SLACK_APP_TOKEN is not set (Socket Mode needs an app-level token, xapp-…)")
    adapter = build_app(rt, socket_mode=True)
    token = rt.settings.slack_app_token.get_secret_value()
    handler: _Connection = SocketModeHandler(adapter.app, app_token=token)
    scheduler = start_background(rt) if uses_embedded_database(rt) else None
    print("QA Bot is connecting to Slack over Socket Mode. Press Ctrl+C to stop.", flush=True)
    try:
        try:
            handler.connect()
        except SlackApiError as e:
            code = (e.response.data or {}).get("error") if isinstance(e.response.data, dict) else None
            raise ConfigError(
                f"SLACK_APP_TOKEN was refused by Slack ({code or e.response.status_code}): use the app-level "
                "token (xapp-…) with the connections:write scope, from the app's Basic Information page"
            ) from None
        (stop or threading.Event()).wait()  # Ctrl+C interrupts the wait in the main thread
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
        handler.close()
        adapter.executor.wait_idle(timeout=10)
        for pool in (adapter.executor, adapter.executor.then):
            if pool is not None:
                pool.shutdown(wait=True)
    return 0
