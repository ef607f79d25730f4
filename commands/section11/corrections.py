"""/s11 deadline, cancel, add and remove: correcting a launched Section 11 cycle.

- `deadline` moves the cycle's deadline; reminders are planned again from the new date (slots
  before the move are not sent late: `S11Cycle.replanned_at`), and every agency is told once
  in its own Section 11 thread.
- `cancel` stops the cycle: no more reminders or escalations; each agency is told once.
- `add` / `remove` change the cohort of an open cycle: an added agency gets the launch in its
  thread; a removed one loses its return (only while nothing has been recorded against it).
Every change is audited with its reason; the chair and the QA officer make them.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict

from commands import permissions, resolve
from commands.actions.lifecycle import reason_text
from commands.context import Context
from commands.dates import at_local, deadline_note, format_date
from commands.errors import FieldError, NotFound, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11 import schedule
from commands.section11.commands import agency_then, date_of, pick_cycle
from commands.section11.common import (
    cycle_name,
    launch_post,
    post_in_thread,
    reminder_time,
    return_snapshot,
    settings,
)
from commands.types import Reply
from store import section11 as s11
from store.models import S11Cycle, S11Return

DEADLINE = "/s11 deadline <year> [statutory|non-statutory] <date> [because <reason>]"
CANCEL = "/s11 cancel <year> [statutory|non-statutory] <reason>"
ADD = "/s11 add <agency> [year]"
REMOVE = "/s11 remove <agency> [reason]"

_MODEL = ConfigDict(frozen=True, extra="forbid")
_BECAUSE = re.compile(r"\s+because\s+", re.I)
_COHORTS = ("statutory", "non-statutory", "nonstatutory", "non_statutory")


def _cycle_words(words: list[str]) -> tuple[str, list[str]]:
    """`<year> [cohort]` as pick_cycle reads it, and the words after."""
    n = 2 if len(words) > 1 and words[1].lower() in _COHORTS else 1
    return " ".join(words[:n]), words[n:]


def _open_cycle(ctx: Context, which: str, usage: str) -> S11Cycle:
    with about_field("year"):
        cycle = pick_cycle(ctx, which, usage)
    if cycle.status != "open":
        raise UsageError(f"{cycle_name(cycle)} is {cycle.status}: only an open cycle can be changed.", usage)
    return cycle


def _days(ctx: Context, deadline: date) -> list[date]:
    cfg = settings(ctx.board)
    return [
        s.day
        for s in schedule.slots(deadline, cfg.reminder_days, weekly_after=False)
        if at_local(s.day, reminder_time(cfg), ctx.tz) > ctx.now
    ]


class S11DeadlineRequest(BaseModel):
    model_config = _MODEL

    year: str  # `<year> [cohort]`, as /s11 status takes it
    to: date
    reason: str | None = None


def parse_deadline(ctx: Context, args: str) -> S11DeadlineRequest:
    parts = _BECAUSE.split(" " + args.strip(), maxsplit=1)
    words = parts[0].split()
    if not words:
        raise FieldError(
            "Say the year of the cycle, e.g. /s11 deadline 2027 18/05/2027.", DEADLINE, field="year"
        )
    which, rest = _cycle_words(words)
    with about_field("to"):
        to = date_of(ctx, rest, "new deadline", DEADLINE)
    return S11DeadlineRequest(year=which, to=to, reason=parts[1].strip() if len(parts) > 1 else None)


@command(
    S11,
    "deadline",
    request=S11DeadlineRequest,
    parse=parse_deadline,
    usage=DEADLINE,
    example="/s11 deadline 2027 18/05/2027 because the panel moved",
    summary="move a cycle's deadline; every agency is told (chair or QA officer)",
    allowed=permissions.officers("move a Section 11 deadline"),
)
def deadline(ctx: Context, req: S11DeadlineRequest) -> Reply:
    cycle = _open_cycle(ctx, req.year, DEADLINE)
    if req.to <= ctx.today:
        raise FieldError(f"The deadline {format_date(req.to)} is not in the future.", DEADLINE, field="to")
    if req.to == cycle.deadline:
        return Reply(title=f"{cycle_name(cycle)} is already due by {format_date(req.to)}")
    if cycle.panel_date is not None and cycle.panel_date < req.to:
        raise FieldError(
            f"The panel meets on {format_date(cycle.panel_date)}, before {format_date(req.to)}: "
            "the returns must be in before the panel.",
            DEADLINE,
            field="to",
        )
    reason = reason_text(ctx, req.reason, DEADLINE, required=False)
    was = cycle.deadline
    cycle.deadline, cycle.replanned_at = req.to, ctx.now
    after = {"deadline": req.to.isoformat()} | ({"reason": reason} if reason else {})
    ctx.audit("s11_cycle", cycle.id, "deadline moved", {"deadline": was.isoformat()}, after)
    days = _days(ctx, req.to)
    returns = s11.returns_of(ctx.session, cycle.id)
    for ret in returns:
        lines = [f"The deadline has moved from {format_date(was)} to {format_date(req.to)}."]
        if reason:
            lines.append(f"Reason: {reason}")
        if ret.status == "submitted":
            lines.append("Your return is already in: nothing more is needed.")
        elif days:
            lines.append("Reminders will follow on " + ", ".join(format_date(d) for d in days) + ".")
        post_in_thread(
            ctx,
            cycle.id,
            ret.agency,
            ret.id,
            event=f"deadline:{req.to.isoformat()}",
            kind="s11_deadline",
            reply=Reply(
                title=f"{cycle_name(cycle)}: the deadline is now {format_date(req.to)}",
                lines=lines,
                visibility="channel",
            ),
        )
    return Reply(
        title=f"{cycle_name(cycle)}: deadline moved to {format_date(req.to)}",
        lines=[
            f"It was {format_date(was)}. {_agencies(len(returns))} told in their Section 11 threads.",
            "Reminders: "
            + (", ".join(format_date(d) for d in days) or "none left before the deadline")
            + ".",
        ]
        + [note for note in [deadline_note(req.to)] if note],
        visibility="channel",
        data={"cycle_id": cycle.id, "deadline": req.to.isoformat()},
    )


class S11CancelRequest(BaseModel):
    model_config = _MODEL

    year: str
    reason: str


def parse_cancel(ctx: Context, args: str) -> S11CancelRequest:
    words = args.split()
    if not words:
        raise FieldError("Say the year of the cycle to cancel.", CANCEL, field="year")
    which, rest = _cycle_words(words)
    if not rest:
        raise FieldError("Say why the cycle is cancelled.", CANCEL, field="reason")
    return S11CancelRequest(year=which, reason=" ".join(rest))


@command(
    S11,
    "cancel",
    request=S11CancelRequest,
    parse=parse_cancel,
    usage=CANCEL,
    example="/s11 cancel 2027 replaced by the joint audit",
    summary="cancel a cycle: no more reminders or escalations (chair or QA officer)",
    allowed=permissions.officers("cancel a Section 11 cycle"),
)
def cancel(ctx: Context, req: S11CancelRequest) -> Reply:
    cycle = _open_cycle(ctx, req.year, CANCEL)
    reason = reason_text(ctx, req.reason, CANCEL, required=True)
    cycle.status = "cancelled"
    ctx.audit(
        "s11_cycle", cycle.id, "cancelled", {"status": "open"}, {"status": "cancelled", "reason": reason}
    )
    returns = s11.returns_of(ctx.session, cycle.id)
    for ret in returns:
        post_in_thread(
            ctx,
            cycle.id,
            ret.agency,
            ret.id,
            event="cancelled",
            kind="s11_cancelled",
            reply=Reply(
                title=f"{cycle_name(cycle)} has been cancelled",
                lines=[f"Reason: {reason}", "There will be no more reminders for this cycle."],
                visibility="channel",
            ),
        )
    return Reply(
        title=f"Cancelled {cycle_name(cycle)}",
        lines=[
            f"Reason: {reason}",
            f"No more reminders or escalations; {_agencies(len(returns))} told in their threads.",
        ],
        visibility="channel",
        data={"cycle_id": cycle.id},
    )


class S11AddRequest(BaseModel):
    model_config = _MODEL

    agency: str
    year: int | None = None


def parse_add(ctx: Context, args: str) -> S11AddRequest:
    with about_field("agency"):
        agency, rest = agency_then(ctx, args, ADD)
    if len(rest) > 1 or (rest and not re.fullmatch(r"\d{4}", rest[0])):
        raise UsageError(f'"{" ".join(rest)}" is not a year such as 2027.', ADD)
    return S11AddRequest(agency=agency.name, year=int(rest[0]) if rest else None)


def _cycle_for_agency(ctx: Context, sector: str, year: int | None, usage: str) -> S11Cycle:
    cycles = [c for c in s11.open_cycles(ctx.session) if year is None or c.year == year]
    if len(cycles) > 1:
        cycles = [c for c in cycles if c.cohort == sector] or cycles
    if not cycles:
        raise NotFound("No Section 11 cycle is open" + (f" for {year}." if year else "."), usage)
    if len(cycles) > 1:
        raise UsageError("Two Section 11 cycles are open: say the year after the agency.", usage)
    return cycles[0]


@command(
    S11,
    "add",
    request=S11AddRequest,
    parse=parse_add,
    usage=ADD,
    example="/s11 add Surrey Faith Forum",
    summary="add an agency to an open cycle; it is sent the launch (chair or QA officer)",
    allowed=permissions.officers("change a Section 11 cohort"),
)
def add(ctx: Context, req: S11AddRequest) -> Reply:
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, ADD)
    cycle = _cycle_for_agency(ctx, agency.sector, req.year, ADD)
    if s11.open_return_for(ctx.session, cycle.id, agency.id) is not None:
        return Reply(title=f"{agency.name} is already in {cycle_name(cycle)}")
    ret = S11Return(cycle_id=cycle.id, agency_id=agency.id, status="not_started")
    ctx.session.add(ret)
    ctx.session.flush()
    ctx.audit(
        "s11_return", ret.id, "added to cycle", None, {"agency": agency.name, "cycle": cycle_name(cycle)}
    )
    days = _days(ctx, cycle.deadline)
    cfg = settings(ctx.board)
    post_in_thread(
        ctx,
        cycle.id,
        agency,
        ret.id,
        event=f"added:{ret.id}",
        kind="s11_launch",
        reply=launch_post(cycle, agency, cfg.standards, days),
    )
    return Reply(
        title=f"Added {agency.name} to {cycle_name(cycle)}",
        lines=[
            f"It has been sent the launch in its Section 11 thread; due by {format_date(cycle.deadline)}."
        ],
        visibility="channel",
        data={"cycle_id": cycle.id, "agency": agency.name},
    )


class S11RemoveRequest(BaseModel):
    model_config = _MODEL

    agency: str
    reason: str | None = None


def parse_remove(ctx: Context, args: str) -> S11RemoveRequest:
    with about_field("agency"):
        agency, rest = agency_then(ctx, args, REMOVE)
    return S11RemoveRequest(agency=agency.name, reason=" ".join(rest) or None)


@command(
    S11,
    "remove",
    request=S11RemoveRequest,
    parse=parse_remove,
    usage=REMOVE,
    example="/s11 remove Surrey Faith Forum added by mistake",
    summary="take an agency out of an open cycle (chair or QA officer)",
    allowed=permissions.officers("change a Section 11 cohort"),
)
def remove(ctx: Context, req: S11RemoveRequest) -> Reply:
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, REMOVE)
    rets = [
        r for c in s11.open_cycles(ctx.session) if (r := s11.open_return_for(ctx.session, c.id, agency.id))
    ]
    if not rets:
        raise NotFound(f"{agency.name} is not in an open Section 11 cycle.", REMOVE)
    if len(rets) > 1:
        raise UsageError(f"{agency.name} is in two open cycles; cancel one of them instead.", REMOVE)
    ret = rets[0]
    cycle = ret.cycle
    if ret.status == "submitted":
        raise UsageError(
            f"{agency.name} has already submitted its {cycle.year} return; it stays in the cycle."
        )
    if s11.return_references(ctx.session, ret.id):
        raise UsageError(
            f"{possessive_name(agency.name)} return has ratings, actions or findings recorded against it; "
            "it stays in the cycle (cancel the cycle, or record why in a finding)."
        )
    reason = reason_text(ctx, req.reason, REMOVE, required=False)
    snapshot = return_snapshot(ret) | {"agency": agency.name, "cycle": cycle_name(cycle)}
    post_in_thread(
        ctx,
        cycle.id,
        agency,
        ret.id,
        event=f"removed:{ret.id}",
        kind="s11_removed",
        reply=Reply(
            title=f"{cycle_name(cycle)}: {agency.name} is no longer asked for a return",
            lines=[f"Reason: {reason}"] if reason else ["There will be no more reminders."],
            visibility="channel",
        ),
    )
    ctx.audit(
        "s11_return",
        ret.id,
        "removed from cycle",
        snapshot,
        {"removed": True} | ({"reason": reason} if reason else {}),
    )
    s11.remove_return(ctx.session, ret)
    return Reply(
        title=f"Removed {agency.name} from {cycle_name(cycle)}",
        lines=["No more reminders; it has been told in its Section 11 thread."],
        visibility="channel",
        data={"cycle_id": cycle.id, "agency": agency.name},
    )


def _agencies(n: int) -> str:
    return f"{n} agenc{'y' if n == 1 else 'ies'}"


def possessive_name(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"
