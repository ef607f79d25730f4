"""Working days for the rapid review clocks: Monday to Friday, not an England and Wales bank
holiday (commands/dates/working_days.py, the `holidays` package) and not one of the board's
own closure days (the board file's `closures:`).

The starting day is day 0 whatever it is; WD1 is the next working day after it. A date that
is not a working day has no number of its own: it counts as the working day before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from commands.dates import is_working_day


@dataclass(frozen=True)
class WorkingDays:
    """The board's working-day calendar: bank holidays plus its closure days."""

    closures: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, closures: Iterable[date]) -> WorkingDays:
        return cls(frozenset(closures))

    def is_working(self, d: date) -> bool:
        return is_working_day(d) and d not in self.closures

    def add(self, start: date, n: int) -> date:
        """WDn counting from `start` (day 0): the n-th working day after it."""
        if n < 0:
            raise ValueError("working days are counted forwards")
        d = start
        while n > 0:
            d += timedelta(days=1)
            if self.is_working(d):
                n -= 1
        return d

    def number(self, start: date, day: date) -> int:
        """Which working day `day` is, counting from `start` (day 0); negative before it."""
        if day < start:
            return -self.number(day, start)
        n, d = 0, start
        while d < day:
            d += timedelta(days=1)
            if self.is_working(d):
                n += 1
        return n

    def between(self, due: date, day: date) -> int:
        """How many working days `day` is past `due` (0 on or before it)."""
        return max(0, self.number(due, day))
