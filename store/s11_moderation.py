"""What Section 11 moderation reads and writes besides the scores themselves: the moderation
threads (outbox posts of kind `s11_moderation`) and the agencies' replies in them, the panel
meeting's agenda items built from the gaps, and the challenge event's invitations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from store.models import AgendaItem, Meeting, OutboxMessage, S11ChallengeInvite, S11Score, ThreadReply

THREAD_KIND = "s11_moderation"
SUBJECT = "s11_score"
RESPONSE = "moderation_response"  # the agency's response, recorded in the thread
ACCEPTED = "moderation_accepted"  # the panel accepted it: the gap is closed


def score(session: Session, score_id: int) -> S11Score | None:
    return session.get(S11Score, score_id)


def thread_started(session: Session, score_id: int) -> bool:
    """Whether a moderation thread was opened for this score (on any platform, or kept
    unreachable): a second moderation is posted in it, not in a new one."""
    stmt = select(OutboxMessage.id).where(
        OutboxMessage.kind == THREAD_KIND,
        OutboxMessage.subject_type == SUBJECT,
        OutboxMessage.subject_id == score_id,
    )
    return session.scalar(stmt.limit(1)) is not None


def responses(
    session: Session, score_ids: list[int], interpretation: str = RESPONSE
) -> dict[int, ThreadReply]:
    """The latest recorded response in each score's moderation thread (not set aside); with
    ACCEPTED, the latest acceptance of one by the panel."""
    if not score_ids:
        return {}
    stmt = (
        select(OutboxMessage.subject_id, ThreadReply)
        .join(OutboxMessage, ThreadReply.outbox_id == OutboxMessage.id)
        .where(
            OutboxMessage.kind == THREAD_KIND,
            OutboxMessage.subject_type == SUBJECT,
            OutboxMessage.subject_id.in_(score_ids),
            ThreadReply.interpretation == interpretation,
        )
        .order_by(ThreadReply.id)
    )
    return {int(sid): reply for sid, reply in session.execute(stmt) if sid is not None}


def with_threads(session: Session, score_ids: list[int]) -> set[int]:
    """The scores a moderation thread was opened for (a gap the agency was asked about)."""
    if not score_ids:
        return set()
    stmt = select(OutboxMessage.subject_id).where(
        OutboxMessage.kind == THREAD_KIND,
        OutboxMessage.subject_type == SUBJECT,
        OutboxMessage.subject_id.in_(score_ids),
    )
    return {int(sid) for sid in session.scalars(stmt) if sid is not None}


def latest_response_in(session: Session, outbox_id: int, before_id: int) -> ThreadReply | None:
    """The last response or acceptance recorded under this post before reply `before_id` (for
    "undo")."""
    stmt = (
        select(ThreadReply)
        .where(
            ThreadReply.outbox_id == outbox_id,
            ThreadReply.id < before_id,
            ThreadReply.interpretation.in_((RESPONSE, ACCEPTED)),
        )
        .order_by(ThreadReply.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def meeting_of_kind(session: Session, kind: str, start: datetime, end: datetime) -> Meeting | None:
    """The first meeting of the kind (s11_panel, challenge) in [start, end), not cancelled."""
    stmt = select(Meeting).where(
        Meeting.kind == kind,
        Meeting.starts_at >= start,
        Meeting.starts_at < end,
        Meeting.cancelled_at.is_(None),
    )
    return session.scalar(stmt.order_by(Meeting.starts_at).limit(1))


def agenda_by_source(session: Session, meeting_id: int, prefix: str) -> dict[str, AgendaItem]:
    """The meeting's agenda items whose source starts with `prefix`, by source."""
    stmt = select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.source.startswith(prefix))
    return {item.source: item for item in session.scalars(stmt)}


def challenge_invites(session: Session, cycle_id: int, day: date) -> list[S11ChallengeInvite]:
    stmt = (
        select(S11ChallengeInvite)
        .options(joinedload(S11ChallengeInvite.agency))
        .where(S11ChallengeInvite.cycle_id == cycle_id, S11ChallengeInvite.day == day)
        .order_by(S11ChallengeInvite.slot_at)
    )
    return list(session.scalars(stmt))


def add_invite(
    session: Session,
    *,
    cycle_id: int,
    agency_id: int,
    day: date,
    slot_at: datetime,
    reason: str,
    at: datetime,
    by_id: int | None,
) -> S11ChallengeInvite:
    row = S11ChallengeInvite(
        cycle_id=cycle_id,
        agency_id=agency_id,
        day=day,
        slot_at=slot_at,
        reason=reason[:200],
        invited_at=at,
        invited_by_id=by_id,
    )
    session.add(row)
    session.flush()
    return row
