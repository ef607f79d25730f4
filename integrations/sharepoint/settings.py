"""SharePoint's slice of the settings: the site and library, the Entra app that reads them
(AZURE_*), and where Microsoft Graph is."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def is_loopback_url(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SharePointSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    site: str | None = Field(default=None, validation_alias="SHAREPOINT_SITE")
    library: str = Field(default="Documents", validation_alias="SHAREPOINT_LIBRARY")
    # Optional: the calendar whose events become meetings ("groups/<id>" or "users/<mailbox>").
    calendar: str | None = Field(default=None, validation_alias="SHAREPOINT_CALENDAR")
    azure_tenant_id: str | None = Field(default=None, validation_alias="AZURE_TENANT_ID")
    azure_client_id: str | None = Field(default=None, validation_alias="AZURE_CLIENT_ID")
    azure_client_secret: SecretStr | None = Field(default=None, validation_alias="AZURE_CLIENT_SECRET")
    graph_base_url: str = Field(default="https://graph.microsoft.com/v1.0", validation_alias="GRAPH_BASE_URL")
    graph_auth: str = Field(default="client_secret", validation_alias="GRAPH_AUTH")

    @property
    def enabled(self) -> bool:
        return bool(self.site)

    def secrets(self) -> list[SecretStr | None]:
        return [self.azure_client_secret]

    @model_validator(mode="after")
    def _check(self) -> SharePointSettings:
        if self.calendar and not self.calendar.startswith(("groups/", "users/")):
            raise ValueError(
                "SHAREPOINT_CALENDAR must be groups/<group id> or users/<mailbox>, e.g. users/qa@contoso.org"
            )
        if self.graph_auth not in ("client_secret", "none"):
            raise ValueError("GRAPH_AUTH must be client_secret or none")
        if self.graph_auth == "none" and self.site and not is_loopback_url(self.graph_base_url):
            raise ValueError(
                "GRAPH_AUTH=none is only allowed with a loopback GRAPH_BASE_URL (tests, emulators)"
            )
        return self
