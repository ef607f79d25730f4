"""Shared helpers for the hardening tests: invariants over the store, and outcome labels."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, load_settings
from commands.clock import FixedClock
from commands.types import Reply
from store.models import Action, AuditEvent, Base, Finding
from tests.conftest import load_board
from tests.fakes.slack_api import FakeSlack


def outcome(reply: Reply) -> str:
    """What the person saw, as one word: ok | usage | not_found | permission | not_on_board | internal."""
    err = reply.data.get("error")
    if err is None:
        return "ok" if reply.ok else "refused"
    if err == "usage" and any(line.startswith("There is no ") for line in reply.lines):
        return "not_found"
    return str(err)


def half_written(sessions: sessionmaker[Session]) -> list[str]:
    """Actions and findings with no 'created' audit event: a record stored without its trail."""
    out: list[str] = []
    with sessions() as s:
        for model, entity, prefix in ((Action, "action", "A"), (Finding, "finding", "F")):
            created = select(AuditEvent.entity_id).where(
                AuditEvent.entity == entity, AuditEvent.verb == "created"
            )
            for row_id in s.scalars(select(model.id).where(model.id.not_in(created))):
                out.append(f"{prefix}-{row_id}")
    return out


def table_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Rows in every table: a cheap fingerprint of 'nothing changed'."""
    with sessions() as s:
        return {
            t.name: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def counts(board: sessionmaker[Session]) -> Callable[[], dict[str, int]]:
    return lambda: table_counts(board)


# ---------------------------------------------------------------------------- the web app on loopback

SLACK_SECRET = "hardening-signing-secret-0b1c2d"
SLACK_TOKEN = "xoxb-0000000000-hardening-token"


def slack_sign(body: bytes, timestamp: int, secret: str = SLACK_SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def slash_form(user: str, command: str, text: str, *, channel: str, trigger: str, response_url: str) -> bytes:
    return urlencode(
        {
            "token": "unused",
            "team_id": "T0SSCB001",
            "team_domain": "sscb",
            "channel_id": channel,
            "channel_name": "qa",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0QABOT01",
            "response_url": response_url,
            "trigger_id": trigger,
        }
    ).encode()


def message_event(
    user: str, text: str, *, channel: str, ts: str, thread_ts: str | None, event_id: str
) -> bytes:
    event: dict[str, object] = {
        "type": "message",
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel": channel,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return json.dumps(
        {
            "token": "unused",
            "team_id": "T0SSCB001",
            "api_app_id": "A0QABOT01",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
    ).encode()


@dataclass
class Web:
    """The real web app served by uvicorn on 127.0.0.1 (port 0), wired to a fake Slack."""

    url: str
    rt: Runtime
    fake: FakeSlack
    adapter: object

    def post_signed(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        client: httpx.Client | None = None,
    ) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature if signature is not None else slack_sign(body, ts),
        }
        if client is not None:
            return client.post(f"{self.url}/slack/events", content=body, headers=headers)
        return httpx.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=20)

    def idle(self, timeout: float = 30.0) -> bool:
        """Wait (on a condition) until the after-the-ack work has all finished."""
        return bool(self.adapter.executor.wait_idle(timeout=timeout))  # type: ignore[attr-defined]


@contextmanager
def serve_web(rt: Runtime, fake: FakeSlack) -> Iterator[Web]:
    from bot.web import create_app

    app = create_app(runtime=rt)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    web = Web(f"http://127.0.0.1:{port}", rt, fake, app.state.slack)
    try:
        yield web
    finally:
        web.idle()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def slack_settings(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> Settings:
    monkeypatch.chdir(tmp_path)
    for name in (
        "SLACK_APP_TOKEN",
        "TEAMS_ALLOW_ANONYMOUS",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET",
        "SHAREPOINT_SITE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QABOT_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SLACK_SECRET)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    return load_settings()


@pytest.fixture
def slack_rt(slack_settings: Settings, clock: FixedClock) -> Iterator[Runtime]:
    """The runtime of a Slack deployment on the test board (tests/fixtures/board.yaml)."""
    runtime = build_runtime(slack_settings, clock)
    load_board(runtime.sessions, clock)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def web(slack_rt: Runtime, fake_slack: FakeSlack) -> Iterator[Web]:
    with serve_web(slack_rt, fake_slack) as w:
        yield w
