"""Dates as the board writes them: UK order, natural phrases, shown as `12 Mar 2027`.

Conventions (what officers are told in /qa help and the README):
- Day/month/year order: 04/05/2027 is 4 May.
- A date without a year means the nearest one in the direction the command implies: due
  dates and deadlines forward, summaries, reports and minutes of meetings backward, agendas
  the next meeting. One that lands on today, or passed within three months, is questioned.
- "Friday" is the nearest Friday in that direction; "this Friday" the coming one (today on a
  Friday); "next Friday" the first Friday after today (said on a Thursday: tomorrow, and the
  reply shows the date); "Friday week" a week after this Friday; "last Friday" the one before.
- "end of term" uses the board file's `terms:`; "end of the financial year" is 31 March.
- A deadline on a weekend or bank holiday stands, with a note (`deadline_note`).
"""

from commands.dates.days import Reading
from commands.dates.phrases import starts_like_date
from commands.dates.reading import (
    DATE_HELP,
    Direction,
    UnknownDate,
    at_local,
    check_weekday,
    choose,
    format_date,
    format_datetime,
    local_date,
    lookup_days,
    ordered,
    parse_date,
    parse_datetime,
    read_leading,
)
from commands.dates.terms import Term, Terms, terms_of
from commands.dates.working_days import (
    bank_holiday_name,
    deadline_note,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_before,
)

__all__ = [
    "DATE_HELP",
    "Direction",
    "Reading",
    "Term",
    "Terms",
    "UnknownDate",
    "at_local",
    "bank_holiday_name",
    "check_weekday",
    "choose",
    "deadline_note",
    "format_date",
    "format_datetime",
    "is_working_day",
    "local_date",
    "lookup_days",
    "next_working_day",
    "ordered",
    "parse_date",
    "parse_datetime",
    "previous_working_day",
    "read_leading",
    "starts_like_date",
    "terms_of",
    "working_days_before",
]
