"""The clock's jobs: a tick every minute, the outbox every few seconds (SharePoint when set)."""

from __future__ import annotations

import io
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from bot.runtime import build_runtime
from bot.scheduler import OUTBOX_SECONDS, _add_jobs, send_outbox
from bot.settings import Settings
from commands.clock import FixedClock
from commands.types import Inbound
from tests.conftest import load_board


def test_jobs_and_the_outbox_job_sends_what_is_due(tmp_path: Path, clock: FixedClock) -> None:
    out = io.StringIO()
    rt = build_runtime(
        Settings(QABOT_DATABASE_URL=f"sqlite:///{tmp_path / 'q.db'}"), clock, console_stream=out
    )
    load_board(rt.sessions, clock)
    sched = BackgroundScheduler(timezone="UTC")
    _add_jobs(rt, sched)
    jobs = {j.id: j.trigger.interval.total_seconds() for j in sched.get_jobs()}
    assert jobs == {"tick": 60, "outbox": OUTBOX_SECONDS}

    reply = rt.core.handle(
        Inbound(platform="console", user_id="qa", text="/s11 launch 2027 deadline 01/03/2027")
    )
    assert reply.ok and reply.data["queued"] == 3
    send_outbox(rt)
    printed = out.getvalue()
    assert printed.count("── post-") == 3 and "#Surrey Police" in printed
    send_outbox(rt)
    assert out.getvalue().count("── post-") == 3  # nothing twice
    rt.engine.dispose()
