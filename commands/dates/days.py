"""Day arithmetic and the vocabulary every date phrase shares."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from commands.errors import UsageError

MONTHS = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
WEEKDAYS = (
    {d.lower(): i for i, d in enumerate(calendar.day_name)}
    | {d.lower(): i for i, d in enumerate(calendar.day_abbr)}
    | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
)
# A yearly date said without its year that passed (or, looking back, comes) within this many
# days is asked about: "due 10 Jan" on 14 Jan is a slip, not a deadline next January.
YEARLY_QUESTION_DAYS = 92


@dataclass(frozen=True)
class Reading:
    """The days a phrase could mean. `question_days` is set for calendar dates said without a
    year (or month): a candidate that is today, or within that many days on the wrong side of
    today, is asked about rather than silently moved a year. `weekday` is the day named in
    "Thu 14 Jan", checked against the date chosen."""

    candidates: tuple[date, ...]
    question_days: int | None = None
    weekday: int | None = None


def checked_year(text: str) -> int:
    """A year as typed in a phrase ("Christmas Eve 2027"), refused when it cannot be meant."""
    year = int(text)
    if not 1900 <= year <= 2199:
        raise UsageError(f'"{text}" is not a year I can use: give one such as 2027.')
    return year


def add_months(d: date, n: int) -> date:
    """The same day n months on (the 31st becomes the month's last day)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def on_or_after(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def yearly(day_in: Callable[[int], date | None], today: date) -> tuple[date, ...]:
    """The day in the years around today (wide enough to reach a 29 February)."""
    found = (day_in(y) for y in range(today.year - 4, today.year + 5))
    return tuple(d for d in found if d is not None)


def easter_sunday(year: int) -> date:
    """The Gregorian computus (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda year: date(year, month, day)


NAMED_DAYS: dict[str, Callable[[int], date]] = {
    **dict.fromkeys(("christmas eve", "xmas eve"), _fixed(12, 24)),
    **dict.fromkeys(("christmas", "christmas day", "xmas", "xmas day"), _fixed(12, 25)),
    "boxing day": _fixed(12, 26),
    **dict.fromkeys(("new year's eve", "new years eve", "nye"), _fixed(12, 31)),
    **dict.fromkeys(("new year's day", "new years day", "new year"), _fixed(1, 1)),
    "good friday": lambda y: easter_sunday(y) - timedelta(days=2),
    **dict.fromkeys(("easter", "easter sunday", "easter day"), easter_sunday),
    "easter monday": lambda y: easter_sunday(y) + timedelta(days=1),
}
