"""A deadline for every request to arrive whole, kept by uvicorn's own HTTP/1.1 protocol.

uvicorn has no timeout for a client that sends its request line and headers, or its body, a
few bytes at a time (slowloris): such a connection is held for as long as the client likes,
and `limit_concurrency` of them shut everyone else out. `TimedH11Protocol` is uvicorn's h11
protocol with one timer per request: started when the connection opens and when the first
bytes of a request arrive, started again for the body once the headers are in, stopped once
the whole request has arrived (the app's own time is not counted). When it fires first, the
client is answered 408 and the connection closed. A connection idle between requests is left
to uvicorn's `timeout_keep_alive`.

`qabot web` and `python -m bot.web` (the Procfile) both hand uvicorn `uvicorn_options(...)`:
this class as `http=`, with the timeouts of the settings, and the limits below.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger("qabot.web")

HEADER_TIMEOUT = 10.0  # seconds for the request line and headers, from the first byte (or the connect)
BODY_TIMEOUT = 15.0  # seconds for the body, once the headers are in

# The rest of what uvicorn is told (`qabot web` and the Procfile alike).
UVICORN_LIMITS: dict[str, Any] = {
    "timeout_keep_alive": 5,  # seconds an idle kept-alive connection is held
    "limit_concurrency": 200,  # connections and tasks at once; more are answered 503
    "h11_max_incomplete_event_size": 16_384,  # bytes of an unfinished request line and headers
}

HEADERS, BODY = "headers", "body"
_BODY_408 = b'{"error": "request not received in time"}'
RESPONSE_408 = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
    b"content-length: " + str(len(_BODY_408)).encode() + b"\r\nconnection: close\r\n\r\n" + _BODY_408
)


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with a deadline for each request to arrive whole."""

    header_timeout = HEADER_TIMEOUT
    body_timeout = BODY_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._awaiting: str | None = None  # HEADERS or BODY while the timer runs

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await(HEADERS)  # a connection that never sends a byte is timed out too

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()  # a request that was waiting behind this one (pipelined) is read now

    def _follow(self) -> None:
        """Set the timer by how far the request being read has come."""
        if self.transport.is_closing():
            self._stop()
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            # Part of a request line or headers is held (h11 keeps what it cannot parse yet).
            if self._awaiting is None and self.conn.trailing_data[0]:
                self._await(HEADERS)
        elif state is h11.SEND_BODY:
            if self._awaiting != BODY:
                self._await(BODY)
        else:  # DONE, MUST_CLOSE, CLOSED, ERROR, SWITCHED_PROTOCOL: nothing more to wait for
            self._stop()

    def _await(self, part: str) -> None:
        self._stop()
        seconds = self.header_timeout if part == HEADERS else self.body_timeout
        self._awaiting = part
        self._deadline = self.loop.call_later(seconds, self._timed_out)

    def _stop(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._awaiting = None, None

    def _timed_out(self) -> None:
        part = self._awaiting
        self._deadline, self._awaiting = None, None
        if self.transport.is_closing():
            return
        cycle = self.cycle if part == BODY else None
        if cycle is not None and cycle.response_started:
            self.transport.close()  # answered already (a 413, say); the client is still trickling
            return
        if cycle is not None:
            # The app hears a disconnect; anything it still sends goes nowhere.
            cycle.disconnected = True
            cycle.message_event.set()
        seconds = self.header_timeout if part == HEADERS else self.body_timeout
        where = f"{self.scope['method']} {self.scope['path']}" if cycle is not None else "a request"
        # The method and path only: never the headers or body (they may carry tokens).
        log.warning("%s: %s not received within %g s: answered 408 and closed", where, part, seconds)
        self.transport.write(RESPONSE_408)
        self.transport.close()


def timed_h11(header_timeout: float, body_timeout: float) -> type[TimedH11Protocol]:
    """The protocol class with these deadlines (uvicorn builds one instance per connection)."""

    class Configured(TimedH11Protocol):
        pass

    Configured.header_timeout = header_timeout
    Configured.body_timeout = body_timeout
    return Configured


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What `uvicorn.run` is given besides the app, host and port."""
    return {
        **UVICORN_LIMITS,
        "http": timed_h11(settings.header_timeout_seconds, settings.body_timeout_seconds),
        "access_log": False,
        "log_level": settings.log_level.lower(),
    }
