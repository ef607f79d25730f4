"""The periods the Board papers cover.

The annual report covers the board's reporting year: April to March (the UK financial year,
which partnerships' yearly reports follow) unless the board file's
`board: {reporting_year_starts: <month 1-12>}` says otherwise. A year is named by the
calendar year it starts in: with April, `2026` (or `2026-27`, `2026/27`) is 1 April 2026 to
31 March 2027; with January, `2026` is the calendar year.

The inspection pack covers the twelve months up to today unless `from <date>` says when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from commands.dates import format_date
from commands.errors import FieldError
from store.models import Board

_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?$", re.I)
EARLIEST_YEAR = 2000


YEAR_STARTS_KEY = "reporting_year_starts"  # in the board's stored config (board file `board:`)


def year_starts(board: Board) -> int:
    """The month (1-12) the board's reporting year starts in (default April)."""
    value = (board.config or {}).get(YEAR_STARTS_KEY, 4)
    return value if isinstance(value, int) and 1 <= value <= 12 else 4


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date  # inclusive
    tz: str

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first_day, time(0), tzinfo=ZoneInfo(self.tz))

    @property
    def until(self) -> datetime:
        """The instant after the last day (the period is [since, until))."""
        return datetime.combine(self.last_day + timedelta(days=1), time(0), tzinfo=ZoneInfo(self.tz))

    def text(self) -> str:
        return f"{format_date(self.first_day)} to {format_date(self.last_day)}"


def reporting_year(board: Board, start_year: int) -> Period:
    month = year_starts(board)
    first = date(start_year, month, 1)
    next_first = date(start_year + 1, month, 1)
    return Period(first, next_first - timedelta(days=1), board.timezone)


def year_label(board: Board, start_year: int) -> str:
    """2026-27 for a year starting in April; 2026 for a calendar year."""
    return str(start_year) if year_starts(board) == 1 else f"{start_year}-{(start_year + 1) % 100:02d}"


def current_start_year(board: Board, today: date) -> int:
    """The start year of the reporting year `today` falls in."""
    return today.year if today.month >= year_starts(board) else today.year - 1


def read_year(text: str, board: Board, today: date, usage: str) -> int:
    """`2026`, `2026-27`, `2026/27` or `2026/2027`: the start year of a reporting year that has
    begun (a report on a year not started yet has nothing to say)."""
    m = _YEAR.match(text.strip())
    if m is None:
        raise FieldError(
            f'"{text.strip()}" is not a year: say e.g. {current_start_year(board, today)} '
            f"for {year_label(board, current_start_year(board, today))}.",
            usage,
            field="year",
        )
    start = int(m.group(1))
    if m.group(2):
        end = int(m.group(2))
        end_full = end if end >= 1000 else (start // 100) * 100 + end
        if end_full != start + 1:
            raise FieldError(
                f'"{text.strip()}" is not one reporting year: say e.g. {start}-{(start + 1) % 100:02d}.',
                usage,
                field="year",
            )
        if year_starts(board) == 1:
            raise FieldError(
                f"This board's reporting year is the calendar year: say {start}.", usage, field="year"
            )
    latest = year_label(board, current_start_year(board, today))
    if start > current_start_year(board, today):
        raise FieldError(
            f"{year_label(board, start)} has not begun: the latest reporting year is {latest}.",
            usage,
            field="year",
        )
    if start < EARLIEST_YEAR:
        raise FieldError(f"{start} is before the board's record: say e.g. {latest}.", usage, field="year")
    return start


def default_from(today: date) -> date:
    """Twelve months before today (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def months_between(first: date, last: date) -> list[date]:
    """The first day of each month from `first`'s to `last`'s, inclusive."""
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out
