"""Slow partial requests (slowloris) against a real uvicorn on loopback, with the protocol
`qabot web` and the Procfile give it (bot/http_timeouts.py) and short deadlines.

A raw socket client sends a request a few bytes at a time, paced only by reading the socket
with a bound (nothing is slept): the server's own timer answers 408 and closes the connection,
however many bytes keep trickling in. A request that arrives whole is served as usual, and
the time the app then takes is not counted against it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.http_timeouts import UVICORN_LIMITS, TimedH11Protocol, timed_h11, uvicorn_options
from bot.runtime import Runtime
from tests.hardening.conftest import table_counts

HEADER_TIMEOUT = 0.4
BODY_TIMEOUT = 0.4
BOUND = 10.0  # the longest any read waits: a server that never answers fails the test, not hangs it
PACE = 0.05  # the client's read between two bytes: how slowly it sends


@contextmanager
def server(app: ASGIApp, *, header_timeout: float, body_timeout: float) -> Iterator[int]:
    """uvicorn on 127.0.0.1 (a port of its own) with these deadlines; yields the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # connections queue from here on: no need to wait for the server to start
    config = uvicorn.Config(
        app,
        lifespan="off",
        access_log=False,
        log_level="warning",
        **{**UVICORN_LIMITS, "http": timed_h11(header_timeout, body_timeout)},
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        srv.should_exit = True
        thread.join(timeout=BOUND)
        sock.close()


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=BOUND)


