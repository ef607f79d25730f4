"""POST /api/messages: the Teams endpoint in the shared web app.

With credentials every request's JWT is validated by the SDK's JwtTokenValidator, configured
and extended for the board in integrations/teams/auth.py (issuer, audience, expiry, serviceurl,
tenant). With TEAMS_ALLOW_ANONYMOUS=true the SDK's anonymous mode is
used — for local emulators and tests only: refused at start-up unless the app is bound to a
loopback address, and each request must arrive on and from a loopback address and name a
loopback serviceUrl (replies to it carry no token). With neither,
the endpoint refuses every request.

This module is cheap to import; the Agents SDK is imported only when Teams is configured.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from commands.errors import ConfigError

if TYPE_CHECKING:
    from commands.ports import ConversationStore, CorePort
    from integrations.sharepoint.settings import SharePointSettings
    from integrations.teams.settings import TeamsSettings

log = logging.getLogger("qabot.teams")

ROUTE = "/api/messages"
NOT_CONFIGURED = (
    "Teams is not configured: set CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID, CLIENTSECRET "
    "and TENANTID (or TEAMS_ALLOW_ANONYMOUS=true for a local emulator)."
)


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_anonymous_binding(bind_host: str) -> None:
    if not is_loopback_host(bind_host):
        raise ConfigError(
            f"TEAMS_ALLOW_ANONYMOUS=true is only allowed when the web app is bound to a loopback address "
            f"(QABOT_HOST is {bind_host!r}); it turns off token checks and is meant for local emulators "
            "and tests. Set the CONNECTIONS__SERVICE_CONNECTION__SETTINGS__* credentials instead."
        )


def _local_request(request: Request) -> bool:
    server = request.scope.get("server")
    client = request.scope.get("client")
    server_ok = server is None or is_loopback_host(str(server[0]))
    client_ok = client is None or is_loopback_host(str(client[0]))
    return server_ok and client_ok


def _loopback_service_url(activity: dict[str, Any]) -> bool:
    """In anonymous mode replies go unauthenticated to the activity's serviceUrl: only loopback."""
    from urllib.parse import urlparse

    url = activity.get("serviceUrl")
    return not url or (isinstance(url, str) and is_loopback_host(urlparse(url).hostname))


async def _activity(request: Request) -> dict[str, Any] | None:
    """The body as a JSON object (cached by Starlette; the adapter reads the same), else None."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def mount_refusing(app: FastAPI) -> None:
    """Teams is not configured: answer 401 rather than act on an unauthenticated request."""

    @app.post(ROUTE, include_in_schema=False)
    async def teams_not_configured() -> Response:
        return JSONResponse({"error": NOT_CONFIGURED}, status_code=401)


def mount(
    app: FastAPI,
    settings: TeamsSettings,
    core: CorePort,
    conversations: ConversationStore,
    *,
    bind_host: str,
    sharepoint: SharePointSettings | None = None,
) -> None:
    """`bind_host` is the address the web app listens on (QABOT_HOST): anonymous mode needs
    a loopback one. `sharepoint`: where Microsoft Graph is, to read workbooks posted in
    Section 11 threads (integrations/teams/files.py)."""
    if not settings.enabled:
        mount_refusing(app)
        return
    if settings.allow_anonymous:
        check_anonymous_binding(bind_host)
        log.warning("Teams endpoint in anonymous mode: no token checks (loopback only)")

    from microsoft_agents.hosting.core import ClaimsIdentity

    from integrations.teams.app import TeamsBot
    from integrations.teams.auth import Refusal, RequestGuard, keep_refused_activities_out_of_the_log

    keep_refused_activities_out_of_the_log()
    bot = TeamsBot(settings, core, conversations, sharepoint)
    app.state.teams_bot = bot
    app.state.agent_configuration = bot.auth_configuration
    guard = None if bot.anonymous else RequestGuard(bot.auth_configuration, settings)

    @app.post(ROUTE, include_in_schema=False)
    async def teams_messages(request: Request) -> Response:
        activity = await _activity(request)
        if activity is None:
            return JSONResponse({"error": "the body must be a JSON object (an activity)"}, status_code=400)
        if guard is None:
            if not (_local_request(request) and _loopback_service_url(activity)):
                return JSONResponse({"error": "Anonymous Teams requests are accepted on loopback only."}, 403)
            request.state.claims_identity = ClaimsIdentity()  # what the SDK's anonymous mode sets
        else:
            outcome = await guard.authorise(request.headers.get("authorization"), activity)
            if isinstance(outcome, Refusal):
                return JSONResponse({"error": outcome.reason}, status_code=outcome.status)
            request.state.claims_identity = outcome
        try:
            response = await bot.adapter.process(request, bot.agent)
        except (ValueError, KeyError, TypeError) as e:
            # An activity of a shape Teams never sends (the SDK's model refuses it by raising):
            # its type only in the log, never its content.
            log.warning("Teams activity of an unexpected shape refused (%s)", type(e).__name__)
            return JSONResponse({"error": "not an activity the bot can read"}, status_code=400)
        return response if response is not None else Response(status_code=202)
