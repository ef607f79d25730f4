"""A fake Bot Connector (the Teams service the bot posts to), on 127.0.0.1 and port 0.

It records every request and answers like the real one:
- POST v3/conversations -> {"id": "<conversation id>", "activityId": "<id>"}: for a channel
  (channelData.channel.id) a new reply chain "19:…;messageid=<activityId>"; for members a
  new 1:1 chat "a:…";
- POST v3/conversations/{id}/activities[/{replyToId}] -> {"id": "<new activity id>"};
- PUT  v3/conversations/{id}/activities/{activityId} -> {"id": activityId}.
Failures can be injected: `fail_next(status, times=1, retry_after=None)`.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit


@dataclass
class Recorded:
    method: str
    path: str  # after the base path, e.g. "v3/conversations/19:x@thread.tacv2/activities/123"
    body: dict[str, Any]
    headers: dict[str, str]
    conversation_id: str | None = None
    reply_to_id: str | None = None

    @property
    def card(self) -> dict[str, Any] | None:
        activity = self.body.get("activity", self.body)
        for att in activity.get("attachments") or []:
            if att.get("contentType") == "application/vnd.microsoft.card.adaptive":
                content: dict[str, Any] = att["content"]
                return content
        return None

    @property
    def text(self) -> str:
        """All the visible text of the card (or the activity's text)."""
        card = self.card
        if card is None:
            activity = self.body.get("activity", self.body)
            return str(activity.get("text") or "")
        return "\n".join(_texts(card))


def _texts(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            out.append(str(node.get("text", "")))
        if node.get("type") == "FactSet":
            out += [f"{f['title']}: {f['value']}" for f in node.get("facts", [])]
        for key in ("body", "items", "columns"):
            out += _texts(node.get(key))
    elif isinstance(node, list):
        for item in node:
            out += _texts(item)
    return out


@dataclass
class _Failure:
    status: int
    times: int
    retry_after: float | None


@dataclass
class FakeBotConnector:
    base_path: str = "/teams/"
    requests: list[Recorded] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1764160000000))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.base_path}"

    def start(self) -> FakeBotConnector:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                return

            def _answer(
                self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else {}
                status, answer, headers = fake._route(self.command, self.path, body, dict(self.headers))
                delay = fake._take_late(fake.requests[-1] if fake.requests else None)
                if delay:
                    time.sleep(delay)  # the fake is slow: the post is kept, the answer comes late
                self._answer(status, answer, headers)

            do_POST = _handle
            do_PUT = _handle
            do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def answer_late(
        self, seconds: float, times: int = 1, where: Callable[[Recorded], bool] | None = None
    ) -> None:
        """Keep the next `times` posts (those `where` picks, else any) but answer only after
        `seconds` (a sender's timeout)."""
        with self._lock:
            self._late = [seconds] * times
            self._late_where = where

    def _take_late(self, rec: Recorded | None) -> float:
        with self._lock:
            late: list[float] = getattr(self, "_late", [])
            where: Callable[[Recorded], bool] | None = getattr(self, "_late_where", None)
            if not late or (where is not None and (rec is None or not where(rec))):
                return 0.0
            return late.pop(0)

    def ids_from(self, now: Callable[[], datetime]) -> None:
        """New message ids as Teams' are observed to be (not documented): the creation time in
        Unix milliseconds, here read from the test's clock (one more per id, kept unique)."""
        with self._lock:
            self._clock_ids = now

    def channel_created(self, channel: str) -> list[Recorded]:
        """The reply chains started in a channel, oldest first."""
        return [r for r in self.created() if ((r.body.get("channelData") or {}).get("channel") or {}).get("id") == channel]

    def fail_next(self, status: int, times: int = 1, retry_after: float | None = None) -> None:
        with self._lock:
            self._failures.append(_Failure(status, times, retry_after))

    def _next_id(self) -> str:
        now: Callable[[], datetime] | None = getattr(self, "_clock_ids", None)
        if now is None:
            return str(next(self._ids))
        millis = int(now().timestamp() * 1000)
        last: int = getattr(self, "_last_clock_id", 0)
        self._last_clock_id = max(millis, last + 1)
        return str(self._last_clock_id)

    def _route(
        self, method: str, raw_path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        path = unquote(urlsplit(raw_path).path)
        path = path[len(self.base_path) :] if path.startswith(self.base_path) else path.lstrip("/")
        rec = Recorded(method=method, path=path, body=body, headers=headers)
        with self._lock:
            self.requests.append(rec)
            if self._failures:
                failure = self._failures[0]
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.pop(0)
                extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                return failure.status, {"error": {"code": "Injected", "message": "injected failure"}}, extra
        parts = path.split("/")
        if method == "POST" and parts == ["v3", "conversations"]:
            activity_id = self._next_id()
            channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
            conv = f"{channel};messageid={activity_id}" if channel else f"a:1fake-chat-{activity_id}"
            rec.conversation_id = conv
            return 201, {"id": conv, "activityId": activity_id}, {}
        if len(parts) >= 4 and parts[:2] == ["v3", "conversations"] and parts[3] == "activities":
            rec.conversation_id = parts[2]
            if len(parts) == 5:
                rec.reply_to_id = parts[4]
            if method == "PUT":
                return 200, {"id": parts[4]}, {}
            if method == "DELETE":
                return 200, {}, {}
            return 201, {"id": self._next_id()}, {}
        return 404, {"error": {"code": "NotFound", "message": f"no route {method} {path}"}}, {}

    # -- what tests look at ----------------------------------------------------------

    def messages(self) -> list[Recorded]:
        """Activities posted into conversations (replies and posts), oldest first."""
        return [
            r
            for r in self.requests
            if r.method == "POST" and r.conversation_id is not None and r.path != "v3/conversations"
        ]

    def created(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == "v3/conversations"]