def read_answer(conn: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (within the bound)."""
    conn.settimeout(BOUND)
    out = b""
    while chunk := conn.recv(4096):
        out += chunk
    return out


def read_response(conn: socket.socket) -> bytes:
    """One whole response (its headers, then Content-Length bytes of body), within the bound."""
    conn.settimeout(BOUND)
    out = b""
    while b"\r\n\r\n" not in out:
        chunk = conn.recv(4096)
        assert chunk, f"closed after {out!r}"
        out += chunk
    head, _, body = out.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = conn.recv(4096)
        assert chunk, "closed in the middle of the body"
        body += chunk
    return head + b"\r\n\r\n" + body


def dribble(conn: socket.socket, data: bytes) -> tuple[bytes, int]:
    """Send `data` one byte at a time, reading the socket for PACE between bytes; stops as soon
    as the server says something. Returns what it said (all of it, until it closed) and how
    many bytes were sent."""
    conn.settimeout(PACE)
    for sent, byte in enumerate(data):
        try:
            first = conn.recv(4096)
        except TimeoutError:
            try:
                conn.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                return read_answer(conn), sent
            continue
        return first + (read_answer(conn) if first else b""), sent
    return read_answer(conn), len(data)


SLOW_HEADERS = (
    b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    + b"".join(b"X-Padding-%d: %s\r\n" % (i, b"y" * 40) for i in range(40))
)


def _app(rt: Runtime) -> ASGIApp:
    from bot.web import create_app

    return create_app(runtime=rt)


def test_headers_that_trickle_in_are_answered_408_and_closed(slack_rt: Runtime) -> None:
    with server(_app(slack_rt), header_timeout=HEADER_TIMEOUT, body_timeout=BOUND) as port:
        conn = connect(port)
        started = time.monotonic()
        answer, sent = dribble(conn, SLOW_HEADERS)
        took = time.monotonic() - started
        conn.close()
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer[:200]
    assert b"connection: close" in answer.lower()
    # The deadline runs from the first byte: each new byte does not put it off.
    assert sent < len(SLOW_HEADERS), "the whole request got through"
    assert HEADER_TIMEOUT <= took < HEADER_TIMEOUT + 3, took


def test_a_body_that_trickles_in_is_answered_408_by_the_server_and_nothing_is_stored(
    slack_rt: Runtime,
) -> None:
    before = table_counts(slack_rt.sessions)
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000\r\n\r\n"
    )
    # The app's own body deadline (BodyGuard, QABOT_BODY_TIMEOUT_SECONDS) is 15 s here: the 408
    # within a second comes from the server's protocol.
    assert slack_rt.settings.body_timeout_seconds >= 10
    with server(_app(slack_rt), header_timeout=BOUND, body_timeout=BODY_TIMEOUT) as port:
        conn = connect(port)
        conn.sendall(head)
        started = time.monotonic()
        answer, sent = dribble(conn, b"command=%2Faction&text=" + b"a" * 1977)
        took = time.monotonic() - started
        conn.close()
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert sent < 2000
    assert BODY_TIMEOUT <= took < BODY_TIMEOUT + 3, took
    assert table_counts(slack_rt.sessions) == before


def test_a_connection_that_sends_nothing_is_closed(slack_rt: Runtime) -> None:
    with server(_app(slack_rt), header_timeout=HEADER_TIMEOUT, body_timeout=BOUND) as port:
        conn = connect(port)
        answer = read_answer(conn)
        conn.close()
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]


def test_a_whole_request_is_served_and_the_connection_kept(slack_rt: Runtime) -> None:
    """No deadline is left running once a request has arrived: the kept-alive connection is
    still open after longer than both deadlines, and serves a second request."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with server(_app(slack_rt), header_timeout=HEADER_TIMEOUT, body_timeout=BODY_TIMEOUT) as port:
        conn = connect(port)
        for _ in range(2):
            conn.sendall(request)
            answer = read_response(conn)
            assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
            conn.settimeout(3 * HEADER_TIMEOUT)  # under uvicorn's keep-alive (5 s)
            with pytest.raises(TimeoutError):
                conn.recv(4096)  # neither a 408 nor a close
        conn.close()


def test_the_time_the_app_takes_is_not_counted() -> None:
    """The deadline is for the request to arrive; an answer that takes longer is still sent."""
    release = threading.Event()

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await receive()
        await asyncio.get_running_loop().run_in_executor(None, release.wait, BOUND)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})

    with server(slow_app, header_timeout=HEADER_TIMEOUT, body_timeout=BODY_TIMEOUT) as port:
        conn = connect(port)
        conn.sendall(b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nhi")
        conn.settimeout(3 * HEADER_TIMEOUT)
        with pytest.raises(TimeoutError):
            conn.recv(4096)  # the app is still working, past both deadlines: no 408
        release.set()
        assert read_response(conn).startswith(b"HTTP/1.1 200 ")
        conn.close()


def test_qabot_web_and_the_procfile_give_uvicorn_the_timed_protocol(
    slack_rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways the web process starts hand uvicorn the timed protocol with the configured
    deadlines and the same limits; the Procfile's web process is `python -m bot.web`."""
    from pathlib import Path

    import bot.scheduler
    import bot.web
    from bot.cli_web import serve

    web_line = next(
        line
        for line in (Path(__file__).parents[2] / "Procfile").read_text().splitlines()
        if line.startswith("web:")
    )
    assert web_line.split()[1:4] == ["python", "-m", "bot.web"], web_line

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.setattr(bot.web, "create_app", lambda *a, **kw: object())
    monkeypatch.setattr(bot.scheduler, "start_background", lambda rt: None)
    monkeypatch.setenv("QABOT_HEADER_TIMEOUT_SECONDS", "7")
    monkeypatch.setenv("QABOT_BODY_TIMEOUT_SECONDS", "21")
    assert bot.web.main(["--port", "0"]) == 0
    assert serve(slack_rt, port=0) == 0
    from_procfile, from_qabot_web = calls
    expected = uvicorn_options(slack_rt.settings) | {"host": "127.0.0.1", "port": 0}
    assert from_qabot_web.keys() == expected.keys()
    assert {k: v for k, v in from_qabot_web.items() if k != "http"} == {
        k: v for k, v in expected.items() if k != "http"
    }
    timed = from_qabot_web["http"]
    assert (timed.header_timeout, timed.body_timeout) == (
        slack_rt.settings.header_timeout_seconds,
        slack_rt.settings.body_timeout_seconds,
    )
    for kw in calls:
        assert issubclass(kw["http"], TimedH11Protocol)
        assert {k: kw[k] for k in UVICORN_LIMITS} == UVICORN_LIMITS
    assert (from_procfile["http"].header_timeout, from_procfile["http"].body_timeout) == (7.0, 21.0)
