"""How fast are `/qa status` and the agenda build on a board's real history?

    python -m benchmarks.status_bench [--actions 100000] [--findings 10000] [--agencies 60]
                                      [--runs 15] [--url sqlite:///path.db | postgresql://…]

Fills a fresh database (SQLite in a temporary folder unless --url is given) with bulk inserts,
then times, in the same run:
  * `/qa status` as a member types it (through BotCore: transaction, member lookup, every
    query the screen needs), against ONE hand-written SQL aggregate producing the same
    open / overdue / closed-this-month figures, in all, by priority and by agency;
  * the agenda build for a meeting, against one hand-written SQL statement producing the
    agenda's counts.
It checks that the figures agree, prints the medians and their ratio, and ends with one JSON
line holding the figures. Targets: status under 100 ms median on SQLite, within 2x of the
hand-written query.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, bindparam, insert, text
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.clock import FixedClock
from commands.context import Scope
from commands.meetings import agenda as agenda_mod
from commands.meetings import status as status_mod
from commands.types import Inbound
from store import board_status as board_status_store
from store import meetings as meeting_store
from store.db import make_engine, migrate, session_factory
from store.models import Action, Agency, Board, Finding, Meeting, Member, S11Cycle, S11Return
from store.types import UTCDateTime
from store.visibility import BOARD

NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)  # a Wednesday
PRIORITIES = ["Early Help", "Child Protection", "Neglect", "CSE", "Domestic Abuse", None]
RAGS = ["red", "amber", "green", None]

STATUS_SQL = """
SELECT 'all' AS dim, 'all' AS k,
       SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'open' AND due_date < :today THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'done' AND closed_at >= :start THEN 1 ELSE 0 END)
FROM actions
UNION ALL
SELECT 'priority', COALESCE(priority, '(none)'),
       SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'open' AND due_date < :today THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'done' AND closed_at >= :start THEN 1 ELSE 0 END)
FROM actions GROUP BY COALESCE(priority, '(none)')
UNION ALL
SELECT 'agency', COALESCE(g.name, '(none)'),
       SUM(CASE WHEN a.status = 'open' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status = 'open' AND a.due_date < :today THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status = 'done' AND a.closed_at >= :start THEN 1 ELSE 0 END)
FROM actions a LEFT JOIN agencies g ON g.id = a.agency_id GROUP BY COALESCE(g.name, '(none)')
"""

AGENDA_SQL = """
SELECT
  (SELECT COUNT(*) FROM actions WHERE status = 'open'
     AND meeting_id IN (SELECT id FROM meetings WHERE starts_at < :starts)),
  (SELECT COUNT(*) FROM actions WHERE status = 'open' AND due_date <= :day
     AND (meeting_id IS NULL OR meeting_id NOT IN (SELECT id FROM meetings WHERE starts_at < :starts))),
  (SELECT COUNT(*) FROM findings WHERE created_at >= :since AND created_at < :starts)
