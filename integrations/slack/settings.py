"""Slack's slice of the settings: the bot token, the signing secret, the app-level token (Socket
Mode) and the Web API address, read from the same environment variables as ever.

Tokens are SecretStr: they never appear in logs, reprs or replies. The messages name the
environment variable, so a ConfigError built from them tells an admin what to fix.
"""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL = "https://slack.com/api/"


class SlackSettings(BaseSettings):
    # populate_by_name: the wiring can build it from field names (e.g. out of a larger
    # Settings) without the environment being read again.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=DEFAULT_API_URL, validation_alias="SLACK_API_URL")

    @property
    def enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def socket_mode(self) -> bool:
        """Slack delivers requests over a WebSocket the bot opens (no public URL needed)."""
        return self.slack_app_token is not None

    def secrets(self) -> list[SecretStr | None]:
        """Every secret of this slice, set or not (Settings.secrets() gathers the values)."""
        return [self.slack_bot_token, self.slack_signing_secret, self.slack_app_token]

    @model_validator(mode="after")
    def _check(self) -> SlackSettings:
        if self.slack_bot_token is not None:
            tok = self.slack_bot_token.get_secret_value()
            if not tok.startswith(("xoxb-", "xoxe.xoxb-")):
                raise ValueError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
            if self.slack_signing_secret is None and self.slack_app_token is None:
                raise ValueError(
                    "SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set "
                    "(or SLACK_APP_TOKEN for Socket Mode)"
                )
        if self.slack_app_token is not None and not self.slack_app_token.get_secret_value().startswith(
            "xapp-"
        ):
            raise ValueError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        if not self.slack_api_url.startswith(("http://", "https://")):
            raise ValueError("SLACK_API_URL must be an http(s) URL")
        if not self.slack_api_url.endswith("/"):
            self.slack_api_url += "/"
        return self
