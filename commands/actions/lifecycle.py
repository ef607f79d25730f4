"""/action cancel, reopen and hold: correcting an action's life, with the reason kept.

A cancelled action is closed without being done (it leaves open lists and the chair's
status, and stays in /action show with its history); a closed one (done or cancelled) comes
back with /action reopen. `hold` puts an action under legal hold: `qabot purge` keeps it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from commands import policy
from commands.actions import action_buttons, visible_action
from commands.common import action_line, action_snapshot, reason_text
from commands.context import Context
from commands.errors import FieldError, UsageError, about_field
from commands.fields import ActionRef
from commands.grammar import ref_number
from commands.groups import ACTION
from commands.legal_hold import apply_hold, hold_and_reason
from commands.registry import command
from commands.types import Reply
from store.models import Action

CANCEL = "/action cancel A-<n> <reason>"
REOPEN = "/action reopen A-<n> [reason]"
HOLD = "/action hold A-<n> [off] <reason>"

_MODEL = ConfigDict(frozen=True, extra="forbid")


def reopen_first(a: Action) -> str:
    """The refusal for changing a closed action: say how to bring it back."""
    state = "cancelled" if a.status == "cancelled" else "closed"
    return f"A-{a.id} is {state}; reopen first: /action reopen A-{a.id}"


def _ref_and_rest(args: str, usage: str) -> tuple[int, str | None]:
    toks = args.split(maxsplit=1)
    if not toks:
        raise FieldError("Say which action, e.g. A-12.", usage, field="ref")
    with about_field("ref"):
        ref = ref_number(toks[0], "A", usage)
    return ref, toks[1] if len(toks) > 1 else None


class ActionCancelRequest(BaseModel):
    model_config = _MODEL

    ref: ActionRef
    reason: str  # why it no longer needs doing, kept with the action


def parse_cancel(ctx: Context, args: str) -> ActionCancelRequest:
    ref, rest = _ref_and_rest(args, CANCEL)
    if rest is None:
        raise FieldError("Say why the action is cancelled.", CANCEL, field="reason")
    return ActionCancelRequest(ref=ref, reason=rest)


@command(
    ACTION,
    "cancel",
    request=ActionCancelRequest,
    parse=parse_cancel,
    usage=CANCEL,
    example="/action cancel A-12 duplicate of A-9",
    summary="cancel an action that no longer needs doing",
)
def cancel(ctx: Context, req: ActionCancelRequest) -> Reply:
    a = visible_action(ctx, req.ref, CANCEL)
    policy.require_may_change_action(ctx, a, "cancel")
    if a.status != "open":
        raise UsageError(f"{reopen_first(a)} (to cancel it instead).")
    reason = reason_text(ctx, req.reason, CANCEL, required=True)
    before = action_snapshot(a)
    a.status, a.closed_at, a.closed_by_id, a.closing_note = "cancelled", ctx.now, ctx.actor.id, reason
    ctx.audit("action", a.id, "cancelled", before, {**action_snapshot(a), "reason": reason})
    return Reply(
        title=f"Cancelled A-{a.id}",
        lines=[action_line(a, ctx.today), f"Reason: {reason}"],
        visibility="channel",
        data={"ref": f"A-{a.id}"},
    )


class ActionReopenRequest(BaseModel):
    model_config = _MODEL

    ref: ActionRef
    reason: str | None = None


def parse_reopen(ctx: Context, args: str) -> ActionReopenRequest:
    ref, rest = _ref_and_rest(args, REOPEN)
    return ActionReopenRequest(ref=ref, reason=rest)


@command(
    ACTION,
    "reopen",
    request=ActionReopenRequest,
    parse=parse_reopen,
    usage=REOPEN,
    example="/action reopen A-12 the audit found more cases",
    summary="reopen a closed or cancelled action",
)
def reopen(ctx: Context, req: ActionReopenRequest) -> Reply:
    a = visible_action(ctx, req.ref, REOPEN)
    policy.require_may_change_action(ctx, a, "reopen")
    if a.status == "open":
        return Reply(title=f"A-{a.id} is already open", lines=[action_line(a, ctx.today)])
    reason = reason_text(ctx, req.reason, REOPEN, required=False)
    before = action_snapshot(a)
    a.status, a.closed_at, a.closed_by_id, a.closing_note = "open", None, None, None
    after = action_snapshot(a) | ({"reason": reason} if reason else {})
    ctx.audit("action", a.id, "reopened", before, after)
    lines = [action_line(a, ctx.today)]
    if a.due_date and a.due_date < ctx.today:
        lines.append(f"It is overdue: set a new date with /action update A-{a.id} due <date>.")
    return Reply(
        title=f"Reopened A-{a.id}",
        lines=lines,
        buttons=action_buttons(a),
        visibility="channel",
        data={"ref": f"A-{a.id}"},
    )


class ActionHoldRequest(BaseModel):
    model_config = _MODEL

    ref: ActionRef
    hold: bool = True  # False lifts the hold
    reason: str


def parse_hold(ctx: Context, args: str) -> ActionHoldRequest:
    ref, rest = _ref_and_rest(args, HOLD)
    hold, reason = hold_and_reason(rest, HOLD)
    return ActionHoldRequest(ref=ref, hold=hold, reason=reason)


@command(
    ACTION,
    "hold",
    request=ActionHoldRequest,
    parse=parse_hold,
    usage=HOLD,
    example="/action hold A-12 requested by the rapid review",
    summary="keep an action from retention purges (legal hold)",
    allowed=policy.officers("put an action under legal hold"),
)
def hold(ctx: Context, req: ActionHoldRequest) -> Reply:
    a = visible_action(ctx, req.ref, HOLD)
    reason = reason_text(ctx, req.reason, HOLD, required=True)
    return apply_hold(ctx, a, "action", f"A-{a.id}", req.hold, reason, action_line(a, ctx.today))
