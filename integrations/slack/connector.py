"""Slack as one connector: its settings, its sender, its route on the web app, its own Socket
Mode connection, and a check of its setup in words.

Slack is served one of two ways: by the web app (`mount`: POST /slack/events, signed with
SLACK_SIGNING_SECRET), or by a WebSocket the bot opens itself (`start`, when SLACK_APP_TOKEN
is set and the web app does not serve Slack). Building a connector is cheap: slack_sdk and
slack-bolt are imported only when it sends, mounts, starts or is checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands.errors import ConfigError
from integrations.connector import Health
from integrations.slack.settings import SlackSettings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from commands.outbound import Sender
    from commands.ports import CorePort
    from integrations.slack.app import SlackApp

# The statuses `qabot doctor` prints (bot/cli_doctor.py).
OK, FAIL, OFF = "ok", "FAIL", "off"

AUTH_HINTS = {
    "invalid_auth": "the token is not valid: check SLACK_BOT_TOKEN",
    "not_authed": "no token was sent: check SLACK_BOT_TOKEN",
    "account_inactive": "the app was uninstalled or its token revoked: "
    "reinstall it and update SLACK_BOT_TOKEN",
    "token_revoked": "the token was revoked: reinstall the app and update SLACK_BOT_TOKEN",
    "token_expired": "the token has expired: update SLACK_BOT_TOKEN",
}
DOCTOR_TIMEOUT = 10  # seconds for auth.test


def check_connection(settings: SlackSettings) -> tuple[str, str]:
    """(ok | FAIL | off, what was found): auth.test with the bot token, changing nothing."""
    if settings.slack_bot_token is None:
        return OFF, "not configured (SLACK_BOT_TOKEN is not set)."
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=DOCTOR_TIMEOUT,
    )
    try:
        resp = client.auth_test()
    except SlackApiError as e:
        err = e.response.get("error", "unknown_error") if e.response is not None else "unknown_error"
        hint = AUTH_HINTS.get(str(err), "check SLACK_BOT_TOKEN")
        return FAIL, f"Slack refused auth.test ({err}): {hint}."
    except Exception as e:
        return (
            FAIL,
            f"could not reach Slack at {settings.slack_api_url} ({type(e).__name__}): "
            "check SLACK_API_URL and the network.",
        )
    mode = "Socket Mode" if settings.socket_mode else "HTTP events"
    return OK, f"signed in to {resp.get('team')} as {resp.get('user')} ({mode})."


class SlackConnector:
    name = "slack"

    def __init__(self, settings: SlackSettings) -> None:
        self.settings = settings
        self._sender: Sender | None = None
        self._mounted = False
        self._socket: SocketModeHandler | None = None
        self._socket_app: SlackApp | None = None

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    def sender(self) -> Sender:
        if self._sender is None:
            from integrations.slack.sender import make_sender

            self._sender = make_sender(self.settings)
        return self._sender

    def mount(self, app: FastAPI, core: CorePort) -> None:
        """POST /slack/events on the web app (nothing when Slack is not configured). Raises
        ConfigError naming a missing or refused setting."""
        if not self.enabled:
            return
        from integrations.slack.web import mount

        mount(app, core, self.settings)
        self._mounted = True

    def start(self, core: CorePort) -> None:
        """Open the Socket Mode connection (SLACK_APP_TOKEN) unless the web app serves Slack;
        returns once connected. Raises ConfigError when Slack refuses a token."""
        if not self.enabled or self._mounted or self._socket is not None:
            return
        if self.settings.slack_app_token is None:
            return
        from slack_bolt.adapter.socket_mode import SocketModeHandler
        from slack_sdk.errors import SlackApiError

        from integrations.slack.app import build_app

        slack_app = build_app(core, self.settings, socket_mode=True)
        handler = SocketModeHandler(slack_app.app, app_token=self.settings.slack_app_token.get_secret_value())
        self._socket, self._socket_app = handler, slack_app
        try:
            handler.connect()  # type: ignore[no-untyped-call]  # slack-bolt leaves it unannotated
        except SlackApiError as e:
            self.stop()
            data = e.response.data
            code = data.get("error") if isinstance(data, dict) else None
            raise ConfigError(
                f"SLACK_APP_TOKEN was refused by Slack ({code or e.response.status_code}): use the app-level "
                "token (xapp-…) with the connections:write scope, from the app's Basic Information page"
            ) from None

    def stop(self) -> None:
        """Close the WebSocket, let the after-the-ack work finish, stop the listener threads."""
        handler, slack_app = self._socket, self._socket_app
        self._socket = self._socket_app = None
        if handler is not None:
            handler.close()  # type: ignore[no-untyped-call]
        if slack_app is not None:
            slack_app.close()

    def health(self) -> Health:
        """`qabot doctor`'s line: auth.test with the bot token (off when not configured)."""
        return Health(*check_connection(self.settings))

    def doctor(self) -> list[str]:
        """What is wrong with Slack's setup, in words that name the setting; empty when fine."""
        if not self.enabled:
            return []
        status, detail = check_connection(self.settings)
        return [detail] if status == FAIL else []
