"""/finding update, withdraw and hold: correcting a finding, with the reason kept.

A withdrawn finding is not deleted: /finding show still shows it with its history, but it
is left out of /finding list, the chair's status, meeting summaries, agendas and the Board
report (store queries filter on `withdrawn_at`). `hold` keeps it from `qabot purge`.
Findings are the panel's record, so they are corrected by those who record them: the chair,
the QA officer and board members (README "Who may do what"); legal hold is for officers.
"""

from __future__ import annotations

import re
from typing import cast

from pydantic import BaseModel, ConfigDict

from commands import policy, resolve
from commands.common import finding_line, finding_snapshot, reason_text, safeguard
from commands.context import Context
from commands.errors import FieldError, NotFound, UsageError, about_field
from commands.fields import FindingRef, Priority, Rag, RagValue
from commands.grammar import RAGS, check_text, priority_for, ref_number
from commands.groups import FINDING
from commands.legal_hold import apply_hold, hold_and_reason
from commands.registry import command
from commands.types import Reply
from store import items
from store.models import Finding

UPDATE = (
    "/finding update F-<n> text <…> | agency <name> | rag red|amber|green | priority #tag [because <reason>]"
)
WITHDRAW = "/finding withdraw F-<n> <reason>"
HOLD = "/finding hold F-<n> [off] <reason>"

_MODEL = ConfigDict(frozen=True, extra="forbid")
_BECAUSE = re.compile(r"\s+because\s+", re.I)


def _visible_finding(ctx: Context, n: int, usage: str) -> Finding:
    f = items.get_finding(ctx.session, n, policy.viewer(ctx))
    if f is None:
        raise NotFound(f"There is no finding F-{n}.", usage)
    return f


def _ref_and_rest(args: str, usage: str) -> tuple[int, str | None]:
    toks = args.split(maxsplit=1)
    if not toks:
        raise FieldError("Say which finding, e.g. F-3.", usage, field="ref")
    with about_field("ref"):
        ref = ref_number(toks[0], "F", usage)
    return ref, toks[1] if len(toks) > 1 else None


class FindingUpdateRequest(BaseModel):
    """One thing to change; the rest stays as it is."""

    model_config = _MODEL

    ref: FindingRef
    text: str | None = None
    agency: str | None = None
    rag: Rag | None = None
    priority: Priority | None = None
    reason: str | None = None


def parse_update(ctx: Context, args: str) -> FindingUpdateRequest:
    ref, rest = _ref_and_rest(args, UPDATE)
    what, _, value = (rest or "").partition(" ")
    what, value = what.lower(), value.strip()
    if what not in ("text", "agency", "rag", "priority"):
        raise UsageError("Say what to change: text, agency, rag or priority.", UPDATE)
    if not value:
        raise FieldError(f"Say the new {what}.", UPDATE, field=what)
    if what == "text":  # the whole rest is the new text ("because" may be part of it)
        return FindingUpdateRequest(ref=ref, text=value)
    parts = _BECAUSE.split(" " + value, maxsplit=1)
    value, reason = parts[0].strip(), (parts[1] if len(parts) > 1 else None)
    if what == "agency":
        with about_field("agency"):
            agency, used = resolve.agency(ctx, value.split(), UPDATE)
        if value.split()[used:]:
            raise FieldError(
                f'"{" ".join(value.split()[used:])}" is not part of an agency name.', UPDATE, field="agency"
            )
        return FindingUpdateRequest(ref=ref, agency=agency.name, reason=reason)
    if what == "rag":
        if value.lower() not in RAGS:
            raise FieldError("The RAG rating is red, amber or green.", UPDATE, field="rag")
        return FindingUpdateRequest(ref=ref, rag=cast(RagValue, value.lower()), reason=reason)
    with about_field("priority"):
        return FindingUpdateRequest(ref=ref, priority=priority_for(value.split()[0], UPDATE), reason=reason)


