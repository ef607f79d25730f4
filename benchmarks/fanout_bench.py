"""Reminder fan-out: a Section 11 launch to 300 agencies against a fake Slack that enforces
one post per channel per second AND a workspace-wide limit, answering 429 with Retry-After.

    python -m benchmarks.fanout_bench [--agencies 300] [--workspace-posts 120] [--window 60]

How it is scaled: time is virtual. The bot (its Clock), the fake Slack (its rate-limit
windows) and the Slack SDK's retry sleeps all read and move one VirtualClock, so a launch
that takes minutes of Slack time runs in seconds of real time, with the limits at their real
values. The deployment is simulated as it runs: the launch comes in as a command (the Slack
adapter then dispatches up to 50 posts at once, as it does after every command), and the
clock process (bot/scheduler.py) ticks every 60 seconds (`run_tick`) and sends the outbox every
10 seconds between ticks. Whenever nothing can be sent before the next of these, virtual time
jumps to it.

The minimum the limits allow: N posts at W per window need ceil(N/W) windows, so the last
post cannot leave before (ceil(N/W) - 1) windows have passed; k posts in one shared channel
need k - 1 seconds. Figures: virtual time until the last post was accepted, that minimum,
the ratio, posts lost (agencies without their launch post: must be 0) and posts sent twice
(the same outbox key found twice in Slack: must be 0).
"""

from __future__ import annotations

import argparse
import logging
import math
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks._common import emit
from bot.runtime import SEND_QUEUED_LIMIT  # what BotCore.send_queued sends after a command
from bot.scheduler import OUTBOX_SECONDS

TICK = timedelta(seconds=OUTBOX_SECONDS)  # the clock's outbox job; every 6th is a full tick
TICKS_PER_MINUTE = 60 // OUTBOX_SECONDS