"""


def fill(sessions: sessionmaker[Session], n_actions: int, n_findings: int, n_agencies: int) -> dict[str, Any]:
    rnd = random.Random(5)
    today = NOW.date()
    with sessions() as s, s.begin():
        s.add(
            Board(
                id=1,
                name="Benchmark Safeguarding Children Board",
                timezone="Europe/London",
                config={"channels": {}, "agenda": {"working_days_before": 3, "time": "09:00"}},
            )
        )
        s.execute(
            insert(Agency),
            [
                {
                    "name": f"Agency {i:02d}",
                    "sector": "statutory" if i % 3 else "non-statutory",
                    "active": True,
                }
                for i in range(1, n_agencies + 1)
            ],
        )
        members = [{"handle": "chair", "name": "Independent Chair", "role": "chair", "active": True}]
        members += [
            {
                "handle": f"lead{i:02d}",
                "name": f"Lead {i:02d}",
                "role": "agency_lead",
                "agency_id": i,
                "active": True,
            }
            for i in range(1, n_agencies + 1)
        ]
        s.execute(insert(Member), members)
        # Two years of monthly sub-groups, either side of today.
        meetings = [
            {
                "kind": "subgroup",
                "title": "QA&E sub-group",
                "starts_at": datetime(2026 + (m // 12), m % 12 + 1, 12, 10, 0, tzinfo=UTC),
                "source": "file",
                "created_at": NOW - timedelta(days=800),
            }
            for m in range(24)
        ]
        s.execute(insert(Meeting), meetings)
        n_meetings = len(meetings)
        batch: list[dict[str, Any]] = []
        for i in range(n_actions):
            created = NOW - timedelta(days=rnd.randint(0, 700), minutes=rnd.randint(0, 1440))
            done = rnd.random() < 0.6
            batch.append(
                {
                    "text": f"Benchmark action {i}",
                    "owner_id": rnd.randint(1, n_agencies + 1),
                    "agency_id": rnd.randint(1, n_agencies) if rnd.random() < 0.95 else None,
                    "due_date": today + timedelta(days=rnd.randint(-200, 200))
                    if rnd.random() < 0.9
                    else None,
                    "priority": rnd.choice(PRIORITIES),
                    "status": "done" if done else "open",
                    "meeting_id": rnd.randint(1, n_meetings) if rnd.random() < 0.5 else None,
                    "source": "bench",
                    "created_at": created,
                    "closed_at": min(NOW, created + timedelta(days=rnd.randint(1, 90))) if done else None,
                    "escalated_at": NOW - timedelta(days=rnd.randint(0, 300))
                    if rnd.random() < 0.01
                    else None,
                }
            )
            if len(batch) == 10_000:
                s.execute(insert(Action), batch)
                batch = []
        if batch:
            s.execute(insert(Action), batch)
        s.execute(
            insert(Finding),
            [
                {
                    "text": f"Benchmark finding {i}",
                    "agency_id": rnd.randint(1, n_agencies),
                    "priority": rnd.choice(PRIORITIES),
                    "rag": rnd.choice(RAGS),
                    "meeting_id": rnd.randint(1, n_meetings) if rnd.random() < 0.7 else None,
                    "escalate_to_board": rnd.random() < 0.02,
                    "source": "bench",
                    "created_at": NOW - timedelta(days=rnd.randint(0, 700), minutes=rnd.randint(0, 1440)),
                }
                for i in range(n_findings)
            ],
        )
        cycle = S11Cycle(
            year=2027,
            cohort="statutory",
            deadline=date(2027, 3, 31),
            status="open",
            launched_at=NOW - timedelta(days=60),
        )
        s.add(cycle)
        s.flush()
        statuses = ["submitted", "not_started", "extension_requested", "document_received"]
        s.execute(
            insert(S11Return),
            [
                {"cycle_id": cycle.id, "agency_id": i, "status": statuses[i % len(statuses)]}
                for i in range(1, n_agencies + 1)
            ],
        )
    return {"actions": n_actions, "findings": n_findings, "agencies": n_agencies, "meetings": n_meetings}


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches and the statement cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--actions", type=int, default=100_000)
    ap.add_argument("--findings", type=int, default=10_000)
    ap.add_argument("--agencies", type=int, default=60)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--url", default=None, help="database URL (default: a new SQLite file)")
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="qabot-bench-")
    url = args.url or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    engine = make_engine(url)
    migrate(engine)
    sessions = session_factory(engine)
    t0 = time.perf_counter()
    sizes = fill(sessions, args.actions, args.findings, args.agencies)
    fill_s = time.perf_counter() - t0
    with engine.connect() as c:
        if engine.dialect.name == "postgresql":
            c.execute(text("ANALYZE"))
        else:
            c.exec_driver_sql("ANALYZE")
        c.commit()
    print(
        f"filled {engine.dialect.name}: {sizes['actions']:,} actions, {sizes['findings']:,} findings, "
        f"{sizes['agencies']} agencies in {fill_s:.1f} s"
    )

    clock = FixedClock(NOW)
    core = BotCore(sessions=sessions, clock=clock)

    def status_command() -> object:
        reply = core.handle(Inbound(platform="console", user_id="chair", text="/qa status"))
        assert reply.ok and reply.title == "QA&E status", reply.text()
        return reply

    with sessions() as s:
        board = s.get(Board, 1)
        assert board is not None
        scope = Scope(session=s, clock=clock, board=board)
        tz = board.timezone
        today = scope.today
        start = status_mod.period_start_of(today, tz)
        status_sql = text(STATUS_SQL).bindparams(
            bindparam("today", type_=Date()), bindparam("start", type_=UTCDateTime())
        )

        def hand_status() -> list[Any]:
            return list(s.execute(status_sql, {"today": today, "start": start}))

        # The figures must agree before the times mean anything.
        fig = board_status_store.status_figures(s, BOARD, today=today, period_start=start)
        hand = {(d, k): (int(o or 0), int(od or 0), int(dn or 0)) for d, k, o, od, dn in hand_status()}
        mine = {("all", "all"): (fig.total.open, fig.total.overdue, fig.total.done)}
        mine |= {("priority", k): (c.open, c.overdue, c.done) for k, c in fig.by_priority.items()}
        mine |= {("agency", k): (c.open, c.overdue, c.done) for k, c in fig.by_agency.items()}
        assert hand == mine, "the status figures differ from the hand-written aggregate"

        meeting = meeting_store.next_after(s, NOW)
        assert meeting is not None
        prev = meeting_store.previous_of_kind(s, meeting)
        day = meeting.starts_at.astimezone(ZoneInfo(tz)).date()
        agenda_sql = text(AGENDA_SQL).bindparams(
            bindparam("starts", type_=UTCDateTime()),
            bindparam("since", type_=UTCDateTime()),
            bindparam("day", type_=Date()),
        )
        since = prev.starts_at if prev else datetime(1970, 1, 1, tzinfo=UTC)

        def hand_agenda() -> Any:
            return s.execute(agenda_sql, {"starts": meeting.starts_at, "since": since, "day": day}).one()

        def agenda_build() -> Any:
            return agenda_mod.build(scope, meeting, BOARD)

        reply = agenda_build()
        earlier, due, found = (int(v) for v in hand_agenda())
        heads = "\n".join(reply.lines)
        assert f"Open actions from earlier meetings ({earlier})" in heads, heads
        assert f"({due})" in heads and f"({found})" in heads, heads

        hand_status_ms = median_ms(hand_status, args.runs)
        hand_agenda_ms = median_ms(hand_agenda, args.runs)
        agenda_ms = median_ms(agenda_build, args.runs)
    status_ms = median_ms(status_command, args.runs)

    status_ratio = status_ms / hand_status_ms
    agenda_ratio = agenda_ms / hand_agenda_ms
    print(f"/qa status (whole command)     median {status_ms:8.2f} ms")
    print(f"hand-written status aggregate  median {hand_status_ms:8.2f} ms   ratio {status_ratio:.2f}x")
    print(f"agenda build                   median {agenda_ms:8.2f} ms")
    print(f"hand-written agenda counts     median {hand_agenda_ms:8.2f} ms   ratio {agenda_ratio:.2f}x")
    ok = status_ms < 100 and status_ratio <= 2.0
    print(f"target (status < 100 ms and within 2x): {'met' if ok else 'NOT met'}")
    print(
        json.dumps(
            {
                "bench": "status",
                "db": engine.dialect.name,
                **sizes,
                "runs": args.runs,
                "status_ms": round(status_ms, 2),
                "status_sql_ms": round(hand_status_ms, 2),
                "status_ratio": round(status_ratio, 2),
                "agenda_ms": round(agenda_ms, 2),
                "agenda_sql_ms": round(hand_agenda_ms, 2),
                "agenda_ratio": round(agenda_ratio, 2),
                "target_met": ok,
            }
        )
    )
    engine.dispose()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
