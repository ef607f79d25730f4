"""A web process for the load benchmarks: `python -m benchmarks._serve qabot|bare`.

qabot: the real web app (bot.web:create_app, configured from the environment).
bare:  a slack-bolt app that only acknowledges, behind the same FastAPI route and the same
       uvicorn server, so the two differ only in what the bot does.

Binds 127.0.0.1 on a free port and prints `PORT <n>` once it is listening. On SIGUSR1 it
writes the third-party modules it has imported to $QABOT_BENCH_MODULES (for the memory floor).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sys
from typing import Any

from fastapi import FastAPI, Request, Response


def bare_app() -> FastAPI:
    from slack_bolt import Ack, App
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from slack_sdk import WebClient
    from starlette.concurrency import run_in_threadpool

    # The same fake Slack Web API as the bot (Bolt calls auth.test once, on the first request).
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    bolt = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=client,
        token_verification_enabled=False,
        process_before_response=True,  # as the bot: the ack runs on the request's thread
    )

    @bolt.command(re.compile(r"^/(action|finding|qa|s11|docs)$"))
    def only_ack(ack: Ack) -> None:
        ack()

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/slack/events")
    async def slack_events(request: Request) -> Response:  # the same route as integrations/slack/web.py
        body = await request.body()
        bolt_request = to_bolt_request(request, body)
        bolt_response = await run_in_threadpool(bolt.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    return app


def before_gate_and_batch() -> None:
    """The acknowledgement as it was before the write gate and group commit: one transaction
    per delivery, and SQLite's busy handler alone deciding who writes next."""

    from bot.intake import Intake
    from store import inbox
    from store.write_gate import WriteGate

    WriteGate.acquire = lambda self, **_: False  # type: ignore[method-assign]

    def accept(self: Intake, platform: str, kind: str, key: str, payload: dict[str, Any]) -> int | None:
        with self.sessions() as s, s.begin():
            return inbox.accept(
                s, key=key, platform=platform, kind=kind, payload=payload, at=self.clock.now(), by=self.me
            )

    Intake.accept = accept  # type: ignore[method-assign]


def without_ack_first_or_freeze() -> None:
    """`--variant no-ack-first`: the work after an acknowledgement starts at once, whatever is
    being acknowledged (bot/ack_first.py). `--variant no-freeze`: start-up's objects stay
    in the collector's reach (bot/runtime.py). Each the code before that change."""
    if os.environ.get("QABOT_BENCH_NO_ACK_FIRST"):
        from bot.ack_first import AckFirst

        AckFirst.wait_turn = lambda self, row_id: None  # type: ignore[method-assign]
    if os.environ.get("QABOT_BENCH_NO_FREEZE"):
        import gc

        gc.freeze = lambda: None


def insert_through_sqlalchemy() -> None:
    """`--variant sqlalchemy-insert`: the PostgreSQL acknowledgement's INSERT as it was run
    before it went to psycopg directly: SQLAlchemy's execution on a pooled connection, a
    dropped connection noticed by SQLAlchemy (same statement, same autocommit pool)."""
    from sqlalchemy import Engine
    from sqlalchemy.exc import DBAPIError

    from store import inbox

    def accept_alone(engine: Engine, **row: Any) -> int | None:
        values = inbox._row(**row)
        for last_try in (False, True):
            try:
                with engine.connect() as conn:
                    row_id = conn.execute(inbox._ACCEPT[True], values).scalar()
                return int(row_id) if row_id is not None else None
            except DBAPIError as e:
                if last_try or not e.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    inbox.accept_alone = accept_alone


def write_modules(*_: Any) -> None:
    """Every third-party module this process has imported (submodules included), so a bare
    interpreter can import exactly the same code for the memory floor."""
    path = os.environ.get("QABOT_BENCH_MODULES")
    if not path:
        return
    stdlib = set(sys.stdlib_module_names)
    own = {"bot", "commands", "integrations", "store", "benchmarks", "tests", "__main__", "__mp_main__"}
    names = sorted(
        name
        for name, mod in list(sys.modules.items())
        if mod is not None and not name.startswith("_") and name.split(".")[0] not in stdlib | own
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(names) + "\n")


def main() -> int:
    import uvicorn

    kind = sys.argv[1] if len(sys.argv) > 1 else "qabot"
    trace = None
    if kind == "bare":
        app = bare_app()
    else:
        from bot.web import create_app

        if os.environ.get("QABOT_BENCH_BEFORE"):  # intake_bench --variant before
            before_gate_and_batch()
        without_ack_first_or_freeze()
        if os.environ.get("QABOT_BENCH_SQLALCHEMY_INSERT"):
            insert_through_sqlalchemy()
        app = create_app()
        if os.environ.get("QABOT_BENCH_TRACE"):
            from benchmarks._inbox_trace import Trace

            trace = Trace()
            rt = app.state.runtime
            trace.install(rt.engine, rt.core.intake, getattr(app.state, "slack", None))
            signal.signal(signal.SIGUSR2, trace.write_on_signal)
    signal.signal(signal.SIGUSR1, write_modules)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
