"""/qa: the board's picture — the chair's status, meetings, agendas, outcome summaries, the
Board report, and help."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from commands import permissions, posting, resolve
from commands.common import safeguard
from commands.context import Context, Subcommand
from commands.dates import local_date, parse_date, parse_datetime
from commands.errors import NotFound, UsageError
from commands.grammar import PRIORITY_TAGS, check_text, looks_like_date, parse, priority_for, tokenize
from commands.meetings import KIND_WORDS, KINDS, agenda_post_at, clip, label, when
from commands.meetings import agenda as agenda_mod
from commands.meetings import report as report_mod
from commands.meetings import status as status_mod
from commands.meetings import summary as summary_mod
from commands.types import Reply
from store import meetings as meeting_store
from store.models import AgendaItem, Meeting

SUMMARY = "the board's picture: status, meetings, agendas, summaries, the Board report"

STATUS = "/qa status"
HELP = "/qa help"
MEETING_ADD = "/qa meeting add <subgroup|s11|priority|challenge|board> <date time> [title] [#priority]"
MEETINGS = "/qa meetings"
AGENDA = "/qa agenda [meeting date]   ·   /qa agenda add <text> [meeting <date>]"
AGENDA_ADD = "/qa agenda add <text> [meeting <date>]"
SUMMARY_USAGE = "/qa summary [meeting date]"
REPORT = "/qa report [meeting date]"

MAX_TITLE = 200
# A meeting's kind is shown beside its title unless the title already says it.
KIND_IN_TITLE = {
    "subgroup": "sub-group",
    "s11_panel": "section 11",
    "priority_panel": "panel",
    "challenge": "challenge",
    "board": "board",
}


def status(ctx: Context, args: str) -> Reply:
    permissions.require_board_member(ctx.actor, "see the board-wide status")
    if args.strip():
        raise UsageError(f'"{args.strip()}" is not something /qa status takes.', STATUS)
    return status_mod.build(ctx)


# ── meetings ────────────────────────────────────────────────────────────────────────────────


def _when(ctx: Context, words: list[str]) -> tuple[datetime, int]:
    """The meeting's date and time at the start of the words, and how many words it used."""
    if not words or not looks_like_date(words):
        raise UsageError("Say when the meeting is, e.g. 14/01/2027 10:00.", MEETING_ADD)
    first = words[0]
    if "/" in first or "." in first or (first.count("-") == 2 and first[0].isdigit()):
        try:  # the precise reason for 31/02/2027
            parse_date(first, ctx.now, ctx.tz, direction="nearest", usage=MEETING_ADD)
        except UsageError as e:
            raise UsageError(e.problem, MEETING_ADD) from None
    for n in range(min(len(words), 5), 0, -1):
        try:
            return parse_datetime(" ".join(words[:n]), ctx.now, ctx.tz), n
        except UsageError:
            continue
    raise UsageError(
        f'"{" ".join(words[:3])}" is not a date and time I understand, e.g. 14/01/2027 10:00.', MEETING_ADD
    )


def meeting(ctx: Context, args: str) -> Reply:
    toks = args.split(maxsplit=1)
    if not toks or toks[0].lower() != "add":
        raise UsageError("To add a meeting say `/qa meeting add …`; to list them, /qa meetings.", MEETING_ADD)
    permissions.require_officer(ctx.actor, "add meetings")
    p = parse(toks[1] if len(toks) > 1 else "", set())
    if p.mentions:
        raise UsageError("A meeting has no owner: leave out the @name.", MEETING_ADD)
    if not p.words:
        raise UsageError("Say the kind of meeting and when.", MEETING_ADD)
    kind = KIND_WORDS.get(p.words[0].lower())
    if kind is None:
        raise UsageError(
            f'"{p.words[0]}" is not a kind of meeting: use subgroup, s11, priority, challenge or board.',
            MEETING_ADD,
        )
    starts, used = _when(ctx, p.words[1:])
    if starts <= ctx.now:
        raise UsageError(f"{when_text(starts, ctx.tz)} is in the past.", MEETING_ADD)
    if len(p.tags) > 1:
        raise UsageError("Give one priority tag.", MEETING_ADD)
    priority = priority_for(p.tags[0], MEETING_ADD) if p.tags else None
    if kind == "priority_panel" and priority is None:
        raise UsageError(
            f"A priority scrutiny panel needs its priority: one of {PRIORITY_TAGS}.", MEETING_ADD
        )
    title_words = p.words[1 + used :]
    if title_words:
        title = check_text(" ".join(title_words), "meeting title", MEETING_ADD)
        if len(title) > MAX_TITLE:
            raise UsageError(f"Keep the title under {MAX_TITLE} characters.", MEETING_ADD)
        safeguard(ctx, title, MEETING_ADD)
    elif kind == "priority_panel":
        title = f"{priority} scrutiny panel"
    else:
        title = KINDS[kind][0].upper() + KINDS[kind][1:]
    if meeting_store.by_kind_and_start(ctx.session, kind, starts) is not None:
        raise UsageError(f"There is already a {KINDS[kind]} at {when_text(starts, ctx.tz)}.", MEETING_ADD)
    m = Meeting(
        kind=kind, title=title, starts_at=starts, priority=priority, source="chat", created_at=ctx.now
    )
    ctx.session.add(m)
    ctx.session.flush()
    ctx.audit(
        "meeting",
        m.id,
        "created",
        None,
        {"kind": kind, "title": title, "starts_at": starts.isoformat(), "priority": priority},
    )
    post_at = agenda_post_at(m, ctx.board)
    return Reply(
        title=f"Added the {KINDS[kind]}: {clip(title, 100)}",
        lines=[
            when(m, ctx.tz) + (f" · {priority}" if priority else ""),
            f"The agenda posts {post_at.astimezone(ZoneInfo(ctx.tz)):%a %-d %b %Y %H:%M}; "
            f"add items with /qa agenda add <text> meeting {local_date(starts, ctx.tz):%d/%m/%Y}.",
        ],
        visibility="channel",
        data={"meeting_id": m.id},
    )