def run(agencies: int, workspace_posts: int, window: float, shared_every: int) -> dict[str, Any]:
    from sqlalchemy import func, select

    from bot.runtime import build_runtime
    from bot.settings import Settings
    from bot.tick import run_tick
    from commands.board_file import import_board, parse_board_file
    from commands.types import Inbound
    from store.db import transaction
    from store.models import OutboxMessage
    from tests.hardening.support import LimitedSlack, VirtualClock, big_board_yaml, sdk_sleeps_advance

    # Every 429 is logged as a warning by the outbox; hundreds of them are expected here.
    logging.getLogger("qabot").setLevel(logging.ERROR)
    logging.getLogger("slack_sdk").setLevel(logging.CRITICAL)
    start = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    clock = VirtualClock(start)
    fake = LimitedSlack(
        now=clock.seconds, per_channel=1.0, workspace_posts=workspace_posts, workspace_window=window
    )
    with (
        tempfile.TemporaryDirectory(prefix="qabot-fanout-") as tmp,
        fake,
        sdk_sleeps_advance(clock) as sdk_sleeps,
    ):
        settings = Settings(
            QABOT_DATABASE_URL=f"sqlite:///{Path(tmp) / 'fanout.db'}",
            SLACK_BOT_TOKEN="xoxb-0000-fanout",
            SLACK_SIGNING_SECRET="fanout-secret",
            SLACK_API_URL=fake.api_url,
            QABOT_LOG_LEVEL="WARNING",
        )
        rt = build_runtime(settings, clock)  # type: ignore[arg-type]
        board = parse_board_file(big_board_yaml(agencies, shared_channel_every=shared_every), name="fanout")
        with transaction(rt.sessions) as s:
            import_board(s, board, clock.now())

        real0 = time.perf_counter()
        v0 = clock.seconds()
        reply = rt.core.handle(
            Inbound(
                platform="slack",
                user_id="U0QAOFF1",
                command="/s11",
                text="launch 2027 statutory deadline 30/04/2027",
                channel="C0QAE01",
            )
        )
        if not reply.ok:
            raise RuntimeError(f"the launch was refused: {reply.text()[:500]}")
        dispatcher = rt.dispatcher()
        dispatcher.dispatch(limit=SEND_QUEUED_LIMIT)
        next_tick = clock.now() + TICK
        ticks = 0
        while True:
            with rt.sessions() as s:
                left = s.scalar(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")
                )
            if not left:
                break
            if ticks > 10_000:
                raise RuntimeError(f"{left} posts still unsent after {ticks} ticks")
            clock.set(next_tick)
            if ticks % TICKS_PER_MINUTE == 0:
                run_tick(rt.sessions, clock, dispatcher, rt.platforms)  # type: ignore[arg-type]
            else:
                dispatcher.dispatch()
            ticks += 1
            next_tick = max(next_tick + TICK, clock.now())
        with rt.sessions() as s:
            last_sent = s.scalar(select(func.max(OutboxMessage.sent_at)))
            rows = list(s.execute(select(OutboxMessage.key, OutboxMessage.status)))
        real = time.perf_counter() - real0
        elapsed = (last_sent - start).total_seconds() - v0 if last_sent else float("nan")

        keys = Counter(fake.keys_posted())
        launch_keys = {k for k, _ in rows if k.endswith(":launch:slack")}
        lost = sum(1 for k in launch_keys if keys[k] == 0)
        duplicates = sum(n - 1 for n in keys.values() if n > 1)
        posts = sum(keys.values())
        shared = math.ceil(agencies / shared_every) if shared_every else 1
        minimum = max((math.ceil(len(launch_keys) / workspace_posts) - 1) * window, (shared - 1) * 1.0)
        rt.engine.dispose()
        return {
            "agencies": agencies,
            "posts": posts,
            "elapsed_s": round(elapsed, 1),
            "minimum_s": round(minimum, 1),
            "ratio": round(elapsed / minimum, 3) if minimum else None,
            "lost": lost,
            "duplicates": duplicates,
            "rate_limited": sum(fake.limited.values()),
            "rate_limited_workspace": fake.limited["workspace"],
            "rate_limited_channel": fake.limited["channel"],
            "sdk_retry_sleeps": len(sdk_sleeps),
            "ticks": ticks,
            "real_s": round(real, 2),
            "limits": f"1 post/s per channel; {workspace_posts} posts per {window:g} s workspace-wide",
            "note": "fan-out time is virtual (see benchmarks/fanout_bench.py): limits at real values, "
            f"clock ticks every 60 s, outbox sent every {OUTBOX_SECONDS} s",
        }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--agencies", type=int, default=300)
    ap.add_argument("--workspace-posts", type=int, default=120, help="posts per window, workspace-wide")
    ap.add_argument("--window", type=float, default=60.0, help="workspace window, seconds")
    ap.add_argument(
        "--shared-every", type=int, default=10, help="every n-th agency posts to one shared channel"
    )
    args = ap.parse_args()
    f = run(args.agencies, args.workspace_posts, args.window, args.shared_every)
    print(f"Section 11 launch to {f['agencies']} agencies; limits: {f['limits']}")
    print(
        f"  all {f['posts']} posts accepted after {f['elapsed_s']:.1f} s of Slack time "
        f"(minimum the limits allow: {f['minimum_s']:.1f} s; ratio {f['ratio']}x); "
        f"{f['real_s']:.1f} s of real time"
    )
    print(
        f"  429s answered: {f['rate_limited']} ({f['rate_limited_workspace']} workspace, "
        f"{f['rate_limited_channel']} per channel); SDK retry sleeps: {f['sdk_retry_sleeps']}; "
        f"clock steps (10 s outbox, 60 s tick): {f['ticks']}"
    )
    print(f"  posts lost: {f['lost']} (must be 0); sent twice: {f['duplicates']} (must be 0)")
    emit("fanout", f)
    return 0 if f["lost"] == 0 and f["duplicates"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
