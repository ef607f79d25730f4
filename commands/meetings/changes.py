"""/qa meeting move and /qa meeting cancel: correcting the board's diary.

A moved meeting keeps its agenda items, actions and findings; if its agenda was already
posted, a notice of the new time goes into the agenda's thread, and otherwise the clock posts
the agenda before the new time. A cancelled meeting gets no agenda from the clock; one
cancellation notice is posted in the meeting's channel (in the agenda's thread when there is
one). A meeting read from the SharePoint calendar is changed in the calendar, not here: the
next sync would undo it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict

from commands import policy, posting
from commands.common import reason_text
from commands.context import Context
from commands.dates import parse_date, parse_datetime
from commands.errors import FieldError, NotFound, UsageError, about_field
from commands.groups import QA
from commands.meetings import KINDS, agenda_post_at, label, when
from commands.registry import command, no_thread_reply
from commands.types import Reply
from store import meetings as store
from store.models import Meeting

MOVE = "/qa meeting move <date> <new date and time> [because <reason>]"
CANCEL = "/qa meeting cancel <date> <reason>"

_MODEL = ConfigDict(frozen=True, extra="forbid")
_BECAUSE = re.compile(r"\s+because\s+", re.I)

no_thread_reply("meeting_changed", "a notice that a meeting moved or was cancelled; replies are conversation")


def _day(ctx: Context, words: list[str], usage: str) -> date:
    if not words:
        raise FieldError("Say the day of the meeting, e.g. 14/01/2027.", usage, field="day")
    with about_field("day"):
        return parse_date(words[0], ctx.now, ctx.tz, direction="nearest", usage=usage)


def _meeting_on(ctx: Context, day: date, usage: str) -> Meeting:
    found = store.all_on_date(ctx.session, day, ctx.tz)
    if not found:
        raise NotFound(f"There is no meeting on {day:%-d %b %Y}. See /qa meetings.", usage)
    live = [m for m in found if m.cancelled_at is None] or found
    if len(live) > 1:
        names = "; ".join(label(m, ctx.tz) for m in live)
        raise FieldError(
            f"There are {len(live)} meetings on {day:%-d %b %Y} ({names}); the bot cannot tell which.",
            usage,
            field="day",
        )
    return live[0]


def _from_the_calendar(m: Meeting, usage: str, doing: str) -> None:
    if m.source == "calendar":
        raise UsageError(
            f"{m.title} comes from the SharePoint calendar: {doing} it there (the next sync "
            "would undo a change made here).",
            usage,
        )


def _notice(ctx: Context, m: Meeting, event: str, title: str, lines: list[str]) -> int:
    """One post in the meeting's channel, in the agenda's thread when it was posted."""
    rows = posting.to_meeting(
        ctx,
        m,
        key=f"meeting-changed:{m.id}:{event}",
        kind="meeting_changed",
        reply=Reply(title=title, lines=lines, visibility="channel"),
        thread_key=f"agenda:{m.id}",
        subject=("meeting", m.id),
    )
    return len(rows)


class MeetingMoveRequest(BaseModel):
    model_config = _MODEL

    day: date  # the meeting's present day
    to: AwareDatetime  # its new date and time
    reason: str | None = None


def parse_move(ctx: Context, args: str) -> MeetingMoveRequest:
    words = args.split()
    day = _day(ctx, words, MOVE)
    parts = _BECAUSE.split(" " + " ".join(words[1:]), maxsplit=1)
    rest, reason = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else None)
    if not rest:
        raise FieldError("Say the new date and time, e.g. 21/01/2027 14:00.", MOVE, field="to")
    m = _meeting_on(ctx, day, MOVE)
    keep = m.starts_at.astimezone(ZoneInfo(ctx.tz)).time()
    with about_field("to"):
        try:
            to = parse_datetime(rest, ctx.now, ctx.tz, default_time=time(keep.hour, keep.minute))
        except UsageError as e:
            raise FieldError(e.problem, MOVE, field="to") from None
    return MeetingMoveRequest(day=day, to=to, reason=reason or None)


@command(
    QA,
    "meeting move",
    request=MeetingMoveRequest,
    parse=parse_move,
    usage=MOVE,
    example="/qa meeting move 14/01/2027 21/01/2027 14:00",
    summary="move a meeting to a new date or time",
    allowed=policy.officers("move meetings"),
)
def move(ctx: Context, req: MeetingMoveRequest) -> Reply:
    m = _meeting_on(ctx, req.day, MOVE)
    _from_the_calendar(m, MOVE, "move")
    if m.cancelled_at is not None:
        raise UsageError(f"{label(m, ctx.tz)} was cancelled ({m.cancel_reason}); add a new meeting instead.")
    if m.starts_at <= ctx.now:
        raise UsageError(f"{label(m, ctx.tz)} has already started; it cannot be moved.", MOVE)
    if req.to <= ctx.now:
        raise FieldError(f"{_at(req.to, ctx.tz)} is in the past.", MOVE, field="to")
    if req.to == m.starts_at:
        return Reply(title=f"{m.title} is already at {when(m, ctx.tz)}")
    clash = store.by_kind_and_start(ctx.session, m.kind, req.to)
    if clash is not None:
        raise FieldError(f"There is already a {KINDS[m.kind]} at {_at(req.to, ctx.tz)}.", MOVE, field="to")
    reason = reason_text(ctx, req.reason, MOVE, required=False)
    was = when(m, ctx.tz)
    before = {"starts_at": m.starts_at.isoformat()}
    m.starts_at = req.to
    ctx.audit(
        "meeting",
        m.id,
        "moved",
        before,
        {"starts_at": req.to.isoformat()} | ({"reason": reason} if reason else {}),
    )
    lines = [f"From {was} to {when(m, ctx.tz)}." + (f" Reason: {reason}" if reason else "")]
    if store.agenda_post(ctx.session, m.id) is not None:
        _notice(
            ctx,
            m,
            f"moved:{req.to.isoformat()}",
            f"{m.title} has moved to {when(m, ctx.tz)}",
            lines,
        )
        lines.append("The agenda was already posted: a notice of the new time went into its thread.")
    else:
        post_at = agenda_post_at(m, ctx.board)
        lines.append(f"The agenda posts {_at(post_at, ctx.tz)}.")
    return Reply(
        title=f"Moved the {KINDS[m.kind]}: {m.title}",
        lines=lines,
        visibility="channel",
        data={"meeting_id": m.id},
    )


class MeetingCancelRequest(BaseModel):
    model_config = _MODEL

    day: date
    reason: str


def parse_cancel(ctx: Context, args: str) -> MeetingCancelRequest:
    words = args.split()
    day = _day(ctx, words, CANCEL)
    if len(words) < 2:
        raise FieldError("Say why the meeting is cancelled.", CANCEL, field="reason")
    return MeetingCancelRequest(day=day, reason=" ".join(words[1:]))


@command(
    QA,
    "meeting cancel",
    request=MeetingCancelRequest,
    parse=parse_cancel,
    usage=CANCEL,
    example="/qa meeting cancel 14/01/2027 not quorate",
    summary="cancel a meeting (its agenda is not posted; a notice is)",
    allowed=policy.officers("cancel meetings"),
)
def cancel(ctx: Context, req: MeetingCancelRequest) -> Reply:
    m = _meeting_on(ctx, req.day, CANCEL)
    _from_the_calendar(m, CANCEL, "cancel")
    if m.cancelled_at is not None:
        return Reply(title=f"{label(m, ctx.tz)} was already cancelled", lines=[f"Reason: {m.cancel_reason}"])
    if m.starts_at <= ctx.now:
        raise UsageError(f"{label(m, ctx.tz)} has already started; it cannot be cancelled.", CANCEL)
    reason = reason_text(ctx, req.reason, CANCEL, required=True)
    m.cancelled_at, m.cancel_reason = ctx.now, reason
    ctx.audit("meeting", m.id, "cancelled", {"cancelled": False}, {"cancelled": True, "reason": reason})
    _notice(ctx, m, "cancelled", f"Cancelled: {label(m, ctx.tz)}", [f"Reason: {reason}"])
    return Reply(
        title=f"Cancelled the {KINDS[m.kind]}: {label(m, ctx.tz)}",
        lines=[
            f"Reason: {reason}",
            "Its agenda will not be posted; a cancellation notice is posted in its channel.",
        ],
        visibility="channel",
        data={"meeting_id": m.id},
    )


def _at(instant: datetime, tz: str) -> str:
    return instant.astimezone(ZoneInfo(tz)).strftime("%a %-d %b %Y %H:%M")
