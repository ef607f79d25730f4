"""/action list and /action show: what is open, overdue or done, and one action's history."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from commands import permissions, resolve
from commands.actions import LIST, SHOW, action_buttons, history_lines, visible_action
from commands.common import action_line, more_line
from commands.context import Context
from commands.dates import format_date, format_datetime
from commands.errors import UsageError, about_field
from commands.fields import ActionRef
from commands.grammar import parse, priority_for, ref_number
from commands.groups import ACTION
from commands.registry import command
from commands.types import Reply
from store import items


@command(ACTION, "list", usage=LIST, example="/action list overdue", summary="list actions", aliases=("ls",))
def list_(ctx: Context, args: str) -> Reply:
    p = parse(args, {"agency"})
    f = items.ActionFilter()
    title = "Open actions"
    for w in (w.lower() for w in p.words):
        if w == "open":
            f.status, title = "open", "Open actions"
        elif w == "overdue":
            f.overdue_on, f.status, title = ctx.today, "open", "Overdue actions"
        elif w in ("done", "closed"):
            f.status, title = "done", "Closed actions"
        elif w == "all":
            f.status, title = None, "All actions"
        elif w in ("mine", "my"):
            f.owner_id = ctx.actor.id
            title += " owned by you"
        else:
            raise UsageError(f'"{w}" is not a filter I know.', LIST)
    if p.mentions:
        owner = resolve.member(ctx, p.mentions[0], LIST)
        f.owner_id = owner.id
        title += f" owned by @{owner.handle}"
    if "agency" in p.options:
        agency, used = resolve.agency(ctx, p.options["agency"], LIST)
        if p.options["agency"][used:]:
            raise UsageError(f'"{" ".join(p.options["agency"][used:])}" is not a filter I know.', LIST)
        f.agency_id = agency.id
        title += f" for {agency.name}"
    if p.tags:
        f.priority = priority_for(p.tags[0], LIST)
        title += f" · {f.priority}"
    scope = permissions.agency_scope(ctx.actor)
    if scope is not None:
        f.scope_agency_id, f.scope_member_id = scope, ctx.actor.id
    rows, total = items.list_actions(ctx.session, f)
    if f.overdue_on is None and f.status == "open":
        # Overdue first, then by due date: what needs chasing leads.
        rows.sort(key=lambda a: (not (a.due_date and a.due_date < ctx.today),))
    lines = [action_line(a, ctx.today) for a in rows] or ["Nothing matches."]
    return Reply(
        title=f"{title} ({total})", lines=lines + more_line(len(rows), total), visibility="ephemeral"
    )


class ActionShowRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

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
    if a.closing_note:
        fields.append(("Closing note", a.closing_note))
    lines = ["History:", *history_lines(ctx.session, "action", a.id, ctx.tz)]
    return Reply(title=f"A-{a.id}: {a.text}", fields=fields, lines=lines, buttons=action_buttons(a))
