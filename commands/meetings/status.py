"""The chair's status: one screen to act on, every figure from a SQL aggregate, every item with
the reference to drill into.

Read through the visibility policy (`policy.viewer`): the chair, the QA officer and board
members see the whole board; an agency lead sees the board's headline (the Section 11 cycle
and its deadline, the next meetings) and counts and lists only what `/action list all` and
`/finding list` show them: their agencies' actions and findings, the actions they own, their
agencies' Section 11 returns. Board-wide totals are left out for them: with a handful of
agencies, a total less one's own is another agency's figure.

Open rapid reviews come first, one line each with its next clock, for the chair and the QA
officer only (the roles `/review status` serves): board members and agency leads see none, not
even their own agency's, since a review's existence and clocks are the officers' business
(docs/reviews.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from commands import policy
from commands.context import Context
from commands.dates import format_date, format_datetime, local_date
from commands.meetings import action_line, agenda_post_at, clip, when
from commands.reviews import summary as review_summary
from commands.types import Reply
from store import board_status as board_status_store
from store import meetings as store
from store import visibility
from store.visibility import Viewer

AGENCY_CAP = 12
RECENT = timedelta(days=30)


def period_start_of(today: date, tz: str) -> datetime:
    """The start of this calendar month in the board's time zone."""
    return datetime.combine(today.replace(day=1), time(0), tzinfo=ZoneInfo(tz))


def period_start(ctx: Context) -> datetime:
    return period_start_of(ctx.today, ctx.tz)


def _row(name: str, c: board_status_store.Counts) -> str:
    return f"  {name}: {c.open} / {c.overdue} / {c.done}"


def whose(ctx: Context, viewer: Viewer) -> str:
    """For an agency lead: whose items their view of a board-wide screen holds."""
    names = visibility.agency_names(ctx.session, viewer.agencies or frozenset())
    return (
        f"Shown for {' and '.join(names) or 'none of the agencies'}: their actions and findings, "
        "the actions you own and their Section 11 returns. Other agencies' items are neither "
        "listed nor counted here."
    )


def build(ctx: Context) -> Reply:
    s, today = ctx.session, ctx.today
    viewer = policy.viewer(ctx)
    start = period_start(ctx)
    fig = board_status_store.status_figures(s, viewer, today=today, period_start=start)
    t = fig.total
    fields = [
        ("Open", str(t.open)),
        ("Overdue", str(t.overdue)),
        (f"Closed since {start:%-d %b}", str(t.done)),
    ]
    lines = review_lines(ctx) if policy.is_officer(ctx.actor) else []
    lines += [] if viewer.board_wide else [whose(ctx, viewer)]
    lines.append("By priority (open / overdue / closed this month):")
    lines += [
        _row(k, c) for k, c in sorted(fig.by_priority.items(), key=lambda kv: (kv[0] == "(none)", kv[0]))
    ] or ["  no actions yet"]
    lines.append("By agency (open / overdue / closed this month), most overdue first:")
    agencies = sorted(fig.by_agency.items(), key=lambda kv: (-kv[1].overdue, -kv[1].open, kv[0]))
    lines += [_row(k, c) for k, c in agencies[:AGENCY_CAP]] or ["  no actions yet"]
    if len(agencies) > AGENCY_CAP:
        lines.append(f"  …and {len(agencies) - AGENCY_CAP} more agencies; see /action list agency <name>")

    oldest = board_status_store.oldest_overdue(s, viewer, today, limit=3)
    if oldest:
        lines.append("Oldest overdue:")
        lines += ["  " + action_line(a, today) for a in oldest]
        lines.append("  All overdue: /action list overdue")

    lines.append(s11_line(ctx, viewer))

    upcoming = store.upcoming(s, ctx.now, limit=3)
    lines.append(
        "Next meetings:" if upcoming else "Next meetings: none scheduled (add one with /qa meeting add)."
    )
    for m in upcoming:
        post_at = agenda_post_at(m, ctx.board)
        agenda = (
            f"agenda {'sent' if post_at <= ctx.now else 'posts'} "
            f"{post_at.astimezone(ZoneInfo(ctx.tz)):%a %-d %b %H:%M}"
        )
        day = local_date(m.starts_at, ctx.tz)
        lines.append(f"  {when(m, ctx.tz)} · {m.title} · {agenda} (/qa agenda {day:%d/%m/%Y})")

    esc = board_status_store.recent_escalations(s, viewer, ctx.now - RECENT)
    if esc.findings or esc.actions or esc.cycles:
        lines.append("Escalated to the Board in the last 30 days:")
        lines += [
            f"  F-{f.id} · {clip(f.text, 100)}"
            + (f" · {f.agency.name}" if f.agency else "")
            + f" · {(f.rag or 'no RAG').upper()}"
            for f in esc.findings
        ]
        lines += [
            f"  A-{a.id} · {clip(a.text, 100)} · escalated {format_datetime(a.escalated_at, ctx.tz)}"
            for a in esc.actions
            if a.escalated_at is not None
        ]
        lines += [
            f"  Section 11 {c.year} ({c.cohort}) · escalated {format_datetime(c.escalated_at, ctx.tz)}"
            for c in esc.cycles
            if c.escalated_at is not None
        ]
    else:
        lines.append("Escalated to the Board in the last 30 days: nothing.")
    return Reply(title="QA&E status", fields=fields, lines=lines)


def review_lines(ctx: Context) -> list[str]:
    """The chair's picture starts with the open rapid reviews and their next clocks."""
    reviews = review_summary.open_lines(ctx)
    if not reviews:
        return ["Rapid reviews: none open."]
    title = f"Rapid reviews open ({len(reviews)}), next clock first (/review status for every step):"
    return [title, *reviews]


def s11_line(ctx: Context, viewer: Viewer) -> str:
    """The open Section 11 cycle: every return for the board; a lead's agencies' returns, with
    the outstanding ones named, for a lead."""
    progress = board_status_store.s11_progress(ctx.session, viewer, names_limit=5)
    if progress is None:
        return "Section 11: no cycle open."
    c = progress.cycle
    cycle, deadline = f"Section 11 {c.year} ({c.cohort})", f"deadline {format_date(c.deadline)} (/s11 status)"
    if viewer.board_wide:
        returns = (
            f"{progress.submitted} of {progress.agencies} returns in, {progress.outstanding} outstanding"
        )
    elif progress.agencies == 0:
        return f"{cycle}: none of your agencies has a return in it; {deadline}"
    else:
        names = f" ({', '.join(progress.outstanding_names)})" if progress.outstanding_names else ""
        returns = (
            f"your agencies' returns: {progress.submitted} of {progress.agencies} in, "
            f"{progress.outstanding} outstanding{names}"
        )
    return (
        f"{cycle}: {returns}; extensions {progress.extensions_granted} granted, "
        f"{progress.extensions_requested} requested; {deadline}"
    )
