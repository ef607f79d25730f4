"""How fast is the weekly digest's computation on a board's real history?

    python -m benchmarks.digest_bench [--actions 100000] [--findings 10000] [--agencies 60]
                                      [--runs 15] [--url sqlite:///path.db | postgresql://…]

Fills a fresh database (SQLite in a temporary folder unless --url is given) as
benchmarks/status_bench.py does (the same 100k actions, 10k findings, 60 agencies), adds a
Section 11 cycle past its deadline and three open rapid reviews, then times, in the same run:
  * `commands.digest.compute` (every section: overdue actions by agency with the oldest
    three each, late returns, review clocks, escalations since a week ago), and each of its
    store reads on its own;
  * `/qa digest` as the chair types it (through BotCore);
  * the baseline: `/qa status` as the chair types it, on the same data.
Prints the query plan of the overdue-actions read, the medians and the ratio, and ends with
one JSON line. Target: compute under 100 ms median.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session, sessionmaker

from benchmarks._common import emit
from benchmarks.status_bench import NOW, fill, median_ms
from bot.core import BotCore
from commands.clock import FixedClock
from commands.digest.compute import compute, review_clocks
from commands.types import Inbound
from store import digest as digest_store
from store.db import make_engine, migrate, session_factory
from store.models import Board, Review, ReviewAgency, S11Cycle, S11Return
from store.visibility import BOARD

TARGET_MS = 100.0


def add_late_work(sessions: sessionmaker[Session], n_agencies: int) -> None:
    """A non-statutory cycle a fortnight past its deadline with a third of returns out, and
    three open rapid reviews whose summaries are partly in."""
    with sessions() as s, s.begin():
        cycle = S11Cycle(
            year=2026,
            cohort="non-statutory",
            deadline=date(2027, 2, 24),
            status="open",
            launched_at=NOW - timedelta(days=90),
        )
        s.add(cycle)
        s.flush()
        s.execute(
            insert(S11Return),
            [
                {"cycle_id": cycle.id, "agency_id": i, "status": "not_started" if i % 3 == 0 else "submitted"}
                for i in range(1, n_agencies + 1)
            ],
        )
        for n, aware in enumerate((date(2027, 2, 22), date(2027, 3, 1), date(2027, 3, 8)), start=1):
            review = Review(code=f"RR-2027-{n:02d}", aware_on=aware, opened_at=NOW - timedelta(days=20))
            s.add(review)
            s.flush()
            s.add_all(
                ReviewAgency(
                    review_id=review.id,
                    agency_id=a,
                    status="submitted" if a % 2 else "requested",
                    requested_at=NOW - timedelta(days=20),
                    submitted_at=NOW - timedelta(days=5) if a % 2 else None,
                )
                for a in range(1, 7)
            )


def overdue_plans(s: Session, today: date) -> list[str]:
    """The database's plans for the overdue-actions reads, as the store runs them (which index)."""
    out = []
    for stmt in digest_store.overdue_statements(BOARD, today):
        sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
        if s.get_bind().dialect.name == "sqlite":
            out.append(" | ".join(str(r[-1]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql))))
        else:
            out.append(" | ".join(str(r[0]).strip() for r in s.execute(text("EXPLAIN " + sql))))
    return out


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
    add_late_work(sessions, args.agencies)
    fill_s = time.perf_counter() - t0
    with engine.connect() as c:
        c.execute(text("ANALYZE")) if engine.dialect.name == "postgresql" else c.exec_driver_sql("ANALYZE")
        c.commit()
    print(
        f"filled {engine.dialect.name}: {sizes['actions']:,} actions, {sizes['findings']:,} findings, "
        f"{sizes['agencies']} agencies in {fill_s:.1f} s"
    )
    clock = FixedClock(NOW)
    core = BotCore(sessions=sessions, clock=clock)
    since = NOW - timedelta(days=7)
    figures: dict[str, Any] = {}
    with sessions() as s:
        board = s.get(Board, 1)
        assert board is not None
        today = NOW.date()
        found = compute(s, board, NOW, since)
        print(
            f"digest: {found.items:,} items — {found.overdue_total:,} overdue actions in {len(found.overdue)} "
            f"agencies, {len(found.late_returns)} late returns, {len(found.review_clocks)} review clocks, "
            f"{found.escalations_total} escalations"
        )
        assert found.overdue_total > 0 and found.late_returns and found.review_clocks
        for plan in overdue_plans(s, today):
            print("plan of an overdue read: " + plan)
        parts: dict[str, Any] = {
            "overdue_ms": lambda: digest_store.overdue_by_agency(s, BOARD, today),
            "s11_ms": lambda: digest_store.late_returns(s, BOARD, today),
            "reviews_ms": lambda: review_clocks(s, board, today),
            "escalations_ms": lambda: digest_store.escalations_since(s, BOARD, since),
        }
        for name, fn in parts.items():
            figures[name] = round(median_ms(fn, args.runs), 2)
        compute_ms = median_ms(lambda: compute(s, board, NOW, since), args.runs)

    def command(line: str, title: str) -> Any:
        reply = core.handle(Inbound(platform="console", user_id="chair", text=line))
        assert reply.ok and reply.title == title, reply.text()
        return reply

    digest_cmd_ms = median_ms(lambda: command("/qa digest", "Weekly digest"), args.runs)
    status_ms = median_ms(lambda: command("/qa status", "QA&E status"), args.runs)
    ratio = compute_ms / status_ms
    ok = compute_ms < TARGET_MS
    print(f"digest compute                 median {compute_ms:8.2f} ms")
    for name, ms in figures.items():
        print(f"  {name.removesuffix('_ms'):<28} median {ms:8.2f} ms")
    print(f"/qa digest (whole command)     median {digest_cmd_ms:8.2f} ms")
    print(f"/qa status (baseline)          median {status_ms:8.2f} ms   compute / status {ratio:.2f}x")
    print(f"target (compute < {TARGET_MS:.0f} ms): {'met' if ok else 'NOT met'}")
    emit(
        "digest",
        {
            "db": engine.dialect.name,
            **sizes,
            "runs": args.runs,
            "items": found.items,
            "compute_ms": round(compute_ms, 2),
            **figures,
            "digest_cmd_ms": round(digest_cmd_ms, 2),
            "status_ms": round(status_ms, 2),
            "ratio": round(ratio, 2),
            "target_met": ok,
        },
    )
    engine.dispose()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
