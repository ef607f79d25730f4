"""/s11 deadline and cancel: correcting a launched Section 11 cycle (add and remove, which
change its cohort, are in commands/section11/cohort.py).

- `deadline` moves the cycle's deadline; reminders are planned again from the new date (slots
  before the move are not sent late: `S11Cycle.replanned_at`), and every agency is told once
  in its own Section 11 thread.
- `cancel` stops the cycle: no more reminders or escalations; each agency is told once.
Every change is audited with its reason; the chair and the QA officer make them.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict

from commands import policy
from commands.common import reason_text
from commands.context import Context
from commands.dates import at_local, deadline_note, format_date
from commands.errors import FieldError, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11 import schedule
from commands.section11.common import (
    cycle_name,
    post_in_thread,
    reminder_time,
    settings,
)
from commands.section11.reading import CycleChoice, date_of, parse_cycle_choice, pick_cycle
from commands.types import Reply
from store import section11 as s11
from store.models import S11Cycle

DEADLINE = "/s11 deadline <year> [statutory|non-statutory] <date> [because <reason>]"
CANCEL = "/s11 cancel <year> [statutory|non-statutory] <reason>"

_MODEL = ConfigDict(frozen=True, extra="forbid")
_BECAUSE = re.compile(r"\s+because\s+", re.I)
_COHORTS = ("statutory", "non-statutory", "nonstatutory", "non_statutory")


def _cycle_words(words: list[str]) -> tuple[str, list[str]]:
    """`<year> [cohort]` as pick_cycle reads it, and the words after."""
    n = 2 if len(words) > 1 and words[1].lower() in _COHORTS else 1
    return " ".join(words[:n]), words[n:]


def _open_cycle(ctx: Context, which: str, usage: str) -> S11Cycle:
    with about_field("year"):
        cycle = pick_cycle(ctx, parse_cycle_choice(CycleChoice, which, usage), usage)
    if cycle.status != "open":
        raise UsageError(f"{cycle_name(cycle)} is {cycle.status}: only an open cycle can be changed.", usage)
    return cycle


def reminder_days(ctx: Context, deadline: date) -> list[date]:
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
    allowed=policy.officers("move a Section 11 deadline"),
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
    days = reminder_days(ctx, req.to)
    returns = s11.returns_of(ctx.session, cycle.id, policy.BOARD)  # every agency is told
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
    allowed=policy.officers("cancel a Section 11 cycle"),
)
def cancel(ctx: Context, req: S11CancelRequest) -> Reply:
    cycle = _open_cycle(ctx, req.year, CANCEL)
    reason = reason_text(ctx, req.reason, CANCEL, required=True)
    cycle.status = "cancelled"
    ctx.audit(
        "s11_cycle", cycle.id, "cancelled", {"status": "open"}, {"status": "cancelled", "reason": reason}
    )
    returns = s11.returns_of(ctx.session, cycle.id, policy.BOARD)  # every agency is told
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


def _agencies(n: int) -> str:
    return f"{n} agenc{'y' if n == 1 else 'ies'}"
