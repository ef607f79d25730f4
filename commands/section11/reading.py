"""What the /s11 commands read: their usage lines, a year, a cohort, a date, an agency at the
start of the words, and which cycle a request names (shared by launch, status, extensions,
ratings and the panel)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from commands import resolve
from commands.context import Context
from commands.errors import FieldError, NotFound, UsageError
from commands.grammar import take_longest
from commands.section11 import schedule
from store import members
from store import section11 as s11
from store.models import Agency, S11Cycle, S11Return

LAUNCH = "/s11 launch <year> [statutory|non-statutory] deadline <date> [panel <date>]"
STATUS = "/s11 status [year] [statutory|non-statutory]"
EXTEND = "/s11 extend <agency> <date>"
REFUSE = "/s11 refuse <agency>"
RATE = "/s11 rate <agency> <standard number or words> <red|amber|green> [moderated]"
PANEL = "/s11 panel [year] [statutory|non-statutory] [agenda]"
HELP = "/s11 help"

_COHORT_WORDS = {
    "statutory": schedule.STATUTORY,
    "non-statutory": schedule.NON_STATUTORY,
    "nonstatutory": schedule.NON_STATUTORY,
    "non_statutory": schedule.NON_STATUTORY,
}


def year_of(token: str, usage: str) -> int:
    if not re.fullmatch(r"\d{4}", token) or not 2000 <= int(token) <= 2100:
        raise FieldError(f'"{token}" is not a year such as 2027.', usage, field="year")
    return int(token)


def cohort_of(words: list[str], usage: str) -> str | None:
    if not words:
        return None
    key = "-".join(w.lower() for w in words)
    if key not in _COHORT_WORDS:
        raise FieldError(
            f'"{" ".join(words)}" is not a cohort: say statutory or non-statutory.', usage, field="cohort"
        )
    return _COHORT_WORDS[key]


def _cohort_value(value: object) -> object:
    """A form's cohort as the command line accepts it ("Non statutory" → non-statutory)."""
    if isinstance(value, str):
        return _COHORT_WORDS.get("-".join(value.lower().split()), value)
    return value


# A cycle's year, and its cohort ("statutory" or "non-statutory", in any of the typed forms).
Year = Annotated[int, Field(ge=2000, le=2100)]
Cohort = Annotated[Literal["statutory", "non-statutory"], BeforeValidator(_cohort_value)]
MODEL = ConfigDict(frozen=True, extra="forbid")


class CycleChoice(BaseModel):
    """Which Section 11 cycle: a year (and cohort, when the year has two), or the newest."""

    model_config = MODEL

    year: Year | None = None
    cohort: Cohort | None = None


def parse_cycle_choice[C: CycleChoice](kind: type[C], args: str, usage: str) -> C:
    words = args.split()
    if not words:
        return kind()
    year = year_of(words[0], usage)
    return kind(year=year, cohort=cohort_of(words[1:], usage))


def date_of(ctx: Context, words: list[str], what: str, usage: str) -> date:
    if not words:
        raise UsageError(f"Say the {what} date, e.g. {what} 04/05/2027.", usage)
    d, used = resolve.due_date(ctx, words, usage)
    if words[used:]:
        raise UsageError(f'"{" ".join(words[used:])}" is not part of the {what} date.', usage)
    return d


def pick_cycle(ctx: Context, choice: CycleChoice, usage: str) -> S11Cycle:
    """The cycle a request names by `[year] [cohort]`, or the newest one."""
    year, cohort = choice.year, choice.cohort
    if year is None:
        if cohort is not None:
            raise FieldError("Say the year of the cycle as well as its cohort.", usage, field="year")
        found = s11.latest_cycle(ctx.session)
        if found is None:
            raise NotFound("No Section 11 cycle has been launched yet.", LAUNCH)
        return found
    cycles = [c for c in s11.cycles_in_year(ctx.session, year) if cohort is None or c.cohort == cohort]
    if not cycles:
        raise NotFound(f"There is no {year}{' ' + cohort if cohort else ''} Section 11 cycle.", usage)
    if len(cycles) > 1:
        raise FieldError(
            f"{year} has two Section 11 cycles: say statutory or non-statutory.", usage, field="cohort"
        )
    return cycles[0]


def agency_then(ctx: Context, args: str, usage: str) -> tuple[Agency, list[str]]:
    """The agency named at the start of the arguments, and the words after it."""
    words = args.split()
    if not words:
        raise UsageError("Say which agency.", usage)
    found, used = take_longest(words, lambda s: resolve.agency_named(ctx, s), max_words=8)
    if found is None:
        names = "; ".join(a.name for a in members.all_agencies(ctx.session))
        raise NotFound(f'No agency matches "{" ".join(words)}". Agencies: {names}.', usage)
    return found, words[used:]


def return_of(ctx: Context, agency: Agency, usage: str) -> S11Return:
    found = s11.latest_return_for_agency(ctx.session, agency.id)
    if found is None:
        raise NotFound(f"{agency.name} has no Section 11 return: it is not in a launched cycle.", usage)
    return found


