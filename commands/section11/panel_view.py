"""What /s11 panel adds to the cycle's summary (commands/section11/ratings.py): the matrix of
self versus moderated scores per agency and sub-question, the agenda order (largest gaps
first, then reds), and with `agenda` those items put on the cycle's panel meeting's agenda,
once each (an item whose gap changed is reworded, not added again)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from commands import policy
from commands.context import Context
from commands.errors import NotFound, PermissionDenied
from commands.section11 import matrix
from commands.section11.common import settings
from commands.section11.reading import PANEL
from commands.section11.standards import scale_of, standards_of, sub_order
from commands.types import Reply
from store import board_status, s11_scores
from store import s11_moderation as moderation_store
from store.models import AgendaItem, S11Cycle, ThreadReply


def cycle_entries(ctx: Context, cycle: S11Cycle) -> list[matrix.Entry]:
    scores = s11_scores.scores_for_cycle(ctx.session, cycle.id, policy.viewer(ctx))
    return matrix.entries(scores, scale_of(settings(ctx.board)))


def extend(ctx: Context, cycle: S11Cycle, reply: Reply, *, agenda: bool) -> Reply:
    """The matrix and the agenda order after the summary; with `agenda`, onto the meeting."""
    cfg = settings(ctx.board)
    scale, standards = scale_of(cfg), standards_of(cfg)
    found = cycle_entries(ctx, cycle)
    agencies = board_status.s11_agencies(ctx.session, cycle.id, policy.viewer(ctx))
    reply.lines.append("Scores, self/moderated, per sub-question:")
    reply.lines += ["  " + line for line in matrix.matrix_lines(agencies, found, standards, scale)]
    ids = [e.score_id for e in found]
    responses = moderation_store.responses(ctx.session, ids)
    accepted = moderation_store.responses(ctx.session, ids, moderation_store.ACCEPTED)
    order = matrix.agenda_order(found, closed=set(accepted))
    reply.lines.append("Panel agenda (largest gaps first, then reds):")
    for n, e in enumerate(order, start=1):
        reply.lines.append(f"  {n}. {matrix.agenda_text(e, scale)}")
        if (said := responses.get(e.score_id)) is not None:
            reply.lines.append(f"     response R-{said.id}: “{said.text}”")
    if not order:
        reply.lines.append("  nothing: no gaps and no reds")
    closed = _closed(found, accepted, moderation_store.with_threads(ctx.session, ids))
    if closed:
        reply.lines.append("Gaps closed (not on the agenda):")
        reply.lines += [f"  {line}" for line in closed]
    reply.data["agenda"] = [matrix.agenda_text(e, scale) for e in order]
    if agenda:
        reply.lines += onto_agenda(ctx, cycle, order)
    return reply


def _closed(found: list[matrix.Entry], accepted: dict[int, ThreadReply], asked: set[int]) -> list[str]:
    """The gaps the agency was asked about that are closed, and how: the panel accepted its
    response, or the moderated score now equals the self-score."""
    out = []
    for e in sorted(found, key=lambda e: (e.agency, sub_order(e.sub))):
        if e.gap and e.score_id in accepted:
            out.append(f"{e.agency} {e.sub}: the panel accepted the response (R-{accepted[e.score_id].id})")
        elif e.gap == 0 and e.score_id in asked:
            out.append(f"{e.agency} {e.sub}: the moderated score now equals the self-score")
    return out


def onto_agenda(ctx: Context, cycle: S11Cycle, order: list[matrix.Entry]) -> list[str]:
    actor = ctx.actor
    panel = {p.lower().lstrip("@") for p in settings(ctx.board).panel}
    if not policy.is_officer(actor) and actor.handle.lower() not in panel:
        raise PermissionDenied(
            "Only the chair, the QA officer or a member of the Section 11 panel can add to the "
            "panel's agenda."
        )
    if cycle.panel_date is None:
        raise NotFound(
            f"The {cycle.year} cycle has no panel date, so there is no panel meeting to add to.", PANEL
        )
    tz = ZoneInfo(ctx.tz)
    start = datetime.combine(cycle.panel_date, time(0), tz)
    meeting = moderation_store.meeting_of_kind(ctx.session, "s11_panel", start, start + timedelta(days=1))
    if meeting is None:
        raise NotFound(
            f"There is no Section 11 panel meeting on {cycle.panel_date:%d/%m/%Y}: add it "
            f"(/qa meeting add s11 {cycle.panel_date:%d/%m/%Y} <time>) and ask again.",
            PANEL,
        )
    scale = scale_of(settings(ctx.board))
    prefix = f"s11panel:{cycle.id}:"
    have = moderation_store.agenda_by_source(ctx.session, meeting.id, prefix)
    added = reworded = same = 0
    for e in order:
        source, text = f"{prefix}{e.agency_id}:{e.sub}", f"Section 11: {matrix.agenda_text(e, scale)}"
        item = have.get(source)
        if item is None:
            ctx.session.add(
                AgendaItem(
                    meeting_id=meeting.id, text=text, added_by_id=actor.id, source=source, created_at=ctx.now
                )
            )
            added += 1
        elif item.text != text:
            item.text, reworded = text, reworded + 1
        else:
            same += 1
    ctx.session.flush()
    gone = [source for source in have if source not in {f"{prefix}{e.agency_id}:{e.sub}" for e in order}]
    ctx.audit(
        "meeting", meeting.id, "s11 agenda", None, {"added": added, "reworded": reworded, "cycle": cycle.id}
    )
    return [
        f"Agenda of {meeting.title} ({meeting.starts_at.astimezone(tz):%d/%m/%Y %H:%M}): "
        f"{added} added, {reworded} reworded, {same} already there."
    ] + (
        [
            f"{len(gone)} added before are no longer a gap or a red; they stay on the agenda "
            "(remove them there if settled)."
        ]
        if gone
        else []
    )
