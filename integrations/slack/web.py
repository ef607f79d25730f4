"""POST /slack/events: every Slack request (slash commands, events, shortcuts, buttons,
modal submissions) on the one web app. Bolt verifies the signature (401 when it is wrong or
the timestamp is more than five minutes old) and acknowledges; the work runs after, in the
App's listener executor."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, Response
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

from commands.ports import CorePort
from integrations.slack.app import SlackApp, build_app
from integrations.slack.settings import SlackSettings

log = logging.getLogger("qabot.slack.web")

MAX_BODY = 1_000_000


def mount(app: FastAPI, core: CorePort, settings: SlackSettings) -> SlackApp:
    """POST /slack/events on `app`; the Slack App behind it is also kept as app.state.slack."""
    adapter = build_app(core, settings)
    app.state.slack = adapter

    @app.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return Response(status_code=413)
        try:
            bolt_request = to_bolt_request(request, body)
        except ValueError:  # not UTF-8, or a payload= that is not JSON (before any signature check)
            return Response(status_code=400)
        try:
            # dispatch() blocks until the listener has acknowledged: keep it off the event loop.
            bolt_response = await run_in_threadpool(adapter.app.dispatch, bolt_request)
        except Exception:
            # Bolt checks the signature first, so only a signed request of a shape Slack never
            # sends gets here; it changed nothing.
            log.warning("Slack request of an unexpected shape refused", exc_info=True)
            return Response(status_code=400)
        return to_starlette_response(bolt_response)

    return adapter
