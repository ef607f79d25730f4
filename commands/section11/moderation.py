"""/s11 moderate: the panel records its moderated score for one sub-question of an agency's
return. Where it differs from the agency's self-score by a point or more, the agency is told
in a thread of its own for that sub-question (`s11mod:<cycle>:<agency>:<sub>`), quoting both
scores with their descriptors and the moderator's note; its replies there are recorded for
the panel (commands/section11/moderation_replies.py). Moderating the same sub-question again
posts in the same thread. Every moderation is audited.

Who: the chair, the QA officer, or a member named in the board file's `section11.panel`
(not for an agency they act for)."""

from __future__ import annotations

from pydantic import BaseModel

from commands import policy, posting, resolve
from commands.common import safeguard
from commands.context import Context
from commands.errors import FieldError, PermissionDenied, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11.common import attention_line, cycle_name, settings
from commands.section11.matrix import arrow
from commands.section11.reading import MODEL, agency_then, return_of
from commands.section11.standards import (
    NotOnScale,
    Scale,
    Standard,
    SubStandard,
    UnknownSub,
    find_sub,
    scale_of,
    standards_of,
)
from commands.types import Reply
from store import outbox_problems, s11_scores
from store import s11_moderation as moderation_store
from store.models import Agency, S11Cycle, S11Score

MODERATE = "/s11 moderate <agency> <std.sub> <score> [note <text>]"
THREAD_KIND = moderation_store.THREAD_KIND
REPLY_HINT = (
    "Reply in this thread with the agency's response (e.g. evidence the panel may not have seen); "
    "it is recorded for the panel."
)


class S11ModerateRequest(BaseModel):
    """The panel's score for one sub-question. Field names are the ones a FieldError names."""

    model_config = MODEL

    agency: str
    sub: str  # "1.2"
    score: str  # as typed: "1", "amber", "requires improvement"
    note: str | None = None


def parse_moderate(ctx: Context, args: str) -> S11ModerateRequest:
    words = args.split()
    note: str | None = None
    lowered = [w.lower() for w in words]
    if "note" in lowered:
        at = lowered.index("note")
        note = " ".join(words[at + 1 :]).strip() or None
        if note is None:
            raise FieldError("Say the note after “note”.", MODERATE, field="note")
        words = words[:at]
    with about_field("agency"):
        agency, rest = agency_then(ctx, " ".join(words), MODERATE)
    if len(rest) < 2:
        raise UsageError("Say the sub-question (e.g. 1.2) and the moderated score.", MODERATE)
    cfg = settings(ctx.board)
    sub = _sub(standards_of(cfg), rest[0])
    score = " ".join(rest[1:])
    _score(scale_of(cfg), score)
    return S11ModerateRequest(agency=agency.name, sub=sub.label, score=score, note=note)


def _sub(standards: list[Standard], label: str) -> SubStandard:
    try:
        return find_sub(standards, label)[1]
    except UnknownSub as e:
        raise FieldError(str(e), MODERATE, field="sub") from None


def _score(scale: Scale, text: str) -> int:
    try:
        return scale.parse(text)
    except NotOnScale as e:
        raise FieldError(str(e), MODERATE, field="score") from None


def on_panel(ctx: Context) -> bool:
    """The chair, the QA officer, or a member named in the board file's section11.panel."""
    actor = ctx.actor
    if policy.is_officer(actor):
        return True
    panel = {p.lower().lstrip("@") for p in settings(ctx.board).panel}
    return actor.id is not None and (actor.handle.lower() in panel or (actor.file_key or "").lower() in panel)


def may_moderate(ctx: Context, agency: Agency) -> None:
    actor = ctx.actor
    if policy.is_officer(actor):
        return
    if not on_panel(ctx):
        raise PermissionDenied(
            "Only the chair, the QA officer or a member of the Section 11 panel (the board file's "
            "section11.panel) can record a moderated score."
        )
    if policy.acts_for(ctx, agency.id):
        raise PermissionDenied(f"You act for {agency.name}, so you cannot moderate its return.")


