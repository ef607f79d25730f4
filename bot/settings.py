"""One Settings object, read from the environment and validated at start-up.

Tokens are SecretStr: they never appear in logs, reprs or replies.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from commands.errors import ConfigError
from integrations.slack.settings import SlackSettings


def is_loopback_url(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Store
    database_url: str = Field(default="sqlite:///qabot.db", validation_alias="QABOT_DATABASE_URL")
    log_level: str = Field(default="INFO", validation_alias="QABOT_LOG_LEVEL")

    # Slack
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")

    # Teams (the Agents SDK reads its own CONNECTIONS__* variables; these mirror them for checks)
    teams_client_id: str | None = Field(
        default=None, validation_alias=AliasChoices("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID")
    )
    teams_client_secret: SecretStr | None = Field(
        default=None, validation_alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET"
    )
    teams_tenant_id: str | None = Field(
        default=None, validation_alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID"
    )
    teams_allow_anonymous: bool = Field(default=False, validation_alias="TEAMS_ALLOW_ANONYMOUS")
    teams_bot_name: str = Field(default="QA Bot", validation_alias="TEAMS_BOT_NAME")
    # Where proactive posts go before the bot has seen any conversation (the public Teams service).
    teams_service_url: str = Field(
        default="https://smba.trafficmanager.net/teams/", validation_alias="TEAMS_SERVICE_URL"
    )
    # The public https address serving /api/messages (for the app package's validDomains).
    teams_public_url: str | None = Field(default=None, validation_alias="TEAMS_PUBLIC_URL")
    teams_app_version: str = Field(default="1.0.0", validation_alias="TEAMS_APP_VERSION")

    # SharePoint / Graph
    sharepoint_site: str | None = Field(default=None, validation_alias="SHAREPOINT_SITE")
    sharepoint_library: str = Field(default="Documents", validation_alias="SHAREPOINT_LIBRARY")
    azure_tenant_id: str | None = Field(default=None, validation_alias="AZURE_TENANT_ID")
    azure_client_id: str | None = Field(default=None, validation_alias="AZURE_CLIENT_ID")
    azure_client_secret: SecretStr | None = Field(default=None, validation_alias="AZURE_CLIENT_SECRET")
    graph_base_url: str = Field(default="https://graph.microsoft.com/v1.0", validation_alias="GRAPH_BASE_URL")
    graph_auth: str = Field(default="client_secret", validation_alias="GRAPH_AUTH")
    # Optional: the calendar whose events become meetings ("groups/<id>" or "users/<mailbox>").
    sharepoint_calendar: str | None = Field(default=None, validation_alias="SHAREPOINT_CALENDAR")

    # Web
    host: str = Field(default="127.0.0.1", validation_alias="QABOT_HOST")
    port: int = Field(default=3000, validation_alias=AliasChoices("PORT", "QABOT_PORT"))

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def slack(self) -> SlackSettings:
        """Slack's slice, as integrations/slack takes it (built from the fields above, not
        read from the environment again)."""
        return SlackSettings.model_validate(
            {
                "slack_bot_token": self.slack_bot_token,
                "slack_signing_secret": self.slack_signing_secret,
                "slack_app_token": self.slack_app_token,
                "slack_api_url": self.slack_api_url,
            }
        )

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_client_id) or self.teams_allow_anonymous

    @property
    def sharepoint_enabled(self) -> bool:
        return bool(self.sharepoint_site)

    @property
    def platforms(self) -> tuple[str, ...]:
        """Where the bot posts: the configured chat platforms, or the console when none is."""
        found = tuple(p for p, on in (("slack", self.slack_enabled), ("teams", self.teams_enabled)) if on)
        return found or ("console",)

    def secrets(self) -> list[str]:
        """Every configured secret's value (for tests that grep logs for leaks)."""
        vals = [
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.teams_client_secret,
            self.azure_client_secret,
        ]
        return [v.get_secret_value() for v in vals if v is not None and v.get_secret_value()]

    @model_validator(mode="after")
    def _check(self) -> Settings:
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
        if self.sharepoint_calendar and not self.sharepoint_calendar.startswith(("groups/", "users/")):
            raise ValueError(
                "SHAREPOINT_CALENDAR must be groups/<group id> or users/<mailbox>, e.g. users/qa@contoso.org"
            )
        if self.graph_auth not in ("client_secret", "none"):
            raise ValueError("GRAPH_AUTH must be client_secret or none")
        if self.graph_auth == "none" and self.sharepoint_site and not is_loopback_url(self.graph_base_url):
            raise ValueError(
                "GRAPH_AUTH=none is only allowed with a loopback GRAPH_BASE_URL (tests, emulators)"
            )
        return self


def load_settings() -> Settings:
    """Settings from the environment, or a ConfigError that names what is wrong."""
    try:
        return Settings()
    except ValidationError as e:
        problems = []
        for err in e.errors():
            name = ".".join(str(p) for p in err["loc"]) or "settings"
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {msg}" if name != "settings" else msg)
        raise ConfigError("Configuration problem: " + "; ".join(problems)) from None
