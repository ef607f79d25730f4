"""Dates as the board writes them: UK order, natural phrases, shown as `12 Mar 2027`.

dateparser does the natural-language work; the only phrase it lacks is "end of <month>",
which boards use constantly, so that one is handled here first.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from commands.errors import UsageError

DATE_HELP = 'a date such as "12/03/2027", "12 Mar", "next Friday", "in 2 weeks" or "end of March"'

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m
}
_END_OF = re.compile(r"^end\s+of\s+(?:the\s+)?(?P<what>[a-z]+)(?:\s+(?P<year>\d{4}))?$", re.I)


def format_date(d: date | None) -> str:
    return d.strftime("%-d %b %Y") if d else "no date"


def format_datetime(dt: datetime, tz: str) -> str:
    local = dt.astimezone(ZoneInfo(tz))
    return local.strftime("%-d %b %Y %H:%M")


def _end_of(text: str, today: date) -> date | None:
    m = _END_OF.match(text.strip())
    if not m:
        return None
    what = m.group("what").lower()
    year = int(m.group("year")) if m.group("year") else None
    if what in ("month",):
        y, mo = today.year, today.month
    elif what in ("year",):
        return date(year or today.year, 12, 31)
    elif what in _MONTHS:
        mo = _MONTHS[what]
        y = year or (today.year if mo >= today.month else today.year + 1)
    else:
        return None
    return date(y, mo, calendar.monthrange(y, mo)[1])


def _settings(now_local: datetime) -> dict[str, Any]:
    return {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": now_local.replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": False,
    }


def _dateparse(text: str, now_local: datetime) -> datetime | None:
    import dateparser  # imported on first use: start-up stays quick

    cleaned = text.strip()
    if not cleaned or len(cleaned) > 60:
        return None
    return dateparser.parse(cleaned, languages=["en"], settings=_settings(now_local))


def parse_date(text: str, now: datetime, tz: str, *, usage: str | None = None) -> date:
    """A calendar date from what a member typed, relative to `now` in the board's time zone."""
    now_local = now.astimezone(ZoneInfo(tz))
    found = _end_of(text, now_local.date())
    if found:
        return found
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", text.strip()):
        # The commonest form, day/month/year: read directly (dateparser costs ~1 ms a call).
        return _check_numeric(text.strip())
    parsed = _dateparse(text, now_local)
    if parsed is None:
        raise UsageError(f'"{text.strip()}" is not a date I understand: use {DATE_HELP}.', usage)
    return parsed.date()


def _check_numeric(text: str) -> date:
    """Day/month/year, or exactly why "31/02/2027" is impossible instead of a vague 'not a date'."""
    d, m, y = (int(p) for p in re.split(r"[/.-]", text))
    if y < 100:
        y += 2000
    if not 1 <= m <= 12:
        raise UsageError(f'"{text}" has no month {m}: dates are day/month/year, e.g. 12/03/2027.')
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        raise UsageError(f'"{text}" is not a real date: {calendar.month_name[m]} {y} has {last} days.')
    return date(y, m, d)


def parse_datetime(text: str, now: datetime, tz: str, *, default_time: time = time(10, 0)) -> datetime:
    """A meeting time ("14/01/2027 10:00", "next Thursday 2pm") as a UTC instant."""
    now_local = now.astimezone(ZoneInfo(tz))
    parsed = _dateparse(text, now_local)
    if parsed is None:
        raise UsageError(f'"{text.strip()}" is not a date and time I understand, e.g. "14/01/2027 10:00".')
    if not re.search(r"\d[:.]\d\d|\d\s*(am|pm)\b|noon|midday", text, re.I):
        parsed = datetime.combine(parsed.date(), default_time)
    return parsed.replace(tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))


def local_date(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def at_local(d: date, t: time, tz: str) -> datetime:
    """The UTC instant of a local wall-clock time on a day (handles BST/GMT)."""
    return datetime.combine(d, t, tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


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
