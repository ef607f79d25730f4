"""Turning what a member typed into board records: people, agencies, meetings, dates."""

from __future__ import annotations

from datetime import date

from commands import agency_names, dates, people
from commands.context import Context, Scope
from commands.dates.days import MONTHS as MONTH_NAMES
from commands.errors import FieldError, NotFound, UsageError, about_field
from commands.grammar import Parsed, priority_for
from store import meetings as meeting_store
from store.models import Agency, Meeting, Member


def member(ctx: Context, mention: str, usage: str) -> Member:
    """The member a command names: a mention token, a handle or a full name (commands.people)."""
    return people.member(ctx, mention, usage)


def agency_named(ctx: Context, name: str) -> Agency | None:
    """The one agency a phrase names (its name, an alias, its kind or its distinctive words)."""
    found = agency_names.named(ctx, name)
    return found[0] if len(found) == 1 else None


def agency(ctx: Context, words: list[str], usage: str) -> tuple[Agency, int]:
    """The agency named by the leading words; returns it and how many words it used."""
    if not words:
        raise UsageError("Say which agency after `agency`.", usage)
    return agency_names.required(ctx, words, usage)


def agency_called(ctx: Context, name: str, usage: str) -> Agency:
    """The agency a request names (as a form or the parsed text gives it)."""
    return agency_names.called(ctx, name, usage)


def _terms(scope: Scope) -> tuple[dates.Term, ...]:
    return dates.terms_of(scope.board.config)


def due_date(
    ctx: Scope, words: list[str], usage: str, *, direction: dates.Direction = "forward"
) -> tuple[date, int]:
    """The date at the start of the words, and how many words it used. A date without a year
    is the next one (a due date looks forward), and is questioned if that is today."""
    if not words:
        raise UsageError("Say the date after `due`, e.g. due 12/03/2027.", usage)
    reading, used = dates.read_leading(
        words, ctx.now, ctx.tz, direction=direction, terms=_terms(ctx), usage=usage
    )
    return dates.choose(reading, ctx.today, direction, usage=usage), used


def by_as_due(ctx: Scope, p: Parsed) -> None:
    """`by <date>` is `due <date>` ("by next fri"); "led by the police", "by May Smith" and a
    `by` beside a `due` stay text."""
    if "by" not in p.options:
        return
    words = p.options["by"]
    if "due" in p.options or not dates.starts_like_date(words) or not _names_a_day(ctx, words):
        p.fold("by")
        return
    p.options["due"], p.positions["due"] = p.options.pop("by"), p.positions.pop("by")
    p.seq["due"], p.typed["due"] = p.seq.pop("by", 0), p.typed.pop("by", "by")


def _names_a_day(ctx: Scope, words: list[str]) -> bool:
    if words[0].lower() in MONTH_NAMES and len(words) > 1 and not dates.starts_like_date(words[1:]):
        return False  # a name such as May Smith or Jan Brown
    try:
        dates.read_leading(words, ctx.now, ctx.tz, terms=_terms(ctx))
    except dates.UnknownDate:
        return False
    except UsageError:
        return True  # almost a date ("31/02/2027", "March"): due_date explains what is wrong
    return True


def meeting_on(
    ctx: Scope, words: list[str], usage: str, *, direction: dates.Direction = "nearest"
) -> tuple[Meeting, int]:
    """The meeting on the date at the start of the words. A date without a year is looked up
    in the command's direction first ("backward" for a summary: the meeting just held), then
    the other way; the reply shows the meeting's full date."""
    if not words:
        raise UsageError("Say the meeting's date after `meeting`, e.g. meeting 14/01/2027.", usage)
    reading, used = dates.read_leading(
        words, ctx.now, ctx.tz, direction=direction, terms=_terms(ctx), usage=usage
    )
    days = dates.lookup_days(reading, ctx.today, direction)
    for d in days:
        found = meeting_store.on_date(ctx.session, d, ctx.tz)
        if found is not None:
            return found, used
    shown = " or ".join(dates.format_date(d) for d in sorted(days))
    raise NotFound(f"There is no meeting on {shown}. See /qa meetings.", usage)


def meeting_named(scope: Scope, text: str, usage: str, *, direction: dates.Direction) -> Meeting:
    """The meeting a whole phrase names (`qabot report --meeting "20 May"`)."""
    words = text.split()
    found, used = meeting_on(scope, words, usage, direction=direction)
    if words[used:]:
        raise UsageError(f'"{" ".join(words[used:])}" is not part of a date.', usage)
    return found


def meeting_of_day(ctx: Context, d: date, usage: str) -> Meeting:
    found = meeting_store.on_date(ctx.session, d, ctx.tz)
    if not found:
        raise NotFound(f"There is no meeting on {d.strftime('%-d %b %Y')}. See /qa meetings.", usage)
    return found


# The options a typed command's parser reads the same way everywhere (action add, finding add):
# each names its field on failure and records how many of its words it used.


def agency_option(ctx: Context, p: Parsed, used: dict[str, int], usage: str) -> str | None:
    """`agency <name>` in a line with free text: the agency, or, when the words after it name
    none ("Agency leads to sign off"), the word and its words stay text."""
    if "agency" not in p.options:
        return None
    with about_field("agency"):
        found, n = agency_names.in_text(ctx, p.options["agency"], usage)
    if found is None:
        p.fold("agency")
        return None
    used["agency"] = n
    return found.name


def meeting_option(ctx: Context, p: Parsed, used: dict[str, int], usage: str) -> date | None:
    """The day of the meeting named after `meeting` (the meeting itself must exist)."""
    if "meeting" not in p.options:
        return None
    with about_field("meeting"):
        found, used["meeting"] = meeting_on(ctx, p.options["meeting"], usage)
    return dates.local_date(found.starts_at, ctx.tz)


def one_priority(p: Parsed, usage: str) -> str | None:
    if len(p.tags) > 1:
        raise FieldError("Give one priority tag.", usage, field="priority")
    with about_field("priority"):
        return priority_for(p.tags[0], usage) if p.tags else None
