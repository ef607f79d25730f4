"""/s11 extend and /s11 refuse: the chair or the QA officer answers an agency's request for
more time; the agency is told in its Section 11 thread."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from commands import policy, resolve
from commands.context import Context
from commands.dates import deadline_note, format_date
from commands.errors import FieldError, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11.common import (
    attention_line,
    cycle_name,
    effective_deadline,
    possessive,
    post_in_thread,
    return_snapshot,
)
from commands.section11.reading import EXTEND, REFUSE, agency_then, date_of, return_of
from commands.types import Reply
from store.models import Agency

_MODEL = ConfigDict(frozen=True, extra="forbid")


class S11ExtendRequest(BaseModel):
    model_config = _MODEL

    agency: str  # the agency's name (its distinctive words are enough)
    to: date  # the new date the return is due by


def parse_extend(ctx: Context, args: str) -> S11ExtendRequest:
    with about_field("agency"):
        agency, rest = agency_then(ctx, args, EXTEND)
    with about_field("to"):
        return S11ExtendRequest(agency=agency.name, to=date_of(ctx, rest, "extension", EXTEND))


@command(
    S11,
    "extend",
    request=S11ExtendRequest,
    parse=parse_extend,
    usage=EXTEND,
    example="/s11 extend Surrey Police 12/05/2027",
    summary="grant an agency an extension (chair or QA officer)",
    allowed=policy.officers("grant a Section 11 extension"),
    aliases=("grant",),
)
def extend(ctx: Context, req: S11ExtendRequest) -> Reply:
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, EXTEND)
        ret = return_of(ctx, agency, EXTEND)
    to = req.to
    cycle = ret.cycle
    if ret.status == "submitted":
        raise UsageError(
            f"{agency.name} has already submitted its {cycle.year} return; no extension is needed."
        )
    if to <= cycle.deadline:
        raise FieldError(
            f"An extension must run past the deadline ({format_date(cycle.deadline)}); "
            f"{format_date(to)} does not.",
            EXTEND,
            field="to",
        )
    if ret.status == "extension_granted" and ret.extension_granted_to == to:
        return Reply(title=f"{agency.name} already has an extension to {format_date(to)}")
    before = return_snapshot(ret)
    ret.extension_granted_to, ret.extension_granted_at, ret.status = to, ctx.now, "extension_granted"
    ret.extension_refused_to = None
    ctx.audit("s11_return", ret.id, "extension granted", before, return_snapshot(ret))
    post_in_thread(
        ctx,
        cycle.id,
        agency,
        ret.id,
        event=f"extension-granted:{to.isoformat()}",
        kind="s11_extension",
        reply=Reply(
            title=f"{cycle_name(cycle)}: extension granted to {format_date(to)}",
            lines=[
                f"@{ctx.actor.handle} granted {agency.name} an extension: the return is now due by "
                f"{format_date(to)} (the deadline was {format_date(cycle.deadline)}). "
                "Reminders will follow the new date.",
                *_both_contacts(agency),
            ],
            visibility="channel",
        ),
    )
    return Reply(
        title=f"Extension granted: {agency.name} to {format_date(to)}",
        lines=[f"{agency.name} has been told in its Section 11 thread."]
        + [note for note in [deadline_note(to)] if note],
        visibility="channel",
        about_agencies=policy.about(agency.id),
        data={"agency": agency.name, "to": to.isoformat()},
    )


def _both_contacts(agency: Agency) -> list[str]:
    """The lead and the substitute both hear the answer, whichever of them asked."""
    line = attention_line(agency, with_substitute=True)
    return [line] if line else []


class S11RefuseRequest(BaseModel):
    model_config = _MODEL

    agency: str


def parse_refuse(ctx: Context, args: str) -> S11RefuseRequest:
    with about_field("agency"):
        agency, rest = agency_then(ctx, args, REFUSE)
    if rest:
        raise UsageError(f'"{" ".join(rest)}" is not needed: just say which agency.', REFUSE)
    return S11RefuseRequest(agency=agency.name)


@command(
    S11,
    "refuse",
    request=S11RefuseRequest,
    parse=parse_refuse,
    usage=REFUSE,
    example="/s11 refuse Surrey Police",
    summary="refuse an agency's extension request",
    allowed=policy.officers("refuse a Section 11 extension"),
)
def refuse(ctx: Context, req: S11RefuseRequest) -> Reply:
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, REFUSE)
        ret = return_of(ctx, agency, REFUSE)
    cycle = ret.cycle
    if ret.status != "extension_requested" or ret.extension_requested_to is None:
        if ret.status == "extension_granted" and ret.extension_granted_to:
            raise UsageError(
                f"{possessive(agency.name)} extension was already granted to "
                f"{format_date(ret.extension_granted_to)}."
            )
        raise UsageError(f"{agency.name} has no extension request waiting.", REFUSE)
    asked = ret.extension_requested_to
    before = return_snapshot(ret)
    ret.status = "document_received" if ret.document_received_at else "not_started"
    ret.extension_requested_to, ret.extension_refused_to = None, asked
    ctx.audit("s11_return", ret.id, "extension refused", before, return_snapshot(ret))
    post_in_thread(
        ctx,
        cycle.id,
        agency,
        ret.id,
        event=f"extension-refused:{asked.isoformat()}",
        kind="s11_extension",
        reply=Reply(
            title=f"{cycle_name(cycle)}: extension to {format_date(asked)} refused",
            lines=[
                f"The return is still due by {format_date(effective_deadline(ret))}.",
                *_both_contacts(agency),
            ],
            visibility="channel",
        ),
    )
    return Reply(
        title=f"Extension refused: {agency.name}",
        lines=[f"{agency.name} has been told in its Section 11 thread; the deadline stays."],
        visibility="channel",
        about_agencies=policy.about(agency.id),
    )
