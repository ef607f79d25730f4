"""/qa agenda, summary, report and help: what a meeting produces — its agenda (previewed, or
added to), its outcome summary and the Board report — and the list of every command."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from commands import permissions, posting, resolve
from commands.common import safeguard
from commands.context import Context
from commands.dates import local_date
from commands.errors import NotFound, UsageError
from commands.grammar import check_text, looks_like_date, tokenize
from commands.groups import QA
from commands.help import overview
from commands.meetings import agenda as agenda_mod
from commands.meetings import agenda_post_at, clip, label
from commands.meetings import report as report_mod
from commands.meetings import summary as summary_mod
from commands.registry import command
from commands.types import Reply
from store import meetings as meeting_store
from store.models import AgendaItem, Meeting

AGENDA = "/qa agenda [meeting date]   ·   /qa agenda add <text> [meeting <date>]"
AGENDA_ADD = "/qa agenda add <text> [meeting <date>]"
SUMMARY_USAGE = "/qa summary [meeting date]"
REPORT = "/qa report [meeting date]"
HELP = "/qa help"


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


@command(
    QA,
    "agenda",
    usage=AGENDA,
    example="/qa agenda add Update on the neglect strategy meeting 14/01/2027",
    summary="preview a meeting's agenda, or add an item to it",
)
def agenda(ctx: Context, args: str) -> Reply:
    toks = args.split(maxsplit=1)
    if toks and toks[0].lower() == "add":
        return agenda_add(ctx, toks[1] if len(toks) > 1 else "")
    # Checked here, not centrally: anyone may add an item, only board members preview.
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


@command(
    QA,
    "summary",
    usage=SUMMARY_USAGE,
    example="/qa summary 14/01/2027",
    summary="a meeting's outcome summary",
    allowed=permissions.board_members("see a meeting's outcome summary"),
)
def summary(ctx: Context, args: str) -> Reply:
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


@command(
    QA,
    "report",
    usage=REPORT,
    example="/qa report 14/01/2027",
    summary="the Board report as a Word document",
    allowed=permissions.board_members("produce the Board report"),
)
def report(ctx: Context, args: str) -> Reply:
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


@command(QA, "help", usage=HELP, example="/qa help", summary="every command, with examples")
def help_(ctx: Context, args: str) -> Reply:
    return overview()
