"""The Agents SDK's settings and the activities the bot sends, shared by the turn handlers
(app.py) and the outbox sender (sender.py).

The SDK's connection settings come from the environment (CONNECTIONS__SERVICE_CONNECTION__
SETTINGS__*), completed from TeamsSettings; TEAMS_ALLOW_ANONYMOUS=true becomes the SDK's own
ANONYMOUS_ALLOWED.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment, load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager

from commands.types import Reply
from integrations.teams import cards
from integrations.teams.settings import SDK_PREFIX as PREFIX
from integrations.teams.settings import TeamsSettings


def sdk_environment(settings: TeamsSettings, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The CONNECTIONS__* variables the SDK reads, with the ones the settings know filled in."""
    env = {k: v for k, v in (environ if environ is not None else os.environ).items()}
    out = {k: v for k, v in env.items() if k.startswith(("CONNECTIONS__", "CONNECTIONSMAP__"))}
    if settings.client_id:
        out[PREFIX + "CLIENTID"] = settings.client_id
    if settings.client_secret is not None:
        out[PREFIX + "CLIENTSECRET"] = settings.client_secret.get_secret_value()
    if settings.tenant_id:
        out[PREFIX + "TENANTID"] = settings.tenant_id
    out[PREFIX + "ANONYMOUS_ALLOWED"] = "true" if settings.allow_anonymous else "false"
    return out


def connection_manager(settings: TeamsSettings) -> MsalConnectionManager:
    config = load_configuration_from_env(sdk_environment(settings))
    return MsalConnectionManager(**config)


def activity_json(activity: Activity) -> dict[str, Any]:
    """The activity as Teams sent it (camelCase JSON)."""
    data: dict[str, Any] = activity.model_dump(by_alias=True, mode="json", exclude_none=True)
    return data


def message(reply: Reply, people: cards.People | None = None) -> Activity:
    card = cards.render(reply, people)
    return Activity(
        type=ActivityTypes.message,
        summary=cards.summary(reply),
        attachments=[Attachment(content_type=cards.CARD_CONTENT_TYPE, content=card)],
    )
