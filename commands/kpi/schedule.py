"""When a measure's figure is due: on a working day after its period ends (the board file's
`kpi: {monthly_due, quarterly_due}`, default working day 10 after a month, 20 after a
quarter), counted like the rapid review clocks: weekends, England and Wales bank holidays and
the board's `closures:` are not working days (commands/reviews/working_days.py)."""

from __future__ import annotations

from datetime import date

from commands.kpi import periods
from commands.kpi.measures import Measure, settings
from commands.kpi.periods import Period
from commands.reviews.settings import calendar
from store.models import Board


def due_working_day(board: Board, m: Measure) -> int:
    cfg = settings(board)
    return cfg.monthly_due if m.entry.frequency == "monthly" else cfg.quarterly_due


def due_on(board: Board, m: Measure, p: Period) -> date:
    """The day a period's figure is due: working day N after the period's last day."""
    return calendar(board).add(p.last_day, due_working_day(board, m))


def chased_period(board: Board, m: Measure, today: date) -> Period | None:
    """The period whose missing figure is chased today or was due already: the latest one to
    have ended, once its due day has come (until the next period's due day takes over)."""
    p = periods.latest_ended(today, m.entry.frequency)
    if due_on(board, m, p) <= today:
        return p
    return None


def next_due(board: Board, m: Measure, after: Period) -> tuple[Period, date]:
    """The period after `after` and the day its figure is due."""
    nxt = after.next()
    return nxt, due_on(board, m, nxt)
