"""/action add: parse the line into an ActionAddRequest, then log the action it describes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from commands import people, policy, resolve
from commands.actions import ADD, action_buttons
from commands.common import action_line, action_snapshot, safeguard
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, about_field
from commands.fields import MemberRef, Priority
from commands.grammar import check_text, fold_back, looks_like_date, parse
from commands.groups import ACTION
from commands.registry import command
from commands.types import Reply
from store.models import Action

KEYWORDS = {"due", "by", "agency", "meeting", "owner"}


class ActionAddRequest(BaseModel):
    """An action to log. Field names are the ones a FieldError names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    owner: MemberRef | None = None  # handle, or a platform mention
    agency: str | None = None  # the agency's name (its distinctive words are enough)
    due: date | None = None
    priority: Priority | None = None
    meeting: date | None = None  # the day of the meeting it was agreed at


def parse_add(ctx: Context, args: str) -> ActionAddRequest:
    p = parse(people.join_named(ctx, args), KEYWORDS)
    for kw in ("due", "meeting"):
        if kw in p.options and not looks_like_date(p.options[kw]):
            fold_back(p, kw)
    resolve.by_as_due(ctx, p)
    if not p.words and not p.options and not p.tags and not p.mentions:
        raise FieldError("Say what needs doing.", ADD, field="text")
    used: dict[str, int] = {}
    with about_field("owner"):
        owner = people.owner_and_text(ctx, p, used, ADD)
    agency = resolve.agency_option(ctx, p, used, ADD)
    due = None
    if "due" in p.options:
        with about_field("due"):
            due, used["due"] = resolve.due_date(ctx, p.options["due"], ADD)
    meeting = resolve.meeting_option(ctx, p, used, ADD)
    priority = resolve.one_priority(p, ADD)
    return ActionAddRequest(
        text=p.free_text(used),
        owner=owner,
        agency=agency,
        due=due,
        priority=priority,
        meeting=meeting,
    )


@command(
    ACTION,
    "add",
    request=ActionAddRequest,
    parse=parse_add,
    usage=ADD,
    example="/action add Review MASH referral audit @pol due 12/03/2027 #cp",
    summary="log an action",
)
def add(ctx: Context, req: ActionAddRequest) -> Reply:
    with about_field("owner"):
        owner = resolve.member(ctx, req.owner, ADD) if req.owner is not None else None
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, ADD) if req.agency else None
    if req.due is not None and req.due < ctx.today:
        raise FieldError(f"The due date {format_date(req.due)} is in the past.", ADD, field="due")
    with about_field("meeting"):
        meeting = resolve.meeting_of_day(ctx, req.meeting, ADD) if req.meeting else None
    with about_field("text"):
        text = check_text(req.text, "action", ADD)
        safeguard(ctx, text, ADD)
    notes: list[str] = []
    if (
        ctx.actor.role == policy.AGENCY_LEAD
        and agency is None
        and owner is not None
        and owner.agency is not None
        and owner.agency_id not in policy.agencies(ctx)
    ):
        # A lead asking another agency's person to act: the action is that agency's.
        agency = owner.agency
        mine = policy.require_may_file_for(ctx, None, "log actions for")
        keep = f" (add `agency {mine.name}` to keep it with your agency)" if mine else ""
        whose = f"{owner.agency.name}, @{owner.handle}'s agency"
        notes.append(f"Filed under {whose}, for them to follow up{keep}.")
    elif ctx.actor.role == policy.AGENCY_LEAD:
        # An agency lead logs actions for an agency they act for (and so can always see them again).
        with about_field("agency"):
            agency = policy.require_may_file_for(ctx, agency, "log actions for")
    elif owner and agency is None and owner.agency_id is not None:
        agency = owner.agency
    meeting = meeting or ctx.extras.get("meeting_today")
    action = Action(
        text=text,
        owner_id=owner.id if owner else None,
        agency_id=agency.id if agency else None,
        due_date=req.due,
        priority=req.priority,
        status="open",
        meeting_id=meeting.id if meeting else None,
        source=ctx.inbound.platform,
        source_url=ctx.inbound.source_url,
        created_at=ctx.now,
        created_by_id=ctx.actor.id,
    )
    ctx.session.add(action)
    ctx.session.flush()
    action.owner, action.agency = owner, agency
    ctx.audit("action", action.id, "created", None, action_snapshot(action))
    return Reply(
        title=f"Logged A-{action.id}",
        lines=[action_line(action, ctx.today), *notes],
        buttons=action_buttons(action),
        visibility="channel",
        about_agencies=policy.about(action.agency_id),
        data={"ref": f"A-{action.id}"},
    )
