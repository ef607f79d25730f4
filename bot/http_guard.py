"""An ASGI middleware in front of every route: the body is counted while it arrives.

A request whose Content-Length is not a number is answered 400, one that says or turns out
to be larger than `max_body` 413, and one whose body has not all arrived within
`read_timeout` seconds 408 — before any route, SDK or JSON parser sees it. Only the allowed
bytes are ever held (today's routes read the whole body into memory first, so one 100 MB
chunked POST grew the process by 230 MB). Nothing of a refused body is logged.

Under uvicorn the server's own protocol (bot/http_timeouts.py) also times out headers and
bodies that trickle in; this middleware keeps the body's deadline for any other ASGI server.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("qabot.web")

# Slack and Teams payloads are a few KB; Slack documents no request above a few hundred KB.
MAX_BODY = 1_000_000
# A real platform sends the whole body at once; a client trickling it holds a worker.
BODY_READ_TIMEOUT = 15.0


class BodyGuard:
    def __init__(
        self, app: ASGIApp, *, max_body: int = MAX_BODY, read_timeout: float = BODY_READ_TIMEOUT
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared == "malformed":
            await _refuse(scope, send, 400, "malformed Content-Length")
            return
        if isinstance(declared, int) and declared > self.max_body:
            await _refuse(scope, send, 413, "request body too large")
            return
        body = await self._read(scope, receive, send)
        if body is None:
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only the disconnect is left to hear

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The whole body, or None once the request has been answered (or the client left)."""
        chunks: list[bytes] = []
        size = 0
        try:
            # One timer for the whole body, not one per chunk (a platform sends it in one).
            async with asyncio.timeout(self.read_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return None
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_body:
                        break
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(chunks)
        except TimeoutError:
            await _refuse(scope, send, 408, "request body not received in time")
            return None
        await _refuse(scope, send, 413, "request body too large")
        return None


def _content_length(scope: Scope) -> int | str | None:
    values = [v for k, v in scope.get("headers", []) if k.lower() == b"content-length"]
    if not values:
        return None
    if len(set(values)) > 1 or not values[0].strip().isdigit():
        return "malformed"
    return int(values[0])


async def _refuse(scope: Scope, send: Send, status: int, reason: str) -> None:
    # The path only: never the body, the query string or the headers (they may carry tokens).
    log.warning("%s %s refused: %s (%d)", scope.get("method"), scope.get("path"), reason, status)
    body = f'{{"error": "{reason}"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