@command(
    S11,
    "moderate",
    request=S11ModerateRequest,
    parse=parse_moderate,
    usage=MODERATE,
    example="/s11 moderate Surrey Police 1.2 1 note No evidence of board reports",
    summary="record the panel's moderated score for a sub-question; a gap opens a thread with the agency",
)
def moderate(ctx: Context, req: S11ModerateRequest) -> Reply:
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, MODERATE)
    may_moderate(ctx, agency)
    cfg = settings(ctx.board)
    scale, sub = scale_of(cfg), _sub(standards_of(cfg), req.sub)
    value = _score(scale, req.score)
    if req.note:
        safeguard(ctx, req.note, MODERATE)
    ret = return_of(ctx, agency, MODERATE)
    saved = s11_scores.save_moderated(
        ctx.session, ret.id, sub.label, value, note=req.note, by_id=ctx.actor.id, at=ctx.now
    )
    row = saved.row
    ctx.audit("s11_score", row.id, "moderated", saved.before, {"sub": sub.label, **saved.after})
    pair = f"self {_said(scale, row.self_score)} · moderated {_said(scale, value)}"
    gap = scale.gap(row.self_score, value) if row.self_score is not None else None
    lines = [f"{agency.name} · {sub.label}: {pair}" + (f" {arrow(gap)}" if gap else "")]
    # A new score or a new note is news for the agency; the same again is not.
    changed = saved.previous_moderated != value or (
        req.note is not None and (saved.before or {}).get("moderator_note") != req.note
    )
    thread = _thread(ctx, ret.cycle, agency, sub, row, scale, gap, changed=changed)
    lines.append(thread)
    return Reply(
        title=f"Moderated {agency.name} {sub.label}: {scale.describe(value).split(' — ')[0]}",
        lines=lines,
        visibility="channel",
        about_agencies=policy.about(agency.id),
        data={"agency": agency.name, "sub": sub.label, "score": value, "gap": gap, "thread": thread},
    )


def _said(scale: Scale, v: int | None) -> str:
    return "–" if v is None else scale.label_of(v)


def thread_key(cycle_id: int, agency_id: int, sub: str) -> str:
    return f"s11mod:{cycle_id}:{agency_id}:{sub}"


def _thread(
    ctx: Context,
    cycle: S11Cycle,
    agency: Agency,
    sub: SubStandard,
    row: S11Score,
    scale: Scale,
    gap: int | None,
    *,
    changed: bool,
) -> str:
    """Open or continue the agency's thread for this sub-question; what was done, in words."""
    started = moderation_store.thread_started(ctx.session, row.id)
    if row.self_score is None:
        return f"{agency.name} has no self-score for {sub.label} yet, so there is nothing to compare."
    if not changed and started:
        return "The same score as before: nothing new was posted in the agency's thread."
    if not gap and not started:
        return "It agrees with the agency's self-score: no thread needed."
    key = thread_key(cycle.id, agency.id, sub.label)
    event = "open" if not started else f"m{row.moderated_score}-{ctx.now:%Y%m%dT%H%M%S}"
    rows = posting.to_agency(
        ctx,
        agency,
        key=f"{key}:{event}",
        kind=THREAD_KIND,
        reply=_post(cycle, agency, sub, row, scale, gap, again=started),
        thread_key=key,
        subject=(moderation_store.SUBJECT, row.id),
    )
    if any(r.status == outbox_problems.UNREACHABLE for r in rows):
        return (
            f"{agency.name} has no channel or lead to reach on any platform, so the thread could not "
            "be opened; the QA officer is told."
        )
    if not gap:
        return f"{agency.name} is told in its thread for {sub.label} that the panel now agrees with it."
    where = "in its existing thread" if started else "in a new thread"
    return f"{agency.name} is asked for its response {where} for {sub.label}."


def _post(
    cycle: S11Cycle,
    agency: Agency,
    sub: SubStandard,
    row: S11Score,
    scale: Scale,
    gap: int | None,
    *,
    again: bool,
) -> Reply:
    assert row.self_score is not None and row.moderated_score is not None
    lines = [f"{sub.label}: {sub.text}"]
    lines.append(f"Your self-score: {scale.describe(row.self_score)}")
    lines.append(f"The panel's moderated score: {scale.describe(row.moderated_score)}")
    if row.moderator_note:
        lines.append(f"Moderator's note: “{row.moderator_note}”")
    if (att := attention_line(agency, with_substitute=False)) is not None:
        lines.append(att)
    if gap:
        lines.append(REPLY_HINT)
        title = (
            f"{cycle_name(cycle)}: the panel has updated its moderation of {sub.label} ({arrow(gap)})"
            if again
            else f"{cycle_name(cycle)}: the panel's score for {sub.label} differs from yours ({arrow(gap)})"
        )
    else:
        title = f"{cycle_name(cycle)}: the panel now agrees with your score for {sub.label}"
        lines.append("Nothing more is needed on this sub-question.")
    return Reply(
        title=title,
        lines=lines,
        visibility="channel",
        data={
            "cycle_id": cycle.id,
            "agency": agency.name,
            "sub": sub.label,
            "self_score": row.self_score,
            "moderated_score": row.moderated_score,
        },
    )
