"""For `qabot doctor`: did the weekly digest run, and did it reach everyone it is for?

A quiet week sends nothing, so the run itself is what shows the digest is alive: the last
run (sent, or "nothing needed action"), a run that reached no one, or a week whose moment has
come without a run (the clock is not running)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands.dates import format_datetime
from commands.digest.command import audience, last_run_line
from commands.digest.settings import due_slot, next_slot, settings
from commands.reviews.settings import calendar
from store import digest as store
from store.models import Board

# A tick runs every minute: a week whose moment passed this long ago without a run is stuck.
GRACE = timedelta(minutes=30)


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str


def check(session: Session, board: Board, now: datetime) -> Health:
    cfg, cal, tz = settings(board), calendar(board), board.timezone
    last = store.last_run(session)
    due = due_slot(cfg, cal, now, tz)
    nxt = next_slot(cfg, cal, now, tz)
    upcoming = f"next {format_datetime(nxt.at, tz)} to {audience(cfg)}"
    if due is not None and store.run_of(session, due.week) is None:
        if now - due.at > GRACE:
            return Health(
                False,
                f"the digest for week {due.week} was due {format_datetime(due.at, tz)} and has not run: "
                "is the clock running (`qabot clock`, or the web app on SQLite)?",
            )
        upcoming = f"week {due.week}'s is due now ({format_datetime(due.at, tz)}): the next tick computes it"
    line = last_run_line(last, tz).removeprefix("Last digest: ")
    if last is not None and (last.outcome == "unsent" or last.note):
        return Health(False, f"{line} Fix the board file, then `qabot import`; {upcoming}.")
    return Health(True, f"{line.rstrip('.')}; {upcoming}.")