def when_text(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%a %-d %b %Y %H:%M")


def _meeting_line(ctx: Context, m: Meeting) -> str:
    line = f"{when(m, ctx.tz)} · {m.title}"
    if KIND_IN_TITLE.get(m.kind, m.kind) not in m.title.lower():
        line += f" ({KINDS.get(m.kind, m.kind)})"
    if m.priority and m.priority not in m.title:
        line += f" · {m.priority}"
    if m.starts_at > ctx.now:
        post_at = agenda_post_at(m, ctx.board)
        verb = "sent" if meeting_store.agenda_post(ctx.session, m.id) is not None else "posts"
        line += f" · agenda {verb} {post_at.astimezone(ZoneInfo(ctx.tz)):%a %-d %b %H:%M}"
    return line


def meetings(ctx: Context, args: str) -> Reply:
    if args.strip():
        raise UsageError(f'"{args.strip()}" is not something /qa meetings takes.', MEETINGS)
    shown = 10
    coming = meeting_store.upcoming(ctx.session, ctx.now, limit=shown)
    total = meeting_store.count_upcoming(ctx.session, ctx.now)
    lines = [f"Coming up ({total}):"]
    lines += ["  " + _meeting_line(ctx, m) for m in coming] or [
        "  None scheduled: add one with /qa meeting add."
    ]
    if total > shown:
        lines.append(f"  …and {total - shown} more")
    past = meeting_store.recent_past(ctx.session, ctx.now, limit=3)
    if past:
        lines.append("Recent:")
        lines += [
            "  " + _meeting_line(ctx, m) + " · /qa summary " + f"{local_date(m.starts_at, ctx.tz):%d/%m/%Y}"
            for m in past
        ]
    return Reply(title="Meetings", lines=lines)


def _pick(ctx: Context, args: str, *, default: str, usage: str) -> Meeting:
    """The meeting named by its date, else the next one ("next") or the latest begun ("latest")."""
    words = args.split()
    if words and words[0].lower() == "meeting":
        words = words[1:]
    if words:
        found, used = resolve.meeting_on(
            ctx, words, usage, direction="forward" if default == "next" else "backward"
        )
        if words[used:]:
            raise UsageError(f'"{" ".join(words[used:])}" is not part of a date.', usage)
        return found
    if default == "next":
        m = meeting_store.next_after(ctx.session, ctx.now)
        if m is None:
            raise NotFound("No meeting is scheduled. Add one with /qa meeting add.", usage)
        return m
    m = meeting_store.latest_started(ctx.session, ctx.now)
    if m is None:
        raise NotFound("No meeting has taken place yet; name one by its date, e.g. 14/01/2027.", usage)
    return m


# ── agendas ─────────────────────────────────────────────────────────────────────────────────


def agenda(ctx: Context, args: str) -> Reply:
    toks = args.split(maxsplit=1)
    if toks and toks[0].lower() == "add":
        return agenda_add(ctx, toks[1] if len(toks) > 1 else "")
    permissions.require_board_member(ctx.actor, "preview an agenda")
    m = _pick(ctx, args, default="next", usage=AGENDA)
    reply = agenda_mod.build(ctx, m)
    post_at = agenda_post_at(m, ctx.board)
    if meeting_store.agenda_post(ctx.session, m.id) is not None:
        note = "Preview: the agenda was posted to the meeting's channel; items added since show here."
    elif m.starts_at <= ctx.now:
        note = "Preview: this meeting has started; its agenda was not posted."
    else:
        local = post_at.astimezone(ZoneInfo(ctx.tz))
        note = f"Preview: posts to the meeting's channel {local:%a %-d %b %Y %H:%M}."
    reply.lines.insert(0, note)
    reply.visibility = "ephemeral"
    return reply


def agenda_add(ctx: Context, args: str) -> Reply:
    toks = tokenize(args)
    m: Meeting | None = None
    for i in range(len(toks) - 1, -1, -1):
        if toks[i].lower() == "meeting" and looks_like_date(toks[i + 1 :]):
            m, used = resolve.meeting_on(ctx, toks[i + 1 :], AGENDA_ADD, direction="forward")
            toks = toks[:i] + toks[i + 1 + used :]
            break
    if not toks:
        raise UsageError("Say what to add to the agenda.", AGENDA_ADD)
    text = check_text(" ".join(toks), "agenda item", AGENDA_ADD)
    if m is None:
        m = meeting_store.next_after(ctx.session, ctx.now)
        if m is None:
            raise NotFound("No meeting is scheduled to add it to. Add one with /qa meeting add.", AGENDA_ADD)
    if m.starts_at <= ctx.now:
        raise UsageError(f"{label(m, ctx.tz)} has already started: add it to a later meeting.", AGENDA_ADD)
    safeguard(ctx, text, AGENDA_ADD)
    item = AgendaItem(meeting_id=m.id, text=text, added_by_id=ctx.actor.id, source="chat", created_at=ctx.now)
    ctx.session.add(item)
    ctx.session.flush()
    ctx.audit("agenda_item", item.id, "created", None, {"meeting_id": m.id, "text": text})
    lines = [f"{label(m, ctx.tz)}: {clip(text)}"]
    if meeting_store.agenda_post(ctx.session, m.id) is not None:
        lines.append("The agenda was already posted; this item is recorded and shows in /qa agenda.")
    return Reply(
        title="Added to the agenda", lines=lines, visibility="channel", data={"agenda_item": item.id}
    )


# ── outcome summary and Board report ────────────────────────────────────────────────────────


def summary(ctx: Context, args: str) -> Reply:
    permissions.require_board_member(ctx.actor, "see a meeting's outcome summary")
    m = _pick(ctx, args, default="latest", usage=SUMMARY_USAGE)
    s = summary_mod.collect(ctx.session, m)
    reply = Reply(
        title=summary_mod.title(m, ctx.tz),
        fields=[
            ("Findings", str(len(s.findings))),
            ("Actions agreed", str(len(s.actions))),
            ("Escalated to the Board", str(len(s.escalated))),
        ],
        lines=summary_mod.chat_lines(s, ctx.today),
        visibility="channel",
        data={
            "meeting_id": m.id,
            "refs": [f"F-{f.id}" for f in s.findings] + [f"A-{a.id}" for a in s.actions],
        },
    )
    request = ctx.inbound.delivery_key or ctx.inbound.message_id or uuid.uuid4().hex
    posting.to_meeting(
        ctx,
        m,
        key=f"agenda_summary:{m.id}:{request}",
        kind="agenda_summary",
        reply=reply,
        thread_key=f"agenda:{m.id}",
        subject=("meeting", m.id),
    )
    ctx.audit("meeting", m.id, "summary posted", None, {"refs": reply.data["refs"]})
    return reply


def report(ctx: Context, args: str) -> Reply:
    permissions.require_board_member(ctx.actor, "produce the Board report")
    m = _pick(ctx, args, default="latest", usage=REPORT)
    path = report_mod.write(ctx, m)
    ctx.audit("meeting", m.id, "report written", None, {"file": path.name})
    return Reply(
        title=f"Board report: {clip(m.title, 100)}",
        lines=[
            f"{label(m, ctx.tz)} — the outcome summary, the actions table and the RAG chart.",
            f"Word document: {path.name}",
        ],
        files=[str(path)],
        visibility="channel",
        data={
            "meeting_id": m.id,
            "file": str(path),
            # for the post-reply hook that saves the report in the meeting's SharePoint folder
            "report_meeting": {"date": local_date(m.starts_at, ctx.tz).isoformat(), "title": m.title},
        },
    )


def help_(ctx: Context, args: str) -> Reply:
    from commands.router import overview

    return overview()


SUBCOMMANDS = [
    Subcommand("status", STATUS, "/qa status", "the chair's one-screen summary", status),
    Subcommand(
        "meeting",
        MEETING_ADD,
        "/qa meeting add priority 11/02/2027 10:00 Early Help scrutiny panel #earlyhelp",
        "add a meeting",
        meeting,
    ),
    Subcommand("meetings", MEETINGS, "/qa meetings", "the meetings coming up and the latest ones", meetings),
    Subcommand(
        "agenda",
        AGENDA,
        "/qa agenda add Update on the neglect strategy meeting 14/01/2027",
        "preview a meeting's agenda, or add an item to it",
        agenda,
    ),
    Subcommand("summary", SUMMARY_USAGE, "/qa summary 14/01/2027", "a meeting's outcome summary", summary),
    Subcommand("report", REPORT, "/qa report 14/01/2027", "the Board report as a Word document", report),
    Subcommand("help", HELP, "/qa help", "every command, with examples", help_),
]
