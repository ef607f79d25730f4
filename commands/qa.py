"""/qa: the chair's status summary and help; later issues add meetings and agendas."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from commands import permissions
from commands.common import action_line
from commands.context import Context, Subcommand
from commands.types import Reply
from store import items

SUMMARY = "the board's picture: status for the chair, help"

STATUS = "/qa status"
HELP = "/qa help"


def period_start(ctx: Context) -> datetime:
    """The start of this calendar month in the board's time zone."""
    first = ctx.today.replace(day=1)
    return datetime.combine(first, time(0), tzinfo=ZoneInfo(ctx.tz))


def status(ctx: Context, args: str) -> Reply:
    permissions.require_board_member(ctx.actor, "see the board-wide status")
    start = period_start(ctx)
    total = items.status_counts(ctx.session, today=ctx.today, period_start=start).get("all")
    by_priority = items.status_counts(ctx.session, today=ctx.today, period_start=start, group_by="priority")
    by_agency = items.status_counts(ctx.session, today=ctx.today, period_start=start, group_by="agency")
    t = total or items.Counts()
    fields = [
        ("Open", str(t.open)),
        ("Overdue", str(t.overdue)),
        (f"Closed since {start:%-d %b}", str(t.done)),
    ]
    lines = ["By priority (open / overdue / closed this month):"]
    lines += [f"  {k}: {c.open} / {c.overdue} / {c.done}" for k, c in sorted(by_priority.items())]
    lines.append("By agency (open / overdue / closed this month):")
    lines += [f"  {k}: {c.open} / {c.overdue} / {c.done}" for k, c in sorted(by_agency.items())]
    oldest = items.oldest_overdue(ctx.session, ctx.today, limit=3)
    if oldest:
        lines.append("Oldest overdue:")
        lines += ["  " + action_line(a, ctx.today) for a in oldest]
    return Reply(title="QA&E status", fields=fields, lines=lines)


def help_(ctx: Context, args: str) -> Reply:
    from commands.router import overview

    return overview()


SUBCOMMANDS = [
    Subcommand("status", STATUS, "/qa status", "the chair's summary of actions", status),
    Subcommand("help", HELP, "/qa help", "every command, with examples", help_),
]
