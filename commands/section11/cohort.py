"""/s11 add and /s11 remove: the cohort of an open Section 11 cycle. An added agency gets the
launch in its thread; a removed one loses its return (only while nothing has been recorded
against it: a submitted return, ratings, actions or findings keep it in the cycle) and is told
in its thread. The chair and the QA officer make these changes; each is audited.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from commands import policy, resolve
from commands.common import reason_text
from commands.context import Context
from commands.dates import format_date
from commands.errors import NotFound, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11.carried import carry_forward, launch_with_scoring
from commands.section11.common import (
    cycle_name,
    launch_post,
    possessive,
    post_in_thread,
    return_snapshot,
    settings,
)
from commands.section11.corrections import reminder_days
from commands.section11.reading import agency_then
from commands.types import Reply
from store import section11 as s11
from store.models import S11Cycle, S11Return

ADD = "/s11 add <agency> [year]"
REMOVE = "/s11 remove <agency> [reason]"

_MODEL = ConfigDict(frozen=True, extra="forbid")


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
    allowed=policy.officers("change a Section 11 cohort"),
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
    days = reminder_days(ctx, cycle.deadline)
    cfg = settings(ctx.board)
    carried = carry_forward(ctx, cycle, ret)  # last cycle's answers, to confirm or change
    post = launch_post(cycle, agency, cfg.standard_titles(), days)
    post_in_thread(
        ctx,
        cycle.id,
        agency,
        ret.id,
        event=f"added:{ret.id}",
        kind="s11_launch",
        reply=launch_with_scoring(ctx, post, agency.name, carried),
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
    allowed=policy.officers("change a Section 11 cohort"),
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
            f"{possessive(agency.name)} return has ratings, actions or findings recorded against it; "
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
