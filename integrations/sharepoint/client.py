"""Building the msgraph-sdk client from Settings, and naming what went wrong in words.

msgraph and azure-identity are imported inside the functions that use them: importing
msgraph alone costs about half a second, and most processes never talk to Graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from bot.settings import Settings, is_loopback_url

if TYPE_CHECKING:
    from msgraph.graph_service_client import GraphServiceClient


@dataclass
class RetryPolicy:
    """How patiently Graph's 429/503/504 answers are retried (by the SDK's retry middleware).

    `Retry-After` is always honoured. If Graph asks for a longer pause than `max_wait`
    seconds, the sync stops instead and the next run resumes where it left off.
    `sleep_factor` scales the real pause (tests set 0 so that nothing sleeps; the delays
    Graph asked for are still recorded in `waits`)."""

    max_retries: int = 3
    max_wait: float = 60.0
    sleep_factor: float = 1.0
    waits: list[float] = field(default_factory=list)


@dataclass
class GraphOptions:
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Extra keyword arguments for azure-identity's ClientSecretCredential (e.g. `authority`,
    # `connection_verify`); the standard AZURE_AUTHORITY_HOST variable also works.
    credential_kwargs: dict[str, Any] = field(default_factory=dict)
    timeout: float = 60.0


class GraphConfigError(Exception):
    """SharePoint is not configured well enough to try; the message names the setting."""


def _retry_handler(policy: RetryPolicy) -> Any:
    from kiota_http.middleware import RetryHandler
    from kiota_http.middleware.options import RetryHandlerOption

    class HonouringRetryHandler(RetryHandler):
        """The SDK's retry handler, recording each wait Graph asked for and refusing waits
        longer than the policy allows (the sync then stops cleanly and resumes later)."""

        def get_delay_time(self, retry_count: int, response: Any = None, delay: float = 3.0) -> float:
            asked = float(super().get_delay_time(retry_count, response, delay))
            if response is None or response.status_code not in self.retry_on_status_codes:
                return asked
            policy.waits.append(asked)
            if asked > policy.max_wait:
                return RetryHandlerOption.MAX_DELAY  # too long to wait here: give up this run
            return asked * policy.sleep_factor

    handler = HonouringRetryHandler(RetryHandlerOption(delay=0.0, max_retries=policy.max_retries))
    return handler


def _http_client(options: GraphOptions) -> Any:
    import httpx
    from kiota_http.kiota_client_factory import KiotaClientFactory
    from kiota_http.middleware import RetryHandler
    from msgraph_core import GraphClientFactory

    client = httpx.AsyncClient(timeout=httpx.Timeout(options.timeout, connect=15.0))
    middleware = KiotaClientFactory.get_default_middleware(None)
    middleware = [_retry_handler(options.retry) if isinstance(m, RetryHandler) else m for m in middleware]
    middleware.append(GraphClientFactory._get_telemetry_handler(None))
    return GraphClientFactory.create_with_custom_middleware(middleware, client=client)


def graph_scope(base_url: str) -> str:
    """The `.default` scope of the Graph cloud behind GRAPH_BASE_URL (global or national)."""
    parsed = urlparse(base_url)
    return f"{parsed.scheme}://{parsed.hostname}/.default"


def check_settings(settings: Settings) -> None:
    if not settings.sharepoint_site:
        raise GraphConfigError(
            "SharePoint is not configured: set SHAREPOINT_SITE (e.g. contoso.sharepoint.com:/sites/SSCB)."
        )
    if settings.graph_auth == "none":
        if not is_loopback_url(settings.graph_base_url):
            raise GraphConfigError("GRAPH_AUTH=none is only allowed with a loopback GRAPH_BASE_URL.")
        return
    missing = [
        name
        for name, value in (
            ("AZURE_TENANT_ID", settings.azure_tenant_id),
            ("AZURE_CLIENT_ID", settings.azure_client_id),
            ("AZURE_CLIENT_SECRET", settings.azure_client_secret),
        )
        if not value
    ]
    if missing:
        raise GraphConfigError(
            f"SharePoint needs an Entra app registration: set {', '.join(missing)} "
            "(app-only access with a client secret; see docs/sharepoint.md)."
        )


@dataclass
class GraphConnection:
    """A GraphServiceClient and the credential behind it (closed with `aclose`)."""

    client: GraphServiceClient
    credential: Any = None

    async def aclose(self) -> None:
        if self.credential is not None:
            await self.credential.close()
        http = getattr(self.client.request_adapter, "_http_client", None)
        if http is not None:
            await http.aclose()


def connect(settings: Settings, options: GraphOptions | None = None) -> GraphConnection:
    """The real msgraph-sdk client for these settings. Call inside a running event loop."""
    from kiota_abstractions.authentication import AnonymousAuthenticationProvider
    from msgraph.graph_request_adapter import GraphRequestAdapter
    from msgraph.graph_service_client import GraphServiceClient

    check_settings(settings)
    options = options or GraphOptions()
    credential = None
    if settings.graph_auth == "none":
        auth: Any = AnonymousAuthenticationProvider()
    else:
        from azure.identity.aio import ClientSecretCredential
        from kiota_authentication_azure.azure_identity_authentication_provider import (
            AzureIdentityAuthenticationProvider,
        )

        assert settings.azure_client_secret is not None
        credential = ClientSecretCredential(
            settings.azure_tenant_id or "",
            settings.azure_client_id or "",
            settings.azure_client_secret.get_secret_value(),
            **options.credential_kwargs,
        )
        auth = AzureIdentityAuthenticationProvider(credential, scopes=[graph_scope(settings.graph_base_url)])
    adapter = GraphRequestAdapter(auth, client=_http_client(options))
    adapter.base_url = settings.graph_base_url.rstrip("/")
    return GraphConnection(GraphServiceClient(request_adapter=adapter), credential)


# ---- what went wrong, in words --------------------------------------------------------------

_AADSTS = {
    "AADSTS7000215": "the client secret is wrong: fix AZURE_CLIENT_SECRET "
    "(use the secret's Value, not its ID)",
    "AADSTS7000222": "the client secret has expired: create a new one and set AZURE_CLIENT_SECRET",
    "AADSTS700016": "no application with that id in the tenant: check AZURE_CLIENT_ID (and AZURE_TENANT_ID)",
    "AADSTS90002": "the tenant was not found: check AZURE_TENANT_ID",
    "AADSTS900023": "the tenant id is not valid: check AZURE_TENANT_ID",
    "AADSTS700027": "the client assertion is not valid: check AZURE_CLIENT_SECRET",
}


@dataclass
class GraphProblem:
    kind: str  # credentials | throttled | unavailable | not_found | forbidden | config | network | error
    message: str
    setting: str | None = None
    retry_after: float | None = None


_LATER = {
    "sync": "the sync will resume later",
    "upload": "try again in a few minutes",
    "calendar": "the calendar will be read again at the next sync",
}
_ACCESS = {
    "sync": "grant the app Sites.Selected on the site (or Sites.Read.All) and give admin consent",
    "upload": "give the app write access to the site (Sites.Selected with the write role, or "
    "Sites.ReadWrite.All) and admin consent",
    "calendar": "grant the app the Calendars.Read application permission (limited to the board's "
    "mailbox or group with an application access policy) and give admin consent",
}


def describe(exc: BaseException, settings: Settings | None = None, *, action: str = "sync") -> GraphProblem:
    """A failure from azure-identity, msgraph or the network, as a sentence that says what to
    fix. Never includes a secret or a stack trace. `action` (sync | upload | calendar) says what
    was being done, for the advice at the end."""
    later = _LATER.get(action, _LATER["sync"])
    from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError
    from kiota_abstractions.api_error import APIError

    if isinstance(exc, GraphConfigError):
        return GraphProblem("config", str(exc))
    if isinstance(exc, ClientAuthenticationError):
        text = str(exc)
        for code, words in _AADSTS.items():
            if code in text:
                setting = next(
                    s for s in ("AZURE_CLIENT_SECRET", "AZURE_CLIENT_ID", "AZURE_TENANT_ID") if s in words
                )
                return GraphProblem(
                    "credentials", f"Microsoft Entra refused the app's sign-in: {words}.", setting
                )
        return GraphProblem(
            "credentials",
            "Microsoft Entra refused the app's sign-in: check AZURE_TENANT_ID, AZURE_CLIENT_ID and "
            f"AZURE_CLIENT_SECRET ({_first_line(text)}).",
            "AZURE_CLIENT_SECRET",
        )
    if isinstance(exc, ServiceRequestError):
        return GraphProblem(
            "network", f"Could not reach the Microsoft sign-in service: {_first_line(str(exc))}."
        )
    if isinstance(exc, APIError):
        status = exc.response_status_code or 0
        code = ""
        err = getattr(exc, "error", None)
        if err is not None:
            code = f" ({getattr(err, 'code', '') or ''}: {getattr(err, 'message', '') or ''})"
        if status == 429:
            return GraphProblem("throttled", f"Microsoft Graph is throttling QA Bot (429){code}; {later}.")
        if status in (502, 503, 504):
            return GraphProblem("unavailable", f"Microsoft Graph is unavailable ({status}){code}; {later}.")
        if status == 401:
            return GraphProblem(
                "credentials",
                f"Microsoft Graph refused the token (401){code}: check AZURE_TENANT_ID, AZURE_CLIENT_ID "
                "and AZURE_CLIENT_SECRET, and that the app has admin consent.",
                "AZURE_CLIENT_SECRET",
            )
        if (
            status == 403
            and action == "calendar"
            and settings
            and (settings.sharepoint_calendar or "").startswith("groups/")
        ):
            return GraphProblem(
                "forbidden",
                f"Microsoft Graph denied access to the group calendar (403){code}: Microsoft 365 group "
                "calendars cannot be read with application permissions; put the meetings in a shared "
                "mailbox's calendar and set SHAREPOINT_CALENDAR=users/<mailbox>.",
            )
        if status == 403:
            return GraphProblem(
                "forbidden",
                f"Microsoft Graph denied access (403){code}: {_ACCESS.get(action, _ACCESS['sync'])}.",
            )
        if status == 404:
            if action == "calendar":
                where = settings.sharepoint_calendar if settings else "the calendar"
                return GraphProblem(
                    "not_found",
                    f"Microsoft Graph found no such calendar (404){code}: "
                    f"check SHAREPOINT_CALENDAR ({where}).",
                )
            site = settings.sharepoint_site if settings else "the site"
            return GraphProblem(
                "not_found",
                f"Microsoft Graph found no such site or library (404){code}: check SHAREPOINT_SITE ({site}).",
            )
        return GraphProblem("error", f"Microsoft Graph answered {status}{code}.")
    if isinstance(exc, (OSError, TimeoutError)) or type(exc).__module__.startswith("httpx"):
        return GraphProblem(
            "network",
            f"Could not reach Microsoft Graph: {type(exc).__name__}: {_first_line(str(exc))}. "
            "Check GRAPH_BASE_URL and the network.",
        )
    return GraphProblem("error", f"Unexpected {type(exc).__name__} talking to Microsoft Graph.")


def _first_line(text: str) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line[:300]
