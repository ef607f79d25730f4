"""The clock process: APScheduler 3 calls the tick every minute. One per deployment."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from integrations.connector import DocumentSource

log = logging.getLogger("qabot.clock")

OUTBOX_SECONDS = 10


def tick_once(rt: Runtime) -> None:
    from bot.tick import run_tick

    try:
        result = run_tick(rt.sessions, rt.clock, rt.dispatcher(), rt.platforms)
        if any(result.queued.values()) or result.dispatch.sent:
            log.info("tick: queued %s, sent %s", result.queued, result.dispatch.sent)
    except Exception:
        log.exception("tick failed; the next one will pick up what is due")


def sync_if_due(source: DocumentSource) -> None:
    """One document library's sync (SharePoint: every Board.config["sharepoint"]["sync_minutes"],
    default 15). Its own job, never inside the minute tick: a slow or failing library cannot
    hold up reminders. The last attempt is remembered in the database, so restarts keep the
    pace."""
    try:
        summary = source.sync_if_due()
        if summary is not None:
            log.info("%s", summary)
    except Exception:
        log.exception("%s sync failed; it will be tried again", source.name)


def sync_documents_if_due(rt: Runtime) -> None:
    """Every configured document library's sync, when due."""
    for source in rt.connectors.documents:
        if source.enabled:
            sync_if_due(source)


def send_outbox(rt: Runtime) -> None:
    """Between ticks: posts waiting on a short Retry-After go out when it ends, not a minute on."""
    try:
        rt.dispatcher().dispatch()
    except Exception:
        log.exception("outbox dispatch failed; the next one will pick up what is due")


def _add_jobs(rt: Runtime, sched: object) -> None:
    add = sched.add_job  # type: ignore[attr-defined]
    common = {"args": [rt], "max_instances": 1, "coalesce": True}
    add(tick_once, "interval", minutes=1, id="tick", misfire_grace_time=120, **common)
    add(send_outbox, "interval", seconds=OUTBOX_SECONDS, id="outbox", misfire_grace_time=30, **common)
    for source in rt.connectors.documents:
        if source.enabled:
            add(
                sync_if_due,
                "interval",
                minutes=1,
                id=source.name,
                misfire_grace_time=300,
                args=[source],
                max_instances=1,
                coalesce=True,
            )


def start_background(rt: Runtime) -> object:
    """A scheduler in a background thread (used by `qabot run` on the embedded default)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    sched = BackgroundScheduler(timezone="UTC")
    _add_jobs(rt, sched)
    sched.start()
    threading.Thread(target=tick_once, args=(rt,), daemon=True).start()
    return sched


def run_clock(rt: Runtime) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    sched = BlockingScheduler(timezone="UTC")
    _add_jobs(rt, sched)
    log.info("clock started: a tick every minute, the outbox every %s s", OUTBOX_SECONDS)
    tick_once(rt)
    sched.start()
