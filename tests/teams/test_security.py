"""Who may call /api/messages: the SDK's JWT check with credentials; nobody without them unless
the loopback-only anonymous mode is switched on."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from commands.errors import ConfigError
from store.models import Action, ConversationRef, ProcessedDelivery
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import BOT_APP_ID, MakeRuntime, Serve, activity

CREDENTIALS = {
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": BOT_APP_ID,
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "not-a-real-secret",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": "5e1f0000-0000-4000-8000-00000000aaaa",
}


def _nothing_stored(rt: Runtime) -> None:
    with rt.sessions() as s:
        for model in (Action, ConversationRef, ProcessedDelivery):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model.__name__


def test_without_credentials_or_the_flag_every_request_is_refused(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector
) -> None:
    rt = make_runtime()
    assert not rt.settings.teams_enabled
    web = serve(rt)
    resp = web.post(activity("channel_mention", connector.url))
    assert resp.status_code == 401
    assert "CLIENTID" in resp.json()["error"]
    _nothing_stored(rt)
    assert connector.requests == []


def test_with_credentials_a_request_without_a_valid_token_is_refused(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector
) -> None:
    rt = make_runtime(**CREDENTIALS)
    web = serve(rt)
    body = activity("channel_mention", connector.url)
    assert web.post(body).status_code == 401
    assert web.post(body, headers={"Authorization": "Bearer not-a-jwt"}).status_code == 401
    assert web.post(body, headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401
    _nothing_stored(rt)
    assert connector.requests == []


def test_anonymous_mode_refuses_to_start_on_a_public_address(make_runtime: MakeRuntime) -> None:
    from bot.web import create_app

    rt = make_runtime(TEAMS_ALLOW_ANONYMOUS="true", QABOT_HOST="0.0.0.0")
    with pytest.raises(ConfigError) as err:
        create_app(runtime=rt)
    assert "TEAMS_ALLOW_ANONYMOUS" in str(err.value) and "QABOT_HOST" in str(err.value)


def test_anonymous_mode_refuses_requests_from_elsewhere(
    runtime: Runtime, connector: FakeBotConnector
) -> None:
    from bot.web import create_app

    app = create_app(runtime=runtime)

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("10.20.30.40", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:3000") as client:
            return await client.post("/api/messages", json=activity("channel_mention", connector.url))

    assert asyncio.run(call()).status_code == 403
    _nothing_stored(runtime)
    assert connector.requests == []


def test_anonymous_mode_will_not_reply_to_a_public_service_url(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    resp = web.post(activity("channel_mention", "https://smba.trafficmanager.net/emea/"))
    assert resp.status_code == 403
    _nothing_stored(runtime)
