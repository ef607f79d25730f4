"""Turning what a member typed into board records: people, agencies, meetings, dates."""

from __future__ import annotations

from datetime import date

from commands.context import Context
from commands.dates import parse_date
from commands.errors import NotFound, UsageError
from commands.grammar import take_longest
from commands.types import mentioned
from store import meetings as meeting_store
from store import members
from store.models import Agency, Meeting, Member


def member(ctx: Context, mention: str, usage: str) -> Member:
    """The member a grammar mention names: a mention token (looked up by the platform's
    address) or a handle."""
    where = mentioned(mention)
    if where:
        found = members.by_platform_id(ctx.session, *where)
        shown = f"with the {where[0]} id {where[1]}"
    else:
        found = members.by_handle(ctx.session, mention)
        shown = "@" + mention
    if found is None:
        known = ", ".join("@" + m.handle for m in members.all_members(ctx.session)[:12])
        raise NotFound(f"There is no board member {shown}. Members include: {known}.", usage)
    return found


def agency_named(ctx: Context, name: str) -> Agency | None:
    """Exact name (any case), else the one agency whose name contains all the words given."""
    exact = members.agency_by_name(ctx.session, name)
    if exact:
        return exact
    words = [w for w in name.lower().replace("’", "'").split() if w]
    if not words:
        return None
    matches = [
        a
        for a in members.all_agencies(ctx.session)
        if all(w in a.name.lower().replace("’", "'") for w in words)
    ]
    return matches[0] if len(matches) == 1 else None


def agency(ctx: Context, words: list[str], usage: str) -> tuple[Agency, int]:
    """The agency named by the leading words; returns it and how many words it used."""
    if not words:
        raise UsageError("Say which agency after `agency`.", usage)
    found, used = take_longest(words, lambda s: agency_named(ctx, s))
    if found is None:
        names = "; ".join(a.name for a in members.all_agencies(ctx.session))
        raise NotFound(f'No agency matches "{" ".join(words)}". Agencies: {names}.', usage)
    return found, used


def due_date(ctx: Context, words: list[str], usage: str) -> tuple[date, int]:
    """The date at the start of the words. The whole run is tried first so "31/02/2027"
    gets its precise explanation rather than a shorter guess."""
    if not words:
        raise UsageError("Say the date after `due`, e.g. due 12/03/2027.", usage)
    last_error: UsageError | None = None
    for n in range(min(len(words), 5), 0, -1):
        try:
            return parse_date(" ".join(words[:n]), ctx.now, ctx.tz, usage=usage), n
        except UsageError as e:
            if n == min(len(words), 5):
                last_error = e
    assert last_error is not None
    raise UsageError(last_error.problem, usage)


def meeting_on(ctx: Context, words: list[str], usage: str) -> tuple[Meeting, int]:
    if not words:
        raise UsageError("Say the meeting's date after `meeting`, e.g. meeting 14/01/2027.", usage)
    d, used = due_date(ctx, words, usage)
    found = meeting_store.on_date(ctx.session, d, ctx.tz)
    if not found:
        raise NotFound(f"There is no meeting on {d.strftime('%-d %b %Y')}. See /qa meetings.", usage)
    return found, used
