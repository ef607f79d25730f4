"""Hostile requests to the real web app: bodies too large (said or streamed), bodies that never
finish, malformed headers and JSON that is not an object. Each is answered 4xx before any
route reads it, nothing is stored, and nothing of the body reaches the log."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.types import ASGIApp, Message

from bot.http_guard import MAX_BODY, BodyGuard
from bot.runtime import Runtime
from tests.hardening.conftest import Web, half_written, table_counts

CHUNK = 64 * 1024
MARKER = "HOSTILE-BODY-MARKER-7f3a"


class Client:
    """One ASGI request, driven by hand so the test sees how much of the body was read."""

    def __init__(self, chunks: Callable[[int], bytes | None], *, stall_after: int | None = None) -> None:
        self.chunks = chunks
        self.stall_after = stall_after
        self.read = 0  # chunks the app asked for
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        if self.stall_after is not None and self.read >= self.stall_after:
            await asyncio.Event().wait()  # a client that stops sending, and never closes
        chunk = self.chunks(self.read)
        self.read += 1
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(next(m["status"] for m in self.sent if m["type"] == "http.response.start"))

    def call(self, app: ASGIApp, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> int:
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"), *(headers or [])],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 3000),
        }
        asyncio.run(app(scope, self.receive, self.send))
        return self.status


def _app(rt: Runtime) -> ASGIApp:
    from bot.web import create_app

    return create_app(runtime=rt)


@pytest.mark.parametrize("path", ["/slack/events", "/api/messages"])
def test_a_huge_chunked_body_is_refused_after_the_limit_not_after_the_end(
    slack_rt: Runtime, path: str
) -> None:
    hundred_mb = 100 * 1024 * 1024 // CHUNK
    client = Client(lambda i: b"x" * CHUNK if i < hundred_mb else None)
    before = table_counts(slack_rt.sessions)
    assert client.call(_app(slack_rt), path) == 413
    assert client.read <= MAX_BODY // CHUNK + 1  # ~1 MB read of the 100 MB offered
    assert table_counts(slack_rt.sessions) == before


def test_a_body_said_to_be_too_large_is_refused_before_it_is_read(slack_rt: Runtime) -> None:
    client = Client(lambda i: b"x" * CHUNK)
    headers = [(b"content-length", str(100 * 1024 * 1024).encode())]
    assert client.call(_app(slack_rt), "/slack/events", headers) == 413
    assert client.read == 0


@pytest.mark.parametrize("length", [b"abc", b"-1", b"1e9", b"12, 13"])
def test_a_malformed_content_length_is_a_client_error(slack_rt: Runtime, length: bytes) -> None:
    client = Client(lambda i: None)
    assert client.call(_app(slack_rt), "/slack/events", [(b"content-length", length)]) == 400


def test_a_body_that_stops_arriving_is_timed_out(slack_rt: Runtime) -> None:
    client = Client(lambda i: b"{" if i == 0 else b"x", stall_after=2)
    guarded = BodyGuard(_app(slack_rt), read_timeout=0.2)
    assert client.call(guarded, "/slack/events") == 408
    assert half_written(slack_rt.sessions) == []


@pytest.mark.parametrize("timestamp", ["not-a-number", "1e10", "", "١٢٣", "9" * 40])
def test_an_unsigned_slack_request_with_a_malformed_timestamp_is_refused_not_a_crash(
    web: Web, timestamp: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = f"command=/action&text={MARKER}&user_id=U0QAOFF1".encode()
    resp = httpx.post(
        f"{web.url}/slack/events",
        content=body,
        headers={
            "Content-Type": b"application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp.encode(),
        },
        timeout=20,
    )
    assert resp.status_code == 401
    assert MARKER not in caplog.text


@pytest.mark.parametrize("body", [b"[]", b"1", b'"text"', b"null", b"\xff\xfe", b'{"type": ["message"]}'])
def test_teams_anonymous_mode_answers_odd_bodies_with_a_client_error(
    make_teams_rt: Callable[..., Runtime], body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    rt = make_teams_rt()
    resp = _post(rt, "/api/messages", body)
    assert 400 <= resp.status_code < 500, resp.text
    assert table_counts(rt.sessions)["actions"] == 0


@pytest.mark.parametrize(
    "change",
    [
        {"conversation": "not-an-object"},
        {"from": ["a", "b"]},
        {"channelData": {"tenant": 7}},
        {"entities": "x"},
        {"text": {"nested": MARKER}},
    ],
)
def test_teams_anonymous_mode_never_answers_an_odd_activity_with_a_server_error(
    make_teams_rt: Callable[..., Runtime], change: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    from tests.teams.conftest import activity

    rt = make_teams_rt()
    body = activity("channel_mention", "http://127.0.0.1:9/")
    body.update(change)
    resp = _post(rt, "/api/messages", json.dumps(body).encode())
    assert resp.status_code < 500, resp.text
    assert "Traceback" not in resp.text
    assert MARKER not in caplog.text


@pytest.fixture
def make_teams_rt(sqlite_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Runtime]:
    from bot.runtime import build_runtime
    from tests.conftest import load_board
    from tests.teams.conftest import make_settings

    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID",
    ):
        monkeypatch.delenv(name, raising=False)

    def make() -> Runtime:
        rt = build_runtime(make_settings(sqlite_url, TEAMS_ALLOW_ANONYMOUS="true"), clock)
        load_board(rt.sessions, clock)
        return rt

    return make


def _post(rt: Runtime, path: str, body: bytes) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=_app(rt), client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:3000") as client:
            return await client.post(path, content=body, headers={"Content-Type": "application/json"})

    with_logging = logging.getLogger("qabot")
    with_logging.setLevel(logging.INFO)
    return asyncio.run(call())


# The Procfile and `qabot web` giving uvicorn the same limits, and the deadlines for slow
# requests: tests/hardening/test_slow_requests.py.


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
# Top-level fields of a Teams message activity (tests/fixtures/teams/channel_mention.json).
activity_fields = st.sampled_from(
    [
        "type",
        "id",
        "timestamp",
        "channelId",
        "from",
        "conversation",
        "recipient",
        "text",
        "entities",
        "channelData",
        "replyToId",
        "value",
        "locale",
    ]
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.dictionaries(activity_fields, json_values, min_size=1, max_size=3))
def test_teams_anonymous_mode_never_gives_a_server_error_for_any_activity_shape(
    make_teams_rt: Callable[..., Runtime], changes: dict[str, Any]
) -> None:
    from tests.teams.conftest import activity

    rt = _teams_rt_once(make_teams_rt)
    body = activity("channel_mention", "http://127.0.0.1:9/")
    body.update(changes)
    resp = _post(rt, "/api/messages", json.dumps(body).encode())
    assert resp.status_code < 500, (changes, resp.status_code, resp.text[:200])
    assert half_written(rt.sessions) == []


_made: dict[int, Runtime] = {}


def _teams_rt_once(make: Callable[..., Runtime]) -> Runtime:
    """One runtime per test (hypothesis runs the body many times with the same fixtures)."""
    key = id(make)
    if key not in _made:
        _made.clear()
        _made[key] = make()
    return _made[key]
