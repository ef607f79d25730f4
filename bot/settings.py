"""One Settings object, read from the environment and validated at start-up.

Each platform owns its slice (integrations/<platform>/settings.py); Settings composes them
as `settings.slack`, `settings.teams`, `settings.sharepoint`, and keeps the store and web
settings itself. The environment variable names are the slices' own (SLACK_BOT_TOKEN,
SHAREPOINT_SITE, ...): `Settings(SLACK_BOT_TOKEN=..., _env_file=None)` routes each flat
name to its slice, so callers never spell the nesting.

Tokens are SecretStr: they never appear in logs, reprs or replies.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from commands.errors import ConfigError
from integrations.sharepoint.settings import SharePointSettings, is_loopback_url
from integrations.slack.settings import SlackSettings
from integrations.teams.settings import TeamsSettings

__all__ = ["Settings", "is_loopback_url", "load_settings"]

# Slice field name -> its model. Order matters only for which problem is named first.
SLICES: dict[str, type[BaseSettings]] = {
    "slack": SlackSettings,
    "teams": TeamsSettings,
    "sharepoint": SharePointSettings,
}


def _env_names(model: type[BaseSettings]) -> set[str]:
    names: set[str] = set()
    for field in model.model_fields.values():
        alias = field.validation_alias
        if isinstance(alias, str):
            names.add(alias)
        elif isinstance(alias, AliasChoices):
            names.update(str(c) for c in alias.choices)
    return names


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Store
    database_url: str = Field(default="sqlite:///qabot.db", validation_alias="QABOT_DATABASE_URL")
    log_level: str = Field(default="INFO", validation_alias="QABOT_LOG_LEVEL")

    # Web
    host: str = Field(default="127.0.0.1", validation_alias="QABOT_HOST")
    port: int = Field(default=3000, validation_alias=AliasChoices("PORT", "QABOT_PORT"))
    # How long a request's line and headers, then its body, may take to arrive before the web
    # app answers 408 and closes the connection (bot/http_timeouts.py: slow clients).
    header_timeout_seconds: float = Field(default=10.0, gt=0, validation_alias="QABOT_HEADER_TIMEOUT_SECONDS")
    body_timeout_seconds: float = Field(default=15.0, gt=0, validation_alias="QABOT_BODY_TIMEOUT_SECONDS")

    # The inbox (bot/intake.py): how long a worker holds a delivery before another process
    # may finish it, and how often deliveries left unfinished are looked for.
    inbox_lease_seconds: float = Field(default=60.0, gt=0, validation_alias="QABOT_INBOX_LEASE_SECONDS")
    inbox_recover_seconds: float = Field(default=15.0, gt=0, validation_alias="QABOT_INBOX_RECOVER_SECONDS")

    # The platforms' slices (each reads its own variables)
    slack: SlackSettings
    teams: TeamsSettings
    sharepoint: SharePointSettings

    def __init__(self, **values: Any) -> None:
        # Each slice is a BaseSettings of its own: it reads the environment and the same
        # .env file, and takes the flat keyword arguments that are its variables.
        env_file = {"_env_file": values["_env_file"]} if "_env_file" in values else {}
        for name, model in SLICES.items():
            if name not in values:
                mine = {k: values.pop(k) for k in _env_names(model) if k in values}
                values[name] = model(**env_file, **mine)
        super().__init__(**values)

    @property
    def slack_enabled(self) -> bool:
        return self.slack.enabled

    @property
    def teams_enabled(self) -> bool:
        return self.teams.enabled

    @property
    def sharepoint_enabled(self) -> bool:
        return self.sharepoint.enabled

    @property
    def platforms(self) -> tuple[str, ...]:
        """Where the bot posts: the configured chat platforms, or the console when none is."""
        found = tuple(p for p, on in (("slack", self.slack_enabled), ("teams", self.teams_enabled)) if on)
        return found or ("console",)

    def secrets(self) -> list[str]:
        """Every configured secret's value (for tests that grep logs for leaks)."""
        vals: list[SecretStr | None] = [
            *self.slack.secrets(),
            *self.teams.secrets(),
            *self.sharepoint.secrets(),
        ]
        return [v.get_secret_value() for v in vals if v is not None and v.get_secret_value()]


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
