"""A fake Slack Socket Mode server: a WebSocket endpoint on 127.0.0.1 (aiohttp).

The bot asks the fake Web API (`apps.connections.open`, tests/fakes/slack_api.py) for a
WebSocket URL and gets `fake_socket.url`. When it connects, the server sends Slack's `hello`;
the test then pushes envelopes in the shapes Slack documents
(https://docs.slack.dev/apis/events-api/using-socket-mode/):

    {"envelope_id": "…", "type": "slash_commands" | "events_api" | "interactive",
     "payload": {…}, "accepts_response_payload": bool[, "retry_attempt": n, "retry_reason": "…"]}

and records every acknowledgement the bot sends back (`{"envelope_id": "…"[, "payload": …]}`)
with how long it took after the envelope was sent. Like Slack's own servers it pings the
client (every `heartbeat` seconds) and answers the client's pings.

Tests wait with `fake.wait_for(lambda: …)` (a condition variable, not a sleep).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web


@dataclass
class Ack:
    envelope_id: str
    after: float  # seconds from sending the envelope to receiving its acknowledgement
    payload: dict[str, Any] | None = None


@dataclass
class Connection:
    path: str
    query: dict[str, str]
    opened_at: float
    closed_at: float | None = None
    received: list[dict[str, Any]] = field(default_factory=list)  # every text frame, parsed


class FakeSocketMode:
    APP_ID = "A0QABOT01"

    def __init__(self, *, heartbeat: float = 0.5) -> None:
        self.heartbeat = heartbeat
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.connections: list[Connection] = []
        self.sent: dict[str, float] = {}  # envelope_id -> when it was sent (monotonic)
        self.acks: dict[str, Ack] = {}  # envelope_id -> its first acknowledgement
        self.duplicate_acks: list[str] = []
        self.unknown: list[dict[str, Any]] = []  # frames that acknowledge nothing we sent
        self._ws: web.WebSocketResponse | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._seq = 0

    # ----- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeSocketMode:
        ready = threading.Event()
        failed: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._open())
            except BaseException as e:  # reported to start()
                failed.append(e)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-slack-socket", daemon=True)
        self._thread.start()
        if not ready.wait(10) or failed:
            raise RuntimeError(f"the fake Socket Mode server did not start: {failed}")
        return self

    async def _open(self) -> None:
        app = web.Application()
        app.router.add_get("/link/", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])  # (host, port) of the bound socket

    async def _close(self) -> None:
        ws = self._ws
        if ws is not None and not ws.closed:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._loop = self._thread = None

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """What apps.connections.open hands out: a ws:// URL with a ticket, like Slack's wss://."""
        assert self._port, "start() the fake first"
        return f"ws://127.0.0.1:{self._port}/link/?ticket=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0&app_id={self.APP_ID}"

    # ----- the WebSocket -----------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=self.heartbeat, autoping=True)
        await ws.prepare(request)
        conn = Connection(request.path, dict(request.query), time.monotonic())
        with self.cond:
            self.connections.append(conn)
            self._ws = ws
            self.cond.notify_all()
        await ws.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {
                        "host": "applink-7fc4fdbb64-4x5xq",
                        "build_number": 10,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": self.APP_ID},
                }
            )
        )
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            self._received(conn, msg.data)
        with self.cond:
            conn.closed_at = time.monotonic()
            if self._ws is ws:
                self._ws = None
            self.cond.notify_all()
        return ws

    def _received(self, conn: Connection, data: str) -> None:
        now = time.monotonic()
        try:
            frame = json.loads(data)
        except ValueError:
            frame = {"unparsed": data}
        with self.cond:
            conn.received.append(frame)
            eid = frame.get("envelope_id") if isinstance(frame, dict) else None
            if isinstance(eid, str) and eid in self.sent:
                if eid in self.acks:
                    self.duplicate_acks.append(eid)
                else:
                    self.acks[eid] = Ack(eid, now - self.sent[eid], frame.get("payload"))
            else:
                self.unknown.append(frame)
            self.cond.notify_all()

    # ----- what the test does ------------------------------------------------------------

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> bool:
        with self.cond:
            return bool(self.cond.wait_for(predicate, timeout))

    def connected(self) -> bool:
        with self.lock:
            return self._ws is not None and not self._ws.closed

    def next_envelope_id(self) -> str:
        with self.lock:
            self._seq += 1
            return f"{self._seq:08x}-5c2f-4b6e-9a1d-{self._seq:012x}"

    def send(self, envelope: dict[str, Any], timeout: float = 5.0) -> str:
        """Push one envelope to the connected bot; returns its envelope_id."""
        assert self._loop is not None, "start() the fake first"
        assert self.wait_for(self.connected, timeout), "the bot is not connected"
        ws = self._ws
        assert ws is not None
        eid = str(envelope["envelope_id"])
        with self.lock:
            self.sent[eid] = time.monotonic()
        asyncio.run_coroutine_threadsafe(ws.send_str(json.dumps(envelope)), self._loop).result(timeout)
        return eid

    def ack_of(self, envelope_id: str) -> Ack | None:
        with self.lock:
            return self.acks.get(envelope_id)

    # ----- envelopes, as Slack sends them ------------------------------------------------

    def slash_command(self, payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "envelope_id": self.next_envelope_id(),
            "type": "slash_commands",
            "payload": payload,
            "accepts_response_payload": True,
        }

    def events_api(
        self, payload: dict[str, Any], *, retry_attempt: int = 0, retry_reason: str = ""
    ) -> dict[str, Any]:
        return {
            "envelope_id": self.next_envelope_id(),
            "type": "events_api",
            "payload": payload,
            "accepts_response_payload": False,
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }

    def interactive(self, payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "envelope_id": self.next_envelope_id(),
            "type": "interactive",
            "payload": payload,
            "accepts_response_payload": payload.get("type") in ("view_submission", "block_suggestion"),
        }
