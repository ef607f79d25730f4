"""/qa agenda, agenda add, summary, report and help: what a meeting produces — its agenda
(previewed, or added to), its outcome summary and the Board report — and the list of every
command. Each but help reads a typed request naming its meeting by its day."""

from __future__ import annotations

import uuid
from datetime import date
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from commands import policy, posting, resolve
from commands.common import safeguard
from commands.context import Context
from commands.dates import Direction, local_date
from commands.errors import FieldError, NotFound, about_field
from commands.grammar import check_text, looks_like_date, tokenize
from commands.groups import QA
from commands.help import overview
from commands.meetings import agenda as agenda_mod
from commands.meetings import agenda_post_at, clip, label
from commands.meetings import report as report_mod
from commands.meetings import summary as summary_mod
from commands.meetings.status import whose
from commands.registry import command
from commands.types import Reply
from store import meetings as meeting_store
from store.models import AgendaItem, Meeting

AGENDA = "/qa agenda [meeting date]"
AGENDA_ADD = "/qa agenda add <text> [meeting <date>]"
SUMMARY_USAGE = "/qa summary [meeting date]"
REPORT = "/qa report [meeting date]"
HELP = "/qa help"


_MODEL = ConfigDict(frozen=True, extra="forbid")


class MeetingChoice(BaseModel):
    """Which meeting: the one on a day, or (None) the command's default (the next meeting for
    an agenda, the latest begun for a summary or report)."""

    model_config = _MODEL

    meeting: date | None = None


def parse_choice[C: MeetingChoice](
    ctx: Context, args: str, kind: type[C], usage: str, direction: Direction
) -> C:
    """`[meeting] <date>`: the meeting must exist; the request keeps its day."""
    words = args.split()
    if words and words[0].lower() == "meeting":
        words = words[1:]
    if not words:
        return kind()
    with about_field("meeting"):
        found, used = resolve.meeting_on(ctx, words, usage, direction=direction)
    if words[used:]:
        raise FieldError(f'"{" ".join(words[used:])}" is not part of a date.', usage, field="meeting")
    return kind(meeting=local_date(found.starts_at, ctx.tz))


def _pick(ctx: Context, choice: MeetingChoice, *, default: str, usage: str) -> Meeting:
    """The meeting on the chosen day, else the next one ("next") or the latest begun ("latest")."""
    if choice.meeting is not None:
        with about_field("meeting"):
            return resolve.meeting_of_day(ctx, choice.meeting, usage)
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


class AgendaPreviewRequest(MeetingChoice):
    """The agenda to preview: the meeting on a day, or the next one."""


def parse_agenda(ctx: Context, args: str) -> AgendaPreviewRequest:
    return parse_choice(ctx, args, AgendaPreviewRequest, AGENDA, "forward")


@command(
    QA,
    "agenda",
    request=AgendaPreviewRequest,
    parse=parse_agenda,
    usage=AGENDA,
    example="/qa agenda 14/01/2027",
    summary="preview a meeting's agenda (an agency lead's: their agencies' part)",
)
def agenda(ctx: Context, req: AgendaPreviewRequest) -> Reply:
    m = _pick(ctx, req, default="next", usage=AGENDA)
    viewer = policy.viewer(ctx)
    reply = agenda_mod.build(ctx, m, viewer)
    post_at = agenda_post_at(m, ctx.board)
    if meeting_store.agenda_post(ctx.session, m.id) is not None:
        note = "Preview: the agenda was posted to the meeting's channel; items added since show here."
    elif m.starts_at <= ctx.now:
        note = "Preview: this meeting has started; its agenda was not posted."
    else:
        local = post_at.astimezone(ZoneInfo(ctx.tz))
        note = f"Preview: posts to the meeting's channel {local:%a %-d %b %Y %H:%M}."
    reply.lines.insert(0, note)
    if not viewer.board_wide:
        reply.lines.insert(
            1, whose(ctx, viewer) + " The agenda posted to the meeting's channel has the whole board's."
        )
    reply.visibility = "ephemeral"
    return reply


class AgendaAddRequest(BaseModel):
    """An item for a meeting's agenda. Field names are the ones a FieldError names."""

    model_config = _MODEL

    text: str
    meeting: date | None = None  # the day of the meeting; None: the next one


def parse_agenda_add(ctx: Context, args: str) -> AgendaAddRequest:
    toks = tokenize(args)
    day: date | None = None
    # The last `meeting <date>` names the meeting; the words around it stay in their order.
    for i in range(len(toks) - 1, -1, -1):
        if toks[i].lower() == "meeting" and looks_like_date(toks[i + 1 :]):
            with about_field("meeting"):
                m, used = resolve.meeting_on(ctx, toks[i + 1 :], AGENDA_ADD, direction="forward")
            day = local_date(m.starts_at, ctx.tz)
            toks = toks[:i] + toks[i + 1 + used :]
            break
    if not toks:
        raise FieldError("Say what to add to the agenda.", AGENDA_ADD, field="text")
    return AgendaAddRequest(text=" ".join(toks), meeting=day)


@command(
    QA,
    "agenda add",
    request=AgendaAddRequest,
    parse=parse_agenda_add,
    usage=AGENDA_ADD,
    example="/qa agenda add Update on the neglect strategy meeting 14/01/2027",
    summary="add an item to a meeting's agenda (anyone on the board)",
)
def agenda_add(ctx: Context, req: AgendaAddRequest) -> Reply:
    with about_field("text"):
        text = check_text(req.text, "agenda item", AGENDA_ADD)
    if req.meeting is not None:
        with about_field("meeting"):
            m = resolve.meeting_of_day(ctx, req.meeting, AGENDA_ADD)
    else:
        found = meeting_store.next_after(ctx.session, ctx.now)
        if found is None:
            raise NotFound("No meeting is scheduled to add it to. Add one with /qa meeting add.", AGENDA_ADD)
        m = found
    if m.starts_at <= ctx.now:
        raise FieldError(
            f"{label(m, ctx.tz)} has already started: add it to a later meeting.", AGENDA_ADD, field="meeting"
        )
    with about_field("text"):
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


class SummaryRequest(MeetingChoice):
    """The meeting whose outcome summary to post: on a day, or the latest begun."""


def parse_summary(ctx: Context, args: str) -> SummaryRequest:
    return parse_choice(ctx, args, SummaryRequest, SUMMARY_USAGE, "backward")


class ReportRequest(MeetingChoice):
    """The meeting whose Board report to write: on a day, or the latest begun."""


def parse_report(ctx: Context, args: str) -> ReportRequest:
    return parse_choice(ctx, args, ReportRequest, REPORT, "backward")


@command(
    QA,
    "summary",
    usage=SUMMARY_USAGE,
    example="/qa summary 14/01/2027",
    summary="a meeting's outcome summary (an agency lead's: their agencies' part)",
    request=SummaryRequest,
    parse=parse_summary,
)
def summary(ctx: Context, req: SummaryRequest) -> Reply:
    m = _pick(ctx, req, default="latest", usage=SUMMARY_USAGE)
    viewer = policy.viewer(ctx)
    s = summary_mod.collect(ctx.session, m, viewer)
    if not viewer.board_wide:
        return summary_mod.lead_reply(ctx, m, s, viewer)
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
    allowed=policy.board_members("produce the Board report"),
    request=ReportRequest,
    parse=parse_report,
)
def report(ctx: Context, req: ReportRequest) -> Reply:
    m = _pick(ctx, req, default="latest", usage=REPORT)
    path = report_mod.write(ctx, m, policy.viewer(ctx))
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
