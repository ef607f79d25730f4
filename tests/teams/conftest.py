"""Teams fixtures: a fake Bot Connector, a runtime on the test board, and the real web app
served by uvicorn on 127.0.0.1 (port 0) with the Agents SDK endpoint mounted."""

from __future__ import annotations

import copy
import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from commands.clock import FixedClock
from tests.conftest import FIXTURES, load_board
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.graph import FakeGraph

TEAMS_FIXTURES = FIXTURES / "teams"
BOT_APP_ID = "00000000-0000-4000-8000-0000000b0700"


def activity(name: str, service_url: str, **replace: str) -> dict[str, Any]:
    """A fixture activity with its serviceUrl pointing at the fake connector; `replace` swaps
    placeholders in the JSON text (e.g. ROOT_MESSAGE_ID)."""
    text = (TEAMS_FIXTURES / f"{name}.json").read_text()
    for key, value in replace.items():
        text = text.replace(key, value)
    data: dict[str, Any] = json.loads(text)
    data.pop("_source", None)  # where the fixture's shape comes from: not part of the activity
    data["serviceUrl"] = service_url
    return copy.deepcopy(data)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith(("CONNECTIONS__", "CONNECTIONSMAP__", "SLACK_", "TEAMS_", "QABOT_", "SHAREPOINT_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env file is read


@pytest.fixture
def connector() -> Iterator[FakeBotConnector]:
    fake = FakeBotConnector().start()
    yield fake
    fake.stop()


def make_settings(sqlite_url: str, **env: Any) -> Settings:
    values: dict[str, Any] = {"QABOT_DATABASE_URL": sqlite_url, "QABOT_HOST": "127.0.0.1"}
    values.update(env)
    return Settings(**values)


MakeRuntime = Callable[..., Runtime]


@pytest.fixture
def make_runtime(sqlite_url: str, clock: FixedClock) -> Iterator[MakeRuntime]:
    made: list[Runtime] = []

    def _make(**env: Any) -> Runtime:
        rt = build_runtime(make_settings(sqlite_url, **env), clock)
        if not made:
            load_board(rt.sessions, clock)
        made.append(rt)
        return rt

    yield _make
    for rt in made:
        rt.engine.dispose()


@pytest.fixture
def runtime(make_runtime: MakeRuntime) -> Runtime:
    """Anonymous mode (TEAMS_ALLOW_ANONYMOUS=true), the way an emulator is used locally."""
    return make_runtime(TEAMS_ALLOW_ANONYMOUS="true")


class Served:
    def __init__(self, url: str, app: Any = None) -> None:
        self.url = url
        self.app = app

    def idle(self, timeout: float = 30.0) -> bool:
        """Until the posts the turns queued have been sent (they go out after the turn)."""
        return bool(self.app.state.teams_bot.wait_idle(timeout))

    def post(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        return httpx.post(f"{self.url}/api/messages", json=body, headers=headers or {}, timeout=30)


Serve = Callable[[Runtime], Served]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Serve bot.web.create_app(runtime=...) with uvicorn on 127.0.0.1:<free port>."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def _serve(rt: Runtime) -> Served:
        from bot.web import create_app

        app = create_app(runtime=rt)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)  # connections wait in the backlog until uvicorn accepts: no polling
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        running.append((server, thread))
        return Served(f"http://127.0.0.1:{port}", app)

    yield _serve
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=10)


GRAPH_SITE = "contoso.sharepoint.com:/sites/SSCB"  # the SharePoint site the Graph fake serves


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    """Microsoft Graph on loopback, for files posted in Teams threads."""
    with FakeGraph(site_path=GRAPH_SITE) as g:
        yield g
