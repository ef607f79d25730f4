"""`qabot web`: the web app (Slack's POST /slack/events, Teams' /api/messages, /healthz).

Listens on 127.0.0.1 unless told otherwise (--host or QABOT_HOST); a hosting platform's
Procfile passes --host 0.0.0.0 itself. On the embedded SQLite default the clock runs in the
same process; with PostgreSQL run `qabot clock` once per deployment.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from integrations.connector import Lifecycle

log = logging.getLogger("qabot.web")


def register(subparsers: Any) -> None:
    sp = subparsers.add_parser(
        "web",
        help="serve the web app for Slack and Teams (POST /slack/events, /api/messages, /healthz)",
        description="Serve the web app. Listens on 127.0.0.1 unless --host (or QABOT_HOST) says otherwise.",
    )
    sp.add_argument("--host", default=None, help="address to listen on (default QABOT_HOST or 127.0.0.1)")
    sp.add_argument("--port", type=int, default=None, help="port (default PORT, QABOT_PORT or 3000)")
    sp.set_defaults(func=cmd_web)


def cmd_web(args: argparse.Namespace) -> int:
    from bot.cli import runtime

    rt = runtime(args)
    return serve(rt, host=args.host, port=args.port)


def serve(rt: Runtime, *, host: str | None = None, port: int | None = None) -> int:
    import uvicorn

    from bot.http_timeouts import uvicorn_options
    from bot.scheduler import start_background
    from bot.settings import is_loopback_url
    from bot.socket_mode import uses_embedded_database
    from bot.web import create_app

    host = host or rt.settings.host
    port = port if port is not None else rt.settings.port
    if not 0 <= port <= 65535:
        print(f"--port {port} is not a port number", file=sys.stderr)
        return 2
    app = create_app(runtime=rt, recover=True)
    if not is_loopback_url(f"http://[{host}]/" if ":" in host else f"http://{host}/"):
        log.warning("listening on %s: reachable from other machines", host)
    scheduler = start_background(rt) if uses_embedded_database(rt) else None
    print(f"QA Bot web app on http://{host}:{port} (Slack: POST /slack/events). Ctrl+C to stop.", flush=True)
    started: list[Lifecycle] = []
    try:
        for connector in rt.connectors.enabled():
            started.append(connector)  # stopped even when its start fails half-way
            connector.start(rt.core)
        uvicorn.run(app, host=host, port=port, **uvicorn_options(rt.settings))
    finally:
        for connector in reversed(started):
            connector.stop()
        if scheduler is not None:
            scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
    return 0
