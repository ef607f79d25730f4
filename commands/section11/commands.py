"""/s11 launch and /s11 status: open a Section 11 cycle and follow its returns.

Extensions are in commands/section11/extensions.py, ratings and the panel summary in
commands/section11/ratings.py; what they all read from the text in commands/section11/reading.py.
The replies are built by plain functions (`launch_reply`, `status_reply`) so that other
producers of the same view can call them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from commands import delivery_report, policy
from commands.board_file import Section11Settings
from commands.context import Context
from commands.dates import at_local, deadline_note, format_date, local_date
from commands.documents import settle_library
from commands.errors import FieldError, UsageError, about_field
from commands.grammar import parse
from commands.groups import S11
from commands.help import group_help
from commands.registry import command
from commands.section11 import schedule
from commands.section11.carried import carry_forward, counts_by_return, launch_with_scoring, status_line
from commands.section11.common import (
    cycle_name,
    launch_post,
    plural,
    post_in_thread,
    reminder_time,
    settings,
    status_text,
)
from commands.section11.reading import (
    HELP,
    LAUNCH,
    MODEL,
    STATUS,
    Cohort,
    CycleChoice,
    Year,
    cohort_of,
    date_of,
    parse_cycle_choice,
    pick_cycle,
    year_of,
)
from commands.section11.standards import all_subs, standards_of
from commands.types import Reply
from store import items, members
from store import section11 as s11
from store.models import Agency, S11Cycle, S11Return


class S11LaunchRequest(BaseModel):
    """A cycle to open. Field names are the ones a FieldError names."""

    model_config = MODEL

    year: Year
    cohort: Cohort | None = None  # None: the board's rotation of cohorts decides
    deadline: date
    panel: date | None = None  # the day the scrutiny panel meets


def parse_launch(ctx: Context, args: str) -> S11LaunchRequest:
    p = parse(args, {"deadline", "panel"})
    if p.tags or p.mentions:
        raise UsageError(f'"{" ".join(p.tags + p.mentions)}" has no place in a launch.', LAUNCH)
    if not p.words:
        raise FieldError(
            "Say the year of the cycle, e.g. /s11 launch 2027 deadline 04/05/2027.", LAUNCH, field="year"
        )
    year = year_of(p.words[0], LAUNCH)
    cohort = cohort_of(p.words[1:], LAUNCH)
    if "deadline" not in p.options:
        raise FieldError("Say the deadline, e.g. deadline 04/05/2027.", LAUNCH, field="deadline")
    with about_field("deadline"):
        deadline = date_of(ctx, p.options["deadline"], "deadline", LAUNCH)
    panel = None
    if "panel" in p.options:
        with about_field("panel"):
            panel = date_of(ctx, p.options["panel"], "panel", LAUNCH)
    return S11LaunchRequest(year=year, cohort=cohort, deadline=deadline, panel=panel)


@command(
    S11,
    "launch",
    request=S11LaunchRequest,
    parse=parse_launch,
    usage=LAUNCH,
    example="/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027",
    summary="open a cycle for the year's cohort and send each agency its launch (chair or QA officer)",
    allowed=policy.officers("launch a Section 11 cycle"),
)
def launch(ctx: Context, req: S11LaunchRequest) -> Reply:
    year, deadline, panel = req.year, req.deadline, req.panel
    cfg = settings(ctx.board)
    cohort = req.cohort or schedule.cohort_for_year(year, cfg.statutory_years)
    if deadline <= ctx.today:
        raise FieldError(
            f"The deadline {format_date(deadline)} is not in the future.", LAUNCH, field="deadline"
        )
    if panel is not None and panel < deadline:
        raise FieldError(
            f"The panel ({format_date(panel)}) cannot meet before the deadline ({format_date(deadline)}).",
            LAUNCH,
            field="panel",
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
    carried_to: list[str] = []
    for agency in agencies:
        ret = S11Return(cycle_id=cycle.id, agency_id=agency.id, status="not_started")
        ctx.session.add(ret)
        ctx.session.flush()
        carried = carry_forward(ctx, cycle, ret)  # last cycle's answers, to confirm or change
        carried_to += [agency.name] if carried else []
        post = launch_post(cycle, agency, cfg.standard_titles(), days)
        post_in_thread(
            ctx,
            cycle.id,
            agency,
            ret.id,
            event="launch",
            kind="s11_launch",
            reply=launch_with_scoring(ctx, post, agency.name, carried),
        )
    snapshot = {
        "year": year,
        "cohort": cohort,
        "deadline": deadline.isoformat(),
        "panel_date": panel.isoformat() if panel else None,
        "agencies": [a.name for a in agencies],
    }
    ctx.audit("s11_cycle", cycle.id, "launched", None, snapshot)
    settle_library(ctx)  # evidence already in SharePoint marks its return "document received"
    reply = launch_reply(cycle, agencies, days, cfg, delivery_report.launch_line(ctx, agencies))
    if carried_to:
        reply.lines.append(
            f"Answers carried from the last cycle, to confirm or change: {'; '.join(carried_to)}."
        )
    return reply


def launch_reply(
    cycle: S11Cycle,
    agencies: list[Agency],
    days: list[date],
    cfg: Section11Settings,
    not_reached: str | None = None,
) -> Reply:
    """What the officer who launched a cycle sees: the returns opened, who could not be reached
    (`not_reached`, from commands/delivery_report.py) and the reminder days."""
    lines = [
        f"{plural(len(agencies), 'return')} opened: " + "; ".join(a.name for a in agencies) + ".",
        *([not_reached] if not_reached else []),
        ("Each agency reached" if not_reached else "Each agency")
        + " has been sent the launch; reminders follow in its thread on "
        + (", ".join(format_date(d) for d in days) or "no date before the deadline")
        + (", then weekly until submitted." if cfg.weekly_after_deadline else "."),
    ] + [note for note in [deadline_note(cycle.deadline)] if note]
    return Reply(
        title=f"Launched {cycle_name(cycle)}: deadline {format_date(cycle.deadline)}",
        fields=[("Panel", format_date(cycle.panel_date))] if cycle.panel_date else [],
        lines=lines,
        visibility="channel",
        data={"cycle_id": cycle.id, "agencies": [a.name for a in agencies]},
    )


class S11StatusRequest(CycleChoice):
    """Which cycle's returns to show (the newest when no year is given)."""


