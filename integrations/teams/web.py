"""POST /api/messages: the Teams endpoint in the shared web app.

With credentials every request's JWT is validated by the SDK (its JWT authorization, reading
app.state.agent_configuration). With TEAMS_ALLOW_ANONYMOUS=true the SDK's anonymous mode is
used — for local emulators and tests only: refused at start-up unless the app is bound to a
loopback address, and each request must arrive on and from a loopback address and name a
loopback serviceUrl (replies to it carry no token). With neither,
the endpoint refuses every request.

This module is cheap to import; the Agents SDK is imported only when Teams is configured.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, cast

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from commands.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from commands.ports import ConversationStore, CorePort
    from integrations.teams.settings import TeamsSettings

    _Route = Callable[[Request], Awaitable[Response | None]]

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


async def _loopback_service_url(request: Request) -> bool:
    """In anonymous mode replies go unauthenticated to the activity's serviceUrl: only loopback."""
    from urllib.parse import urlparse

    try:
        body = await request.json()  # cached by Starlette; the adapter reads the same body
    except ValueError:
        return True  # the adapter answers 400 for a body that is not JSON
    url = body.get("serviceUrl") if isinstance(body, dict) else None
    return not url or is_loopback_host(urlparse(str(url)).hostname)


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
) -> None:
    """`bind_host` is the address the web app listens on (QABOT_HOST): anonymous mode needs
    a loopback one."""
    if not settings.enabled:
        mount_refusing(app)
        return
    if settings.allow_anonymous:
        check_anonymous_binding(bind_host)
        log.warning("Teams endpoint in anonymous mode: no token checks (loopback only)")

    from microsoft_agents.hosting.fastapi import jwt_authorization_decorator

    from integrations.teams.app import TeamsBot

    bot = TeamsBot(settings, core, conversations)
    app.state.teams_bot = bot
    app.state.agent_configuration = bot.auth_configuration

    @cast("Callable[[_Route], _Route]", jwt_authorization_decorator)  # the SDK leaves it untyped
    async def authorised(request: Request) -> Response | None:
        return await bot.adapter.process(request, bot.agent)

    @app.post(ROUTE, include_in_schema=False)
    async def teams_messages(request: Request) -> Response:
        if bot.anonymous and not (_local_request(request) and await _loopback_service_url(request)):
            return JSONResponse({"error": "Anonymous Teams requests are accepted on loopback only."}, 403)
        try:
            response = await authorised(request)
        except (KeyError, ValueError) as e:
            # The SDK's JWT check raises on some malformed tokens (e.g. KeyError('kid') for a
            # token without a key id) instead of refusing them: refuse them here.
            if request.headers.get("authorization"):
                log.warning("Teams request with an unusable token refused (%s)", type(e).__name__)
                return JSONResponse({"error": "invalid token"}, status_code=401)
            raise
        return response if response is not None else Response(status_code=202)
