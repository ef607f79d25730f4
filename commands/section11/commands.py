"""/s11: launch a Section 11 cycle and follow its returns; what the other /s11 commands share.

Extensions are in commands/section11/extensions.py, ratings and the panel summary in
commands/section11/ratings.py."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.exc import IntegrityError

from commands import delivery_report, permissions, resolve
from commands.context import Context
from commands.dates import at_local, deadline_note, format_date, local_date
from commands.errors import NotFound, UsageError
from commands.grammar import parse, take_longest
from commands.groups import S11
from commands.help import group_help
from commands.registry import command
from commands.section11 import schedule
from commands.section11.common import (
    cycle_name,
    launch_post,
    plural,
    post_in_thread,
    reminder_time,
    settings,
    status_text,
)
from commands.types import Reply
from store import items, members
from store import section11 as s11
from store.models import Agency, S11Cycle, S11Return

LAUNCH = "/s11 launch <year> [statutory|non-statutory] deadline <date> [panel <date>]"
STATUS = "/s11 status [year] [statutory|non-statutory]"
EXTEND = "/s11 extend <agency> <date>"
REFUSE = "/s11 refuse <agency>"
RATE = "/s11 rate <agency> <standard number or words> <red|amber|green> [moderated]"
PANEL = "/s11 panel [year] [statutory|non-statutory]"
HELP = "/s11 help"

_COHORT_WORDS = {
    "statutory": schedule.STATUTORY,
    "non-statutory": schedule.NON_STATUTORY,
    "nonstatutory": schedule.NON_STATUTORY,
    "non_statutory": schedule.NON_STATUTORY,
}


def _year(token: str, usage: str) -> int:
    if not re.fullmatch(r"\d{4}", token) or not 2000 <= int(token) <= 2100:
        raise UsageError(f'"{token}" is not a year such as 2027.', usage)
    return int(token)


def _cohort(words: list[str], usage: str) -> str | None:
    if not words:
        return None
    key = "-".join(w.lower() for w in words)
    if key not in _COHORT_WORDS:
        raise UsageError(f'"{" ".join(words)}" is not a cohort: say statutory or non-statutory.', usage)
    return _COHORT_WORDS[key]


def date_of(ctx: Context, words: list[str], what: str, usage: str) -> date:
    if not words:
        raise UsageError(f"Say the {what} date, e.g. {what} 04/05/2027.", usage)
    d, used = resolve.due_date(ctx, words, usage)
    if words[used:]:
        raise UsageError(f'"{" ".join(words[used:])}" is not part of the {what} date.', usage)
    return d


def pick_cycle(ctx: Context, args: str, usage: str) -> S11Cycle:
    """The cycle named by `[year] [cohort]`, or the newest one."""
    words = args.split()
    if not words:
        found = s11.latest_cycle(ctx.session)
        if found is None:
            raise NotFound("No Section 11 cycle has been launched yet.", LAUNCH)
        return found
    year = _year(words[0], usage)
    cohort = _cohort(words[1:], usage)
    cycles = [c for c in s11.cycles_in_year(ctx.session, year) if cohort is None or c.cohort == cohort]
    if not cycles:
        raise NotFound(f"There is no {year}{' ' + cohort if cohort else ''} Section 11 cycle.", usage)
    if len(cycles) > 1:
        raise UsageError(f"{year} has two Section 11 cycles: say statutory or non-statutory.", usage)
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


@command(
    S11,
    "launch",
    usage=LAUNCH,
    example="/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027",
    summary="open a cycle for the year's cohort and send each agency its launch (chair or QA officer)",
    allowed=permissions.officers("launch a Section 11 cycle"),
)
def launch(ctx: Context, args: str) -> Reply:
    p = parse(args, {"deadline", "panel"})
    if p.tags or p.mentions:
        raise UsageError(f'"{" ".join(p.tags + p.mentions)}" has no place in a launch.', LAUNCH)
    if not p.words:
        raise UsageError("Say the year of the cycle, e.g. /s11 launch 2027 deadline 04/05/2027.", LAUNCH)
    year = _year(p.words[0], LAUNCH)
    cfg = settings(ctx.board)
    cohort = _cohort(p.words[1:], LAUNCH) or schedule.cohort_for_year(year, cfg.statutory_years)
    if "deadline" not in p.options:
        raise UsageError("Say the deadline, e.g. deadline 04/05/2027.", LAUNCH)
    deadline = date_of(ctx, p.options["deadline"], "deadline", LAUNCH)
    if deadline <= ctx.today:
        raise UsageError(f"The deadline {format_date(deadline)} is not in the future.", LAUNCH)
    panel = date_of(ctx, p.options["panel"], "panel", LAUNCH) if "panel" in p.options else None
    if panel is not None and panel < deadline:
        raise UsageError(
            f"The panel ({format_date(panel)}) cannot meet before the deadline ({format_date(deadline)}).",
            LAUNCH,
        )
    existing = s11.cycle_for(ctx.session, year, cohort)
    if existing is not None:
        raise UsageError(
            f"The {year} {cohort} Section 11 cycle was already launched on "
            f"{format_date(local_date(existing.launched_at, ctx.tz))} "
            f"(deadline {format_date(existing.deadline)}); "
            f"it is not launched twice. See /s11 status {year}."
        )
    agencies = [a for a in members.all_agencies(ctx.session) if a.sector == cohort]
    if not agencies:
        raise UsageError(f"No active agency is in the {cohort} sector: nothing to launch.")
    cycle = S11Cycle(
        year=year,
        cohort=cohort,
        deadline=deadline,
        panel_date=panel,
        status="open",
        launched_at=ctx.now,
        launched_by_id=ctx.actor.id,
    )
    try:
        with ctx.session.begin_nested():  # a launch racing this one: same refusal as above
            ctx.session.add(cycle)
    except IntegrityError:
        raise UsageError(
            f"The {year} {cohort} Section 11 cycle has just been launched; see /s11 status {year}."
        ) from None
    days = [
        s.day
        for s in schedule.slots(deadline, cfg.reminder_days, weekly_after=False)
        if at_local(s.day, reminder_time(cfg), ctx.tz) > ctx.now
    ]
    for agency in agencies:
        ret = S11Return(cycle_id=cycle.id, agency_id=agency.id, status="not_started")
        ctx.session.add(ret)
        ctx.session.flush()
        post_in_thread(
            ctx,
            cycle.id,
            agency,
            ret.id,
            event="launch",
            kind="s11_launch",
            reply=launch_post(cycle, agency, cfg.standards, days),
        )
    snapshot = {
        "year": year,
        "cohort": cohort,
        "deadline": deadline.isoformat(),
        "panel_date": panel.isoformat() if panel else None,
        "agencies": [a.name for a in agencies],
    }
    ctx.audit("s11_cycle", cycle.id, "launched", None, snapshot)
    lines = [
        f"{plural(len(agencies), 'return')} opened: " + "; ".join(a.name for a in agencies) + ".",
        "Each agency has been sent the launch; reminders follow in its thread on "
        + (", ".join(format_date(d) for d in days) or "no date before the deadline")
        + (", then weekly until submitted." if cfg.weekly_after_deadline else "."),
    ] + [note for note in [deadline_note(deadline)] if note]
    lines[1:1] = [line for line in [delivery_report.launch_line(ctx, agencies)] if line]
    return Reply(
        title=f"Launched {cycle_name(cycle)}: deadline {format_date(deadline)}",
        fields=[("Panel", format_date(panel))] if panel else [],
        lines=lines,
        visibility="channel",
        data={"cycle_id": cycle.id, "agencies": [a.name for a in agencies]},
    )


@command(S11, "status", usage=STATUS, example="/s11 status 2027", summary="where each agency's return stands")
def status(ctx: Context, args: str) -> Reply:
    cycle = pick_cycle(ctx, args, STATUS)
    returns = s11.returns_of(ctx.session, cycle.id)
    scope = permissions.agency_scope(ctx.actor)
    if scope is not None:
        returns = [r for r in returns if r.agency_id == scope]
        if not returns:
            return Reply(title=cycle_name(cycle), lines=["Your agency has no return in this cycle."])
    people = items.members_by_ids(ctx.session, {r.submitted_by_id for r in returns if r.submitted_by_id})
    lines = [f"{r.agency.name} — {status_text(r, ctx.today, ctx.tz, people)}" for r in returns]
    lines += delivery_report.cycle_lines(ctx, returns)
    fields = [("Deadline", format_date(cycle.deadline))]
    if cycle.panel_date:
        fields.append(("Panel", format_date(cycle.panel_date)))
    if scope is None:
        done = sum(r.status == "submitted" for r in returns)
        fields.append(("Returns in", f"{done} of {len(returns)}"))
        if cycle.escalated_at:
            fields.append(("Escalated", format_date(local_date(cycle.escalated_at, ctx.tz))))
    return Reply(title=f"{cycle_name(cycle)} status", fields=fields, lines=lines)


@command(S11, "help", usage=HELP, example="/s11 help", summary="these commands, with examples", hidden=True)
def help_(ctx: Context, args: str) -> Reply:
    return group_help("s11")
