"""The phrases officers write for a day, read directly (dateparser costs ~1 ms a call).

A phrase becomes a `Reading`: the days it could mean. "14/01/2027" or "next Friday" is one
day; "14 Jan" is 14 January of any year, "Friday" the Friday either side of today, "end of
term" any term's last day. Which candidate is meant depends on the command (see reading.py).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from commands.dates.days import (
    MONTHS,
    NAMED_DAYS,
    WEEKDAYS,
    YEARLY_QUESTION_DAYS,
    Reading,
    add_months,
    checked_year,
    on_or_after,
    yearly,
)
from commands.dates.edges import edge_of
from commands.dates.terms import Term
from commands.errors import UsageError

NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
NUMBER_WORDS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
MONTHLY_QUESTION_DAYS = 7  # "the 25th" said on the 27th is a slip, not next month's 25th


def _alternatives(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_WD = rf"(?P<wd>{_alternatives(WEEKDAYS)})"
_MON = rf"(?P<mon>{_alternatives(MONTHS)})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_FORMS = {
    "numeric": r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<mon>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})",
    "numeric_no_year": r"(?P<day>\d{1,2})/(?P<mon>\d{1,2})",
    "iso": r"(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})",
    "day_month": rf"(?:{_WD},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON},?(?:\s+{_YEAR})?",
    "month_day": rf"(?:{_WD},?\s+)?{_MON}\s+(?:the\s+)?{_DAY},?(?:\s+{_YEAR})?",
    "month_only": rf"{_MON}(?:\s+{_YEAR})?",
    "nth": r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)",
    "relative": r"(?:the\s+)?(?P<rel>today|tomorrow|yesterday|day after tomorrow|day before yesterday|"
    r"tonight|this (?:morning|afternoon|evening)|end of (?:the )?day|close of (?:play|business)|eod|cob)",
    "weekday": rf"(?:(?P<which>this coming|this|coming|next|last)\s+)?{_WD}(?P<week>\s+week)?",
    "stretch": r"(?P<which>this|next|last|coming)\s+(?P<span>week|month|year|quarter|term)",
    "week_on": rf"a\s+week\s+(?:on\s+{_WD}|(?P<rel>today|tomorrow))",
    "in": rf"(?:in\s+)?(?P<n>\d{{1,3}}|{_alternatives(NUMBER_WORDS)})\s+"
    r"(?P<unit>days?|weeks?|fortnights?|months?|years?)(?:'?s?'?\s+time)?",
    "edge": r"(?:the\s+)?(?P<edge>end|start|beginning)\s+of\s+(?P<what>.+)",
    "named": rf"(?P<named>{_alternatives(NAMED_DAYS)})(?:\s+{_YEAR})?",
}
_PATTERNS = {name: re.compile(form) for name, form in _FORMS.items()}

Terms = tuple[Term, ...]
Reader = Callable[[dict[str, str | None], str, date, Terms], Reading | None]


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace(",", ", ")
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # "end-of-term", "mid-March"
    text = " ".join(w.strip(".;:!?") for w in text.split())
    return re.sub(r"^on\s+", "", text).rstrip(",")


def real_day(y: int, m: int, d: int, said: str) -> date:
    """A real calendar day, or exactly why "31/02/2027" is not one."""
    if not 1 <= m <= 12:
        raise UsageError(f'"{said}" has no month {m}: dates are day/month/year, e.g. 12/03/2027.')
    if not 1 <= y <= 9999:
        raise UsageError(f'"{said}" has no year {y}.')
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        raise UsageError(f'"{said}" is not a real date: {calendar.month_name[m]} {y} has {last} days.')
    return date(y, m, d)


def _weekday(which: str | None, wd: int, week: bool, today: date) -> Reading:
    """The documented convention: "Friday" is the nearest Friday in the command's direction,
    "this Friday" the coming one (today if it is Friday), "next Friday" the first Friday after
    today, "last Friday" the one before today, "Friday week" a week after this Friday."""
    coming = on_or_after(today, wd)
    latest = coming if coming == today else coming - timedelta(weeks=1)  # on or before today
    if week:
        return Reading((coming + timedelta(weeks=1),))
    if which in ("this", "coming", "this coming"):
        return Reading((coming,))
    if which == "next":
        return Reading((coming if coming > today else coming + timedelta(weeks=1),))
    if which == "last":
        return Reading((latest if latest < today else latest - timedelta(weeks=1),))
    return Reading(tuple(sorted({latest, coming})))


def _numeric(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    y = int(g["year"] or 0)
    return Reading((real_day(y + 2000 if y < 100 else y, int(g["mon"] or 0), int(g["day"] or 0), said),))


def _calendar(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    mon, day = g["mon"] or "", int(g["day"] or 0)
    month = int(mon) if mon.isdigit() else MONTHS[mon]
    wd = g.get("wd")
    weekday = WEEKDAYS[wd] if wd else None
    if g.get("year"):
        return Reading((real_day(int(g["year"] or 0), month, day, said),), weekday=weekday)
    if not 1 <= month <= 12:
        raise UsageError(f'"{said}" has no month {month}: dates are day/month/year, e.g. 12/03/2027.')
    if not 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        raise UsageError(f'"{said}" is not a real date: {calendar.month_name[month]} has no day {day}.')

    def in_year(y: int) -> date | None:
        return None if (month, day) == (2, 29) and not calendar.isleap(y) else date(y, month, day)

    return Reading(yearly(in_year, today), YEARLY_QUESTION_DAYS, weekday)


def _month_only(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    name = calendar.month_name[MONTHS[g["mon"] or ""]] + (f" {g['year']}" if g["year"] else "")
    raise UsageError(f'"{said}" names a month, not a day: say which day, e.g. "1 {name}" or "end of {name}".')


def _nth(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    """ "the 5th": the 5th of the month either side of today."""
    d = int(g["day"] or 0)
    if not 1 <= d <= 31:
        raise UsageError(f'"{said}" is not a day of the month.')
    months = (add_months(today.replace(day=1), k) for k in (-2, -1, 0, 1, 2))
    days = tuple(m.replace(day=d) for m in months if d <= calendar.monthrange(m.year, m.month)[1])
    return Reading(days, MONTHLY_QUESTION_DAYS)


def _relative(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    offsets = {"today": 0, "tomorrow": 1, "yesterday": -1}
    offsets |= {"day after tomorrow": 2, "day before yesterday": -2}
    return Reading((today + timedelta(days=offsets.get(g["rel"] or "today", 0)),))  # "this afternoon"


def _weekday_phrase(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    return _weekday(g["which"], WEEKDAYS[g["wd"] or ""], bool(g["week"]), today)


def _stretch(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    """ "next month" is a stretch of time, not a day: ask for its end (and show when that is)."""
    what = f"{g['which']} {g['span']}"
    try:
        end = edge_of(True, what, today, terms)
    except UsageError:
        end = None
    when = f" ({end.candidates[0]:%a %-d %b %Y})" if end and len(end.candidates) == 1 else ""
    raise UsageError(f'"{said}" is not a day: say "end of {what}"{when}, or give the date.')


def _week_on(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    if g["wd"]:
        return _weekday(None, WEEKDAYS[g["wd"]], True, today)
    return Reading((today + timedelta(days=7 if g["rel"] == "today" else 8),))


def _in(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    n_text, unit = g["n"] or "", (g["unit"] or "").rstrip("s")
    n = int(n_text) if n_text.isdigit() else NUMBER_WORDS[n_text]
    if unit in ("month", "year"):
        return Reading((add_months(today, n * (12 if unit == "year" else 1)),))
    return Reading((today + timedelta(days=n * {"day": 1, "week": 7, "fortnight": 14}[unit]),))


def _edge(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading | None:
    return edge_of(g["edge"] == "end", g["what"] or "", today, terms)


def _named(g: dict[str, str | None], said: str, today: date, terms: Terms) -> Reading:
    day_in = NAMED_DAYS[g["named"] or ""]
    if g["year"]:
        return Reading((day_in(checked_year(g["year"])),))
    return Reading(yearly(day_in, today), YEARLY_QUESTION_DAYS)


_READERS: dict[str, Reader] = {
    "numeric": _numeric,
    "numeric_no_year": _calendar,
    "iso": _calendar,
    "day_month": _calendar,
    "month_day": _calendar,
    "month_only": _month_only,
    "nth": _nth,
    "relative": _relative,
    "weekday": _weekday_phrase,
    "stretch": _stretch,
    "week_on": _week_on,
    "in": _in,
    "edge": _edge,
    "named": _named,
}


def read_phrase(text: str, today: date, terms: Terms = ()) -> Reading | None:
    """The days a whole phrase names; None if it is not a form read here; a UsageError saying
    exactly what is wrong with a date that is almost right ("31/02/2027", "March")."""
    said = text.strip()
    phrase = normalise(said)
    for name, pattern in _PATTERNS.items():
        if m := pattern.fullmatch(phrase):
            return _READERS[name](m.groupdict(), said, today, terms)
    return None


_STARTERS = {"today", "tonight", "tomorrow", "yesterday", "christmas", "xmas", "boxing", "easter", "nye"}
_STARTERS |= {"next", "this", "last", "coming", "week", "month", "year", "w/c", "eod", "cob"}
_STARTERS |= set(WEEKDAYS) | set(MONTHS)
_THEN = {
    # a word that starts a date phrase only with the right word after it
    "in": set(NUMBER_WORDS) | {"a", "an"},  # not "due in part to staffing"
    "end": {"of"},
    "start": {"of"},
    "beginning": {"of"},
    "close": {"of"},
    "mid": set(MONTHS) | {"month", "week", "term"},
    "new": {"year", "year's", "years"},
    "good": {"friday"},
    "a": {"week", "fortnight", "month", "year"},
}
_THEN["an"] = _THEN["a"]


def starts_like_date(words: list[str]) -> bool:
    """Whether the words after `due`/`by`/`meeting` are an attempt at a date (a bad one is
    then refused) or the rest of a sentence: "due to staffing", "the due diligence notes"."""
    tokens = normalise(" ".join(words[:4])).split()
    while tokens and tokens[0] in ("the", "on"):
        tokens = tokens[1:]
    if not tokens:
        return False
    first, nxt = tokens[0].rstrip(","), tokens[1].rstrip(",") if len(tokens) > 1 else ""
    if any(ch.isdigit() for ch in first):
        return True
    if first == "may":  # the month or the verb: "due May 2027", not "due may slip"
        return not nxt or any(ch.isdigit() for ch in nxt)
    if first in _THEN:
        return nxt in _THEN[first] or (first == "in" and nxt.isdigit())
    return first in _STARTERS
