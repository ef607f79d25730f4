"""The web app: one ASGI app for every platform that is configured.

    uvicorn --factory bot.web:create_app

POST /slack/events (Slack), POST /api/messages (Teams), GET /healthz. Every connector
mounts its own routes (bot/connectors.py); a Teams-only board needs no Slack settings and
the reverse, and each platform's SDK is imported only when that platform is configured.
"""

from __future__ import annotations

import logging
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
    app.add_middleware(BodyGuard)

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
