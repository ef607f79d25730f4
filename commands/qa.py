"""/qa: the board's picture — the chair's status and the meetings. Agendas, outcome summaries,
the Board report and help are in commands/qa_outcomes.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, cast
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict

from commands import delivery_report, policy
from commands.common import safeguard
from commands.context import Context
from commands.dates import local_date, parse_date, parse_datetime
from commands.errors import FieldError, UsageError, about_field
from commands.fields import Priority
from commands.grammar import PRIORITY_TAGS, check_text, looks_like_date, parse, priority_for
from commands.groups import QA
from commands.meetings import KIND_WORDS, KINDS, agenda_post_at, clip, when
from commands.meetings import status as status_mod
from commands.registry import command
from commands.types import Reply
from store import meetings as meeting_store
from store.models import Meeting

STATUS = "/qa status"
MEETING_ADD = "/qa meeting add <subgroup|s11|priority|challenge|board> <date time> [title] [#priority]"
MEETINGS = "/qa meetings"

MAX_TITLE = 200
# A meeting's kind is shown beside its title unless the title already says it.
KIND_IN_TITLE = {
    "subgroup": "sub-group",
    "s11_panel": "section 11",
    "priority_panel": "panel",
    "challenge": "challenge",
    "board": "board",
}


_MODEL = ConfigDict(frozen=True, extra="forbid")


class QaStatusRequest(BaseModel):
    """The chair's summary takes nothing: the request is the asking."""

    model_config = _MODEL


def parse_status(ctx: Context, args: str) -> QaStatusRequest:
    if args.strip():
        raise UsageError(f'"{args.strip()}" is not something /qa status takes.', STATUS)
    return QaStatusRequest()


@command(
    QA,
    "status",
    request=QaStatusRequest,
    parse=parse_status,
    usage=STATUS,
    example="/qa status",
    summary="the chair's one-screen summary (an agency lead's: their agencies')",
)
def status(ctx: Context, req: QaStatusRequest) -> Reply:
    reply = status_mod.build(ctx)  # as policy.viewer(ctx) may see it
    if policy.viewer(ctx).board_wide:
        # Posts that reached nobody name every agency's channel: the board's view only.
        reply.lines += delivery_report.board_lines(ctx)
    return reply


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
            at = parse_datetime(" ".join(words[:n]), ctx.now, ctx.tz)
        except UsageError:
            continue
        # The date reader skips words such as "The", "Year" or "Met": give back to the title
        # each trailing word that is not a time and leaves the same instant without it.
        while n > 1 and not _time_like(words[n - 1]) and _reads_as(ctx, words[: n - 1], at):
            n -= 1
        return at, n
    raise UsageError(
        f'"{" ".join(words[:3])}" is not a date and time I understand, e.g. 14/01/2027 10:00.', MEETING_ADD
    )


def _time_like(word: str) -> bool:
    return any(c.isdigit() for c in word) or word.lower() in ("am", "pm", "noon", "midday")


def _reads_as(ctx: Context, words: list[str], at: datetime) -> bool:
    try:
        return parse_datetime(" ".join(words), ctx.now, ctx.tz) == at
    except UsageError:
        return False


MeetingKind = Literal["subgroup", "s11_panel", "priority_panel", "challenge", "board"]


def _kind(value: object) -> object:
    return KIND_WORDS.get(value.strip().lower(), value) if isinstance(value, str) else value


class MeetingAddRequest(BaseModel):
    """A meeting to add. Field names are the ones a FieldError names."""

    model_config = _MODEL

    kind: Annotated[MeetingKind, BeforeValidator(_kind)]  # or a word for it: s11, priority, panel…
    starts: AwareDatetime
    title: str | None = None  # default: the kind's name (a priority panel: its priority's)
    priority: Priority | None = None  # needed for a priority scrutiny panel


def parse_meeting(ctx: Context, args: str) -> MeetingAddRequest:
    toks = args.split(maxsplit=1)
    if not toks or toks[0].lower() != "add":
        raise UsageError("To add a meeting say `/qa meeting add …`; to list them, /qa meetings.", MEETING_ADD)
    p = parse(toks[1] if len(toks) > 1 else "", set())
    if p.mentions:
        raise UsageError("A meeting has no owner: leave out the @name.", MEETING_ADD)
    if not p.words:
        raise FieldError("Say the kind of meeting and when.", MEETING_ADD, field="kind")
    kind = KIND_WORDS.get(p.words[0].lower())
    if kind is None:
        raise FieldError(
            f'"{p.words[0]}" is not a kind of meeting: use subgroup, s11, priority, challenge or board.',
            MEETING_ADD,
            field="kind",
        )
    with about_field("starts"):
        starts, used = _when(ctx, p.words[1:])
    if len(p.tags) > 1:
        raise FieldError("Give one priority tag.", MEETING_ADD, field="priority")
    with about_field("priority"):
        priority = priority_for(p.tags[0], MEETING_ADD) if p.tags else None
    title_words = p.words[1 + used :]
    return MeetingAddRequest(
        kind=cast(MeetingKind, kind),  # one of KINDS: KIND_WORDS maps only to those
        starts=starts,
        title=" ".join(title_words) if title_words else None,
        priority=priority,
    )


@command(
    QA,
    "meeting",
    request=MeetingAddRequest,
    parse=parse_meeting,
    usage=MEETING_ADD,
    example="/qa meeting add priority 11/02/2027 10:00 Early Help scrutiny panel #earlyhelp",
    summary="add a meeting",
    allowed=policy.officers("add meetings"),
)
def meeting(ctx: Context, req: MeetingAddRequest) -> Reply:
    kind, starts, priority = req.kind, req.starts, req.priority
    if starts <= ctx.now:
        raise FieldError(f"{when_text(starts, ctx.tz)} is in the past.", MEETING_ADD, field="starts")
    if kind == "priority_panel" and priority is None:
        raise FieldError(
            f"A priority scrutiny panel needs its priority: one of {PRIORITY_TAGS}.",
            MEETING_ADD,
            field="priority",
        )
    if req.title is not None:
        with about_field("title"):
            title = check_text(req.title, "meeting title", MEETING_ADD)
            if len(title) > MAX_TITLE:
                raise UsageError(f"Keep the title under {MAX_TITLE} characters.", MEETING_ADD)
            safeguard(ctx, title, MEETING_ADD)
    elif kind == "priority_panel":
        title = f"{priority} scrutiny panel"
    else:
        title = KINDS[kind][0].upper() + KINDS[kind][1:]
    if meeting_store.by_kind_and_start(ctx.session, kind, starts) is not None:
        raise FieldError(
            f"There is already a {KINDS[kind]} at {when_text(starts, ctx.tz)}.", MEETING_ADD, field="starts"
        )
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


class QaMeetingsRequest(BaseModel):
    """The list of meetings takes nothing."""

    model_config = _MODEL


def parse_meetings(ctx: Context, args: str) -> QaMeetingsRequest:
    if args.strip():
        raise UsageError(f'"{args.strip()}" is not something /qa meetings takes.', MEETINGS)
    return QaMeetingsRequest()


@command(
    QA,
    "meetings",
    request=QaMeetingsRequest,
    parse=parse_meetings,
    usage=MEETINGS,
    example="/qa meetings",
    summary="the meetings coming up and the latest ones",
)
def meetings(ctx: Context, req: QaMeetingsRequest) -> Reply:
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
