"""The clock process: APScheduler 3 calls the tick every minute. One per deployment."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime

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


def sync_documents_if_due(rt: Runtime) -> None:
    """The SharePoint sync, every Board.config["sharepoint"]["sync_minutes"] (default 15).
    Its own job, never inside the minute tick: a slow or failing Graph cannot hold up
    reminders. The last attempt is remembered in the database, so restarts keep the pace."""
    if not rt.settings.sharepoint_enabled:
        return
    try:
        from integrations.sharepoint.sync import sync_documents

        report = sync_documents(rt.settings, rt.sessions, rt.clock, rt.platforms, only_if_due=True)
        if report.skipped is None:
            log.info("%s", report.summary())
    except Exception:
        log.exception("sharepoint sync failed; it will be tried again")


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
    if rt.settings.sharepoint_enabled:
        add(sync_documents_if_due, "interval", minutes=1, id="sharepoint", misfire_grace_time=300, **common)


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