def parse_status(ctx: Context, args: str) -> S11StatusRequest:
    return parse_cycle_choice(S11StatusRequest, args, STATUS)


@command(
    S11,
    "status",
    request=S11StatusRequest,
    parse=parse_status,
    usage=STATUS,
    example="/s11 status 2027",
    summary="where each agency's return stands",
)
def status(ctx: Context, req: S11StatusRequest) -> Reply:
    return status_reply(ctx, pick_cycle(ctx, req, STATUS))


def status_reply(ctx: Context, cycle: S11Cycle) -> Reply:
    """Where each return of the cycle stands, as this member may see it (an agency lead: the
    returns of the agencies they act for)."""
    viewer = policy.viewer(ctx)
    returns = s11.returns_of(ctx.session, cycle.id, viewer)
    if not viewer.board_wide and not returns:
        return Reply(title=cycle_name(cycle), lines=["Your agency has no return in this cycle."])
    people = items.members_by_ids(ctx.session, {r.submitted_by_id for r in returns if r.submitted_by_id})
    counts = counts_by_return(ctx, cycle, viewer)
    total_subs = len(all_subs(standards_of(settings(ctx.board))))
    lines: list[str] = []
    for r in returns:
        lines.append(f"{r.agency.name} — {status_text(r, ctx.today, ctx.tz, people)}")
        lines += status_line(counts, r, total_subs)  # answered / carried / missing, once scoring began
    lines += delivery_report.cycle_lines(ctx, returns)
    fields = [("Deadline", format_date(cycle.deadline))]
    if cycle.panel_date:
        fields.append(("Panel", format_date(cycle.panel_date)))
    if viewer.board_wide:
        done = sum(r.status == "submitted" for r in returns)
        fields.append(("Returns in", f"{done} of {len(returns)}"))
        if cycle.escalated_at:
            fields.append(("Escalated", format_date(local_date(cycle.escalated_at, ctx.tz))))
    return Reply(title=f"{cycle_name(cycle)} status", fields=fields, lines=lines)


@command(S11, "help", usage=HELP, example="/s11 help", summary="these commands, with examples", hidden=True)
def help_(ctx: Context, args: str) -> Reply:
    return group_help("s11")
