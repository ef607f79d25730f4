"""What the /review commands read: their usage lines, the case code, dates and agencies.

A review is known by the board's case code only ("RR-2027-03"): the code's shape is checked,
and every line is read by the safeguarding guard before anything else, so a child's name typed
anywhere in it is refused with the guard's own words before any field is looked at.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict

from commands import resolve
from commands.common import safeguard
from commands.context import Context
from commands.dates import Direction, choose, read_leading
from commands.errors import FieldError, NotFound, UsageError, about_field
from commands.grammar import take_longest
from store import members
from store import reviews as review_store
from store.models import Agency, Review

OPEN = "/review open <code> aware <date> [notified <date>] [agencies A, B, C] [#priority]"
NOTIFIED = "/review notified <code> <date>"
MEETING = "/review meeting <code> <date>"
SENT = "/review sent <code> <date>"
PANEL = "/review panel <code> lcspr|no-lcspr|national <date>"
STATUS = "/review status [<code>]"
TIMELINE = "/review timeline <code>"
CLOSE = "/review close <code>"
LCSPR = "/review lcspr <code> <milestone> due|done <date>"
CORRECT = "/review correct <reply ref> submitted|comment|undo"
HOLD = "/review hold <code> [off] <reason>"
RECOMMEND = "/review recommend <code> <text> owner <@member|handle> due <date>"
MODEL = ConfigDict(frozen=True, extra="forbid")

_CODE = re.compile(r"[A-Z]{2,4}-\d{4}-\d{1,4}")
EXTRA_WORDS = "A review holds no free text: say only its case code, dates and agency names."
CODE_HELP = "a board case code such as RR-2027-03 (never a child's name or any identifier)"


def _code(value: object) -> object:
    if not isinstance(value, str):
        return value
    code = value.strip().upper()
    if not _CODE.fullmatch(code):
        # What was typed is not repeated: a name typed where the code goes stays unsaid.
        raise ValueError(f"The case code must be {CODE_HELP}.")
    return code


# The board's case code, upper-cased: letters, the year, a number ("RR-2027-03").
CaseCode = Annotated[str, BeforeValidator(_code)]
Decision = Literal["lcspr", "no-lcspr", "national"]
DECISIONS: tuple[Decision, ...] = ("lcspr", "no-lcspr", "national")


def guarded(ctx: Context, args: str, usage: str) -> str:
    """The whole line through the guard first: nothing of a review is kept that names a child."""
    with about_field("code"):
        safeguard(ctx, args, usage)
    return args


def code_of(token: str | None, usage: str) -> str:
    if not token:
        raise FieldError(f"Say the review's case code: {CODE_HELP}.", usage, field="code")
    try:
        result = _code(token)
    except ValueError as e:
        raise FieldError(str(e), usage, field="code") from None
    assert isinstance(result, str)
    return result


def date_in(
    ctx: Context, words: list[str], what: str, usage: str, *, direction: Direction = "backward"
) -> date:
    """A date said after a keyword (`aware 25/03/2027`); the field is named on a problem."""
    if not words:
        raise FieldError(f"Say the {what} date, e.g. {what} 25/03/2027.", usage, field=what)
    with about_field(what):
        reading, used = read_leading(words, ctx.now, ctx.tz, direction=direction, usage=usage)
        if used < len(words):
            raise UsageError(EXTRA_WORDS, usage)  # not repeated: it could be anything
        return choose(reading, ctx.today, direction, usage=usage, ask_today=False)


def agencies_in(ctx: Context, text: str, usage: str) -> tuple[str, ...]:
    """`Surrey Police, Surrey Health` (commas, or "and" between names) as the board's names."""
    names: list[str] = []
    for part in re.split(r",|\band\b", text):
        words = part.split()
        if not words:
            continue
        found, used = take_longest(words, lambda s: resolve.agency_named(ctx, s), max_words=8)
        if found is None or used < len(words):
            known = "; ".join(a.name for a in members.all_agencies(ctx.session))
            raise FieldError(
                f'No agency matches "{part.strip()}". Agencies: {known}.', usage, field="agencies"
            )
        if found.name not in names:
            names.append(found.name)
    return tuple(names)


def agencies_named(ctx: Context, names: tuple[str, ...], usage: str) -> list[Agency]:
    out: list[Agency] = []
    for name in names:
        with about_field("agencies"):
            out.append(resolve.agency_called(ctx, name, usage))
    return out


def review_of(ctx: Context, code: str, usage: str) -> Review:
    found = review_store.by_code(ctx.session, code)
    if found is None:
        raise NotFound(f"There is no review {code}. See /review status for the open ones.", usage)
    return found


def open_review_of(ctx: Context, code: str, usage: str) -> Review:
    found = review_of(ctx, code, usage)
    if found.status != "open":
        raise UsageError(f"Review {code} is closed; nothing more is recorded on it.", usage)
    return found


class CodeRequest(BaseModel):
    model_config = MODEL
    code: CaseCode


class CodeDateRequest(BaseModel):
    model_config = MODEL
    code: CaseCode
    on: date


def code_and_date(
    ctx: Context, args: str, usage: str, *, direction: Direction = "backward"
) -> tuple[str, date]:
    guarded(ctx, args, usage)
    words = args.split()
    code = code_of(words[0] if words else None, usage)
    return code, date_in(ctx, words[1:], "date", usage, direction=direction)
