"""Meetings: the diary (on a day, upcoming, past, awaiting their agenda) and the meetings
read from a calendar. What an agenda or a summary lists is in store/agenda.py; the chair's
status and Section 11 progress in store/board_status.py. Every figure is computed by the
database; Python only shapes what comes back."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from store import addresses
from store.models import (
    Action,
    Address,
    AgendaItem,
    Document,
    Finding,
    Meeting,
    OutboxMessage,
)


def _local_day_bounds(d: date, tz: str) -> tuple[datetime, datetime]:
    start = datetime.combine(d, time(0), tzinfo=ZoneInfo(tz))
    return start, start + timedelta(days=1)


# ── meetings ────────────────────────────────────────────────────────────────────────────────


def get(session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id)


_LIVE = Meeting.cancelled_at.is_(None)  # a cancelled meeting (0014) is kept, but out of the diary


def on_date(session: Session, d: date, tz: str) -> Meeting | None:
    start, end = _local_day_bounds(d, tz)
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end, _LIVE)
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    return session.scalar(stmt)


def all_on_date(session: Session, d: date, tz: str) -> list[Meeting]:
    """Every meeting on a local day, cancelled ones included (to move or cancel one)."""
    start, end = _local_day_bounds(d, tz)
    stmt = select(Meeting).where(Meeting.starts_at >= start, Meeting.starts_at < end)
    return list(session.scalars(stmt.order_by(Meeting.starts_at)))


def upcoming(session: Session, after: datetime, limit: int = 5) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.starts_at >= after, _LIVE).order_by(Meeting.starts_at).limit(limit)
    return list(session.scalars(stmt))


def count_upcoming(session: Session, after: datetime) -> int:
    stmt = select(func.count()).select_from(Meeting).where(Meeting.starts_at >= after, _LIVE)
    return session.scalar(stmt) or 0


def recent_past(session: Session, before: datetime, limit: int = 3) -> list[Meeting]:
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at < before, _LIVE)
        .order_by(Meeting.starts_at.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def next_after(session: Session, at: datetime) -> Meeting | None:
    """The next meeting that has not started yet."""
    stmt = select(Meeting).where(Meeting.starts_at > at, _LIVE).order_by(Meeting.starts_at).limit(1)
    return session.scalar(stmt)


def latest_started(session: Session, at: datetime) -> Meeting | None:
    """The most recent meeting that has started."""
    stmt = select(Meeting).where(Meeting.starts_at <= at, _LIVE).order_by(Meeting.starts_at.desc()).limit(1)
    return session.scalar(stmt)


def by_kind_and_start(session: Session, kind: str, starts_at: datetime) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.kind == kind, Meeting.starts_at == starts_at))


def previous_of_kind(session: Session, meeting: Meeting) -> Meeting | None:
    """The last meeting of the same kind before this one (for a priority panel: on the same
    priority, since each priority has its own panel)."""
    stmt = select(Meeting).where(Meeting.kind == meeting.kind, Meeting.starts_at < meeting.starts_at)
    if meeting.kind == "priority_panel":
        stmt = stmt.where(Meeting.priority == meeting.priority)
    return session.scalar(stmt.order_by(Meeting.starts_at.desc()).limit(1))


def in_channel_on_day(
    session: Session, d: date, tz: str, platform: str, channel: str, board_channel: str | None
) -> list[Meeting]:
    """Meetings on a local day held in this channel: the meeting's own channel, or the board's
    QA channel for meetings that have none of their own (that is where their posts go)."""
    start, end = _local_day_bounds(d, tz)
    if platform == addresses.BY_NAME:  # the console addresses a meeting as #<title>
        cond: Any = literal("#") + Meeting.title == channel
    else:
        own = select(Address.subject_id).where(
            Address.subject_kind == addresses.MEETING, Address.platform == platform
        )
        cond = Meeting.id.in_(own.where(Address.address == channel))
        if board_channel and board_channel == channel:
            cond = or_(cond, Meeting.id.not_in(own))
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end, cond, _LIVE)
        .order_by(Meeting.starts_at)
    )
    return list(session.scalars(stmt))


def awaiting_agenda(session: Session, now: datetime, horizon: datetime) -> list[Meeting]:
    """Meetings not started yet, starting before `horizon`, whose agenda is not yet queued."""
    queued = select(OutboxMessage.subject_id).where(
        OutboxMessage.kind == "agenda", OutboxMessage.subject_type == "meeting"
    )
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at > now, Meeting.starts_at <= horizon, Meeting.id.not_in(queued), _LIVE)
        .order_by(Meeting.starts_at)
    )
    return list(session.scalars(stmt))


def agenda_post(session: Session, meeting_id: int) -> OutboxMessage | None:
    """The queued or sent agenda post of a meeting (the first platform's)."""
    stmt = (
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == "agenda",
            OutboxMessage.subject_type == "meeting",
            OutboxMessage.subject_id == meeting_id,
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    return session.scalar(stmt)


# ── meetings read from a calendar (SharePoint/Graph calendarView) ───────────────────────────


def by_external_id(session: Session, external_id: str) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.external_id == external_id))


def from_calendar_between(session: Session, start: datetime, end: datetime) -> list[Meeting]:
    """Meetings that came from the calendar and start in [start, end)."""
    stmt = select(Meeting).where(
        Meeting.source == "calendar", Meeting.starts_at >= start, Meeting.starts_at < end
    )
    return list(session.scalars(stmt.order_by(Meeting.starts_at)))


def references(session: Session, meeting_id: int) -> int:
    """How many actions, findings, agenda items, documents, document links and bot posts refer
    to the meeting (one query; 0 means it can be deleted without losing anything)."""
    from store.models import DocumentLink

    parts = [
        select(func.count()).select_from(Action).where(Action.meeting_id == meeting_id),
        select(func.count()).select_from(Finding).where(Finding.meeting_id == meeting_id),
        select(func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == meeting_id),
        select(func.count()).select_from(Document).where(Document.meeting_id == meeting_id),
        select(func.count())
        .select_from(DocumentLink)
        .where(DocumentLink.target_type == "meeting", DocumentLink.target_id == meeting_id),
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.subject_type == "meeting", OutboxMessage.subject_id == meeting_id),
    ]
    total = sum((p.scalar_subquery() for p in parts), literal(0))
    return int(session.scalar(select(total)) or 0)


def all_meetings(session: Session) -> list[Meeting]:
    """Every meeting, for matching a board file's entries (boards hold tens, not thousands)."""
    return list(session.scalars(select(Meeting).order_by(Meeting.starts_at, Meeting.id)))