@command(
    FINDING,
    "update",
    request=FindingUpdateRequest,
    parse=parse_update,
    usage=UPDATE,
    example="/finding update F-3 rag red because the re-audit found no change",
    summary="correct a finding",
    allowed=policy.board_members("correct findings"),
    aliases=("edit",),
)
def update(ctx: Context, req: FindingUpdateRequest) -> Reply:
    f = _visible_finding(ctx, req.ref, UPDATE)
    if f.withdrawn_at is not None:
        raise UsageError(f"F-{f.id} was withdrawn ({f.withdrawn_reason}); record a new finding instead.")
    if all(v is None for v in (req.text, req.agency, req.rag, req.priority)):
        raise UsageError("Say what to change: text, agency, rag or priority.", UPDATE)
    reason = reason_text(ctx, req.reason, UPDATE, required=False)
    before = finding_snapshot(f)
    if req.text is not None:
        with about_field("text"):
            text = check_text(req.text, "finding", UPDATE)
            safeguard(ctx, text, UPDATE)
        f.text = text
    if req.agency is not None:
        with about_field("agency"):
            agency = resolve.agency_called(ctx, req.agency, UPDATE)
        f.agency_id, f.agency = agency.id, agency
    if req.rag is not None:
        f.rag = req.rag
    if req.priority is not None:
        f.priority = req.priority
    after = finding_snapshot(f)
    if after == before:
        return Reply(title=f"F-{f.id} unchanged", lines=[finding_line(f)])
    ctx.audit("finding", f.id, "updated", before, after | ({"reason": reason} if reason else {}))
    return Reply(
        title=f"Updated F-{f.id}",
        lines=[finding_line(f)] + ([f"Reason: {reason}"] if reason else []),
        visibility="channel",
        data={"ref": f"F-{f.id}"},
    )


class FindingWithdrawRequest(BaseModel):
    model_config = _MODEL

    ref: FindingRef
    reason: str


def parse_withdraw(ctx: Context, args: str) -> FindingWithdrawRequest:
    ref, rest = _ref_and_rest(args, WITHDRAW)
    if rest is None:
        raise FieldError("Say why the finding is withdrawn.", WITHDRAW, field="reason")
    return FindingWithdrawRequest(ref=ref, reason=rest)


@command(
    FINDING,
    "withdraw",
    request=FindingWithdrawRequest,
    parse=parse_withdraw,
    usage=WITHDRAW,
    example="/finding withdraw F-3 recorded against the wrong agency",
    summary="withdraw a finding (kept in its history, left out of lists and reports)",
    allowed=policy.board_members("withdraw findings"),
)
def withdraw(ctx: Context, req: FindingWithdrawRequest) -> Reply:
    f = _visible_finding(ctx, req.ref, WITHDRAW)
    if f.withdrawn_at is not None:
        return Reply(title=f"F-{f.id} was already withdrawn", lines=[f"Reason: {f.withdrawn_reason}"])
    reason = reason_text(ctx, req.reason, WITHDRAW, required=True)
    before = finding_snapshot(f)
    f.withdrawn_at, f.withdrawn_reason = ctx.now, reason
    ctx.audit("finding", f.id, "withdrawn", before, finding_snapshot(f) | {"reason": reason})
    return Reply(
        title=f"Withdrew F-{f.id}",
        lines=[
            finding_line(f),
            f"Reason: {reason}",
            "It stays in its history (/finding show) and is left out of lists, status, "
            "summaries and reports.",
        ],
        visibility="channel",
        data={"ref": f"F-{f.id}"},
    )


class FindingHoldRequest(BaseModel):
    model_config = _MODEL

    ref: FindingRef
    hold: bool = True  # False lifts the hold
    reason: str


def parse_hold(ctx: Context, args: str) -> FindingHoldRequest:
    ref, rest = _ref_and_rest(args, HOLD)
    hold, reason = hold_and_reason(rest, HOLD)
    return FindingHoldRequest(ref=ref, hold=hold, reason=reason)


@command(
    FINDING,
    "hold",
    request=FindingHoldRequest,
    parse=parse_hold,
    usage=HOLD,
    example="/finding hold F-3 subject of a complaint",
    summary="keep a finding from retention purges (legal hold)",
    allowed=policy.officers("put a finding under legal hold"),
)
def hold(ctx: Context, req: FindingHoldRequest) -> Reply:
    f = _visible_finding(ctx, req.ref, HOLD)
    reason = reason_text(ctx, req.reason, HOLD, required=True)
    return apply_hold(ctx, f, "finding", f"F-{f.id}", req.hold, reason, finding_line(f))
