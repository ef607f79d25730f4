"""The web app: one ASGI app for every platform that is configured.

    python -m bot.web [--host 0.0.0.0] [--port 3000]    (the Procfile's web process)
    qabot web                                           (the same, plus the clock on SQLite)

Both run uvicorn with the deadlines for slow requests (bot/http_timeouts.py);
`uvicorn --factory bot.web:create_app` serves the same app without them.

POST /slack/events (Slack), POST /api/messages (Teams), GET /healthz. Every connector
mounts its own routes (bot/connectors.py); a Teams-only board needs no Slack settings and
the reverse, and each platform's SDK is imported only when that platform is configured.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from bot.http_guard import BodyGuard

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.settings import Settings

log = logging.getLogger("qabot.web")


def create_app(
    settings: Settings | None = None, runtime: Runtime | None = None, *, recover: bool | None = None
) -> FastAPI:
    """Build the app from the environment (or the given settings/runtime, for tests).

    With `recover` (the default when it builds its own runtime, as `uvicorn --factory` does)
    it finishes the deliveries a previous process stored but did not answer, at start-up and
    every QABOT_INBOX_RECOVER_SECONDS after (bot/intake.py)."""
    if recover is None:
        recover = runtime is None
    if runtime is None:
        from bot.runtime import build_runtime
        from bot.settings import load_settings

        settings = settings or load_settings()
        logging.basicConfig(level=getattr(logging, settings.log_level.upper(), logging.INFO))
        logging.getLogger("alembic").setLevel(logging.WARNING)
        runtime = build_runtime(settings, warm_guard=True)
    rt = runtime
    app = FastAPI(title="QA Bot", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = rt
    # Outermost: a body too large, too slow or with a malformed length never reaches a route.
    app.add_middleware(BodyGuard, read_timeout=rt.settings.body_timeout_seconds)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        from sqlalchemy import text

        try:
            with rt.engine.connect() as c:
                c.execute(text("select 1"))
            db = "ok"
        except Exception:
            db = "unavailable"
        body = {"status": "ok" if db == "ok" else "degraded", "database": db, "platforms": list(rt.platforms)}
        return JSONResponse(body, status_code=200 if db == "ok" else 503)

    for connector in rt.connectors.chat:
        connector.mount(app, rt.core)
    if recover:
        rt.core.intake.start()  # after the mounts: each platform has registered its worker
    return app


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.web`: the web app under uvicorn, as `uvicorn --factory` would start it
    (the clock runs in its own process), with the deadlines and limits of `qabot web`."""
    import argparse

    import uvicorn

    from bot.http_timeouts import uvicorn_options
    from bot.settings import load_settings
    from commands.errors import ConfigError

    parser = argparse.ArgumentParser(prog="python -m bot.web", description=main.__doc__)
    parser.add_argument("--host", default=None, help="address to listen on (default QABOT_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default PORT, QABOT_PORT or 3000)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        app = create_app(settings)
    except ConfigError as e:
        print(e, file=sys.stderr)
        return 2
    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    uvicorn.run(app, host=host, port=port, **uvicorn_options(settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
