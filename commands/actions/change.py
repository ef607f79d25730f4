"""/action done, update and snooze: changes to one action, by its owner, its agency's lead,
the QA officer or the chair."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from commands import people, policy, resolve
from commands.actions import DONE, SNOOZE, UPDATE, action_buttons, visible_action
from commands.actions.lifecycle import reopen_first
from commands.common import action_line, action_snapshot, safeguard
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, UsageError, about_field
from commands.fields import ActionRef, MemberRef, Priority
from commands.grammar import check_text, parse, priority_for, ref_number
from commands.groups import ACTION
from commands.registry import command
from commands.types import Reply

_MODEL = ConfigDict(frozen=True, extra="forbid")


def _ref(token: str, usage: str) -> int:
    with about_field("ref"):
        return ref_number(token, "A", usage)


class ActionDoneRequest(BaseModel):
    model_config = _MODEL

    ref: ActionRef
    note: str | None = None  # why it is done, kept with the action


def parse_done(ctx: Context, args: str) -> ActionDoneRequest:
    toks = args.split(maxsplit=1)
    if not toks:
        raise FieldError("Say which action is done, e.g. A-12.", DONE, field="ref")
    return ActionDoneRequest(ref=_ref(toks[0], DONE), note=toks[1] if len(toks) > 1 else None)


@command(
    ACTION,
    "done",
    request=ActionDoneRequest,
    parse=parse_done,
    usage=DONE,
    example="/action done A-12 audit completed",
    summary="close an action",
    aliases=("close",),
)
def done(ctx: Context, req: ActionDoneRequest) -> Reply:
    a = visible_action(ctx, req.ref, DONE)
    policy.require_may_change_action(ctx, a, "close")
    if a.status == "done":
        return Reply(title=f"A-{a.id} was already closed", lines=[action_line(a, ctx.today)])
    if a.status != "open":
        raise UsageError(reopen_first(a) + " (to close it as done).")
    note = None
    if req.note is not None:
        with about_field("note"):
            note = check_text(req.note, "note", DONE)
            safeguard(ctx, note, DONE)
    before = action_snapshot(a)
    a.status, a.closed_at, a.closed_by_id, a.closing_note = "done", ctx.now, ctx.actor.id, note
    ctx.audit("action", a.id, "closed", before, action_snapshot(a))
    return Reply(
        title=f"Closed A-{a.id}",
        lines=[action_line(a, ctx.today)],
        visibility="channel",
        about_agencies=policy.about(a.agency_id),
        data={"ref": f"A-{a.id}"},
    )


class ActionUpdateRequest(BaseModel):
    """What to change; the fields left out stay as they are."""

    model_config = _MODEL

    ref: ActionRef
    text: str | None = None
    due: date | None = None
    owner: MemberRef | None = None  # handle, or a platform mention
    agency: str | None = None
    priority: Priority | None = None


def parse_update(ctx: Context, args: str) -> ActionUpdateRequest:
    toks = args.split(maxsplit=1)
    if len(toks) < 2:
        raise UsageError("Say which action and what to change.", UPDATE)
    ref, rest = _ref(toks[0], UPDATE), toks[1]
    if rest.lower().startswith("text "):
        return ActionUpdateRequest(ref=ref, text=rest[5:])
    p = parse(people.join_named(ctx, rest), {"due", "owner", "agency"})
    if p.words:
        raise UsageError(f'"{" ".join(p.words)}" is not something I can change.', UPDATE)
    if not (p.options or p.tags or p.mentions):
        raise UsageError("Say what to change.", UPDATE)
    due = None
    if "due" in p.options:
        with about_field("due"):
            due, used = resolve.due_date(ctx, p.options["due"], UPDATE)
        if p.options["due"][used:]:
            extra = " ".join(p.options["due"][used:])
            raise FieldError(f'"{extra}" is not part of a date.', UPDATE, field="due")
    owner = None
    if "owner" in p.options or p.mentions:
        owner = p.mentions[0] if p.mentions else " ".join(p.options["owner"])
    agency = None
    if "agency" in p.options:
        with about_field("agency"):
            agency = resolve.agency(ctx, p.options["agency"], UPDATE)[0].name
    with about_field("priority"):
        priority = priority_for(p.tags[0], UPDATE) if p.tags else None
    return ActionUpdateRequest(ref=ref, due=due, owner=owner, agency=agency, priority=priority)


@command(
    ACTION,
    "update",
    request=ActionUpdateRequest,
    parse=parse_update,
    usage=UPDATE,
    example="/action update A-12 due end of March",
    summary="change an action",
    aliases=("edit",),
)
def update(ctx: Context, req: ActionUpdateRequest) -> Reply:
    a = visible_action(ctx, req.ref, UPDATE)
    policy.require_may_change_action(ctx, a, "update")
    if a.status != "open":
        raise UsageError(reopen_first(a))
    if req.due is not None and req.due < ctx.today:
        raise FieldError(f"The due date {format_date(req.due)} is in the past.", UPDATE, field="due")
    if all(v is None for v in (req.text, req.due, req.owner, req.agency, req.priority)):
        raise UsageError("Say what to change.", UPDATE)
    before = action_snapshot(a)
    if req.text is not None:
        with about_field("text"):
            text = check_text(req.text, "action", UPDATE)
            safeguard(ctx, text, UPDATE)
        a.text = text
    if req.due is not None:
        a.due_date = req.due
    if req.owner is not None:
        with about_field("owner"):
            owner = resolve.member(ctx, req.owner.lstrip("@"), UPDATE)
        a.owner_id, a.owner = owner.id, owner
    if req.agency is not None:
        with about_field("agency"):
            agency = resolve.agency_called(ctx, req.agency, UPDATE)
            # An agency lead cannot move an action out of sight of the agencies they act for.
            policy.require_may_file_for(ctx, agency, "move actions to")
        a.agency_id, a.agency = agency.id, agency
    if req.priority is not None:
        a.priority = req.priority
    after = action_snapshot(a)
    if after == before:
        return Reply(title=f"A-{a.id} unchanged", lines=[action_line(a, ctx.today)])
    ctx.audit("action", a.id, "updated", before, after)
    return Reply(
        title=f"Updated A-{a.id}",
        lines=[action_line(a, ctx.today)],
        buttons=action_buttons(a),
        visibility="channel",
        about_agencies=policy.about(a.agency_id),
        data={"ref": f"A-{a.id}"},
    )


class ActionSnoozeRequest(BaseModel):
    model_config = _MODEL

    ref: ActionRef
    days: int = 7


def parse_snooze(ctx: Context, args: str) -> ActionSnoozeRequest:
    toks = args.split()
    if not toks or len(toks) > 2:
        raise UsageError("Say which action to snooze.", SNOOZE)
    ref = _ref(toks[0], SNOOZE)
    if len(toks) == 1:
        return ActionSnoozeRequest(ref=ref)
    if not toks[1].isdigit():
        raise FieldError("Snooze by a number of days between 1 and 365.", SNOOZE, field="days")
    return ActionSnoozeRequest(ref=ref, days=int(toks[1]))


@command(
    ACTION,
    "snooze",
    request=ActionSnoozeRequest,
    parse=parse_snooze,
    usage=SNOOZE,
    example="/action snooze A-12",
    summary="push the due date back a week",
)
def snooze(ctx: Context, req: ActionSnoozeRequest) -> Reply:
    a = visible_action(ctx, req.ref, SNOOZE)
    policy.require_may_change_action(ctx, a, "snooze")
    if a.status != "open":
        raise UsageError(reopen_first(a))
    if not 1 <= req.days <= 365:
        raise FieldError("Snooze by a number of days between 1 and 365.", SNOOZE, field="days")
    before = action_snapshot(a)
    a.due_date = max(a.due_date or ctx.today, ctx.today) + timedelta(days=req.days)
    ctx.audit("action", a.id, "snoozed", before, action_snapshot(a))
    return Reply(
        title=f"Snoozed A-{a.id} to {format_date(a.due_date)}",
        lines=[action_line(a, ctx.today)],
        buttons=action_buttons(a),
        visibility="channel",
        about_agencies=policy.about(a.agency_id),
        data={"ref": f"A-{a.id}"},
    )
