"""The date an extension request asks for: a date said ("extension to 12 May", "until
12/05/2027"), or a length counted from the current deadline ("extension of 3 weeks",
"another 2 weeks"). A date that does not exist ("31/04/2027") is named, not guessed."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from commands.dates import format_date, parse_date
from commands.errors import UsageError
from commands.understanding import vocabulary as v

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a couple of": 2}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_WORDED_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\b(?:\s+(\d{4}))?")
_PREPOSITION = re.compile(r"\b(?:to|until|till|til|by|on|for|extension)\s+(?:the\s+)?")
_LENGTH = re.compile(
    r"\b(?P<lead>another|a further|an extra|further|extra|of|a|an)?\s*"
    r"(?P<n>\d+|one|two|three|four|five|six|a couple of)?\s*"
    r"(?:more\s+|extra\s+|further\s+|additional\s+)?"
    r"(?P<unit>days?|weeks?|fortnight|months?)\b"
)


@dataclass(frozen=True)
class ExtensionAsk:
    to: date | None = None
    problem: str | None = None  # e.g. "31 April 2027 is not a date"
    length: str | None = None  # e.g. "3 weeks", when counted from the deadline


def _impossible(text: str, year: int) -> str | None:
    for m in _NUMERIC_DATE.finditer(text):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y = y + 2000 if y < 100 else y
        if _invalid(d, mo, y):
            return _named(d, mo, y, m.group(0))
    for m in _WORDED_DATE.finditer(text):
        month = _MONTHS.get(m.group(2))
        if month is None:
            continue
        y = int(m.group(3)) if m.group(3) else year
        if _invalid(int(m.group(1)), month, y):
            return _named(int(m.group(1)), month, y, m.group(0))
    return None


def _invalid(d: int, mo: int, y: int) -> bool:
    try:
        date(y, mo, d)
    except ValueError:
        return True
    return False


def _named(d: int, mo: int, y: int, said: str) -> str:
    if 1 <= mo <= 12:
        return f"{d} {calendar.month_name[mo]} {y} is not a date"
    return f"{said} is not a date"


def _add_months(d: date, n: int) -> date:
    month = d.month - 1 + n
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _length(text: str, deadline: date) -> ExtensionAsk | None:
    for m in _LENGTH.finditer(text):
        lead, n, unit = m.group("lead"), m.group("n"), m.group("unit")
        if n is None and lead not in ("another", "a further", "an extra", "a", "an"):
            continue
        count = int(n) if n and n.isdigit() else _NUMBERS.get(n or "a", 1)
        if not 0 < count <= 26:
            continue
        if unit.startswith("month"):
            to = _add_months(deadline, count)
        else:
            days = {"d": 1, "w": 7, "f": 14}[unit[0]] * count
            to = deadline + timedelta(days=days)
        said = "a fortnight" if unit == "fortnight" and count == 1 else f"{count} {unit.rstrip('s')}"
        said += "s" if count > 1 and unit != "fortnight" else ""
        return ExtensionAsk(to=to, length=said)
    return None


def _said_date(text: str, now: datetime, tz: str) -> date | None:
    for m in _PREPOSITION.finditer(text):
        words = [w.strip(".,!?;:()") for w in text[m.end() :].split()]
        if words and _LENGTH.match(" ".join(words[:4])):
            continue  # "for 3 weeks" is a length, counted from the deadline
        for n in range(min(len(words), 5), 0, -1):
            try:
                return parse_date(" ".join(words[:n]), now, tz)
            except UsageError:
                continue
    return None


def extension_ask(text: str, *, deadline: date, now: datetime, tz: str) -> ExtensionAsk:
    """What an extension request asks for, read from its normalised text."""
    start = next((m.start() for p in v.EXTENSION if (m := re.search(p, text))), 0)
    problem = _impossible(text, deadline.year)
    if problem:
        return ExtensionAsk(problem=problem)
    said = _said_date(text[start:], now, tz) or _said_date(text, now, tz)
    if said is not None:
        return ExtensionAsk(to=said)
    return _length(text[start:], deadline) or ExtensionAsk()


def describe(ask: ExtensionAsk, deadline: date) -> str:
    """ "12 May 2027" or "25 May 2027 (3 weeks from the deadline, 4 May 2027)"."""
    assert ask.to is not None
    if ask.length:
        return f"{format_date(ask.to)} ({ask.length} from the deadline, {format_date(deadline)})"
    return format_date(ask.to)
