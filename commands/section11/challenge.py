"""/s11 challenge: the challenge event after moderation. The agencies with the most reds (then
the largest total gap between self and moderated scores) are invited, each in its own Section
11 thread with its slot; the reply says who was invited and who could not be reached. Running
it again for the same day invites nobody twice: newcomers to the top get the next slots, and
a list that changed since is said."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from commands import policy
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11.common import attention_line, cycle_name, plural, post_in_thread
from commands.section11.matrix import Standing, challenge_order
from commands.section11.panel_view import cycle_entries
from commands.section11.reading import MODEL, CycleChoice, date_of, pick_cycle, year_of
from commands.types import Reply
from store import outbox_problems
from store import s11_moderation as moderation_store
from store import section11 as s11
from store.models import S11ChallengeInvite, S11Cycle

CHALLENGE = "/s11 challenge <year> <date> [slots <n>] [from <HH:MM>] [length <minutes>]"
_OPTIONS = ("slots", "from", "length")


class S11ChallengeRequest(BaseModel):
    model_config = MODEL

    year: int = Field(ge=2000, le=2100)
    on: date
    slots: int = Field(default=5, ge=1, le=30)
    start: time | None = None  # the first slot; default: the challenge meeting's start, else 10:00
    length: int = Field(default=30, ge=5, le=240)  # minutes per slot


def parse_challenge(ctx: Context, args: str) -> S11ChallengeRequest:
    words = args.split()
    if not words:
        raise UsageError("Say the cycle's year and the day of the challenge event.", CHALLENGE)
    year = year_of(words[0], CHALLENGE)
    cut = next((i for i, w in enumerate(words) if w.lower() in _OPTIONS), len(words))
    with about_field("on"):
        on = date_of(ctx, words[1:cut], "challenge", CHALLENGE)
    options: dict[str, str] = {}
    rest = words[cut:]
    while rest:
        if rest[0].lower() not in _OPTIONS or len(rest) < 2:
            raise UsageError(f'"{" ".join(rest)}" is not understood.', CHALLENGE)
        options[rest[0].lower()], rest = rest[1], rest[2:]
    slots, length = options.get("slots", "5"), options.get("length", "30")
    if not slots.isdigit() or not 1 <= int(slots) <= 30:
        raise FieldError(f'"{slots}" is not a number of slots from 1 to 30.', CHALLENGE, field="slots")
    if not length.isdigit() or not 5 <= int(length) <= 240:
        raise FieldError(f'"{length}" is not a slot length in minutes (5 to 240).', CHALLENGE, field="length")
    start = None
    if "from" in options:
        m = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", options["from"])
        if m is None:
            raise FieldError(f'"{options["from"]}" is not a time such as 10:00.', CHALLENGE, field="start")
        start = time(int(m.group(1)), int(m.group(2)))
    return S11ChallengeRequest(year=year, on=on, slots=int(slots), start=start, length=int(length))


@command(
    S11,
    "challenge",
    request=S11ChallengeRequest,
    parse=parse_challenge,
    usage=CHALLENGE,
    example="/s11 challenge 2027 17/06/2027 slots 3 from 10:00 length 40",
    summary="invite the agencies with the most reds or largest gaps to the challenge event, with their slots",
    allowed=policy.officers("invite agencies to the Section 11 challenge event"),
)
def challenge(ctx: Context, req: S11ChallengeRequest) -> Reply:
    cycle = pick_cycle(ctx, CycleChoice(year=req.year), CHALLENGE)
    if req.on < ctx.today:
        raise FieldError(
            f"{format_date(req.on)} has passed: say the day of the event.", CHALLENGE, field="on"
        )
    top = challenge_order(cycle_entries(ctx, cycle))[: req.slots]
    before = moderation_store.challenge_invites(ctx.session, cycle.id, req.on)
    invited_ids = {i.agency_id for i in before}
    length = timedelta(minutes=req.length)
    tz = ZoneInfo(ctx.tz)
    nxt = max((i.slot_at for i in before), default=None)
    at = nxt + length if nxt else datetime.combine(req.on, req.start or _meeting_start(ctx, req.on), tz)
    returns = {r.agency_id: r for r in s11.returns_of(ctx.session, cycle.id, policy.viewer(ctx))}
    lines: list[str] = []
    new: list[S11ChallengeInvite] = []
    unreached: list[S11ChallengeInvite] = []
    for standing in top:
        if standing.agency_id in invited_ids or standing.agency_id not in returns:
            continue
        row = moderation_store.add_invite(
            ctx.session,
            cycle_id=cycle.id,
            agency_id=standing.agency_id,
            day=req.on,
            slot_at=at,
            reason=standing.reason(),
            at=ctx.now,
            by_id=ctx.actor.id,
        )
        ret = returns[standing.agency_id]
        posts = post_in_thread(
            ctx,
            cycle.id,
            ret.agency,
            ret.id,
            event=f"challenge:{req.on.isoformat()}",
            kind="s11_challenge",
            reply=_invitation(cycle, row, length, tz),
        )
        (unreached if any(p.status == outbox_problems.UNREACHABLE for p in posts) else new).append(row)
        ctx.audit(
            "s11_challenge",
            row.id,
            "invited",
            None,
            {"agency": standing.agency, "slot": row.slot_at.isoformat(), "day": req.on.isoformat()},
        )
        at += length
    lines += [f"Invited: {_slot_line(i, length, tz)}" for i in new]
    lines += [
        "Could not be reached (no channel or lead on any platform; the QA officer is told): "
        + _slot_line(i, length, tz)
        for i in unreached
    ]
    lines += _since(before, top, length, tz)
    if not top:
        lines.append(
            "No agency has a red or a gap between self and moderated scores yet: nobody was invited."
        )
    return Reply(
        title=f"{cycle_name(cycle)} challenge event, {format_date(req.on)}: "
        f"{plural(len(new) + len(unreached), 'agency')} invited now".replace("agencys", "agencies"),
        lines=lines,
        visibility="channel",
        data={
            "invited": [i.agency.name for i in new],
            "unreached": [i.agency.name for i in unreached],
            "already": [i.agency.name for i in before],
        },
    )


def _meeting_start(ctx: Context, day: date) -> time:
    """The challenge meeting's start that day, else 10:00."""
    tz = ZoneInfo(ctx.tz)
    start = datetime.combine(day, time(0), tz)
    found = moderation_store.meeting_of_kind(ctx.session, "challenge", start, start + timedelta(days=1))
    return found.starts_at.astimezone(tz).time() if found else time(10, 0)


