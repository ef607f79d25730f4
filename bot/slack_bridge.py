"""TEMPORARY: Slack as a Connector over today's integrations/slack, until the Slack branch's
integrations.slack.connector.SlackConnector replaces it (bot/connectors.py builds it in one
place). It lives in bot/ because integrations/slack still takes the whole Runtime.

Slack is served one of two ways: by the web app (mounted on POST /slack/events), or by its
own Socket Mode connection (`start`, when SLACK_APP_TOKEN is set and it was not mounted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from integrations.connector import FAIL, OFF, OK, Health

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.runtime import Runtime
    from commands.outbound import Sender
    from commands.ports import CorePort
    from integrations.slack.settings import SlackSettings

_HINTS = {
    "invalid_auth": "the token is not valid: check SLACK_BOT_TOKEN",
    "not_authed": "no token was sent: check SLACK_BOT_TOKEN",
    "account_inactive": "the app was uninstalled or its token revoked: "
    "reinstall it and update SLACK_BOT_TOKEN",
    "token_revoked": "the token was revoked: reinstall the app and update SLACK_BOT_TOKEN",
    "token_expired": "the token has expired: update SLACK_BOT_TOKEN",
}


def check_auth(settings: SlackSettings) -> Health:
    """auth.test with the bot token, changing nothing."""
    if not settings.enabled:
        return Health(OFF, "not configured (SLACK_BOT_TOKEN is not set).")
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    assert settings.slack_bot_token is not None
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url, timeout=10
    )
    try:
        resp = client.auth_test()
    except SlackApiError as e:
        err = e.response.get("error", "unknown_error") if e.response is not None else "unknown_error"
        return Health(
            FAIL, f"Slack refused auth.test ({err}): {_HINTS.get(str(err), 'check SLACK_BOT_TOKEN')}."
        )
    except Exception as e:
        return Health(
            FAIL,
            f"could not reach Slack at {settings.slack_api_url} ({type(e).__name__}): "
            "check SLACK_API_URL and the network.",
        )
    mode = "Socket Mode" if settings.slack_app_token else "HTTP events"
    return Health(OK, f"signed in to {resp.get('team')} as {resp.get('user')} ({mode}).")


@dataclass
class SlackBridge:
    settings: SlackSettings
    runtime: Callable[[], Runtime]  # integrations/slack still wants the Runtime
    name: str = "slack"
    _sender: Sender | None = field(default=None, repr=False)
    _mounted: bool = field(default=False, repr=False)
    _handler: Any = field(default=None, repr=False)
    _adapter: Any = field(default=None, repr=False)

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    def sender(self) -> Sender:
        if self._sender is None:
            from integrations.slack.sender import make_sender

            self._sender = make_sender(self.runtime().settings)
        return self._sender

    def mount(self, app: FastAPI, core: CorePort) -> None:
        if not self.enabled:
            return
        from integrations.slack.web import mount

        mount(app, self.runtime())
        self._mounted = True

    def start(self, core: CorePort) -> None:
        """Open Socket Mode (SLACK_APP_TOKEN) unless the web app serves Slack. Raises
        ConfigError when Slack refuses the app-level token."""
        if not self.enabled or self._mounted or self.settings.slack_app_token is None:
            return
        from slack_bolt.adapter.socket_mode import SocketModeHandler
        from slack_sdk.errors import SlackApiError

        from commands.errors import ConfigError
        from integrations.slack.app import build_app

        self._adapter = build_app(self.runtime(), socket_mode=True)
        token = self.settings.slack_app_token.get_secret_value()
        self._handler = SocketModeHandler(self._adapter.app, app_token=token)
        try:
            self._handler.connect()
        except SlackApiError as e:
            data = e.response.data
            code = (data or {}).get("error") if isinstance(data, dict) else None
            raise ConfigError(
                f"SLACK_APP_TOKEN was refused by Slack ({code or e.response.status_code}): use the app-level "
                "token (xapp-…) with the connections:write scope, from the app's Basic Information page"
            ) from None

    def stop(self) -> None:
        """Close the WebSocket, finish after-the-ack work, shut the listener pools down."""
        handler, adapter, self._handler, self._adapter = self._handler, self._adapter, None, None
        if handler is not None:
            handler.close()
        if adapter is not None:
            adapter.executor.wait_idle(timeout=10)
            for pool in (adapter.executor, adapter.executor.then):
                if pool is not None:
                    pool.shutdown(wait=True)

    def health(self) -> Health:
        return check_auth(self.settings)

    def doctor(self) -> list[str]:
        found = self.health()
        return [found.detail] if found.status == FAIL else []
