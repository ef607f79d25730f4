"""/action: add, list, show, done, update, snooze."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from commands import permissions, resolve
from commands.common import action_line, action_snapshot, more_line, safeguard
from commands.context import Context, Subcommand
from commands.dates import format_date, format_datetime
from commands.errors import NotFound, PermissionDenied, UsageError
from commands.grammar import check_text, fold_back, looks_like_date, parse, priority_for, ref_number
from commands.types import Button, Reply
from store import audit, items
from store.models import Action

SUMMARY = "actions: things someone must do, followed up until closed"

ADD = "/action add <text> [@owner|agency <name>] [due <date>] [#priority] [meeting <date>]"
LIST = "/action list [open|overdue|done|all|mine|@handle|agency <name>|#priority]"
SHOW = "/action show A-<n>"
DONE = "/action done A-<n> [note]"
UPDATE = "/action update A-<n> due <date> | owner @x | text <…> | agency <name> | #priority"
SNOOZE = "/action snooze A-<n> [days]"

ADD_KEYWORDS = {"due", "by", "agency", "meeting", "owner"}


def action_buttons(a: Action) -> list[Button]:
    if a.status != "open":
        return []
    ref = f"A-{a.id}"
    return [
        Button(action="action_done", label="Done", command=f"action done {ref}", style="primary"),
        Button(action="action_snooze", label="Snooze a week", command=f"action snooze {ref}"),
        Button(action="action_reassign", label="Reassign", command=f"action update {ref} owner"),
    ]


def add(ctx: Context, args: str) -> Reply:
    p = parse(args, ADD_KEYWORDS)
    for kw in ("due", "meeting"):
        if kw in p.options and not looks_like_date(p.options[kw]):
            fold_back(p, kw)
    resolve.by_as_due(ctx, p)
    if not p.words and not p.options and not p.tags and not p.mentions:
        raise UsageError("Say what needs doing.", ADD)
    words = list(p.words)
    owner = None
    if len(p.mentions) > 1:
        raise UsageError("An action has one owner: name one @person.", ADD)
    if p.mentions:
        owner = resolve.member(ctx, p.mentions[0], ADD)
    if "owner" in p.options:
        raise UsageError("Name the owner with @handle, e.g. @pol.", ADD)
    agency = None
    if "agency" in p.options:
        agency, used = resolve.agency(ctx, p.options["agency"], ADD)
        words += p.options["agency"][used:]
    due = None
    if "due" in p.options:
        due, used = resolve.due_date(ctx, p.options["due"], ADD)
        words += p.options["due"][used:]
        if due < ctx.today:
            raise UsageError(f"The due date {format_date(due)} is in the past.", ADD)
    meeting = None
    if "meeting" in p.options:
        meeting, used = resolve.meeting_on(ctx, p.options["meeting"], ADD)
        words += p.options["meeting"][used:]
    if len(p.tags) > 1:
        raise UsageError("Give one priority tag.", ADD)
    priority = priority_for(p.tags[0], ADD) if p.tags else None
    text = check_text(" ".join(words), "action", ADD)
    safeguard(ctx, text, ADD)
    if ctx.actor.role == permissions.AGENCY_LEAD:
        # An agency lead logs actions for their own agency (and so can always see them again).
        if agency is not None and agency.id != ctx.actor.agency_id:
            raise PermissionDenied(
                f"Agency leads can only log actions for their own agency, not {agency.name}; "
                "ask the QA officer to log it."
            )
        agency = ctx.actor.agency
    elif owner and agency is None and owner.agency_id is not None:
        agency = owner.agency
    meeting = meeting or ctx.extras.get("meeting_today")
    action = Action(
        text=text,
        owner_id=owner.id if owner else None,
        agency_id=agency.id if agency else None,
        due_date=due,
        priority=priority,
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
        lines=[action_line(action, ctx.today)],
        buttons=action_buttons(action),
        visibility="channel",
        data={"ref": f"A-{action.id}"},
    )


def _get(ctx: Context, token: str, usage: str) -> Action:
    n = ref_number(token, "A", usage)
    a = items.get_action(ctx.session, n)
    if a is None or not permissions.can_see_action(ctx.actor, a):
        raise NotFound(f"There is no action A-{n}.", usage)
    return a


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


def show(ctx: Context, args: str) -> Reply:
    toks = args.split()
    if len(toks) != 1:
        raise UsageError("Say which action, e.g. A-12.", SHOW)
    a = _get(ctx, toks[0], SHOW)
    fields = [
        ("Status", "done" if a.status == "done" else "open"),
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


def history_lines(session: Session, entity: str, entity_id: int, tz: str) -> list[str]:
    out = []
    for ev in audit.history(session, entity, entity_id):
        change = ""
        if ev.before and ev.after:
            diffs = [
                f"{k}: {ev.before.get(k) or '—'} → {ev.after.get(k) or '—'}"
                for k in ev.after
                if ev.before.get(k) != ev.after.get(k)
            ]
            change = " (" + "; ".join(diffs) + ")" if diffs else ""
        out.append(
            f"{format_datetime(ev.at, tz)} {ev.actor_label} {ev.verb}{change} via {ev.source.split(':')[0]}"
        )
    return out


def done(ctx: Context, args: str) -> Reply:
    toks = args.split(maxsplit=1)
    if not toks:
        raise UsageError("Say which action is done, e.g. A-12.", DONE)
    a = _get(ctx, toks[0], DONE)
    permissions.require_may_change_action(ctx.actor, a, "close")
    if a.status == "done":
        return Reply(title=f"A-{a.id} was already closed", lines=[action_line(a, ctx.today)])
    note = check_text(toks[1], "note", DONE) if len(toks) > 1 else None
    if note:
        safeguard(ctx, note, DONE)
    before = action_snapshot(a)
    a.status, a.closed_at, a.closed_by_id, a.closing_note = "done", ctx.now, ctx.actor.id, note
    ctx.audit("action", a.id, "closed", before, action_snapshot(a))
    return Reply(
        title=f"Closed A-{a.id}",
        lines=[action_line(a, ctx.today)],
        visibility="channel",
        data={"ref": f"A-{a.id}"},
    )


def update(ctx: Context, args: str) -> Reply:
    toks = args.split(maxsplit=1)
    if len(toks) < 2:
        raise UsageError("Say which action and what to change.", UPDATE)
    a = _get(ctx, toks[0], UPDATE)
    permissions.require_may_change_action(ctx.actor, a, "update")
    rest = toks[1]
    before = action_snapshot(a)
    if rest.lower().startswith("text "):
        text = check_text(rest[5:], "action", UPDATE)
        safeguard(ctx, text, UPDATE)
        a.text = text
    else:
        p = parse(rest, {"due", "owner", "agency"})
        if p.words:
            raise UsageError(f'"{" ".join(p.words)}" is not something I can change.', UPDATE)
        if not (p.options or p.tags or p.mentions):
            raise UsageError("Say what to change.", UPDATE)
        if "due" in p.options:
            due, used = resolve.due_date(ctx, p.options["due"], UPDATE)
            if p.options["due"][used:]:
                raise UsageError(f'"{" ".join(p.options["due"][used:])}" is not part of a date.', UPDATE)
            a.due_date = due
        if "owner" in p.options or p.mentions:
            who = p.mentions[0] if p.mentions else " ".join(p.options["owner"])
            owner = resolve.member(ctx, who.lstrip("@"), UPDATE)
            a.owner_id, a.owner = owner.id, owner
        if "agency" in p.options:
            agency, _ = resolve.agency(ctx, p.options["agency"], UPDATE)
            a.agency_id, a.agency = agency.id, agency
        if p.tags:
            a.priority = priority_for(p.tags[0], UPDATE)
    after = action_snapshot(a)
    if after == before:
        return Reply(title=f"A-{a.id} unchanged", lines=[action_line(a, ctx.today)])
    ctx.audit("action", a.id, "updated", before, after)
    return Reply(
        title=f"Updated A-{a.id}",
        lines=[action_line(a, ctx.today)],
        buttons=action_buttons(a),
        visibility="channel",
        data={"ref": f"A-{a.id}"},
    )


def snooze(ctx: Context, args: str) -> Reply:
    toks = args.split()
    if not toks or len(toks) > 2:
        raise UsageError("Say which action to snooze.", SNOOZE)
    a = _get(ctx, toks[0], SNOOZE)
    permissions.require_may_change_action(ctx.actor, a, "snooze")
    days = 7
    if len(toks) == 2:
        if not toks[1].isdigit() or not 1 <= int(toks[1]) <= 365:
            raise UsageError("Snooze by a number of days between 1 and 365.", SNOOZE)
        days = int(toks[1])
    before = action_snapshot(a)
    a.due_date = max(a.due_date or ctx.today, ctx.today) + timedelta(days=days)
    ctx.audit("action", a.id, "snoozed", before, action_snapshot(a))
    return Reply(
        title=f"Snoozed A-{a.id} to {format_date(a.due_date)}",
        lines=[action_line(a, ctx.today)],
        buttons=action_buttons(a),
        visibility="channel",
        data={"ref": f"A-{a.id}"},
    )


SUBCOMMANDS = [
    Subcommand(
        "add", ADD, "/action add Review MASH referral audit @pol due 12/03/2027 #cp", "log an action", add
    ),
    Subcommand("list", LIST, "/action list overdue", "list actions", list_, aliases=("ls",)),
    Subcommand("show", SHOW, "/action show A-12", "an action with its history", show),
    Subcommand(
        "done", DONE, "/action done A-12 audit completed", "close an action", done, aliases=("close",)
    ),
    Subcommand(
        "update",
        UPDATE,
        "/action update A-12 due end of March",
        "change an action",
        update,
        aliases=("edit",),
    ),
    Subcommand("snooze", SNOOZE, "/action snooze A-12", "push the due date back a week", snooze),
]
