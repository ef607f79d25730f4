"""Teams' slice of the settings. The Agents SDK reads its own CONNECTIONS__* variables; the
three here mirror them so the bot can check them and fill in the SDK's configuration."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SDK_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


class TeamsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    client_id: str | None = Field(default=None, validation_alias=SDK_PREFIX + "CLIENTID")
    client_secret: SecretStr | None = Field(default=None, validation_alias=SDK_PREFIX + "CLIENTSECRET")
    tenant_id: str | None = Field(default=None, validation_alias=SDK_PREFIX + "TENANTID")
    allow_anonymous: bool = Field(default=False, validation_alias="TEAMS_ALLOW_ANONYMOUS")
    bot_name: str = Field(default="QA Bot", validation_alias="TEAMS_BOT_NAME")
    # Where proactive posts go before the bot has seen any conversation (the public Teams service).
    service_url: str = Field(
        default="https://smba.trafficmanager.net/teams/", validation_alias="TEAMS_SERVICE_URL"
    )
    # The public https address serving /api/messages (for the app package's validDomains).
    public_url: str | None = Field(default=None, validation_alias="TEAMS_PUBLIC_URL")
    app_version: str = Field(default="1.0.0", validation_alias="TEAMS_APP_VERSION")
    # The Microsoft Entra tenants whose Teams may talk to the bot (comma-separated); by
    # default the connection's TENANTID. An activity from any other tenant is refused (403).
    tenant_ids: str | None = Field(default=None, validation_alias="TEAMS_TENANT_IDS")
    # Where the signing keys of Bot Connector tokens are published; the SDK's built-in
    # Bot Framework address when unset (set it for a sovereign cloud).
    openid_metadata: str | None = Field(default=None, validation_alias="TEAMS_OPENID_METADATA")

    @property
    def enabled(self) -> bool:
        return bool(self.client_id) or self.allow_anonymous

    @property
    def allowed_tenants(self) -> frozenset[str]:
        named = (self.tenant_ids or "").replace(",", " ").split()
        if not named and self.tenant_id and self.tenant_id.lower() not in ("common", "organizations"):
            named = [self.tenant_id]
        return frozenset(t.lower() for t in named)

    def secrets(self) -> list[SecretStr | None]:
        return [self.client_secret]
