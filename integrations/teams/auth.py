"""Who may call /api/messages with credentials: the Agents SDK's JwtTokenValidator, configured
for a board and held to the rules of "Authenticate requests from the Bot Connector service
to your bot" (learn.microsoft.com, bot-framework-rest-connector-authentication):

- the token is signed by a key from the Bot Framework's OpenID metadata (the SDK fetches it;
  TEAMS_OPENID_METADATA points it elsewhere, e.g. a sovereign cloud or a test's loopback);
- its issuer is the Bot Framework's, ``https://api.botframework.com`` (the SDK's own
  VALIDATE_ISSUER allow-list is switched on as well);
- its audience is the bot's app id (the SDK checks it);
- it has an expiry (PyJWT checks one that is there, but accepts a token without one);
- its ``serviceurl`` claim names the activity's serviceUrl, so a token issued for one
  conversation service cannot be replayed with another address for replies;
- the activity's tenant (and the token's ``tid``, when it has one) is one of the board's
  (TEAMS_TENANT_IDS, by default the connection's TENANTID).

The SDK's outbound host validator (`outbound_host_validator`) keeps the bot from sending its
own token to a serviceUrl that is not a Microsoft host.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from jwt import PyJWK, PyJWTError
from microsoft_agents.hosting.core import AgentAuthConfiguration, ClaimsIdentity, OutboundHostValidator
from microsoft_agents.hosting.core.authorization.authentication_constants import AuthenticationConstants
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import (
    JwtTokenValidator,
    _JwkClientManager,
)

from integrations.teams.settings import TeamsSettings

log = logging.getLogger("qabot.teams")

BOT_FRAMEWORK_ISSUER = AuthenticationConstants.AGENTS_SDK_TOKEN_ISSUER  # https://api.botframework.com


@dataclass(frozen=True)
class Refusal:
    status: int  # 401: not who it says; 403: someone else's tenant
    reason: str


class _KeysFromMetadata(_JwkClientManager):
    """The SDK's key cache, reading the keys the configured OpenID metadata names instead of
    the Bot Framework's built-in address."""

    def __init__(self, metadata_url: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # the SDK leaves it untyped
        self.metadata_url = metadata_url
        self._jwks_uri: str | None = None

    async def get_signing_key(self, jwks_uri: str, header: dict[str, Any]) -> PyJWK:
        if self._jwks_uri is None:
            self._jwks_uri = await asyncio.to_thread(self._read_metadata)
        return await super().get_signing_key(self._jwks_uri, header)

    def _read_metadata(self) -> str:
        response = httpx.get(self.metadata_url, timeout=10)
        response.raise_for_status()
        uri = response.json().get("jwks_uri")
        if not isinstance(uri, str):
            raise ValueError("the OpenID metadata names no jwks_uri")
        return uri


class BoardTokenValidator(JwtTokenValidator):
    def __init__(self, configuration: AgentAuthConfiguration, settings: TeamsSettings) -> None:
        configuration.VALIDATE_ISSUER = True
        super().__init__(configuration)
        self.tenants = settings.allowed_tenants
        if settings.openid_metadata:
            self._jwk_client_manager = _KeysFromMetadata(settings.openid_metadata)

    async def validate_token(self, token: str) -> ClaimsIdentity:
        identity = await super().validate_token(token)  # signature, audience, SDK issuer list
        claims = identity.claims
        if claims.get(AuthenticationConstants.ISSUER_CLAIM) != BOT_FRAMEWORK_ISSUER:
            raise ValueError("not the Bot Framework's issuer")
        if not isinstance(claims.get("exp"), int | float):
            raise ValueError("no expiry")
        tid = claims.get(AuthenticationConstants.TENANT_ID_CLAIM)
        if tid is not None and self.tenants and str(tid).lower() not in self.tenants:
            raise ValueError("another tenant's token")
        return identity


class RequestGuard:
    """Checks one request's Authorization header and activity; built once per web app."""

    def __init__(self, configuration: AgentAuthConfiguration, settings: TeamsSettings) -> None:
        self.validator = BoardTokenValidator(configuration, settings)
        self.tenants = settings.allowed_tenants
        if not self.tenants:
            log.warning(
                "Teams: no tenant is pinned (set TEAMS_TENANT_IDS): any tenant's activity is accepted"
            )

    async def authorise(self, header: str | None, activity: dict[str, Any]) -> ClaimsIdentity | Refusal:
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return Refusal(401, "a Bearer token is required")
        try:
            identity = await self.validator.validate_token(token.strip())
        except (PyJWTError, ValueError, KeyError, TypeError, httpx.HTTPError) as e:
            # The type only: the message could quote the token or its claims.
            log.warning("Teams request with a refused token (%s)", type(e).__name__)
            return Refusal(401, "invalid token")
        if not same_service(
            identity.claims.get(AuthenticationConstants.SERVICE_URL_CLAIM), activity.get("serviceUrl")
        ):
            log.warning("Teams request refused: its serviceUrl is not the one its token was issued for")
            return Refusal(401, "the activity's serviceUrl does not match the token")
        tenant = activity_tenant(activity)
        if self.tenants and (tenant is None or tenant.lower() not in self.tenants):
            log.warning("Teams request from a tenant that is not the board's refused")
            return Refusal(403, "this bot serves another tenant")
        return identity


def same_service(claimed: Any, named: Any) -> bool:
    """The token's serviceurl and the activity's serviceUrl name the same address (scheme,
    host and path; a trailing slash and the host's case aside). Both must be there."""
    if not isinstance(claimed, str) or not isinstance(named, str) or not claimed or not named:
        return False
    a, b = urlsplit(claimed.strip()), urlsplit(named.strip())
    return (a.scheme.lower(), a.netloc.lower(), a.path.rstrip("/")) == (
        b.scheme.lower(),
        b.netloc.lower(),
        b.path.rstrip("/"),
    )


def activity_tenant(activity: dict[str, Any]) -> str | None:
    """The tenant Teams names in the activity: channelData.tenant.id, else conversation.tenantId."""
    channel_data = activity.get("channelData")
    if isinstance(channel_data, dict):
        tenant = channel_data.get("tenant")
        if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
            return str(tenant["id"])
    conversation = activity.get("conversation")
    if isinstance(conversation, dict) and isinstance(conversation.get("tenantId"), str):
        return str(conversation["tenantId"])
    return None


def outbound_host_validator(settings: TeamsSettings) -> OutboundHostValidator:
    """On with credentials: replies (which carry the bot's token) go to Microsoft's hosts
    only, over https. Off in the loopback-only anonymous mode, whose replies carry none."""
    return OutboundHostValidator(enabled=not settings.allow_anonymous)


class _WithoutContent(logging.Filter):
    """The SDK logs an activity it cannot read with pydantic's message, which quotes the
    values sent, and a traceback: keep the event, drop what was sent."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info or record.args:
            error = record.exc_info[1] if record.exc_info else None
            record.msg = "Activity refused by the SDK's model (%s); its content is not logged"
            record.args = (type(error).__name__ if error else "invalid",)
            record.exc_info = None
            record.exc_text = None
        return True


def keep_refused_activities_out_of_the_log() -> None:
    sdk_model_log = logging.getLogger("microsoft_agents.activity.activity")
    if not any(isinstance(f, _WithoutContent) for f in sdk_model_log.filters):
        sdk_model_log.addFilter(_WithoutContent())
