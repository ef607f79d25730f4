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
        body = await request.body()  # bot.http_guard has already bounded its size and time
        if len(body) > MAX_BODY:
            return Response(status_code=413)
        if not _plausible_timestamp(request.headers.get("x-slack-request-timestamp")):
            # Bolt turns the header into a number before checking the signature, so a
            # non-numeric one (signed or not) would be a 500: it is refused as unsigned.
            return Response(status_code=401)
        try:
            bolt_request = to_bolt_request(request, body)
        except ValueError:  # not UTF-8, or a payload= that is not JSON (before any signature check)
            return Response(status_code=400)
        try:
            # dispatch() blocks until the listener has acknowledged: keep it off the event loop.
            bolt_response = await run_in_threadpool(adapter.app.dispatch, bolt_request)
        except Exception as e:
            # Bolt checks the signature first, so only a signed request of a shape Slack never
            # sends gets here; it changed nothing.
            # Its type only: the message or traceback could quote the body.
            log.warning("Slack request of an unexpected shape refused (%s)", type(e).__name__)
            return Response(status_code=400)
        return to_starlette_response(bolt_response)

    return adapter


def _plausible_timestamp(value: str | None) -> bool:
    """Absent (Bolt answers 401) or a whole number of seconds, as Slack sends it."""
    return value is None or (value.isascii() and value.strip().isdigit() and len(value.strip()) < 16)