def _slot_line(i: S11ChallengeInvite, length: timedelta, tz: ZoneInfo) -> str:
    start = i.slot_at.astimezone(tz)
    return f"{i.agency.name} — {start:%H:%M}–{start + length:%H:%M} ({i.reason})"


def _since(
    before: list[S11ChallengeInvite], top: list[Standing], length: timedelta, tz: ZoneInfo
) -> list[str]:
    if not before:
        return []
    lines = [f"Already invited (not invited again): {_slot_line(i, length, tz)}" for i in before]
    now_top = {s.agency_id for s in top}
    dropped = [i.agency.name for i in before if i.agency_id not in now_top]
    if dropped:
        lines.append(
            "The list has changed since: no longer among the top now: "
            + ", ".join(dropped)
            + " (still invited; tell them in their thread if they need not come)."
        )
    elif len(now_top - {i.agency_id for i in before}) == 0:
        lines.append("The list is the same as before.")
    return lines


def _invitation(cycle: S11Cycle, row: S11ChallengeInvite, length: timedelta, tz: ZoneInfo) -> Reply:
    start = row.slot_at.astimezone(tz)
    agency = row.agency
    lines = [
        f"The Board invites {agency.name} to the Section 11 challenge event on {format_date(row.day)}, "
        f"your slot {start:%H:%M}–{start + length:%H:%M}.",
        f"Why: after moderation your return has {row.reason}. The panel will talk through those "
        "sub-questions with you and agree actions.",
    ]
    if (att := attention_line(agency, with_substitute=True)) is not None:
        lines.append(att)
    lines.append("Reply in this thread to confirm who will attend, or if the slot does not suit.")
    return Reply(
        title=f"{cycle_name(cycle)}: challenge event, {format_date(row.day)} at {start:%H:%M}",
        lines=lines,
        visibility="channel",
        data={"cycle_id": cycle.id, "agency": agency.name, "slot": row.slot_at.isoformat()},
    )
