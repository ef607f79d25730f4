"""From what a member typed to one date, in the direction the command implies.

A date without a year (or a bare weekday, or "end of term") means the nearest one in the
command's direction: forward for due dates and deadlines, backward for summaries, reports
and minutes of meetings held, the next one for agendas. A calendar date without a year that
lands on today, or that only just passed, is asked about instead of being moved a year:
"14 Jan 2027 is today — did you mean 14 Jan 2028?".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo

from commands.dates.days import Reading
from commands.dates.phrases import read_phrase
from commands.dates.terms import Term
from commands.errors import UsageError

Direction = Literal["forward", "backward", "nearest"]

DATE_HELP = (
    'a date such as "12/03/2027", "12 Mar", "1st April", "tomorrow", "Friday", "next Friday", '
    '"Friday week", "in 2 weeks", "end of March", "end of term" or "Christmas Eve"'
)
MAX_DATE_WORDS = 6


class UnknownDate(UsageError):
    """Words that are no date form at all (unlike "31/02/2027", which is almost one)."""


def format_date(d: date | None) -> str:
    return d.strftime("%-d %b %Y") if d else "no date"


def format_datetime(dt: datetime, tz: str) -> str:
    local = dt.astimezone(ZoneInfo(tz))
    return local.strftime("%-d %b %Y %H:%M")


def local_date(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def at_local(d: date, t: time, tz: str) -> datetime:
    """The UTC instant of a local wall-clock time on a day (handles BST/GMT)."""
    return datetime.combine(d, t, tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))


def _settings(now_local: datetime, direction: Direction) -> dict[str, Any]:
    prefer = {"forward": "future", "backward": "past", "nearest": "current_period"}[direction]
    return {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": prefer,
        "RELATIVE_BASE": now_local.replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": False,
    }


def dateparse(text: str, now_local: datetime, direction: Direction = "forward") -> datetime | None:
    """dateparser, for the phrases read_phrase does not know ("next week", "a month today")."""
    import dateparser  # imported on first use: start-up stays quick

    cleaned = text.strip()
    if not cleaned or len(cleaned) > 60 or not any(ch.isalpha() for ch in cleaned):
        return None  # a bare number is not a date (dateparser would make "5" the 5th)
    settings = _settings(now_local, direction)
    return dateparser.parse(cleaned, languages=["en"], settings=settings)


def _not_understood(words: list[str], usage: str | None) -> UnknownDate:
    said = " ".join(words[:5]).strip()
    if not said:
        return UnknownDate(f"Say the date: use {DATE_HELP}.", usage)
    return UnknownDate(f'"{said}" is not a date I understand: use {DATE_HELP}.', usage)


def read_leading(
    words: list[str],
    now: datetime,
    tz: str,
    *,
    direction: Direction = "forward",
    terms: tuple[Term, ...] = (),
    usage: str | None = None,
) -> tuple[Reading, int]:
    """The date phrase at the start of the words, and how many words it used. The longest
    run is tried first, so "31/02/2027" gets its precise explanation, not a shorter guess."""
    now_local = now.astimezone(ZoneInfo(tz))
    today = now_local.date()
    longest = min(len(words), MAX_DATE_WORDS)
    try:
        for n in range(longest, 0, -1):
            if (reading := read_phrase(" ".join(words[:n]), today, terms)) is not None:
                return reading, n
        for n in range(min(longest, 5), 0, -1):
            if (parsed := dateparse(" ".join(words[:n]), now_local, direction)) is not None:
                return Reading((parsed.date(),)), n
    except UsageError as e:
        raise type(e)(e.problem, usage) from None
    raise _not_understood(words, usage)


def ordered(reading: Reading, today: date, direction: Direction) -> list[date]:
    """The candidates, most likely first: those in the direction (today included), nearest
    first, then those the other way."""
    ahead = sorted(d for d in reading.candidates if d >= today)
    behind = sorted((d for d in reading.candidates if d <= today), reverse=True)
    if direction == "forward":
        return ahead + [d for d in behind if d != today]
    if direction == "backward":
        return behind + [d for d in ahead if d != today]
    return sorted(reading.candidates, key=lambda d: (abs((d - today).days), d < today))


def lookup_days(reading: Reading, today: date, direction: Direction) -> list[date]:
    """The days to look a record up on: the likeliest, then the likeliest the other side of
    today ("/qa summary 20 May" finds the meeting just held, else the coming one)."""
    days = ordered(reading, today, direction)
    if not days:
        return []
    ahead = days[0] > today
    return days[:1] + [d for d in days[1:] if (d > today) != ahead][:1]


def _question(
    reading: Reading, today: date, direction: Direction, chosen: date, ask_today: bool
) -> str | None:
    """Why a date said without its year may not mean what the direction picks."""
    limit = reading.question_days
    if limit is None or direction == "nearest":
        return None
    if direction == "forward":
        later = [d for d in reading.candidates if d > today]
        if chosen == today and later and ask_today:
            return (
                f"{format_date(today)} is today — did you mean {format_date(later[0])}? "
                f'Give the full date (e.g. {later[0]:%d/%m/%Y}), or say "today".'
            )
        passed = [d for d in reading.candidates if d < today and (today - d).days <= limit]
        if passed:
            ago = (today - passed[-1]).days
            return (
                f"{format_date(passed[-1])} was {ago} day{'s' if ago != 1 else ''} ago — did you mean "
                f"{format_date(chosen)}? Give the full date, e.g. {chosen:%d/%m/%Y}."
            )
        return None
    coming = [d for d in reading.candidates if d > today and (d - today).days <= limit]
    if coming:
        days = (coming[0] - today).days
        return (
            f"{format_date(coming[0])} is {days} day{'s' if days != 1 else ''} away — did you mean "
            f"{format_date(chosen)}? Give the full date, e.g. {chosen:%d/%m/%Y}."
        )
    return None


def check_weekday(reading: Reading, chosen: date, usage: str | None = None) -> None:
    if reading.weekday is not None and chosen.weekday() != reading.weekday:
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        raise UsageError(
            f"{format_date(chosen)} is a {chosen:%A}, not a {names[reading.weekday]}: check the date.", usage
        )


def choose(
    reading: Reading, today: date, direction: Direction, *, usage: str | None = None, ask_today: bool = True
) -> date:
    """The one date meant, or a UsageError asking which (see the module's docstring).
    `ask_today=False` where today is a natural answer (a meeting later today)."""
    candidates = ordered(reading, today, direction)
    if not candidates:
        raise UsageError("That date does not fall in the years around now: give the full date.", usage)
    chosen = candidates[0]
    if (question := _question(reading, today, direction, chosen, ask_today)) is not None:
        raise UsageError(question, usage)
    check_weekday(reading, chosen, usage)
    return chosen


def parse_date(
    text: str,
    now: datetime,
    tz: str,
    *,
    direction: Direction = "forward",
    usage: str | None = None,
    terms: tuple[Term, ...] = (),
) -> date:
    """A calendar date from what a member typed, relative to `now` in the board's time zone."""
    words = text.split()
    reading, used = read_leading(words, now, tz, direction=direction, terms=terms, usage=usage)
    if used < len(words):
        raise _not_understood(words, usage)
    return choose(reading, local_date(now, tz), direction, usage=usage)


_AT_TIME = re.compile(
    r"^(?P<day>.+?)(?:,?\s+at)?\s+(?P<time>\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\.?|\d{1,2}[:.]\d{2}|noon|midday)$",
    re.I,
)


def _clock_time(text: str) -> time:
    t = text.lower().replace(".", ":").replace(" ", "")
    if t in ("noon", "midday"):
        return time(12, 0)
    pm, am = t.endswith(("pm", "p:m:")), t.endswith(("am", "a:m:"))
    digits = t.rstrip("apm:") if (pm or am) else t
    hours, _, minutes = digits.partition(":")
    h, mins = int(hours), int(minutes or 0)
    if pm or am:
        if not 1 <= h <= 12:
            raise UsageError(f'"{text}" is not a time: use e.g. 10:00 or 2pm.')
        h = h % 12 + (12 if pm else 0)
    if not (0 <= h <= 23 and 0 <= mins <= 59):
        raise UsageError(f'"{text}" is not a time: use e.g. 10:00 or 2pm.')
    return time(h, mins)


def parse_datetime(
    text: str,
    now: datetime,
    tz: str,
    *,
    default_time: time = time(10, 0),
    direction: Direction = "forward",
) -> datetime:
    """A meeting time ("14/01/2027 10:00", "next Thursday 2pm") as a UTC instant. A day said
    without its year is the nearest in the direction (today included: a meeting later today)."""
    now_local = now.astimezone(ZoneInfo(tz))
    m = _AT_TIME.match(text.strip())
    day_text, at = (m["day"], _clock_time(m["time"])) if m else (text, default_time)
    reading = read_phrase(day_text, now_local.date())
    if reading is not None:
        day = choose(reading, now_local.date(), direction, ask_today=False)
        return at_local(day, at, tz)
    parsed = dateparse(text, now_local, direction)
    if parsed is None:
        raise UnknownDate(f'"{text.strip()}" is not a date and time I understand, e.g. "14/01/2027 10:00".')
    if not re.search(r"\d[:.]\d\d|\d\s*(am|pm)\b|noon|midday", text, re.I):
        parsed = datetime.combine(parsed.date(), default_time)
    return parsed.replace(tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))
