"""The safeguarding guard per entry point: the entry-point table of tests/guard_entry/points.py
(every free-text way into the bot: typed commands, forms, thread replies, the board file,
SharePoint names, links and text, the console history) run with the must-trip and must-not-trip
texts of tests/guard_cases.py chosen there, on a fresh SQLite database with the test board.
Prints recall and false-positive rate per entry point and the wall time per call (the whole
command through the core, not only the guard: benchmarks/guard_bench.py times the guard alone).

    python -m benchmarks.guard_entry_bench
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks._common import emit
from bot.core import BotCore
from bot.services import board_services
from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from store.db import make_engine, migrate, session_factory, transaction
from tests.conftest import FIXTURES
from tests.guard_entry.points import ENTRY_POINTS, PASS, TRIP, Harness


def harness(tmp: Path) -> Harness:
    engine = make_engine(f"sqlite:///{tmp / 'bench.db'}")
    migrate(engine)
    sessions = session_factory(engine)
    clock = FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    with transaction(sessions) as s:
        import_board(
            s, parse_board_file((FIXTURES / "board.yaml").read_text(), name="board.yaml"), clock.now()
        )
    core = BotCore(sessions=sessions, clock=clock, platforms=("console",), services=board_services())
    return Harness(core=core, sessions=sessions, clock=clock, tmp=tmp)


def main() -> int:
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        h = harness(Path(tmp))
        for name, run in ENTRY_POINTS.items():
            started = time.perf_counter()
            caught = sum(run(h, t)[0] for t in TRIP)
            false_pos = sum(run(h, t)[0] for t in PASS)
            per_call = (time.perf_counter() - started) / (len(TRIP) + len(PASS))
            rows[name] = {
                "recall": caught / len(TRIP),
                "fp": false_pos / len(PASS),
                "ms_per_call": per_call * 1000,
            }
    print(f"{len(TRIP)} must-trip and {len(PASS)} must-not-trip texts through each entry point")
    print(f"{'entry point':<42}{'recall':>8}{'false pos.':>12}{'ms/call':>9}")
    for name, r in rows.items():
        print(f"{name:<42}{r['recall']:>8.0%}{r['fp']:>12.0%}{r['ms_per_call']:>9.1f}")
    met = all(r["recall"] >= 0.98 and r["fp"] <= 0.01 for r in rows.values())
    print("targets (recall >= 98%, false positives <= 1% at every entry point):", "met" if met else "NOT met")
    emit(
        "guard_entry",
        {
            "entry_points": len(rows),
            "trip_texts": len(TRIP),
            "pass_texts": len(PASS),
            "min_recall": round(min(r["recall"] for r in rows.values()), 3),
            "max_fp": round(max(r["fp"] for r in rows.values()), 3),
            "slowest_ms_per_call": round(max(r["ms_per_call"] for r in rows.values()), 1),
            "target_met": met,
        },
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
