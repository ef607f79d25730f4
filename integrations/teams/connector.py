"""Teams as a Connector: POST /api/messages on the web app, proactive posts through the
Agents SDK, and a check that the Entra app can get a Bot Framework token.

Conversation references (where the bot may post on its own) are kept through the
ConversationStore port the wiring hands in. The Agents SDK is imported only when the sender
is built or the endpoint is mounted with Teams configured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from commands.ports import ConversationStore, CorePort
from integrations.connector import FAIL, OFF, OK, WARN, Health
from integrations.sharepoint.settings import SharePointSettings
from integrations.teams.settings import SDK_PREFIX, TeamsSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from commands.outbound import Sender

NO_GRAPH = (
    "A Section 11 workbook posted in an agency's thread cannot be read: Microsoft Graph "
    "is not set up (SHAREPOINT_SITE and AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET; "
    "the Entra app needs Files.Read.All or Sites.Read.All, and ChannelMessage.Read.All for one "
    "posted in a channel thread)."
)
# In a channel the bot's activity may not carry a posted file: it is found on Graph's copy of
# the message (integrations/teams/channel_files.py), which needs ChannelMessage.Read.All or the
# team's resource-specific consent ChannelMessage.Read.Group (the app manifest asks for it).
# That consent is the bot's Entra app's: it reaches Graph only when Graph is called as that app.
OTHER_APP = (
    "Microsoft Graph is called as the Entra app {graph} (AZURE_CLIENT_ID), not the bot's {bot}: "
    "the team's consent to the bot's ChannelMessage.Read.Group does not reach it, so a Section 11 "
    "workbook posted in a channel thread is read only if {graph} has ChannelMessage.Read.All "
    "(application, admin consent)."
)

# azure-identity's problems name the SharePoint variables; for Teams, name Teams' own.
_RENAMED = (
    ("AZURE_CLIENT_SECRET", SDK_PREFIX + "CLIENTSECRET"),
    ("AZURE_CLIENT_ID", SDK_PREFIX + "CLIENTID"),
    ("AZURE_TENANT_ID", SDK_PREFIX + "TENANTID"),
)


def check_credentials(settings: TeamsSettings) -> Health:
    """Can the configured Entra app get a Bot Framework token? Changes nothing."""
    if settings.client_id:
        if not settings.client_secret:
            return Health(FAIL, SDK_PREFIX + "CLIENTSECRET is not set.")
        from azure.identity import ClientSecretCredential

        from integrations.sharepoint.client import describe

        tenant = settings.tenant_id or "botframework.com"
        try:
            cred = ClientSecretCredential(
                tenant, settings.client_id, settings.client_secret.get_secret_value()
            )
            cred.get_token("https://api.botframework.com/.default")
        except Exception as e:
            msg = describe(e).message
            for graph_name, teams_name in _RENAMED:
                msg = msg.replace(graph_name, teams_name)
            return Health(FAIL, msg)
        if not settings.allowed_tenants:
            return Health(
                WARN,
                f"the Entra app {settings.client_id} can get a Bot Framework token, but no tenant is pinned: "
                "activities from any tenant are accepted. Set TEAMS_TENANT_IDS to the board's tenant id(s).",
            )
        return Health(OK, f"the Entra app {settings.client_id} can get a Bot Framework token.")
    if settings.allow_anonymous:
        return Health(
            WARN, "anonymous mode (TEAMS_ALLOW_ANONYMOUS): no token is checked; for local testing only."
        )
    return Health(OFF, "not configured.")


@dataclass
class TeamsConnector:
    settings: TeamsSettings
    conversations: ConversationStore
    bind_host: str  # where the web app listens (QABOT_HOST): anonymous mode needs loopback
    # Microsoft Graph (the SharePoint settings): reads workbooks posted in Section 11 threads.
    sharepoint: SharePointSettings | None = None
    name: str = "teams"
    _sender: Sender | None = field(default=None, repr=False)

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    def sender(self) -> Sender:
        if self._sender is None:
            from integrations.teams.sender import TeamsSender

            self._sender = TeamsSender(self.settings, self.conversations)
        return self._sender

    def mount(self, app: FastAPI, core: CorePort) -> None:
        # Mounted even when Teams is off: /api/messages then answers 401, never 404.
        from integrations.teams.web import mount

        mount(
            app, self.settings, core, self.conversations, bind_host=self.bind_host, sharepoint=self.sharepoint
        )

    def start(self, core: CorePort) -> None:
        """Nothing to open: Teams calls the web app."""

    def stop(self) -> None:
        """Nothing held open: each proactive post opens and closes its own session."""

    def health(self) -> Health:
        found = check_credentials(self.settings)
        if found.status not in (OK, WARN):
            return found
        if not (self.sharepoint is not None and self.sharepoint.enabled):
            return Health(WARN, f"{found.detail} {NO_GRAPH}")
        graph, bot = self.sharepoint.azure_client_id, self.settings.client_id
        if graph and bot and graph.lower() != bot.lower():
            return Health(WARN, f"{found.detail} {OTHER_APP.format(graph=graph, bot=bot)}")
        return found

    def doctor(self) -> list[str]:
        found = self.health()
        return [found.detail] if found.status == FAIL else []
