"""Forged, stale and replayed requests into the real web app (uvicorn on loopback): refused
(or answered once), logged, and nothing changed."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import httpx
import pytest

from bot.runtime import build_runtime
from bot.settings import Settings, load_settings
from commands.clock import FixedClock
from tests.conftest import load_board
from tests.fakes.slack_api import FakeSlack
from tests.hardening.conftest import Web, serve_web, slack_sign, slash_form, table_counts

FORM = "application/x-www-form-urlencoded"


def _body(fake: FakeSlack, text: str = "add Forged action text @pol", trigger: str = "111.222.abc") -> bytes:
    return slash_form(
        "U0QAOFF1",
        "/action",
        text,
        channel="C0QAE01",
        trigger=trigger,
        response_url=fake.response_url(trigger),
    )


def _slack_writes(fake: FakeSlack) -> list[str]:
    return [c.method for c in fake.calls if c.method not in ("auth.test",)]


def test_forged_requests_are_refused_logged_and_change_nothing(
    web: Web, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    before = table_counts(web.rt.sessions)
    body = _body(fake_slack)
    now = int(time.time())
    forged = [
        web.post_signed(body, FORM, signature=slack_sign(body, now, secret="not-the-secret")),  # wrong secret
        web.post_signed(body, FORM, signature=""),  # no signature
        web.post_signed(body, FORM, signature="v0=" + "0" * 64),  # made up
        web.post_signed(body + b"&text=add+tampered", FORM, signature=slack_sign(body, now), timestamp=now),
        web.post_signed(body, FORM, signature=slack_sign(body, now).replace("v0=", "v1=")),
        httpx.post(
            f"{web.url}/slack/events", content=body, headers={"Content-Type": FORM}
        ),  # no headers at all
    ]
    assert [r.status_code for r in forged] == [401] * len(forged)
    assert web.idle()
    assert table_counts(web.rt.sessions) == before
    assert _slack_writes(fake_slack) == []
    refusals = [r for r in caplog.records if "signature" in r.getMessage().lower()]
    assert len(refusals) >= len(forged) - 1, [r.getMessage() for r in caplog.records]


def test_stale_requests_over_five_minutes_old_are_refused(
    web: Web, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    before = table_counts(web.rt.sessions)
    body = _body(fake_slack)
    for age in (301, 600, 86_400):
        ts = int(time.time()) - age
        resp = web.post_signed(body, FORM, timestamp=ts)  # correctly signed, but old: a captured request
        assert resp.status_code == 401, age
    assert web.idle()
    assert table_counts(web.rt.sessions) == before
    assert _slack_writes(fake_slack) == []
    assert any(
        "signature" in r.getMessage().lower() or "timestamp" in r.getMessage().lower() for r in caplog.records
    )
    # The same request, fresh, is accepted: the refusals above were for age alone.
    assert web.post_signed(body, FORM).status_code == 200
    assert web.idle()
    assert table_counts(web.rt.sessions)["actions"] == before["actions"] + 1


def test_a_replayed_request_is_answered_once_and_changes_nothing_more(
    web: Web, fake_slack: FakeSlack
) -> None:
    before = table_counts(web.rt.sessions)
    body = _body(fake_slack, text="add Replayed action text @pol", trigger="333.444.replay")
    ts = int(time.time())
    sig = slack_sign(body, ts)
    statuses = [web.post_signed(body, FORM, timestamp=ts, signature=sig).status_code for _ in range(4)]
    assert statuses == [200] * 4
    assert web.idle()
    after = table_counts(web.rt.sessions)
    assert after["actions"] == before["actions"] + 1
    logged = [p for p in fake_slack.posts() if "Replayed action text" in str(p.get("text"))]
    assert len(logged) == 1  # one confirmation, not four


TEAMS_CREDENTIALS = {
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "00000000-0000-4000-8000-0000000000b0",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "not-a-real-secret",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": "5e1f0000-0000-4000-8000-00000000aaaa",
}
ACTIVITY = {
    "type": "message",
    "id": "f:forged-1",
    "text": "action add Forged from Teams",
    "from": {"id": "29:forged", "aadObjectId": "0c1a0000-0000-4000-8000-000000000001"},
    "recipient": {"id": "28:bot"},
    "conversation": {"id": "19:abc@thread.tacv2", "conversationType": "channel"},
    "channelId": "msteams",
    "serviceUrl": "http://127.0.0.1:9/",
}
# A token with no signing key id and alg "none": the SDK must refuse it without looking anything up.
UNSIGNED_JWT = "Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0."


@pytest.fixture
def both_platforms(
    slack_settings: Settings, monkeypatch: pytest.MonkeyPatch, clock: FixedClock, fake_slack: FakeSlack
) -> Iterator[Web]:
    for k, v in TEAMS_CREDENTIALS.items():
        monkeypatch.setenv(k, v)
    settings = load_settings()
    assert settings.teams_enabled and settings.slack_enabled
    runtime = build_runtime(settings, clock)
    load_board(runtime.sessions, clock)
    try:
        with serve_web(runtime, fake_slack) as w:
            yield w
    finally:
        runtime.engine.dispose()


def test_teams_requests_without_a_valid_token_are_refused_when_credentials_are_set(
    both_platforms: Web,
) -> None:
    w = both_platforms
    before = table_counts(w.rt.sessions)
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic dXNlcjpwYXNz"}):
        resp = httpx.post(f"{w.url}/api/messages", json=ACTIVITY, headers=headers, timeout=20)
        assert resp.status_code == 401, (headers, resp.status_code, resp.text[:200])
    resp = httpx.post(
        f"{w.url}/api/messages", json=ACTIVITY, headers={"Authorization": UNSIGNED_JWT}, timeout=20
    )
    assert resp.status_code >= 400  # refused (see the next test for the status it should be)
    assert table_counts(w.rt.sessions) == before


def test_an_unsigned_teams_token_is_answered_401_not_500(both_platforms: Web) -> None:
    resp = httpx.post(
        f"{both_platforms.url}/api/messages",
        json=ACTIVITY,
        headers={"Authorization": UNSIGNED_JWT},
        timeout=20,
    )
    assert resp.status_code == 401
