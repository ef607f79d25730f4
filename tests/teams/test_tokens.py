"""With credentials, /api/messages takes only a Bot Connector token for this bot, from the Bot
Framework's issuer, with an expiry, for the activity's own serviceUrl and the board's tenant.
Keys come from a fake issuer on loopback (tests/fakes/openid.py) named by TEAMS_OPENID_METADATA;
everything else is the real web app and the Agents SDK's own validator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from store.models import Action, ConversationRef, ProcessedDelivery
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import FakeIssuer
from tests.teams.conftest import BOT_APP_ID, MakeRuntime, Serve, Served, activity
from tests.teams.test_security import CREDENTIALS

BOARD_TENANT = CREDENTIALS["CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID"]
TEAMS_SERVICE = "https://smba.trafficmanager.net/emea/"  # the fixtures' own serviceUrl
OTHER_TENANT = "0bad0000-0000-4000-8000-00000000bbbb"
MICROSOFT_FIRST_PARTY = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"


@pytest.fixture
def issuer() -> Iterator[FakeIssuer]:
    fake = FakeIssuer().start()
    yield fake
    fake.stop()


@pytest.fixture
def teams_rt(make_runtime: MakeRuntime, issuer: FakeIssuer) -> Runtime:
    return make_runtime(**CREDENTIALS, TEAMS_OPENID_METADATA=issuer.metadata_url)


@pytest.fixture
def web(teams_rt: Runtime, serve: Serve) -> Served:
    return serve(teams_rt)


def _nothing_stored(rt: Runtime) -> None:
    with rt.sessions() as s:
        for model in (Action, ConversationRef, ProcessedDelivery):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model.__name__


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _good_claims(**override: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {"aud": BOT_APP_ID, "serviceurl": TEAMS_SERVICE}
    claims.update(override)
    return claims


@pytest.mark.parametrize(
    ("claims", "omit"),
    [
        pytest.param(_good_claims(iss="https://login.example.org/"), (), id="foreign-issuer"),
        pytest.param(
            _good_claims(iss=f"https://sts.windows.net/{OTHER_TENANT}/"), (), id="another-tenants-issuer"
        ),
        # Trusted by the SDK for agent-to-agent calls, but not the issuer of channel traffic.
        pytest.param(_good_claims(iss=MICROSOFT_FIRST_PARTY), (), id="microsoft-first-party-issuer"),
        pytest.param(_good_claims(aud="11111111-0000-4000-8000-000000000000"), (), id="wrong-audience"),
        pytest.param(_good_claims(), ("exp",), id="no-expiry"),
        pytest.param(_good_claims(), ("serviceurl",), id="no-serviceurl-claim"),
        pytest.param(_good_claims(tid=OTHER_TENANT), (), id="token-of-another-tenant"),
    ],
)
def test_a_token_that_is_not_the_bot_connectors_for_this_bot_is_refused(
    web: Served,
    teams_rt: Runtime,
    issuer: FakeIssuer,
    connector: FakeBotConnector,
    claims: dict[str, Any],
    omit: tuple[str, ...],
) -> None:
    resp = web.post(
        activity("channel_mention", TEAMS_SERVICE), headers=_bearer(issuer.token(omit=omit, **claims))
    )
    assert resp.status_code == 401, resp.text
    assert "Traceback" not in resp.text
    _nothing_stored(teams_rt)
    assert connector.requests == []


def test_a_token_signed_by_another_key_is_refused(web: Served, teams_rt: Runtime, issuer: FakeIssuer) -> None:
    impostor = FakeIssuer(kid=issuer.kid)  # same key id, a key the metadata does not publish
    resp = web.post(
        activity("channel_mention", TEAMS_SERVICE), headers=_bearer(impostor.token(**_good_claims()))
    )
    assert resp.status_code == 401
    _nothing_stored(teams_rt)


@pytest.mark.parametrize(
    "named",
    ["https://attacker.example/teams/", "https://smba.trafficmanager.net/amer/", "http://127.0.0.1:9/"],
)
def test_an_activity_naming_another_service_url_than_its_token_is_refused(
    web: Served, teams_rt: Runtime, issuer: FakeIssuer, named: str
) -> None:
    resp = web.post(activity("channel_mention", named), headers=_bearer(issuer.token(**_good_claims())))
    assert resp.status_code == 401
    _nothing_stored(teams_rt)


def test_an_activity_from_another_tenant_is_refused(
    web: Served, teams_rt: Runtime, issuer: FakeIssuer
) -> None:
    body = activity("channel_mention", TEAMS_SERVICE)
    body["channelData"]["tenant"]["id"] = OTHER_TENANT
    body["conversation"]["tenantId"] = OTHER_TENANT
    resp = web.post(body, headers=_bearer(issuer.token(**_good_claims())))
    assert resp.status_code == 403
    _nothing_stored(teams_rt)


def test_tenants_named_in_the_setting_replace_the_connections_own(
    make_runtime: MakeRuntime, serve: Serve, issuer: FakeIssuer
) -> None:
    rt = make_runtime(**CREDENTIALS, TEAMS_OPENID_METADATA=issuer.metadata_url, TEAMS_TENANT_IDS=OTHER_TENANT)
    resp = serve(rt).post(
        activity("channel_mention", TEAMS_SERVICE), headers=_bearer(issuer.token(**_good_claims()))
    )
    assert resp.status_code == 403  # the board's own tenant is no longer in the list
    _nothing_stored(rt)


def test_a_good_token_is_accepted(web: Served, issuer: FakeIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    # The bot's own outbound token comes from Entra ID, which has no fake here; a typing
    # activity (Bot Framework activity type "typing") needs no reply, so none is sent.
    from microsoft_agents.authentication.msal import MsalAuth

    async def no_outbound_token(*_args: Any, **_kwargs: Any) -> str:
        return "outbound-token-not-used"

    monkeypatch.setattr(MsalAuth, "get_access_token", no_outbound_token)
    body = activity("channel_mention", TEAMS_SERVICE)
    body["type"] = "typing"
    body.pop("text", None)
    resp = web.post(body, headers=_bearer(issuer.token(**_good_claims())))
    assert resp.status_code in (200, 202), resp.text
    assert any(path.endswith("/keys") for path in issuer.fetches)  # the key came from the metadata's JWKS
