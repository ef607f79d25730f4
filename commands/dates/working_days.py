"""Working days in England and Wales: Monday to Friday, not a bank holiday."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    import holidays  # imported on first use: start-up stays quick

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def bank_holiday_name(d: date) -> str | None:
    """The bank holiday's name ("Easter Monday"), or None on an ordinary day."""
    return _bank_holidays(d.year).get(d)


def is_working_day(d: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


def previous_working_day(d: date) -> date:
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def next_working_day(d: date) -> date:
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def working_days_before(d: date, n: int) -> date:
    """The day n working days before d (d itself need not be a working day)."""
    while n > 0:
        d -= timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def deadline_note(d: date) -> str | None:
    """For a deadline on a weekend or bank holiday: it is accepted as given (agencies were told
    that date), but the officer is shown what kind of day it is and the working day before."""
    if is_working_day(d):
        return None
    holiday = bank_holiday_name(d)
    kind = f"a bank holiday ({holiday})" if holiday else f"a {d:%A}"
    before = previous_working_day(d)
    return (
        f"Note: {d:%a} {d:%-d %b %Y} is {kind}, not a working day. It is accepted as the deadline; "
        f"the last working day before it is {before:%a} {before:%-d %b %Y}."
    )
