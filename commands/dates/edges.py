""" "end of March", "start of next month", "end of the week", "end of term": the first or
last day of a named stretch of time."""

from __future__ import annotations

import re
from datetime import date, timedelta

from commands.dates.days import (
    MONTHS,
    YEARLY_QUESTION_DAYS,
    Reading,
    add_months,
    checked_year,
    month_end,
    yearly,
)
from commands.dates.terms import Term, terms_named
from commands.errors import UsageError

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_YEAR = re.compile(rf"(?P<mon>{_MONTH_NAMES})(?:\s+(?P<year>\d{{4}}))?")


def _week(is_end: bool, today: date, weeks_on: int) -> date:
    """Monday, or Friday (the working week's end), of this week or a later one; at the
    weekend "end of the week" is the coming Friday."""
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_on)
    if not is_end:
        return monday
    friday = monday + timedelta(days=4)
    return friday if friday >= today else friday + timedelta(weeks=1)


def _month(is_end: bool, y: int, m: int) -> date:
    return month_end(y, m) if is_end else date(y, m, 1)


def _quarter(is_end: bool, today: date) -> date:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return month_end(first.year, first.month + 2) if is_end else first


def _terms(is_end: bool, what: str, today: date, terms: tuple[Term, ...]) -> Reading | None:
    said = f"{'end' if is_end else 'start'} of {what}"
    if what in ("term", "this term", "next term") and not terms:
        raise UsageError(
            f'This board\'s file names no term dates, so "{said}" is not a day I can work out: give the '
            "date (e.g. 18/12/2026), or ask the QA officer to add the terms to the board file "
            "(terms: [{name: Autumn, starts: 2026-09-03, ends: 2026-12-18}, …])."
        )
    if what == "next term":
        later = [t for t in terms if t.starts > today]
        if not later:
            raise UsageError(f'The board file names no term after today, so "{said}" is not a day yet.')
        return Reading((later[0].ends if is_end else later[0].starts,))
    chosen = list(terms) if what in ("term", "this term") else terms_named(terms, what)
    if not chosen:
        if what.endswith("term"):
            names = ", ".join(dict.fromkeys(t.name for t in terms)) or "none"
            raise UsageError(f'No term in the board file is called "{what}". Its terms: {names}.')
        return None
    return Reading(tuple(sorted({t.ends if is_end else t.starts for t in chosen})))


def edge_of(is_end: bool, what: str, today: date, terms: tuple[Term, ...]) -> Reading | None:
    """The day `what` ("march", "next month", "the week", "term") begins or ends, or None."""
    what = re.sub(r"^the\s+", "", what.strip())
    next_month = add_months(today.replace(day=1), 1)
    simple = {
        "month": lambda: _month(is_end, today.year, today.month),
        "next month": lambda: _month(is_end, next_month.year, next_month.month),
        "week": lambda: _week(is_end, today, 0),
        "next week": lambda: _week(is_end, today, 1),
        "year": lambda: date(today.year, 12, 31) if is_end else date(today.year, 1, 1),
        "next year": lambda: date(today.year + 1, 12, 31) if is_end else date(today.year + 1, 1, 1),
        "quarter": lambda: _quarter(is_end, today),
    }
    key = re.sub(r"^this\s+", "", what)
    if key in simple:
        return Reading((simple[key](),))
    if key == "financial year":  # the UK financial year runs 1 April to 31 March
        fy_edge = (3, 31) if is_end else (4, 1)
        return Reading(yearly(lambda y: date(y, *fy_edge), today), YEARLY_QUESTION_DAYS)
    if m := _MONTH_YEAR.fullmatch(what):
        month = MONTHS[m["mon"]]
        if m["year"]:
            return Reading((_month(is_end, checked_year(m["year"]), month),))
        return Reading(yearly(lambda y: _month(is_end, y, month), today), YEARLY_QUESTION_DAYS)
    return _terms(is_end, what, today, terms)
