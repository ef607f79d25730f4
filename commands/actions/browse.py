"""/action list and /action show: what is open, overdue or done, and one action's history."""

from __future__ import annotations

from typing import Annotated, Literal, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict

from commands import people, policy, resolve
from commands.actions import LIST, SHOW, action_buttons, history_lines, visible_action
from commands.common import action_line, more_line
from commands.context import Context
from commands.dates import format_date, format_datetime
from commands.errors import UsageError, about_field
from commands.fields import ActionRef, MemberRef, Priority
from commands.grammar import parse, priority_for, ref_number
from commands.groups import ACTION
from commands.registry import command
from commands.types import Reply
from store import items
from store import reviews as review_store

_MODEL = ConfigDict(frozen=True, extra="forbid")


ListStatus = Literal["open", "overdue", "done", "all"]
_STATUS_WORDS = {"open": "open", "overdue": "overdue", "done": "done", "closed": "done", "all": "all"}
_TITLES = {
    "open": "Open actions",
    "overdue": "Overdue actions",
    "done": "Closed actions",
    "all": "All actions",
}
# What each status asks of the store: open, done or every action (overdue ones are open).
_STORE_STATUS = {"open": "open", "overdue": "open", "done": "done", "all": None}


def _status(value: object) -> object:
    return _STATUS_WORDS.get(value.strip().lower(), value) if isinstance(value, str) else value


class ActionListRequest(BaseModel):
    """Which actions to list. Field names are the ones a FieldError names."""

    model_config = _MODEL

    status: Annotated[ListStatus, BeforeValidator(_status)] = "open"  # `closed` is done
    mine: bool = False  # only the asker's own
    owner: MemberRef | None = None  # only this member's (handle, or a platform mention)
    agency: str | None = None  # the agency's name (its distinctive words are enough)
    priority: Priority | None = None


def parse_list(ctx: Context, args: str) -> ActionListRequest:
    p = parse(people.join_named(ctx, args), {"agency"})
    status: str = "open"
    mine = False
    for w in (w.lower() for w in p.words):
        if w in _STATUS_WORDS:
            status = _STATUS_WORDS[w]
        elif w in ("mine", "my"):
            mine = True
        else:
            raise UsageError(f'"{w}" is not a filter I know.', LIST)
    agency = None
    if "agency" in p.options:
        with about_field("agency"):
            found, used = resolve.agency(ctx, p.options["agency"], LIST)
        if p.options["agency"][used:]:
            raise UsageError(f'"{" ".join(p.options["agency"][used:])}" is not a filter I know.', LIST)
        agency = found.name
    with about_field("priority"):
        priority = priority_for(p.tags[0], LIST) if p.tags else None
    return ActionListRequest(
        status=cast(ListStatus, status),  # one of _STATUS_WORDS' values
        mine=mine,
        owner=p.mentions[0] if p.mentions else None,
        agency=agency,
        priority=priority,
    )


@command(
    ACTION,
    "list",
    request=ActionListRequest,
    parse=parse_list,
    usage=LIST,
    example="/action list overdue",
    summary="list actions",
    aliases=("ls",),
)
def list_(ctx: Context, req: ActionListRequest) -> Reply:
    f = items.ActionFilter(policy.viewer(ctx), status=_STORE_STATUS[req.status])
    if req.status == "overdue":
        f.overdue_on = ctx.today
    title = _TITLES[req.status]
    if req.mine:
        f.owner_id = ctx.actor.id
        title += " owned by you"
    if req.owner is not None:
        with about_field("owner"):
            owner = resolve.member(ctx, req.owner, LIST)
        f.owner_id = owner.id
        title += f" owned by @{owner.handle}"
    if req.agency is not None:
        with about_field("agency"):
            agency = resolve.agency_called(ctx, req.agency, LIST)
        f.agency_id = agency.id
        title += f" for {agency.name}"
    if req.priority is not None:
        f.priority = req.priority
        title += f" · {f.priority}"
    rows, total = items.list_actions(ctx.session, f)
    if f.overdue_on is None and f.status == "open":
        # Overdue first, then by due date: what needs chasing leads.
        rows.sort(key=lambda a: (not (a.due_date and a.due_date < ctx.today),))
    lines = [action_line(a, ctx.today) for a in rows] or ["Nothing matches."]
    return Reply(
        title=f"{title} ({total})", lines=lines + more_line(len(rows), total), visibility="ephemeral"
    )


class ActionShowRequest(BaseModel):
    model_config = _MODEL

    ref: ActionRef


def parse_show(ctx: Context, args: str) -> ActionShowRequest:
    toks = args.split()
    if len(toks) != 1:
        raise UsageError("Say which action, e.g. A-12.", SHOW)
    with about_field("ref"):
        return ActionShowRequest(ref=ref_number(toks[0], "A", SHOW))


@command(
    ACTION,
    "show",
    request=ActionShowRequest,
    parse=parse_show,
    usage=SHOW,
    example="/action show A-12",
    summary="an action with its history",
)
def show(ctx: Context, req: ActionShowRequest) -> Reply:
    a = visible_action(ctx, req.ref, SHOW)
    fields = [
        ("Status", a.status + (" · legal hold" if a.legal_hold else "")),
        ("Owner", f"@{a.owner.handle} ({a.owner.name})" if a.owner else "nobody yet"),
        ("Agency", a.agency.name if a.agency else "—"),
        ("Due", format_date(a.due_date)),
        ("Priority", a.priority or "—"),
    ]
    if a.meeting:
        fields.append(("Meeting", f"{a.meeting.title} {format_datetime(a.meeting.starts_at, ctx.tz)}"))
    if a.source_url:
        fields.append(("Source", a.source_url))
    review = review_store.recommended_by(ctx.session, a.id)
    if review is not None:
        fields.append(("Source", f"rapid review {review.code} (a recommendation)"))
    if a.closing_note:
        fields.append(("Closing note", a.closing_note))
    lines = ["History:", *history_lines(ctx.session, "action", a.id, ctx.tz)]
    return Reply(title=f"A-{a.id}: {a.text}", fields=fields, lines=lines, buttons=action_buttons(a))
